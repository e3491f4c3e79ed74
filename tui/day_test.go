package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// callAt is a queue event on queue q (10 Support, 11 Sales) at start plus
// at seconds.
func callAt(at int, name, q, call string) feed.Message {
	return feedtest.Event(start.Add(time.Duration(at)*time.Second), fmt.Sprintf(
		`{"event":{"type_notification":"queue","event":%q,"msg":{"id_queue":%s,"id_call":%q,"caller_id_num":"0611111111"}}}`, name, q, call))
}

// agentAt is an agent's UI event (login, pause with supp) at start plus at
// seconds.
func agentAt(at int, name string, agent int, supp string) feed.Message {
	return feedtest.Event(start.Add(time.Duration(at)*time.Second), fmt.Sprintf(
		`{"event":{"type_notification":"UI","event":%q,"msg":{"id_operator":%d,"supp":%q}}}`, name, agent, supp))
}

// dayScript is an afternoon from 15:17:01 (the board's start-up) to 17:05:21
// in intervals of 30 minutes: 15:00 (from 15:17) one call answered within
// the threshold, one abandoned, one short abandoned; 15:30 two answered, one
// of them late; 16:00 nothing; 16:30 one abandoned after 1:40; 17:00 (now)
// one call waiting. Three agents log in at start-up; one pauses at 15:47
// and logs out at 16:37.
func dayScript(t testing.TB) []feed.Message {
	return []feed.Message{
		&feed.StatusMsg{State: feed.Live, Protocol: "v4", At: start},
		directory(),
		agentAt(0, "login", 1, ""),
		agentAt(0, "login", 2, ""),
		agentAt(0, "login", 3, ""),
		callAt(60, "insert_call", "10", "c1"),
		callAt(70, "connect_call", "10", "c1"),
		callAt(120, "insert_call", "11", "c2"),
		callAt(130, "delete_call", "11", "c2"),
		callAt(200, "delete_call", "10", "c1"),
		callAt(300, "insert_call", "10", "c3"),
		callAt(302, "delete_call", "10", "c3"),
		callAt(900, "insert_call", "10", "c4"),
		callAt(940, "connect_call", "10", "c4"),
		callAt(1000, "insert_call", "11", "c5"),
		callAt(1005, "connect_call", "11", "c5"),
		agentAt(1800, "pause", 3, "2"),
		agentAt(4800, "logout", 3, ""),
		callAt(5000, "insert_call", "10", "c6"),
		callAt(5100, "delete_call", "10", "c6"),
		callAt(6400, "insert_call", "11", "c7"),
	}
}

// dayEnd is the clock of dayScript's views: 17:05:21.
const dayEnd = 6500 * time.Second

// dayBoard shows dayScript on the Day tab at width × height.
func dayBoard(t testing.TB, width, height int) (Model, *testBoard) {
	tb := newTestBoard(t, state.Options{Interval: 30 * time.Minute})
	m, _ := update(t, New(Config{Title: "callboard — demo"}), sizeMsg(width, height))
	m = tb.send(m, dayScript(t)...)
	tb.clock = start.Add(dayEnd)
	m = tb.send(m)
	m, _ = update(t, m, keyRunes("7"))
	return m, tb
}

// dayCells are the Day tab's rows as shown.
func dayCells(m Model) []string { return tableRows(m, 0) }

// sameRows fails t unless got is want, row for row.
func sameRows(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestDayTabGoldens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {40, 12}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m, _ := dayBoard(t, size[0], size[1])
			view := m.View()
			checkSize(t, view, size[0], size[1])
			teatest.RequireEqualOutput(t, []byte(view))
			for _, want := range []string{"[Day]", "Interval", "Answered", "17:00–17:30…", "16:30–17:00 ", "15:00–15:30 "} {
				if !strings.Contains(view, want) {
					t.Errorf("the Day tab does not show %q:\n%s", want, view)
				}
			}
		})
	}
}

func TestDayTabShowsTheIntervals(t *testing.T) {
	m, tb := dayBoard(t, 160, 30)
	want := []string{ // newest first: interval, answered, abandoned, offered, short, SL, ASA, reachable, in SL, longest, logged in, paused
		"17:00–17:30… 0 0 1 0 — — 2.0 0 — 2.0 0.0",
		// agent 3 paused 16:30–16:37:01, then logged out
		"16:30–17:00 0 1 1 0 0 % — 2.0 0 0:01:40 2.2 0.2",
		"16:00–16:30 0 0 0 0 — — 2.0 0 — 3.0 1.0",
		// waits of 40 s and 5 s; agent 3 reachable 15:30–15:47:01, then paused
		"15:30–16:00 2 0 2 0 50 % 0:00:22 2.6 1 0:00:40 3.0 0.4",
		// from 15:17:01, the start-up; one of the two abandons is short
		"15:00–15:30 1 2 3 1 50 % 0:00:10 3.0 1 0:00:10 3.0 0.0",
	}
	sameRows(t, "the day by interval", dayCells(m), want)
	// The current interval stays in progress until its end; the next view
	// after it has a new one.
	tb.clock = start.Add(dayEnd + 24*time.Minute + 38*time.Second) // 17:29:59
	m = tb.send(m)
	if got := dayCells(m); len(got) != 5 || !strings.HasPrefix(got[0], "17:00–17:30… ") {
		t.Errorf("at 17:29:59 the newest row is %q, want 17:00 in progress", got[0])
	}
	tb.clock = tb.clock.Add(time.Second)
	m = tb.send(m)
	if got := dayCells(m); len(got) != 6 || !strings.HasPrefix(got[0], "17:30–18:00… ") || !strings.HasPrefix(got[1], "17:00–17:30 ") {
		t.Errorf("at 17:30 the newest rows are %q, want 17:30 in progress and 17:00 over", got[:2])
	}
	// The intervals are in the day's timezone.
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	tb = newTestBoard(t, state.Options{Interval: 30 * time.Minute, Location: paris})
	m, _ = update(t, New(Config{}), sizeMsg(120, 30), keyRunes("7"))
	m = tb.send(m, dayScript(t)[:6]...)
	if got := dayCells(m); len(got) != 1 || !strings.HasPrefix(got[0], "16:00–16:30… ") {
		t.Errorf("in Paris: %q", got)
	}
}

func TestDayTabPerQueue(t *testing.T) {
	m, _ := dayBoard(t, 120, 30)
	m = keys(t, m, "e")
	want := []string{ // newest first, then by queue name; no agents: they are not per queue
		"17:00–17:30… Sales 0 0 1 0 — — 0 —",
		"16:30–17:00 Support 0 1 1 0 0 % — 0 0:01:40",
		"15:30–16:00 Sales 1 0 1 0 100 % 0:00:05 1 0:00:05",
		"15:30–16:00 Support 1 0 1 0 0 % 0:00:40 0 0:00:40",
		"15:00–15:30 Sales 0 1 1 0 0 % — 0 0:00:10",
		"15:00–15:30 Support 1 1 2 1 100 % 0:00:10 1 0:00:10",
	}
	sameRows(t, "per queue", dayCells(m), want)
	v := m.View()
	if !strings.Contains(v, "Queue") || strings.Contains(v, "Reachable") {
		t.Errorf("per queue: a Queue column and no agents, want:\n%s", v)
	}
	// A sort stays on its column when both have it; e again is the totals.
	m = keys(t, m, "s", "s", "s") // Answered
	if title := sortTitle(m.tabs[tabDay], &m.shared); title != "Answered" {
		t.Fatalf("sorted on %q", title)
	}
	m = keys(t, m, "e")
	if title := sortTitle(m.tabs[tabDay], &m.shared); title != "Answered" {
		t.Errorf("after e the sort is on %q, want Answered", title)
	}
	if got := dayCells(m); len(got) != 5 || !strings.HasPrefix(got[0], "15:30–16:00 2 ") {
		t.Errorf("the totals by answered, the most first: %q", got)
	}
	m = keys(t, m, "e")
	for i := 0; sortTitle(m.tabs[tabDay], &m.shared) != "Queue"; i++ {
		if i > 10 {
			t.Fatal("the sort key never reaches Queue")
		}
		m = keys(t, m, "s")
	}
	m = keys(t, m, "e") // the totals have no Queue
	if c := m.tabs[tabDay].base().narrowing.sortCol; c != -1 {
		t.Errorf("sorted on Queue, then the totals: column %d, want the board's order", c)
	}
	// e is the Day tab's: elsewhere it does nothing, and only the Day
	// tab's help lists it.
	m = keys(t, m, "3", "e", "7")
	if m.dayTab().perQueue {
		t.Error("e on the Queues tab switched the Day tab")
	}
	m, _ = update(t, m, sizeMsg(160, 45))
	if v := keys(t, m, "?").View(); !strings.Contains(v, "each queue") || !strings.Contains(v, "mean number of agents") {
		t.Errorf("the Day tab's help does not list e, or the agents' means:\n%s", v)
	}
	if v := keys(t, m, "3", "?").View(); strings.Contains(v, "each queue") {
		t.Errorf("the Queues tab's help lists e:\n%s", v)
	}
	// esc clears the filters, not the layout.
	m = keys(t, m, "e", "/", "s", "a", "l", "enter", "esc")
	if !m.dayTab().perQueue || len(dayCells(m)) != 6 {
		t.Errorf("esc: per queue %v, %d rows", m.dayTab().perQueue, len(dayCells(m)))
	}
}

func TestDayTabFilterAndSort(t *testing.T) {
	m, _ := dayBoard(t, 120, 30)
	m = keys(t, m, "/", "1", "5", ":", "enter")
	if got := dayCells(m); len(got) != 2 || !strings.HasPrefix(got[0], "15:30") || !strings.HasPrefix(got[1], "15:00") {
		t.Errorf("filter 15: %q", got)
	}
	m = keys(t, m, "esc", "e", "/", "s", "a", "l", "e", "s", "enter")
	if got := dayCells(m); len(got) != 3 {
		t.Errorf("per queue, filter Sales: %q", got)
	}
	m = keys(t, m, "esc", "e")
	m = keys(t, m, "s") // Interval: the newest first
	if got := dayCells(m); !strings.HasPrefix(got[0], "17:00") || !strings.HasPrefix(got[4], "15:00") {
		t.Errorf("by interval: %q", got)
	}
	if v := m.View(); !strings.Contains(v, "Interval ↓") {
		t.Errorf("no arrow on Interval:\n%s", v)
	}
	m = keys(t, m, "S") // the oldest first
	if got := dayCells(m); !strings.HasPrefix(got[0], "15:00") || !strings.HasPrefix(got[4], "17:00") {
		t.Errorf("by interval, reversed: %q", got)
	}
	if v := m.View(); !strings.Contains(v, "Interval ↑") {
		t.Errorf("no arrow on Interval:\n%s", v)
	}
	m = keys(t, m, "s", "s") // Abandoned, most first; ties keep the board's order
	if got := dayCells(m); !strings.HasPrefix(got[0], "15:00") || !strings.HasPrefix(got[1], "16:30") {
		t.Errorf("by abandoned, most first: %q", got)
	}
	m = keys(t, m, "s", "s", "s", "s", "s") // Reachable, the fewest first
	if title := sortTitle(m.tabs[tabDay], &m.shared); title != "Reachable" {
		t.Fatalf("sorted on %q", title)
	}
	if got := dayCells(m); !strings.HasPrefix(got[0], "17:00") || !strings.HasPrefix(got[4], "15:00") {
		t.Errorf("by reachable, the fewest first: %q", got)
	}
	// The cursor goes through the rows and the view follows it.
	m = keys(t, m, "esc", "S")
	for range len(sortTitles(m.tabs[tabDay], &m.shared)) - 7 {
		m = keys(t, m, "s")
	}
	if c := m.tabs[tabDay].base().narrowing.sortCol; c != -1 {
		t.Errorf("after the last column the board's order comes back, got column %d", c)
	}
	m = keys(t, m, "j", "j")
	if v := m.View(); !strings.Contains(v, "› 16:00–16:30") {
		t.Errorf("the cursor is not on the third row:\n%s", v)
	}
}

func TestDayTabScrolls(t *testing.T) {
	tb := newTestBoard(t, state.Options{Interval: 15 * time.Minute})
	m, _ := update(t, New(Config{}), sizeMsg(80, 12), keyRunes("7"))
	m = tb.send(m, &feed.StatusMsg{State: feed.Live, At: start}, directory(), agentAt(0, "login", 1, ""))
	tb.clock = start.Add(10 * time.Hour) // 15:17 to 01:17: the new day, from midnight
	m = tb.send(m)
	n := len(dayCells(m))
	if n != 6 {
		t.Fatalf("%d intervals after midnight, want 6: %q", n, dayCells(m))
	}
	tb = newTestBoard(t, state.Options{Interval: 15 * time.Minute})
	m, _ = update(t, New(Config{}), sizeMsg(120, 12), keyRunes("7"))
	m = tb.send(m, &feed.StatusMsg{State: feed.Live, At: start}, directory(), agentAt(0, "login", 1, ""))
	tb.clock = start.Add(8 * time.Hour) // 23:17: 15:15 to 23:15, 33 intervals
	m = tb.send(m)
	if v := m.View(); !strings.Contains(v, "33 intervals · rows 1–8") || !strings.Contains(v, "› 23:15–23:30…") {
		t.Errorf("the newest first, the rows on screen said:\n%s", v)
	}
	m = keys(t, m, "G")
	if v := m.View(); !strings.Contains(v, "33 intervals · rows 26–33") || !strings.Contains(v, "› 15:15–15:30 ") {
		t.Errorf("end: the oldest interval:\n%s", v)
	}
}

func TestDayTabBeforeAnyData(t *testing.T) {
	m, _ := update(t, New(Config{}), sizeMsg(80, 24), keyRunes("7"))
	if v := m.View(); !strings.Contains(v, "no data yet") {
		t.Errorf("an empty board's Day tab:\n%s", v)
	}
	m = keys(t, m, "e")
	if v := m.View(); !strings.Contains(v, "no data yet") || !strings.Contains(v, "Queue") {
		t.Errorf("an empty board's Day tab per queue:\n%s", v)
	}
	// Data, but no call yet: the totals have rows, the queues none.
	tb := newTestBoard(t, state.Options{})
	tb.clock = start.Add(time.Minute)
	m = tb.send(m, dayScript(t)[:5]...)
	if v := m.View(); !strings.Contains(v, "no calls in any interval yet") {
		t.Errorf("per queue without calls:\n%s", v)
	}
	m = keys(t, m, "e")
	if got := dayCells(m); len(got) != 1 || got[0] != "15:00–15:30… 0 0 0 0 — — 3.0 0 — 3.0 0.0" {
		t.Errorf("the totals without calls: %q", got)
	}
}

func TestDayKeysInABurst(t *testing.T) {
	board := func() Model {
		m, _ := dayBoard(t, 100, 30)
		m, _ = update(t, m, keyRunes("1"))
		return m
	}
	m := typeInBursts(t, board(), 100, 30, "7e")
	if m.tab != tabDay || !m.dayTab().perQueue {
		t.Fatalf("after 7e: tab %s, per queue %v", m.tab, m.dayTab().perQueue)
	}
	if got := dayCells(m); len(got) != 6 || !strings.Contains(got[0], "Sales") {
		t.Errorf("after 7e the rows are %q", got)
	}
	m = typeInBursts(t, board(), 100, 30, "7e/sup\rj")
	if got := dayCells(m); m.editing || len(got) != 3 || m.tabs[tabDay].base().panes[0].scroll.cursor != 1 {
		t.Errorf("after 7e/sup⏎j: editing %v, rows %q, cursor %d", m.editing, got, m.tabs[tabDay].base().panes[0].scroll.cursor)
	}
	// e elsewhere is nothing: 3e7 shows the totals.
	m = typeInBursts(t, board(), 100, 30, "3e7")
	if m.tab != tabDay || m.dayTab().perQueue {
		t.Errorf("after 3e7: tab %s, per queue %v", m.tab, m.dayTab().perQueue)
	}
}
