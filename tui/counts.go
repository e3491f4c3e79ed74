package tui

import (
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// What the footer says of the active tab's list, on its right: how many
// rows it shows of how many, which are on screen, the columns the width
// hides and the column it is sorted on when hidden, the Overview's tiles
// the height leaves out where no line of its own names them, and the events
// the board rejected. In a footer too short for all, each says less, then
// goes, in the order of noteSteps: the count stays, and which rows are on
// screen stays longer than the columns' names.

// Footer notes, in the order they are drawn.
const (
	noteFull     = iota // the filter refuses what is typed
	noteTiles           // the Overview's tiles left out, unnamed
	noteHidden          // the columns the width hides
	noteSorted          // the column sorted on, when hidden
	noteCount           // how many rows of how many, and which on screen
	noteAside           // what the tab says after its count (countAside)
	noteRejected        // events the board rejected
	noteKinds           // how many kinds of note there are
)

// noteSteps is the order in which the notes say less when the footer is
// short: each step takes the note's next form (the last is "", gone).
var noteSteps = []int{
	noteHidden,   // the hidden columns' names: their number
	noteAside,    // its short form
	noteHidden,   // "+3 cols hidden"
	noteRejected, // said on the Events tab too
	noteSorted,   // "by Queue ↓"
	noteTiles,    // "+11 tiles"
	noteCount,    // "12 of 40": the tab's name says of what
	noteHidden,   // "+3 cols"
	noteHidden,
	noteTiles,
	noteSorted,
	noteAside,
}

// positionSteps are noteSteps when the count says which rows are on
// screen: that stays longer than the word "hidden".
var positionSteps = []int{
	noteHidden,   // the hidden columns' names: their number
	noteAside,    // its short form
	noteCount,    // "40 agents · 1–20"
	noteHidden,   // "+3 cols hidden"
	noteRejected, // said on the Events tab too
	noteSorted,   // "by Queue ↓"
	noteTiles,    // "+11 tiles"
	noteHidden,   // "+3 cols"
	noteCount,    // which rows are on screen: gone
	noteCount,    // "12 of 40"
	noteHidden,
	noteTiles,
	noteSorted,
	noteAside,
}

// footerNote is one note and its forms, from the longest to the shortest.
type footerNote struct {
	forms []string
	style *lipgloss.Style // nil for dim
}

// listNotes are the footer's notes on the active tab, each in every form it
// may take.
func (m *Model) listNotes() [noteKinds]footerNote {
	var notes [noteKinds]footerNote
	st := m.styles
	if m.editing && m.filterFull {
		notes[noteFull] = footerNote{forms: []string{"filter full (" + strconv.Itoa(MaxFilter) + ")"}, style: &st.warn}
	}
	c := m.current()
	if o, ok := c.(coverer); ok && o.covered() {
		// what covers the list (an event's detail) says its own lines
		if n := m.view.Feed.Rejected; n > 0 {
			notes[noteRejected] = footerNote{forms: []string{"rejected " + strconv.Itoa(n), ""}, style: &st.warn}
		}
		return notes
	}
	if hidden := hiddenTitles(c, &m.shared); len(hidden) > 0 && !m.showHelp {
		n := strconv.Itoa(len(hidden))
		word := " columns hidden"
		if len(hidden) == 1 {
			word = " column hidden"
		}
		notes[noteHidden].forms = []string{"hidden: " + strings.Join(hidden, ", "), "+" + n + word, "+" + n + " cols hidden", "+" + n + " cols", ""}
	}
	if title := sortTitle(c, &m.shared); title != "" && !m.showHelp && isHidden(c, &m.shared, title) {
		arrow := " ↑"
		if c.base().narrowing.desc {
			arrow = " ↓"
		}
		title = sanitize(title)
		notes[noteSorted].forms = []string{"sorted by " + title + arrow, "by " + title + arrow, ""}
	}
	if n := tilesUnnamed(c, &m.shared); n > 0 && !m.showHelp {
		notes[noteTiles].forms = []string{strconv.Itoa(n) + " tiles not shown", "+" + strconv.Itoa(n) + " tiles", ""}
	}
	count := countOf(c, &m.shared)
	notes[noteCount] = footerNote{forms: []string{count}, style: &st.plain}
	if tv := c.base(); len(tv.panes) == 1 && !m.showHelp {
		// A tab of several tables says it in their headings.
		if n := tv.rows(); n > tv.visibleRows() {
			first := tv.panes[0].scroll.offset + 1
			rows := strconv.Itoa(first) + "–" + strconv.Itoa(min(first+tv.visibleRows()-1, n))
			notes[noteCount].forms = []string{count + " · rows " + rows, count + " · " + rows, count}
		}
	}
	if i := strings.LastIndex(count, " "); i > 0 && strings.Contains(count, " of ") {
		notes[noteCount].forms = append(notes[noteCount].forms, count[:i])
	}
	if a, ok := c.(interface{ countAside(*shared) []string }); ok && !m.showHelp {
		if forms := a.countAside(&m.shared); len(forms) > 0 {
			notes[noteAside].forms = append(forms, "")
		}
	}
	if n := m.view.Feed.Rejected; n > 0 {
		notes[noteRejected] = footerNote{forms: []string{"rejected " + strconv.Itoa(n), ""}, style: &st.warn}
	}
	return notes
}

// fitNotes draws the notes in at most room cells: each in its longest form
// that lets the count fit, saying less in the order of noteSteps. It
// reports whether the rows on screen are said, when the count has them.
func (m *Model) fitNotes(notes [noteKinds]footerNote, room int) (string, bool) {
	var form [noteKinds]int
	draw := func() string {
		var parts []string
		for i, n := range notes {
			if form[i] >= len(n.forms) || n.forms[form[i]] == "" {
				continue
			}
			style := n.style
			if style == nil {
				style = &m.styles.dim
			}
			parts = append(parts, style.Render(n.forms[form[i]]))
		}
		return strings.Join(parts, "  ")
	}
	right := draw()
	steps := noteSteps
	if hasPosition(notes) {
		steps = positionSteps
	}
	for _, step := range steps {
		if lipgloss.Width(right) <= room {
			break
		}
		if form[step] < len(notes[step].forms)-1 {
			form[step]++
			right = draw()
		}
	}
	position := hasPosition(notes) && form[noteCount] < 2
	if lipgloss.Width(right) > room {
		return ansi.Truncate(right, max(room, 0), "…"), position
	}
	return right, position
}

// hasPosition reports whether notes' count says which rows are on screen
// (its first two forms).
func hasPosition(notes [noteKinds]footerNote) bool {
	count := notes[noteCount].forms
	return len(count) > 2 && count[0] != count[2]
}

// countOf says how many rows tab c shows, "40 agents", and of how many
// when it is narrowed, "3 of 40 agents": in all its tables.
func countOf(c component, sh *shared) string {
	tables := narrowedTables(c, sh)
	shown, of := 0, 0
	items := [2]string{}
	for i, t := range tables {
		shown += t.n
		of += t.of
		if i == 0 {
			items = t.items
		} else if t.items != items {
			items = [2]string{}
		}
	}
	if items[1] == "" {
		// a tab that does not name its rows: by its title, "Events"
		many := strings.ToLower(c.Title())
		items = [2]string{strings.TrimSuffix(many, "s"), many}
	}
	what := items[1]
	if of == 1 {
		what = items[0]
	}
	if shown == of {
		return strconv.Itoa(of) + " " + what
	}
	return strconv.Itoa(shown) + " of " + strconv.Itoa(of) + " " + what
}

// hiddenTitles are the titles of the columns of tab c that the width
// hides, each once, in the order of its tables.
func hiddenTitles(c component, sh *shared) []string {
	var titles []string
	for _, t := range c.tables(sh) {
		for i, w := range layout(t.cols, sh.width) {
			if title := sanitize(t.cols[i].title); w == 0 && !slices.Contains(titles, title) {
				titles = append(titles, title)
			}
		}
	}
	return titles
}

// isHidden says whether the width hides the column titled title in every
// table of tab c that has it.
func isHidden(c component, sh *shared, title string) bool {
	for _, t := range c.tables(sh) {
		if i := columnIndex(t.cols, title); i >= 0 && layout(t.cols, sh.width)[i] > 0 {
			return false
		}
	}
	return true
}

// tilesUnnamed is how many of the Overview's tiles its height leaves out
// with no line of its own to name them (overviewFit), when c is the
// Overview; 0 otherwise.
func tilesUnnamed(c component, sh *shared) int {
	if _, ok := c.(*overviewTab); !ok {
		return 0
	}
	if fit := overviewFit(sh); !fit.note {
		return tileCount - fit.tiles
	}
	return 0
}

// coverer is a tab that can cover its list with a view of its own (the
// Events tab's detail): while it does, the footer says nothing of the
// list and offers the covering view's keys.
type coverer interface{ covered() bool }
