package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// component is one tab of the board, as in soft-serve's pkg/ui: each keeps
// what its viewer made of it, draws its part of the screen at its size,
// answers its own keys and says them for the help. The root model holds
// the tabs in order and the one shown, dispatches to it, and passes each
// call the board's shared context (the view, size, styles and keys): the
// model is a value Bubble Tea copies, so a tab is given the context, it
// does not keep it.
//
// Every tab shows tables; tabView, embedded in each, keeps their state and
// gives the methods a tab without more to say shares.
type component interface {
	// Title names the tab in the tab bar.
	Title() string
	// tables are the tab's tables over all their rows, in the board's
	// order, each with the tab's own narrowing (table.keep).
	tables(sh *shared) []table
	// View writes the tab's part of the screen, height lines.
	View(sh *shared, b *strings.Builder, height int)
	// SetSize gives the tab the window's body: width columns, height lines
	// between the tab bar and the footer.
	SetSize(sh *shared, width, height int)
	// Update does what k means on this tab, if it is one of the tab's own
	// keys, and reports whether it was.
	Update(sh *shared, k tea.KeyMsg) bool
	// Keys are the tab's own keys, besides the board's, for the help.
	Keys(sh *shared) []key.Binding
	// helpNotes is what the help says of the tab's figures, "" for none.
	helpNotes() string

	// setView prepares what the tab keeps of a new view.
	setView(sh *shared)
	// onScreen prepares what the tab draws only while it is seen, before
	// it is given its size.
	onScreen(sh *shared)
	// clearFilters clears what narrows the tab's rows (esc), not the sort
	// or the layout.
	clearFilters()
	// narrowedTo says what the tab's rows are narrowed to, for the footer.
	narrowedTo(sh *shared) []string
	// base is the state of the tab's tables.
	base() *tabView
}

// tabView is what every tab keeps of its tables as its viewer left them:
// the narrowing, the rows shown and in which order, the scroll, and its
// size.
//
// A tab shows one table or several, one above the other (Calls: the calls
// waiting, then those lost today); each is a pane with its own rows and
// scroll, and one cursor runs through them in turn.
type tabView struct {
	narrowing narrowing
	panes     []pane // its tables, top to bottom
	focus     int    // the pane the cursor is in
	width     int
	height    int // lines for its tables, titles included
}

// pane is one table of a tab as its viewer left it.
type pane struct {
	order  []int  // rows shown, by index into the table's rows; nil until narrowed
	scroll scroll // the cursor (drawn in the focused pane only) and the first row on screen
	height int    // lines for it, its heading and column titles included
	// subject is the key (table.key) of the cursor's row as the viewer
	// last saw it, when held (the viewer put the cursor below the first
	// row): the cursor goes where its row goes. On the first row it stays
	// there, on the worst or the newest, as Events follows the newest.
	subject string
	held    bool
}

func newTabView(tables int) tabView {
	return tabView{narrowing: narrowing{sortCol: -1}, panes: make([]pane, tables)}
}

func (c *tabView) base() *tabView { return c }

// The defaults of a tab that has nothing more to say: no key, note, view
// to prepare or filter of its own, and all its body for its tables.

func (c *tabView) Update(*shared, tea.KeyMsg) bool { return false }
func (c *tabView) Keys(*shared) []key.Binding      { return nil }
func (c *tabView) helpNotes() string               { return "" }
func (c *tabView) setView(*shared)                 {}
func (c *tabView) onScreen(*shared)                {}
func (c *tabView) SetSize(_ *shared, width, height int) {
	c.setTableSize(width, height)
}

// clearFilters clears the text filter.
func (c *tabView) clearFilters() { c.narrowing.query = "" }

// narrowedTo says the text filter.
func (c *tabView) narrowedTo(*shared) []string {
	if q := c.narrowing.query; q != "" {
		return []string{"filter “" + sanitize(q) + "”"}
	}
	return nil
}

// setTableSize gives the tab's tables their part of the screen: width
// columns, height lines (titles included), shared out between its panes.
func (c *tabView) setTableSize(width, height int) {
	c.width, c.height = width, max(height, 0)
	c.split()
	c.clamp()
}

// minPane is the least height of a pane among several: its heading, its
// column titles and one row.
const minPane = headingLines + titleLines + 1

// split shares the tab's lines out between its panes. One pane takes them
// all. Among several, the panes above the last (calls waiting: few) get what
// their rows need, up to two thirds of what is left, and never so much that
// the panes below them keep less than minPane each; the last takes the rest.
func (c *tabView) split() {
	left := c.height
	last := len(c.panes) - 1
	for i := range c.panes[:last] {
		below := len(c.panes) - 1 - i
		want := c.panes[i].want()
		h := min(want, max(left-c.panes[last].want(), left*2/3))
		h = max(min(h, left-below*minPane), 0)
		c.panes[i].height = h
		left -= h
	}
	c.panes[last].height = left
}

// want is the lines a pane among several needs to show all its rows, or
// the line that says it has none.
func (p *pane) want() int { return headingLines + titleLines + max(len(p.order), 1) }

// paneRows is how many rows of pane i fit.
func (c *tabView) paneRows(i int) int {
	above := titleLines
	if len(c.panes) > 1 {
		above += headingLines
	}
	return max(c.panes[i].height-above, 1)
}

// visibleRows is how many rows of the focused pane fit.
func (c *tabView) visibleRows() int { return c.paneRows(c.focus) }

// rows is how many rows the tab shows, in all its panes.
func (c *tabView) rows() int {
	n := 0
	for i := range c.panes {
		n += len(c.panes[i].order)
	}
	return n
}

// clamp keeps each pane's cursor on a row and on screen, and the focus on a
// pane that has rows, when one has.
func (c *tabView) clamp() {
	c.focus = max(min(c.focus, len(c.panes)-1), 0)
	for d := 1; d < len(c.panes) && len(c.panes[c.focus].order) == 0; d++ {
		// the nearest pane with rows, below first
		for _, i := range [2]int{c.focus + d, c.focus - d} {
			if i >= 0 && i < len(c.panes) && len(c.panes[i].order) > 0 {
				c.focus = i
				break
			}
		}
	}
	for i := range c.panes {
		c.panes[i].scroll.clamp(len(c.panes[i].order), c.paneRows(i))
	}
}

// moveCursor moves the cursor by rows, through the panes in turn: down
// from the last row of one pane is the first row of the next.
func (c *tabView) moveCursor(by int) {
	pos := c.panes[c.focus].scroll.cursor
	for _, p := range c.panes[:c.focus] {
		pos += len(p.order)
	}
	pos = max(min(pos+by, c.rows()-1), 0)
	for i := range c.panes {
		n := len(c.panes[i].order)
		if pos < n || i == len(c.panes)-1 {
			c.focus = i
			c.panes[i].scroll.cursor = pos
			break
		}
		pos -= n
	}
	c.clamp()
}

// setOrder makes order pane i's rows, t its table: a cursor the viewer
// put below the first row goes on the row of its subject (t.key),
// wherever the new order put it, as rows reorder, arrive and leave; when
// its subject left, on the row that took its place (the nearest), or on
// the first row of the subject's group (keyPart) when one is shown. The
// rows on screen stay, unless the cursor's row left them (clamp). A
// cursor on the first row stays there.
func (c *tabView) setOrder(i int, t table, order []int) {
	p := &c.panes[i]
	p.order = order
	if t.key == nil || !p.held {
		return
	}
	group, _, _ := strings.Cut(p.subject, keyPart)
	at := -1
	for j, r := range order {
		k := t.key(r)
		if k == p.subject {
			at = j
			break
		}
		if g, _, _ := strings.Cut(k, keyPart); at < 0 && g == group {
			at = j
		}
	}
	if at >= 0 {
		p.scroll.cursor = at
	}
}

// hold takes the subject of each pane's cursor row (table.key) as the one
// its cursor stays on, after the rows were narrowed (setOrder: the same
// subject, or the nearest when it left); moved, after the viewer moved the
// cursor, and then held when not on the first row. tables are the tab's,
// for the view its rows are of.
func (c *tabView) hold(tables []table, moved bool) {
	for i := range c.panes {
		p := &c.panes[i]
		if i >= len(tables) || tables[i].key == nil || len(p.order) == 0 {
			continue // an empty table keeps its subject, if it comes back
		}
		cur := min(max(p.scroll.cursor, 0), len(p.order)-1)
		p.subject = tables[i].key(p.order[cur])
		if moved {
			p.held = cur > 0
		}
	}
}

// cursorIn is pane i's scroll as drawn: its cursor only when it has the
// focus.
func (c *tabView) cursorIn(i int) scroll {
	sc := c.panes[i].scroll
	if i != c.focus {
		sc.cursor = -1
	}
	return sc
}

// keyPart separates the parts of a row's key (table.key): a row whose
// key begins as the subject's did, up to its first keyPart, is the
// subject's nearest when it left (the Day tab's interval, from one queue
// of it to the totals).
const keyPart = "\x1f"
