package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// tabView is one tab of the board as a component, as in soft-serve's
// pkg/ui: it keeps what its viewer made of it (the narrowing, the rows shown
// and in which order, the scroll), knows its size and its own keys, and the
// root model composes the tabs, routes keys to the active one and gathers
// the help from it. The rows themselves come from the view every tab shares.
//
// A tab shows one table or several, one above the other (Calls: the calls
// waiting, then those lost today); each is a pane with its own rows and
// scroll, and one cursor runs through them in turn.
type tabView struct {
	id        tab
	actions   []tabAction // its own keys, besides the board's
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
}

func newTabView(id tab, tables int, actions []tabAction) tabView {
	return tabView{id: id, actions: actions, narrowing: narrowing{sortCol: -1}, panes: make([]pane, max(tables, 1))}
}

// handleKey does what k means on this tab of m, if it is one of the tab's
// own keys, and reports whether it was.
func (c *tabView) handleKey(m *Model, k tea.KeyMsg) bool {
	for _, a := range c.actions {
		if key.Matches(k, a.binding) {
			a.do(m)
			return true
		}
	}
	return false
}

// SetSize gives the tab its part of the screen: width columns, height lines
// for its tables (titles included), shared out between its panes.
func (c *tabView) SetSize(width, height int) {
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

// cursorIn is pane i's scroll as drawn: its cursor only when it has the
// focus.
func (c *tabView) cursorIn(i int) scroll {
	sc := c.panes[i].scroll
	if i != c.focus {
		sc.cursor = -1
	}
	return sc
}

// keys are the keys of the tab's own, besides the board's, for its help.
func (c *tabView) keys() []key.Binding {
	bindings := make([]key.Binding, len(c.actions))
	for i, a := range c.actions {
		bindings[i] = a.binding
	}
	return bindings
}
