package tui

import (
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// The mouse (the frame writer asks the terminal for its buttons and wheel,
// mouseOn): the wheel moves the cursor of the list under the pointer, or
// of the tab's list when the pointer is on none, as ↑ and ↓ do (in the
// help and in the Events tab's detail, what ↑ and ↓ do there); a click on
// a tab in the tab bar shows it, a click on a row puts the cursor on it,
// in the pane clicked. Only the left button's press and the wheel count: a
// release, another button, a click on nothing does nothing. On the wall a
// click goes back to the board and the wheel does nothing. While the
// filter is typed, the mouse keeps it, as enter does, then acts.

// wheelRows is how many rows a turn of the wheel moves the cursor.
const wheelRows = 3

// The screen's lines above the tab's body: the header, then the tab bar.
const (
	tabBarLine = 1
	bodyLine   = tabBarLine + 1
)

// updateMouse does what a press of the left button or a turn of the wheel
// means where the pointer is.
func (m Model) updateMouse(msg tea.MouseMsg) (tea.Model, tea.Cmd) {
	wheel := msg.Button == tea.MouseButtonWheelUp || msg.Button == tea.MouseButtonWheelDown
	click := msg.Button == tea.MouseButtonLeft && msg.Action == tea.MouseActionPress
	if !wheel && !click || m.width < minWidth || m.height < minHeight {
		return m, nil
	}
	if m.wall {
		if click {
			m.wall = false
			m.followWall()
			m.clampAll()
			m.noteSettings()
		}
		return m, nil
	}
	if m.editing {
		m.editing, m.filterFull = false, false
		m.input.Blur()
	}
	tab := m.tab
	m.narrowAgain = false
	if wheel {
		m.wheel(msg)
	} else {
		m.click(msg)
	}
	if m.tab != tab || m.narrowAgain { // as after keys (updateKeys)
		m.narrow()
	}
	m.clampAll()
	m.noteSettings()
	return m, nil
}

// wheel moves the cursor wheelRows rows, as ↑ or ↓ pressed as many times,
// in the pane under the pointer when it is over one that has rows.
func (m *Model) wheel(msg tea.MouseMsg) {
	k := tea.KeyMsg{Type: tea.KeyDown}
	if msg.Button == tea.MouseButtonWheelUp {
		k.Type = tea.KeyUp
	}
	if tv := m.current().base(); !m.showHelp && len(tv.panes) > 1 {
		if i, ok := m.paneAt(msg.Y); ok && len(tv.panes[i].order) > 0 {
			tv.focus = i
		}
	}
	for range wheelRows {
		m.handleKey(k)
	}
}

// click shows the tab clicked in the tab bar (the help closed), or puts
// the cursor on the row clicked.
func (m *Model) click(msg tea.MouseMsg) {
	switch {
	case msg.Y == tabBarLine:
		if t, ok := m.tabAt(msg.X); ok {
			m.tab, m.showHelp = t, false
		}
	case m.showHelp:
	default:
		if at, ok := m.rowAt(msg.X, msg.Y); ok {
			tv := m.current().base()
			tv.focus = at.pane
			tv.panes[at.pane].scroll.cursor = at.row
			tv.hold(m.current().tables(&m.shared), true)
		}
	}
}

// rowSpot is a row of a tab's tables: its pane and its place among the
// rows the pane shows.
type rowSpot struct{ pane, row int }

// rowAt is the row drawn at column x of screen line y, if any: in the
// pane drawn there, under its heading and column titles, from its
// scroll's offset.
func (m *Model) rowAt(x, y int) (rowSpot, bool) {
	if x < 0 || x >= m.width {
		return rowSpot{}, false
	}
	tops, ok := m.paneTops()
	if !ok {
		return rowSpot{}, false
	}
	tv := m.current().base()
	i, ok := paneOf(tv, tops, y)
	if !ok {
		return rowSpot{}, false
	}
	p := &tv.panes[i]
	line := y - tops[i] - tv.linesAboveRows(i)
	row := p.scroll.offset + line
	if line < 0 || line >= tv.paneRows(i) || row >= len(p.order) {
		return rowSpot{}, false
	}
	return rowSpot{pane: i, row: row}, true
}

// paneAt is the pane of the active tab drawn on screen line y, if any.
func (m *Model) paneAt(y int) (int, bool) {
	tops, ok := m.paneTops()
	if !ok {
		return 0, false
	}
	return paneOf(m.current().base(), tops, y)
}

// paneOf is the pane of tv drawn on screen line y, its panes drawn from
// the lines tops.
func paneOf(tv *tabView, tops []int, y int) (int, bool) {
	for i, top := range tops {
		if y >= top && y < top+tv.panes[i].height {
			return i, true
		}
	}
	return 0, false
}

// paneTops are the screen lines the panes of the active tab begin on: one
// under the other from the line its tables begin on; false when the tab
// does not draw its tables now.
func (m *Model) paneTops() ([]int, bool) {
	top, ok := m.tablesTop()
	if !ok {
		return nil, false
	}
	tv := m.current().base()
	tops := make([]int, len(tv.panes))
	for i, p := range tv.panes {
		tops[i] = top
		top += p.height
	}
	return tops, true
}

// tablesTop is the screen line the active tab's tables begin on, found in
// what the tab draws: the lines above them (the Overview's figures, the
// Events tab's account of the feed) are the tab's own and change with the
// view, and a tab may draw something else in their place (the Events
// tab's detail): then false, and a click there finds no row.
func (m *Model) tablesTop() (int, bool) {
	c := m.current()
	tv := c.base()
	if tv.height <= 0 {
		return 0, false
	}
	var body, tables strings.Builder
	c.View(&m.shared, &body, m.height-chromeLines)
	drawTables(c, &m.shared, &tables, tv.height)
	drawn := strings.TrimRight(tables.String(), "\n")
	at := strings.Index(body.String(), drawn)
	if drawn == "" || at < 0 {
		return 0, false
	}
	return bodyLine + strings.Count(body.String()[:at], "\n"), true
}

// linesAboveRows is how many lines of pane i come before its rows (its
// heading, its column titles), as paneRows counts them: what it leaves of
// a pane of any height.
func (c *tabView) linesAboveRows(i int) int {
	const tall = 1 << 20
	probe := *c
	probe.panes = slices.Clone(c.panes)
	probe.panes[i].height = tall
	return tall - probe.paneRows(i)
}
