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

// queueEvent is a queue event elapse seconds before the tests' clock.
func queueEvent(elapse int, name, queue, call, caller string, extra string) feed.Message {
	return feedtest.Event(start, fmt.Sprintf(`{"ts":1547651821,"elapse":%d,"event":{"type_notification":"queue","event":%q,"msg":{"id_queue":%s,"id_call":%q,"caller_id_num":%q%s}}}`,
		elapse, name, queue, call, caller, extra))
}

// operatorEvent is an operator status elapse seconds before the tests'
// clock.
func operatorEvent(elapse, agent int, status, caller string) feed.Message {
	return feedtest.Event(start, fmt.Sprintf(`{"ts":1547651821,"elapse":%d,"event":{"type_notification":"operator","event":"status","msg":{"id_operator":%d,"status":%q,"caller_id_num":%q}}}`,
		elapse, agent, status, caller))
}

// callsDay is an afternoon of calls, oldest first: four callers lost, one
// of them answered later in another queue, one called back by an agent,
// one short; three callers waiting now in two queues, two with a priority
// and a VIP rate.
func callsDay(t testing.TB) []feed.Message {
	return []feed.Message{
		&feed.StatusMsg{State: feed.Live, Protocol: "v4", At: start},
		directory(),
		feedtest.Event(start, `{"ts":1547651821,"elapse":4000,"event":{"type_notification":"UI","event":"login","msg":{"supp":"","id_operator":1}}}`),
		queueEvent(3000, "insert_call", "10", "c1", "0611111111", ""),
		queueEvent(2900, "delete_call", "10", "c1", "0611111111", ""),
		queueEvent(2000, "insert_call", "11", "c2", "0611111111", ""),
		queueEvent(1990, "connect_call", "11", "c2", "0611111111", `,"id_operator":2`),
		queueEvent(1800, "delete_call", "11", "c2", "0611111111", ""),
		queueEvent(1500, "insert_call", "10", "c3", "0622222222", ""),
		queueEvent(1497, "delete_call", "10", "c3", "0622222222", ""),
		queueEvent(1200, "insert_call", "11", "c4", "0633333333", ""),
		queueEvent(1100, "delete_call", "11", "c4", "0633333333", ""),
		operatorEvent(1000, 1, "calling", "0622222222"),
		operatorEvent(900, 1, "available", ""),
		queueEvent(700, "insert_call", "10", "c5", "0644444444", ""),
		queueEvent(400, "delete_call", "10", "c5", "0644444444", ""),
		queueEvent(200, "insert_call", "10", "w1", "0655555555", `,"priority":100,"vip_rate":1`),
		queueEvent(90, "insert_call", "10", "w2", "0666666666", ""),
		queueEvent(30, "insert_call", "11", "w3", "0677777777", `,"priority":200,"vip_rate":3`),
	}
}

// callsBoard shows callsDay on the Calls tab at width × height.
func callsBoard(t testing.TB, opts state.Options, width, height int) (Model, *testBoard) {
	tb := newTestBoard(t, opts)
	m, _ := update(t, New(Config{Title: "callboard — demo"}), sizeMsg(width, height))
	m = tb.send(m, callsDay(t)...)
	m, _ = update(t, m, keyRunes("4"))
	return m, tb
}

// tableRows are the rows of the active tab's table p as drawn: each row's
// cells joined by spaces, in the order shown.
func tableRows(m Model, p int) []string {
	t := narrowedTables(m.current(), &m.shared)[p]
	var rows []string
	for i := range t.n {
		var texts []string
		for _, c := range t.row(i) {
			texts = append(texts, c.text)
		}
		rows = append(rows, strings.Join(texts, " "))
	}
	return rows
}

// lostCallers are the callers of the Abandoned table, in the order shown.
func lostCallers(m Model) []string {
	var callers []string
	for _, i := range m.tabs[tabCalls].base().panes[1].order {
		callers = append(callers, lostCall(&m.view.Calls, i).Caller)
	}
	return callers
}

func TestCallsTabGoldens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {40, 12}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m, _ := callsBoard(t, state.Options{}, size[0], size[1])
			view := m.View()
			checkSize(t, view, size[0], size[1])
			teatest.RequireEqualOutput(t, []byte(view))
			// At 40 columns not all the lost calls fit, and the heading's
			// counts leave no room to say which are on screen.
			wants := []string{"[Calls]", "Waiting now  3 calls", "Abandoned today  4 calls, 2 to call back", "065*****55"}
			if size[0] == 80 {
				wants = append(wants, "answered later", "called back", "short")
			}
			for _, want := range wants {
				if !strings.Contains(view, want) {
					t.Errorf("the Calls tab does not show %q:\n%s", want, view)
				}
			}
		})
	}
}

func TestCallsTabShowsWhoWaitsAndWhoWasLost(t *testing.T) {
	m, tb := callsBoard(t, state.Options{}, 120, 30)
	want := []string{ // by queue name, then position
		"067*****77 Sales 1 0:00:30 200 3",
		"065*****55 Support 1 0:03:20 100 1",
		"066*****66 Support 2 0:01:30  ",
	}
	if got := tableRows(m, 0); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("waiting now:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	want = []string{ // newest first; lost at, caller, reached, queue, waited, short
		"15:10:21 064*****44 to call back Support 0:05:00 ",
		"14:58:41 063*****33 to call back Sales 0:01:40 ",
		"14:52:04 062*****22 called back Support 0:00:03 short",
		"14:28:41 061*****11 answered later Support 0:01:40 ",
	}
	if got := tableRows(m, 1); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("abandoned today:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The waits tick with the views; the losses are over.
	tb.clock = start.Add(5 * time.Second)
	m = tb.send(m)
	if got := tableRows(m, 0)[1]; !strings.Contains(got, "0:03:25") {
		t.Errorf("the wait does not tick: %q", got)
	}
	if got := tableRows(m, 1)[0]; !strings.Contains(got, "0:05:00") {
		t.Errorf("a lost call's wait moved: %q", got)
	}
	// Lost at is in the day's timezone.
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	m, _ = callsBoard(t, state.Options{Location: paris}, 120, 30)
	if got := tableRows(m, 1)[0]; !strings.HasPrefix(got, "16:10:21 ") {
		t.Errorf("lost at, in Paris: %q", got)
	}
}

func TestCallsTabWhenThereAreNone(t *testing.T) {
	m, _ := update(t, New(Config{}), sizeMsg(80, 24), keyRunes("4"))
	v := m.View()
	for _, want := range []string{"no call waiting", "no call lost today"} {
		if !strings.Contains(v, want) {
			t.Errorf("an empty Calls tab does not say %q:\n%s", want, v)
		}
	}
}

func TestCallBackKeyKeepsTheCallersToCallBack(t *testing.T) {
	m, _ := callsBoard(t, state.Options{}, 100, 30)
	m = keys(t, m, "b")
	if got := lostCallers(m); strings.Join(got, ",") != "064*****44,063*****33" {
		t.Errorf("b: lost callers shown %q, want the two still to call back", got)
	}
	if n := len(m.tabs[tabCalls].base().panes[0].order); n != 3 {
		t.Errorf("b narrowed the calls waiting too: %d shown", n)
	}
	v := m.View()
	if !strings.Contains(v, "to call back only") || strings.Contains(v, "answered later") || strings.Contains(v, "called back ") {
		t.Errorf("b does not say what it shows, or shows the callers reached:\n%s", v)
	}
	m = keys(t, m, "b")
	if got := lostCallers(m); len(got) != 4 {
		t.Errorf("b again: %q, want all four", got)
	}
	m = keys(t, m, "b", "esc")
	if got := lostCallers(m); len(got) != 4 || m.callsTab().toCallBack {
		t.Errorf("esc: %q, want all four", got)
	}
	// b is the Calls tab's: elsewhere it does nothing, and only the Calls
	// tab's help lists it.
	m = keys(t, m, "2", "b", "4")
	if m.callsTab().toCallBack {
		t.Error("b on the Agents tab narrowed the Calls tab")
	}
	m, _ = update(t, m, sizeMsg(160, 45))
	if v := keys(t, m, "?").View(); !strings.Contains(v, "to call back only") {
		t.Errorf("the Calls tab's help does not list b:\n%s", v)
	}
	if v := keys(t, m, "3", "?").View(); strings.Contains(v, "to call back only") {
		t.Errorf("the Queues tab's help lists b:\n%s", v)
	}
	// Everyone reached: the table says so, and how to see them again.
	tb := newTestBoard(t, state.Options{})
	m, _ = update(t, New(Config{}), sizeMsg(100, 30))
	m = tb.send(m, callsDay(t)[:8]...)
	m = keys(t, m, "4", "b")
	if v := m.View(); !strings.Contains(v, "no caller left to call back") {
		t.Errorf("no caller left to call back is not said:\n%s", v)
	}
}

func TestCallsFilterAndSort(t *testing.T) {
	m, _ := callsBoard(t, state.Options{}, 120, 30)
	m = keys(t, m, "/", "s", "a", "l", "e", "s", "enter") // a queue: both tables
	if got := tableRows(m, 0); len(got) != 1 || !strings.Contains(got[0], "067*****77") {
		t.Errorf("filter Sales, waiting: %q", got)
	}
	if got := lostCallers(m); strings.Join(got, ",") != "063*****33" {
		t.Errorf("filter Sales, lost: %q", got)
	}
	m = keys(t, m, "esc")
	m = keys(t, m, "/", "s", "h", "o", "r", "t", "enter")
	if got := lostCallers(m); strings.Join(got, ",") != "062*****22" || len(m.tabs[tabCalls].base().panes[0].order) != 0 {
		t.Errorf("filter short: lost %q, waiting %d", got, len(m.tabs[tabCalls].base().panes[0].order))
	}
	m = keys(t, m, "esc")
	// The sort key goes through the columns of both tables; a table
	// without the column keeps its order.
	m = keys(t, m, "s") // Caller, in both
	if got := lostCallers(m); strings.Join(got, ",") != "061*****11,062*****22,063*****33,064*****44" {
		t.Errorf("by caller: %q", got)
	}
	if v := m.View(); strings.Count(v, "Caller ↑") != 2 {
		t.Errorf("both tables should mark their Caller column:\n%s", v)
	}
	m = keys(t, m, "s", "s", "s") // Waited: the longest first
	if got := tableRows(m, 0); !strings.HasPrefix(got[0], "065*****55") || !strings.HasPrefix(got[2], "067*****77") {
		t.Errorf("waiting by wait, longest first: %q", got)
	}
	if got := lostCallers(m); strings.Join(got, ",") != "064*****44,063*****33,061*****11,062*****22" {
		t.Errorf("lost by wait, longest first: %q", got)
	}
	m = keys(t, m, "s", "s", "s") // Lost: the waiting calls keep their order
	if got := tableRows(m, 0); !strings.HasPrefix(got[0], "067*****77") || !strings.HasPrefix(got[2], "066*****66") {
		t.Errorf("waiting, sorted on a column it lacks: %q", got)
	}
	if got := lostCallers(m); strings.Join(got, ",") != "064*****44,063*****33,062*****22,061*****11" {
		t.Errorf("lost, latest first: %q", got)
	}
	if v := m.View(); !strings.Contains(v, "Lost ↓") || strings.Count(v, "↓") != 1 {
		t.Errorf("only the Abandoned table has Lost:\n%s", v)
	}
	for range len(sortTitles(m.tabs[tabCalls], &m.shared)) - 6 {
		m = keys(t, m, "s")
	}
	if c := m.tabs[tabCalls].base().narrowing.sortCol; c != -1 {
		t.Errorf("after the last column the board's order comes back, got column %d", c)
	}
}

func TestCallsCursorRunsThroughBothTables(t *testing.T) {
	m, _ := callsBoard(t, state.Options{}, 100, 30)
	cursorLine := func() string {
		t.Helper()
		var found []string
		for _, l := range strings.Split(m.View(), "\n") {
			if strings.HasPrefix(l, "›") {
				found = append(found, l)
			}
		}
		if len(found) != 1 {
			t.Fatalf("%d cursor rows:\n%s", len(found), m.View())
		}
		return found[0]
	}
	if l := cursorLine(); !strings.Contains(l, "067*****77") {
		t.Errorf("the cursor starts on the first call waiting: %q", l)
	}
	m = keys(t, m, "j", "j", "j")
	if l := cursorLine(); !strings.Contains(l, "064*****44") {
		t.Errorf("down from the last call waiting is the newest call lost: %q", l)
	}
	m = keys(t, m, "k")
	if l := cursorLine(); !strings.Contains(l, "066*****66") {
		t.Errorf("up from the first call lost is the last call waiting: %q", l)
	}
	m, _ = update(t, m, keyRunes("G"))
	if l := cursorLine(); !strings.Contains(l, "061*****11") {
		t.Errorf("end is the oldest call lost: %q", l)
	}
	// Nobody waits any more: the cursor stays in the table that has rows.
	tb := newTestBoard(t, state.Options{})
	m, _ = update(t, New(Config{}), sizeMsg(100, 30), keyRunes("4"))
	m = tb.send(m, callsDay(t)[:16]...)
	if l := cursorLine(); !strings.Contains(l, "064*****44") {
		t.Errorf("with nobody waiting the cursor is on the newest call lost: %q", l)
	}
}

// manyCalls is a board with waiting calls waiting and lost calls lost.
func manyCalls(t *testing.T, waiting, lost, width, height int) Model {
	t.Helper()
	msgs := []feed.Message{&feed.StatusMsg{State: feed.Live, At: start}, directory()}
	for i := range lost {
		msgs = append(msgs,
			queueEvent(3000-10*i, "insert_call", "10", fmt.Sprint("l", i), fmt.Sprintf("06%08d", i), ""),
			queueEvent(2990-10*i, "delete_call", "10", fmt.Sprint("l", i), fmt.Sprintf("06%08d", i), ""))
	}
	for i := range waiting {
		msgs = append(msgs, queueEvent(900-i, "insert_call", "10", fmt.Sprint("w", i), fmt.Sprintf("07%08d", i), ""))
	}
	m, _ := update(t, New(Config{}), sizeMsg(width, height))
	m = newTestBoard(t, state.Options{}).send(m, msgs...)
	m, _ = update(t, m, keyRunes("4"))
	return m
}

func TestCallsTabSharesTheHeight(t *testing.T) {
	for _, c := range []struct {
		name               string
		waiting, lost      int
		height             int
		waitRows, lostRows int // on screen
	}{
		{"both fit", 3, 4, 24, 3, 4},
		{"waiting first, the rest lost", 3, 40, 24, 3, 14},
		{"a crowd waiting keeps a third for the lost", 40, 40, 24, 12, 5},
		{"few lost, many waiting", 40, 2, 24, 15, 2},
		{"small pane", 3, 40, 12, 3, 2},
		{"small pane, crowded", 40, 40, 12, 4, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := manyCalls(t, c.waiting, c.lost, 80, c.height)
			v := m.View()
			checkSize(t, v, 80, c.height)
			waitRows, lostRows := strings.Count(v, "070*****"), strings.Count(v, "060*****")
			if waitRows != c.waitRows || lostRows != c.lostRows {
				t.Errorf("%d calls waiting and %d lost on screen, want %d and %d:\n%s", waitRows, lostRows, c.waitRows, c.lostRows, v)
			}
			// The rows that do not fit are said, in each table's heading.
			for _, table := range []struct {
				title     string
				shown, of int
			}{{"Waiting now", waitRows, c.waiting}, {"Abandoned today", lostRows, c.lost}} {
				heading := ""
				for _, l := range strings.Split(v, "\n") {
					if strings.HasPrefix(l, table.title) {
						heading = l
					}
				}
				rows := fmt.Sprintf("rows 1–%d of %d", table.shown, table.of)
				if hidden := table.shown < table.of; hidden != strings.Contains(heading, rows) {
					t.Errorf("%s: heading %q, want %q said: %v", table.title, heading, rows, hidden)
				}
			}
		})
	}
	// Scrolling the lost calls moves their rows only.
	m := manyCalls(t, 3, 40, 80, 24)
	m = keys(t, m, "G")
	if v := m.View(); !strings.Contains(v, "rows 27–40 of 40") || !strings.Contains(v, "› 14:27:") {
		t.Errorf("end: the last lost calls, the cursor on the oldest:\n%s", v)
	}
}

func TestCallsKeysInABurst(t *testing.T) {
	board := func() Model {
		return newTestBoard(t, state.Options{}).send(New(Config{}), callsDay(t)...)
	}
	m := typeInBursts(t, board(), 100, 30, "4b")
	if m.tab != tabCalls || !m.callsTab().toCallBack {
		t.Fatalf("after 4b: tab %s, to call back only %v", m.tab, m.callsTab().toCallBack)
	}
	if got := lostCallers(m); strings.Join(got, ",") != "064*****44,063*****33" {
		t.Errorf("after 4b the lost callers shown are %q", got)
	}
	m = typeInBursts(t, board(), 100, 30, "4/sales\rbj")
	if got := lostCallers(m); m.editing || strings.Join(got, ",") != "063*****33" {
		t.Errorf("after 4/sales⏎bj: editing %v, lost callers %q", m.editing, got)
	}
	if c := m.tabs[tabCalls].base(); c.focus != 1 || c.panes[1].scroll.cursor != 0 {
		t.Errorf("after 4/sales⏎bj the cursor is in pane %d row %d, want the lost call", c.focus, c.panes[1].scroll.cursor)
	}
}

func TestCallsOutsideTextIsSanitised(t *testing.T) {
	tb := newTestBoard(t, state.Options{CallerID: state.CallerFull})
	m, _ := update(t, New(Config{}), sizeMsg(120, 20), keyRunes("4"))
	m = tb.send(m, &feed.StatusMsg{State: feed.Live, At: start}, directory(),
		feedtest.Event(start, `{"elapse":60,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":10,"id_call":"x1",`+
			`"caller_id_num":"06\u001b]0;pwned\u0007 12","priority":"\u001b[2J9","vip_rate":"\u009b1"}}}`),
		feedtest.Event(start, `{"elapse":50,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":10,"id_call":"x2","caller_id_num":"07\u001b[31m34"}}}`),
		queueEvent(40, "delete_call", "10", "x2", "", ""),
	)
	v := m.View()
	if strings.ContainsAny(v, "\x1b\a\u009b") {
		t.Errorf("outside text reached the screen unsanitised: %q", v)
	}
	for _, want := range []string{"06 12", "0734"} {
		if !strings.Contains(v, want) {
			t.Errorf("the caller %q is not shown:\n%s", want, v)
		}
	}
}

// TestWithheldCallersAreNotToCallBack: a caller lost with a withheld number
// reads "withheld", is counted apart in the heading, not among those to
// call back, and b leaves it out.
func TestWithheldCallersAreNotToCallBack(t *testing.T) {
	tb := newTestBoard(t, state.Options{})
	m, _ := update(t, New(Config{}), sizeMsg(100, 30))
	m = tb.send(m, append(callsDay(t),
		queueEvent(20, "insert_call", "10", "a1", "anonymous", ""),
		queueEvent(10, "delete_call", "10", "a1", "anonymous", ""))...)
	m = keys(t, m, "4")
	v := m.View()
	if !strings.Contains(v, "5 calls, 2 to call back, 1 withheld") {
		t.Errorf("the heading does not count the withheld caller apart:\n%s", v)
	}
	if row := tableRows(m, 1)[0]; !strings.Contains(row, "withheld") || strings.Contains(row, "to call back") {
		t.Errorf("the withheld caller's row: %q", row)
	}
	m = keys(t, m, "b")
	if got := lostCallers(m); strings.Join(got, ",") != "064*****44,063*****33" {
		t.Errorf("b: lost callers shown %q, want the two still to call back", got)
	}
}
