package tui

import (
	"cmp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// cursorRow is the active tab's cursor as a row among all its panes' rows.
func cursorRow(m Model) int {
	tv := m.current().base()
	pos := tv.panes[tv.focus].scroll.cursor
	for _, p := range tv.panes[:tv.focus] {
		pos += len(p.order)
	}
	return pos
}

func TestTopAndBottomKeysOnEveryTab(t *testing.T) {
	m, _ := update(t, New(Config{View: simMorning(t)}), sizeMsg(80, 12))
	for tb := range tabCount {
		m = keys(t, m, string(rune('1'+tb)))
		rows := m.current().base().rows()
		if rows < 3 {
			t.Errorf("%s has %d rows: the keys are not tried", tb, rows)
		}
		for _, c := range []struct {
			key  string
			want int
		}{{"G", max(rows-1, 0)}, {"g", 0}, {"end", max(rows-1, 0)}, {"home", 0}} {
			m = keys(t, m, c.key)
			if got := cursorRow(m); got != c.want {
				t.Errorf("%s: %s put the cursor on row %d of %d, want %d", tb, c.key, got, rows, c.want)
			}
		}
	}
}

// simMorning is the simulator's first hour of a day (seed 3), as the
// feed hands it over: tens of agents, queues and trunks, calls waiting and
// lost, four intervals.
func simMorning(t testing.TB) *state.View {
	t.Helper()
	from := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	to := from.Add(time.Hour)
	tb := newTestBoard(t, state.Options{})
	for _, msg := range feedtest.SimDay(3, from, to) {
		tb.board.Handle(msg, feed.MessageTime(msg))
	}
	return tb.board.View(to)
}

// simBoard makes the board of the simulator's morning for a renderer, as
// playGoldens asks.
func simBoard(t testing.TB) func(*lipgloss.Renderer) tea.Model {
	v := simMorning(t)
	return func(r *lipgloss.Renderer) tea.Model {
		return New(Config{Title: "callboard — demo", View: v, Renderer: r})
	}
}

func TestLayoutKeepsColumnsByRank(t *testing.T) {
	cols := []column{
		{title: "Name", width: 10, least: 8, grow: 1},
		{title: "Extra", width: 10, rank: 3},
		{title: "Key", width: 6, rank: 1},
		{title: "Count", short: "N", width: 5, least: 3, rank: 2},
	}
	for _, c := range []struct {
		width int
		want  []int
	}{
		{49, []int{20, 10, 6, 5}}, // all at their width, Name grows
		{40, []int{11, 10, 6, 5}}, // all at their width
		{38, []int{10, 10, 6, 4}}, // the least widths keep Extra; what is left widens by rank
		{34, []int{17, 0, 6, 5}},  // not even they keep Extra, which goes first, though not last
		{27, []int{10, 0, 6, 5}},  // exactly
		{24, []int{9, 0, 6, 3}},   // the least widths keep Count; what is left widens Name
		{22, []int{12, 0, 6, 0}},  // not even they keep Count: Name and Key at their width
		{16, []int{14, 0, 0, 0}},  // Name alone
		{8, []int{6, 0, 0, 0}},    // Name alone, cut
	} {
		if got := layout(cols, c.width); !slices.Equal(got, c.want) {
			t.Errorf("at %d: %v, want %v", c.width, got, c.want)
		}
	}
	if got := cols[3].heading(3); got != "N" {
		t.Errorf("Count in 3 cells is titled %q, want its short title", got)
	}
	if got := cols[3].heading(5); got != "Count" {
		t.Errorf("Count in 5 cells is titled %q, want its title", got)
	}
	sorted := cols[1]
	sorted.arrow = " ↓"
	if got := sorted.heading(6); got != "Ext… ↓" {
		t.Errorf("Extra sorted, in 6 cells, is titled %q: the arrow stays", got)
	}
}

// columnsShown are the titles of the columns the active tab's first table
// shows at its width.
func columnsShown(m Model) []string {
	t := m.current().tables(&m.shared)[0]
	var titles []string
	for i, w := range layout(t.cols, m.width) {
		if w > 0 {
			titles = append(titles, t.cols[i].title)
		}
	}
	return titles
}

func TestColumnsStayByRankAt40Columns(t *testing.T) {
	m, _ := update(t, New(Config{View: simMorning(t)}), sizeMsg(40, 12))
	for _, c := range []struct {
		tab  tab
		want []string
	}{
		{tabAgents, []string{"Name", "State", "In state"}},
		{tabQueues, []string{"Name", "Waiting", "Longest wait", "SL %"}},
		{tabOverview, []string{"Name", "Waiting", "Longest wait", "SL %"}},
		{tabTrunks, []string{"Name", "Ringing", "Connected", "Missed"}},
	} {
		m = keys(t, m, string(rune('1'+c.tab)))
		if got := columnsShown(m); !slices.Equal(got, c.want) {
			t.Errorf("%s at 40 columns shows %q, want %q", c.tab, got, c.want)
		}
	}
}

// sortTo presses s on the active tab until it is sorted on title.
func sortTo(t *testing.T, m Model, title string) Model {
	t.Helper()
	for range 20 {
		if sortTitle(m.current(), &m.shared) == title {
			return m
		}
		m = keys(t, m, "s")
	}
	t.Fatalf("s never sorts %s on %s", m.current().Title(), title)
	return m
}

func TestSortPutsTheWorstFirst(t *testing.T) {
	m, _ := update(t, New(Config{View: simMorning(t)}), sizeMsg(80, 24))
	m = sortTo(t, keys(t, m, "3"), "Longest wait")
	waits := func(m Model) []time.Duration {
		var w []time.Duration
		for _, i := range m.current().base().panes[0].order {
			q := m.view.Queues[i]
			if q.Waiting == 0 {
				q.LongestWait = -1 // "—"
			}
			w = append(w, q.LongestWait)
		}
		return w
	}
	got := waits(m)
	if !slices.IsSortedFunc(got, func(a, b time.Duration) int { return cmp.Compare(b, a) }) || got[0] <= 0 {
		t.Errorf("the first s on Longest wait: %v, want the longest first", got)
	}
	if title := strings.Split(m.View(), "\n")[2]; !strings.Contains(title, "Longest ↓") {
		t.Errorf("no descending arrow on Longest wait: %q", title)
	}
	m = keys(t, m, "S")
	if got := waits(m); !slices.IsSorted(got) || got[0] != -1 {
		t.Errorf("S after it: %v, want the shortest first, none first of all", got)
	}
	if title := strings.Split(m.View(), "\n")[2]; !strings.Contains(title, "Longest ↑") {
		t.Errorf("no ascending arrow on Longest wait: %q", title)
	}
	// The service level's worst is its lowest.
	m = sortTo(t, m, "SL %")
	var sl []float64
	for _, i := range m.current().base().panes[0].order {
		sl = append(sl, m.view.Queues[i].ServiceLevel)
	}
	if !slices.IsSorted(sl) {
		t.Errorf("the first s on SL %%: %v, want the lowest first", sl)
	}
}
