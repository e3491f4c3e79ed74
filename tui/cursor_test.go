package tui

import (
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// The cursor stays on its row's subject (an agent, a queue, a call, a
// trunk, an interval) as the rows reorder, arrive and leave.

// liveMorning plays the simulator's morning (seed 3) on a board up to
// from, and returns the board and step, which lets time pass by d
// (applying what the feed sent meanwhile) and returns the view then.
func liveMorning(t *testing.T, from time.Time) (first viewMsg, step func(d time.Duration) viewMsg) {
	t.Helper()
	day := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	msgs := feedtest.SimDay(3, day, day.Add(2*time.Hour))
	tb := newTestBoard(t, state.Options{})
	next := 0
	apply := func(until time.Time) viewMsg {
		for ; next < len(msgs) && !feed.MessageTime(msgs[next]).After(until); next++ {
			tb.board.Handle(msgs[next], feed.MessageTime(msgs[next]))
		}
		tb.clock = until
		return tb.view()
	}
	return apply(from), func(d time.Duration) viewMsg { return apply(tb.clock.Add(d)) }
}

// cursorAgent is the agent on the Agents tab's cursor row.
func cursorAgent(m Model) state.AgentRow {
	p := &m.tabs[tabAgents].base().panes[0]
	return m.view.Agents[p.order[p.scroll.cursor]]
}

// TestCursorStaysOnItsAgent: sorted by In state (the longest first), time
// passing and agents changing state, the cursor stays on the agent it was
// put on, wherever its row goes; put on the top row with g, it stays on
// the top row, the longest in state.
func TestCursorStaysOnItsAgent(t *testing.T) {
	first, step := liveMorning(t, time.Date(2026, 12, 7, 9, 40, 0, 0, time.UTC))
	m, _ := update(t, New(Config{}), sizeMsg(80, 24), first)
	m = keys(t, m, "2", "s", "s", "s")
	if title := sortTitle(m.current(), &m.shared); title != "In state" {
		t.Fatalf("sorted on %q, want In state", title)
	}
	m = keys(t, m, "g", "j", "j", "j", "j", "j", "j")
	on := cursorAgent(m)
	rows := map[int]bool{}
	for range 60 {
		m, _ = update(t, m, step(2*time.Second))
		if got := cursorAgent(m); got.ID != on.ID {
			t.Fatalf("the cursor is on %s (%s), want %s (%s)", got.Name, got.ID, on.Name, on.ID)
		}
		rows[m.current().base().panes[0].scroll.cursor] = true
	}
	if len(rows) < 2 {
		t.Errorf("the agent's row stayed %v: not a test", rows)
	}
	m = keys(t, m, "g")
	agents := map[string]bool{}
	for range 60 {
		m, _ = update(t, m, step(2*time.Second))
		if row := m.current().base().panes[0].scroll.cursor; row != 0 {
			t.Fatalf("put on the top row, the cursor went to row %d", row)
		}
		agents[cursorAgent(m).ID] = true
	}
	if len(agents) < 2 {
		t.Errorf("the top row was always %v: not a test", agents)
	}
}

// TestCursorGoesToTheNearestRow: when the cursor's agent leaves the rows
// (no longer in the view, or filtered out), the cursor is on the row that
// took its place; the mouse's click and wheel put it on an agent it then
// stays on.
func TestCursorGoesToTheNearestRow(t *testing.T) {
	agents := func(ids ...string) viewMsg {
		v := &state.View{}
		for _, id := range ids {
			v.Agents = append(v.Agents, state.AgentRow{ID: id, Name: "Agent " + id, State: state.Available})
		}
		return viewMsg{v}
	}
	m, _ := update(t, New(Config{}), sizeMsg(80, 24), agents("a", "b", "c", "d", "e"))
	m = keys(t, m, "2", "j", "j") // on c
	m, _ = update(t, m, agents("a", "x", "b", "c", "d", "e"))
	if got := cursorAgent(m).ID; got != "c" {
		t.Fatalf("a row came above: the cursor is on %s, want c", got)
	}
	m, _ = update(t, m, agents("a", "x", "b", "d", "e"))
	if got := cursorAgent(m).ID; got != "d" {
		t.Errorf("c left: the cursor is on %s, want d (the row at its place)", got)
	}
	m, _ = update(t, m, agents("d", "a", "x", "b", "e"))
	if got := cursorAgent(m).ID; got != "d" {
		t.Errorf("the cursor is on %s, want d, which it went to", got)
	}
	// the first row on screen is line 3 (header, tab bar, titles)
	m, _ = update(t, m, tea.MouseMsg{X: 4, Y: 3 + 4, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if got := cursorAgent(m).ID; got != "e" {
		t.Fatalf("a click on the fifth row put the cursor on %s, want e", got)
	}
	m, _ = update(t, m, agents("e", "d", "a", "x", "b"))
	if got := cursorAgent(m).ID; got != "e" {
		t.Errorf("after a click: the cursor is on %s, want e", got)
	}
	m, _ = update(t, m, tea.MouseMsg{X: 4, Y: 5, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	on := cursorAgent(m).ID
	m, _ = update(t, m, agents("x", "b", "e", "d", "a"))
	if got := cursorAgent(m).ID; got != on {
		t.Errorf("after the wheel: the cursor is on %s, want %s", got, on)
	}
}

// TestCursorStaysOnItsSubjectOnEveryTab: on every tab with a list, sorted
// on a column that changes, time passing, the cursor stays on its row's
// subject whenever it is still shown; in each pane of Calls.
func TestCursorStaysOnItsSubjectOnEveryTab(t *testing.T) {
	for _, c := range []struct {
		tab   tab
		sorts int // presses of s
		pane  int
	}{
		{tabOverview, 2, 0}, // Waiting
		{tabQueues, 3, 0},   // Longest wait
		{tabCalls, 4, 0},    // Waited
		{tabCalls, 4, 1},
		{tabTrunks, 3, 0}, // Connected
		{tabDay, 2, 0},    // Answered
	} {
		t.Run(fmt.Sprintf("%s pane %d", c.tab, c.pane), func(t *testing.T) {
			first, step := liveMorning(t, time.Date(2026, 12, 7, 9, 50, 0, 0, time.UTC))
			m, _ := update(t, New(Config{}), sizeMsg(120, 40), first)
			m = keys(t, m, string(rune('1'+c.tab)))
			for range c.sorts {
				m = keys(t, m, "s")
			}
			tv := m.current().base()
			switch {
			case c.pane == 1:
				m = keys(t, m, "G")
			case len(tv.panes[0].order) > 1:
				m = keys(t, m, "g", "j")
			default:
				m = keys(t, m, "g")
			}
			if tv.focus != c.pane {
				t.Fatalf("the cursor is in pane %d", tv.focus)
			}
			subject := func(m Model) string {
				p := &tv.panes[c.pane]
				return m.current().tables(&m.shared)[c.pane].key(p.order[p.scroll.cursor])
			}
			on := subject(m)
			row := tv.panes[c.pane].scroll.cursor
			moved, kept := false, 0
			for range 120 {
				m, _ = update(t, m, step(time.Second))
				p := &tv.panes[c.pane]
				key := m.current().tables(&m.shared)[c.pane].key
				shown := -1
				for j, r := range p.order {
					if key(r) == on {
						shown = j
					}
				}
				if shown < 0 {
					if len(p.order) > 0 {
						on = subject(m) // gone: on the nearest, and stays there
					}
					continue
				}
				if p.scroll.cursor != shown {
					t.Fatalf("the cursor is on row %d (%s), its subject %s on row %d", p.scroll.cursor, subject(m), on, shown)
				}
				kept++
				moved = moved || shown != row
			}
			if kept == 0 {
				t.Errorf("the subject was never shown: not a test")
			}
			t.Logf("sorted on %q; kept %d times; moved %v", sortTitle(m.current(), &m.shared), kept, moved)
		})
	}
}

// TestCursorStaysOnItsInterval: on the Day tab (newest first) a new
// interval comes above the cursor's, which it stays on; e (one row per
// queue, then the totals again) keeps it on a row of that interval.
func TestCursorStaysOnItsInterval(t *testing.T) {
	first, step := liveMorning(t, time.Date(2026, 12, 7, 9, 50, 0, 0, time.UTC))
	m, _ := update(t, New(Config{}), sizeMsg(120, 40), first)
	m = keys(t, m, "7", "g", "j")
	interval := func(m Model) string {
		p := &m.current().base().panes[0]
		return intervalText(m.dayTab().rows[p.order[p.scroll.cursor]].in, m.view.AsOf)
	}
	if got := interval(m); got != "09:00–09:30" {
		t.Fatalf("the cursor is on %s, want 09:00–09:30", got)
	}
	m, _ = update(t, m, step(15*time.Minute))
	if got, row := interval(m), m.current().base().panes[0].scroll.cursor; got != "09:00–09:30" || row != 2 {
		t.Errorf("a new interval came: the cursor is on %s (row %d), want 09:00–09:30 on row 2", got, row)
	}
	m = keys(t, m, "e")
	if got := interval(m); got != "09:00–09:30" {
		t.Errorf("one row per queue: the cursor is on %s, want a row of 09:00–09:30", got)
	}
	m = keys(t, m, "j", "e")
	if got := interval(m); got != "09:00–09:30" {
		t.Errorf("the totals again: the cursor is on %s, want 09:00–09:30", got)
	}
}
