package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"callboard/state"
)

// The mouse, model by model: tea.MouseMsg as Bubble Tea makes them of the
// terminal's reports (X, Y from 0), and the screen the board draws after.

func clickAt(x, y int) tea.MouseMsg {
	return tea.MouseMsg{X: x, Y: y, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress}
}

func release(x, y int) tea.MouseMsg {
	return tea.MouseMsg{X: x, Y: y, Button: tea.MouseButtonNone, Action: tea.MouseActionRelease}
}

func wheelDown(x, y int) tea.MouseMsg {
	return tea.MouseMsg{X: x, Y: y, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress}
}

func wheelUp(x, y int) tea.MouseMsg {
	return tea.MouseMsg{X: x, Y: y, Button: tea.MouseButtonWheelUp, Action: tea.MouseActionPress}
}

// screenLines is m's screen as a terminal shows it, line by line.
func screenLines(m Model) []string { return strings.Split(ansi.Strip(m.View()), "\n") }

// cursorLine is the screen line of the cursor's row (marked "› "), -1 for
// none.
func cursorLine(m Model) int {
	for y, l := range screenLines(m) {
		if strings.HasPrefix(l, mark) {
			return y
		}
	}
	return -1
}

// tabLabel is how the tab bar names tab t when it is not the active one,
// at width.
func tabLabel(t tab, width int) string {
	if width < 55 {
		return shortTitle(t.String())
	}
	return t.String()
}

// TestClickOnATabShowsIt clicks each tab's name where the tab bar shows
// it, at 80x24 and 40x12: that tab is shown.
func TestClickOnATabShowsIt(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {40, 12}} {
		m, _ := scripted(t, state.Options{}, size[0], size[1])
		for _, target := range []tab{tabDay, tabAgents, tabEvents, tabOverview, tabTrunks, tabQueues, tabCalls, tabAlerts} {
			t.Run(fmt.Sprintf("%dx%d/%s", size[0], size[1], target), func(t *testing.T) {
				from := keyRunes("1")
				if target == tabOverview {
					from = keyRunes("7")
				}
				m, _ = update(t, m, from)
				bar := screenLines(m)[tabBarLine]
				label := tabLabel(target, size[0])
				x := strings.Index(bar, label)
				if x < 0 {
					t.Fatalf("the tab bar %q does not name %s as %q", bar, target, label)
				}
				for _, at := range []int{x, x + len(label) - 1} { // its first and last letter
					m, _ = update(t, m, from, clickAt(at, tabBarLine), release(at, tabBarLine))
					if m.tab != target {
						t.Errorf("a click on column %d of %q shows %s, want %s", at, bar, m.tab, target)
					}
					if bar := screenLines(m)[tabBarLine]; !strings.Contains(bar, "["+target.String()+"]") {
						t.Errorf("after the click the tab bar is %q, want [%s]", bar, target)
					}
				}
			})
		}
	}
}

// TestTabBarNamesEveryTab: at 40 columns every tab is named in the tab
// bar, the active one whole, whichever it is; at 80 every title is whole.
func TestTabBarNamesEveryTab(t *testing.T) {
	for _, width := range []int{40, 45, 50, 60, 80} {
		m, _ := scripted(t, state.Options{}, width, 12)
		for active := range tabCount {
			m, _ = update(t, m, keyRunes(fmt.Sprint(int(active)+1)))
			bar := screenLines(m)[tabBarLine]
			if strings.Contains(bar, "…") {
				t.Errorf("%d columns, %s: the tab bar %q cuts a tab", width, active, bar)
			}
			for other := range tabCount {
				name := tabLabel(other, width)
				if other == active {
					name = "[" + other.String() + "]"
				}
				if !strings.Contains(bar, name) {
					t.Errorf("%d columns, %s: the tab bar %q does not name %s (%q)", width, active, bar, other, name)
				}
			}
		}
	}
}

// TestClickOnARowPutsTheCursorOnIt clicks, on every tab, the row under the
// cursor's: the cursor goes there; a click on the column titles above, on
// the header or on the footer moves nothing.
func TestClickOnARowPutsTheCursorOnIt(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {40, 12}, {160, 45}} {
		m, _ := scripted(t, state.Options{}, size[0], size[1])
		for k := range tabCount {
			t.Run(fmt.Sprintf("%dx%d/%s", size[0], size[1], k), func(t *testing.T) {
				m, _ = update(t, m, keyRunes(fmt.Sprint(int(k)+1)))
				y := cursorLine(m)
				if y < 0 {
					t.Skipf("no row on screen:\n%s", m.View())
				}
				before := m.View()
				for _, nowhere := range []tea.MouseMsg{clickAt(3, y-1), clickAt(0, 0), clickAt(20, 0), clickAt(3, size[1]-1), clickAt(size[0]-1, tabBarLine), clickAt(-1, y+1), clickAt(size[0], y+1), clickAt(3, size[1]+5)} {
					m, _ = update(t, m, nowhere, release(nowhere.X, nowhere.Y))
					if m.View() != before || m.tab != k {
						t.Fatalf("a click at %d,%d changed the screen:\n%s\nwas\n%s", nowhere.X, nowhere.Y, m.View(), before)
					}
				}
				rows := m.current().base().panes[m.current().base().focus].order
				if len(rows) < 2 || y+1 >= size[1]-1 {
					return
				}
				m, _ = update(t, m, clickAt(5, y+1), release(5, y+1))
				if got := cursorLine(m); got != y+1 {
					t.Errorf("after a click on line %d the cursor is on line %d:\n%s", y+1, got, m.View())
				}
				m, _ = update(t, m, clickAt(size[0]-1, y), release(size[0]-1, y))
				if got := cursorLine(m); got != y {
					t.Errorf("after a click on line %d the cursor is on line %d:\n%s", y, got, m.View())
				}
			})
		}
	}
}

// TestClickOnAnAgent puts the cursor on the agent clicked, by its name.
func TestClickOnAnAgent(t *testing.T) {
	m, _ := scripted(t, state.Options{}, 80, 24)
	m, _ = update(t, m, keyRunes("2"))
	for _, name := range []string{"Chloé Petit", "Alice Martin", "David Roux"} {
		y := -1
		for i, l := range screenLines(m) {
			if strings.Contains(l, name) {
				y = i
			}
		}
		if y < 0 {
			t.Fatalf("%s is not on the screen:\n%s", name, m.View())
		}
		m, _ = update(t, m, clickAt(10, y))
		if l := screenLines(m)[y]; !strings.HasPrefix(l, mark+name) {
			t.Errorf("after a click on %s the line is %q, want the cursor on it", name, l)
		}
	}
}

// TestClickInTheCallsTabsSecondPane: a click on a lost call puts the
// cursor in the second table, on that call; the wheel there moves in it.
func TestClickInTheCallsTabsSecondPane(t *testing.T) {
	m := manyCalls(t, 6, 12, 80, 24)
	c := m.callsTab()
	if c.focus != 0 {
		t.Fatalf("the cursor starts in pane %d", c.focus)
	}
	lost := tableRows(m, 1)
	y := -1
	for i, l := range screenLines(m) {
		if strings.Contains(l, strings.Fields(lost[1])[1]) { // its caller
			y = i
		}
	}
	if y < 0 {
		t.Fatalf("the second lost call (%s) is not on the screen:\n%s", lost[1], m.View())
	}
	m, _ = update(t, m, clickAt(30, y), release(30, y))
	if c.focus != 1 || c.panes[1].scroll.cursor != 1 || cursorLine(m) != y {
		t.Errorf("after a click on the second lost call: pane %d, row %d, cursor on line %d (want line %d)\n%s", c.focus, c.panes[1].scroll.cursor, cursorLine(m), y, m.View())
	}
	// The wheel over the first table moves there; over the second, there.
	waiting := -1
	for i, l := range screenLines(m) {
		if strings.Contains(l, strings.Fields(tableRows(m, 0)[0])[0]) {
			waiting = i
		}
	}
	m, _ = update(t, m, wheelDown(5, waiting))
	if c.focus != 0 || c.panes[0].scroll.cursor != 3 {
		t.Errorf("the wheel over the calls waiting: pane %d, row %d, want pane 0, row 3", c.focus, c.panes[0].scroll.cursor)
	}
	m, _ = update(t, m, wheelDown(5, y))
	if c.focus != 1 || c.panes[1].scroll.cursor != 4 {
		t.Errorf("the wheel over the lost calls: pane %d, row %d, want pane 1, row 4", c.focus, c.panes[1].scroll.cursor)
	}
	m, _ = update(t, m, wheelUp(5, 0)) // over the header: the tab's list
	if c.focus != 1 || c.panes[1].scroll.cursor != 1 {
		t.Errorf("the wheel up over the header: pane %d, row %d, want pane 1, row 1", c.focus, c.panes[1].scroll.cursor)
	}
}

// TestWheelScrolls turns the wheel down and up over a long list: the
// cursor moves wheelRows rows a turn and the rows on screen follow it.
func TestWheelScrolls(t *testing.T) {
	m := boardModel(bigBoard(t, 100))
	m, _ = update(t, m, sizeMsg(80, 24), keyRunes("2"))
	tv := m.current().base()
	for range 10 {
		m, _ = update(t, m, wheelDown(10, 10))
	}
	if got := tv.panes[0].scroll.cursor; got != 10*wheelRows {
		t.Errorf("after 10 turns down the cursor is on row %d, want %d", got, 10*wheelRows)
	}
	if y := cursorLine(m); y < bodyLine || y >= 23 {
		t.Errorf("the cursor's row is not on screen:\n%s", m.View())
	}
	name := m.view.Agents[tv.panes[0].order[10*wheelRows]].Name
	if y := cursorLine(m); y < 0 || !strings.HasPrefix(screenLines(m)[y], mark+name+" ") {
		t.Errorf("the cursor's row is not %s's:\n%s", name, m.View())
	}
	for range 4 {
		m, _ = update(t, m, wheelUp(10, 23)) // over the footer: the tab's list
	}
	if got := tv.panes[0].scroll.cursor; got != 10*wheelRows-4*wheelRows {
		t.Errorf("after 4 turns up the cursor is on row %d, want %d", got, 6*wheelRows)
	}
	for range 50 {
		m, _ = update(t, m, wheelUp(10, 10))
	}
	if got := tv.panes[0].scroll; got.cursor != 0 || got.offset != 0 {
		t.Errorf("after the wheel up past the top: %+v, want the top", got)
	}
}

// TestMouseOnTheWallAndInTheHelp: on the wall a click shows the board and
// the wheel does nothing; in the help a click on a tab shows it (the help
// closed), a click elsewhere does nothing; F1 opens and closes the help.
func TestMouseOnTheWallAndInTheHelp(t *testing.T) {
	m, _ := scripted(t, state.Options{}, 80, 24)
	m, _ = update(t, m, keyRunes("2"), keyRunes("w"))
	wall := m.View()
	m, _ = update(t, m, wheelDown(10, 10), wheelUp(10, 10), release(10, 10))
	if !m.wall || m.View() != wall {
		t.Errorf("the wheel on the wall changed it:\n%s", m.View())
	}
	m, _ = update(t, m, clickAt(10, 10))
	if m.wall || m.tab != tabAgents {
		t.Errorf("a click on the wall: wall %v, tab %s; want the Agents tab of the board", m.wall, m.tab)
	}

	m, _ = update(t, m, tea.KeyMsg{Type: tea.KeyF1})
	if !m.showHelp || !strings.Contains(m.View(), "?/F1") {
		t.Fatalf("F1 does not open the help, or it does not say F1:\n%s", m.View())
	}
	help := m.View()
	m, _ = update(t, m, clickAt(10, 10), clickAt(10, 0), clickAt(10, 23), release(10, 10))
	if !m.showHelp || m.View() != help {
		t.Errorf("a click in the help changed it:\n%s", m.View())
	}
	m, _ = update(t, m, tea.KeyMsg{Type: tea.KeyF1})
	if m.showHelp {
		t.Errorf("F1 does not close the help")
	}
	m, _ = update(t, m, keyRunes("?"))
	x := strings.Index(screenLines(m)[tabBarLine], "Trunks")
	m, _ = update(t, m, clickAt(x, tabBarLine))
	if m.showHelp || m.tab != tabTrunks {
		t.Errorf("a click on Trunks in the help: help %v, tab %s", m.showHelp, m.tab)
	}
}

// TestMouseWhileTypingTheFilter: the mouse keeps the filter being typed,
// as enter does, then acts.
func TestMouseWhileTypingTheFilter(t *testing.T) {
	m, _ := scripted(t, state.Options{}, 80, 24)
	m, _ = update(t, m, keyRunes("2"), keyRunes("/"), keyRunes("Bo"))
	x := strings.Index(screenLines(m)[tabBarLine], "Queues")
	m, _ = update(t, m, clickAt(x, tabBarLine), keyRunes("2"))
	if m.editing || m.tab != tabAgents || m.agentsTab().narrowing.query != "Bo" {
		t.Errorf("after a click while typing: editing %v, tab %s, filter %q; want the filter Bo kept", m.editing, m.tab, m.agentsTab().narrowing.query)
	}
}

// TestMouseInAWindowTooSmall does nothing.
func TestMouseInAWindowTooSmall(t *testing.T) {
	m, _ := scripted(t, state.Options{}, 30, 5)
	before := m.View()
	m, _ = update(t, m, clickAt(3, 1), clickAt(3, 3), wheelDown(3, 3))
	if m.View() != before || m.tab != tabOverview {
		t.Errorf("the mouse in a window too small changed it:\n%s", m.View())
	}
}
