package tui

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

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
	m, _ := update(t, New(Config{View: simMorningOf(t, alertLimits)}), sizeMsg(80, 12))
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
	return simMorningOf(t, state.Options{})
}

// simMorningOf is simMorning on a board of opts.
func simMorningOf(t testing.TB, opts state.Options) *state.View {
	t.Helper()
	from := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	to := from.Add(time.Hour)
	tb := newTestBoard(t, opts)
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

func TestCountsFollowTheFilters(t *testing.T) {
	v := simMorning(t)
	totals := map[tab]int{
		tabOverview: len(v.Queues), tabAgents: len(v.Agents), tabQueues: len(v.Queues),
		tabCalls: len(v.Calls.Waiting) + len(v.Calls.Abandoned), tabTrunks: len(v.Trunks),
		tabEvents: len(v.Events), tabDay: len(v.Intervals),
	}
	items := map[tab]string{
		tabOverview: "queues", tabAgents: "agents", tabQueues: "queues", tabCalls: "calls",
		tabTrunks: "trunks", tabEvents: "events", tabDay: "intervals",
	}
	for _, c := range []struct {
		tab  tab
		keys []string
	}{
		{tabOverview, []string{"/", "v", "enter"}},
		{tabAgents, []string{"/", "c", "h", "enter"}},
		{tabAgents, []string{"p"}},
		{tabAgents, []string{"c"}},
		{tabAgents, []string{"o"}},
		{tabAgents, []string{"a", "/", "e"}}, // the filter being typed
		{tabQueues, []string{"/", "s", "u", "p", "enter"}},
		{tabCalls, []string{"/", "v", "e", "n", "t", "e", "s", "enter"}},
		{tabTrunks, []string{"/", "p", "a", "r", "i", "s", "enter"}},
		{tabEvents, []string{"/", "p", "a", "u", "s", "e", "enter"}},
		{tabDay, []string{"/", "0", "9", ":", "enter"}},
	} {
		for _, size := range [][2]int{{160, 45}, {80, 24}, {60, 20}, {40, 12}} {
			m, _ := update(t, New(Config{View: v}), sizeMsg(size[0], size[1]))
			m = keys(t, m, string(rune('1'+c.tab)))
			whole := strconv.Itoa(totals[c.tab]) + " " + items[c.tab]
			if footer := ansi.Strip(m.footerView()); !strings.Contains(footer, whole) || strings.Contains(footer, " of ") {
				t.Errorf("%s at %dx%d, not narrowed: footer %q, want %q", c.tab, size[0], size[1], footer, whole)
			}
			m = keys(t, m, c.keys...)
			shown := m.current().base().rows()
			if shown == 0 || shown >= totals[c.tab] {
				t.Fatalf("%s %q shows %d rows of %d: not narrowed", c.tab, c.keys, shown, totals[c.tab])
			}
			want := strconv.Itoa(shown) + " of " + strconv.Itoa(totals[c.tab])
			footer := ansi.Strip(m.footerView())
			if !strings.Contains(footer, want) {
				t.Errorf("%s %q at %dx%d: footer %q, want %q", c.tab, c.keys, size[0], size[1], footer, want)
			}
			if size[0] >= 60 && !strings.Contains(footer, want+" "+items[c.tab]) {
				t.Errorf("%s %q at %dx%d: footer %q, want %q", c.tab, c.keys, size[0], size[1], footer, want+" "+items[c.tab])
			}
			// The count wins over the hidden columns, which are said
			// too: by name, by number, or "+N cols" at the least.
			if hidden := hiddenTitles(m.current(), &m.shared); len(hidden) > 0 && !strings.Contains(footer, "+"+strconv.Itoa(len(hidden))+" col") && !strings.Contains(footer, "hidden: ") {
				t.Errorf("%s %q at %dx%d: %q hidden, footer %q", c.tab, c.keys, size[0], size[1], hidden, footer)
			}
			if w := lipgloss.Width(m.footerView()); w > size[0] {
				t.Errorf("%s %q at %dx%d: the footer is %d wide", c.tab, c.keys, size[0], size[1], w)
			}
		}
	}
}

func TestCallsHeadingsCountWhatTheFilterKeeps(t *testing.T) {
	m, _ := update(t, New(Config{View: simMorning(t)}), sizeMsg(80, 24))
	m = keys(t, m, "4", "/", "v", "e", "n", "t", "e", "s", "enter")
	tv := m.current().base()
	waiting, lost := len(tv.panes[0].order), len(tv.panes[1].order)
	if lost == 0 || lost == len(m.view.Calls.Abandoned) {
		t.Fatalf("the filter keeps %d lost calls of %d", lost, len(m.view.Calls.Abandoned))
	}
	v := m.View()
	if want := "Abandoned today  " + strconv.Itoa(lost) + " of " + strconv.Itoa(len(m.view.Calls.Abandoned)) + " calls"; !strings.Contains(v, want) {
		t.Errorf("no %q in\n%s", want, v)
	}
	if waiting != len(m.view.Calls.Waiting) && !strings.Contains(v, "Waiting now  "+strconv.Itoa(waiting)+" of ") {
		t.Errorf("the waiting calls' heading does not count what the filter keeps:\n%s", v)
	}
}

func TestASortOnAHiddenColumnIsNamed(t *testing.T) {
	m, _ := update(t, New(Config{View: simMorning(t)}), sizeMsg(200, 24))
	m = sortTo(t, keys(t, m, "2"), "Groups")
	m, _ = update(t, m, sizeMsg(80, 24))
	if footer := ansi.Strip(m.footerView()); !strings.Contains(footer, "sorted by Groups ↑") {
		t.Errorf("sorted on Groups, hidden at 80 columns: footer %q", footer)
	}
	m = keys(t, m, "s") // no column shown after it: the board's order
	if title := sortTitle(m.current(), &m.shared); title != "" {
		t.Errorf("s after a hidden Groups sorts on %q, want the board's order", title)
	}
}

// playedPlain is the screen input leaves the board of the simulator's
// morning in, on a terminal width×height without colours.
func playedPlain(t *testing.T, width, height int, input ...string) string {
	t.Helper()
	return playBoard(t, simBoard(t)(renderer(termenv.Ascii)), width, height, input...).screen
}

// footerLine is a screen's last line.
func footerLine(screen string) string {
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestPlayedFilteredAgentsSayTheirCount(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {40, 12}} {
		screen := playedPlain(t, size[0], size[1], "2", "/ch", "\r")
		if footer := footerLine(screen); !strings.Contains(footer, "1 of 42") || !strings.Contains(footer, "hidden") {
			t.Errorf("%dx%d: /ch⏎ on Agents: footer %q, want the count and the hidden columns\n%s", size[0], size[1], footer, screen)
		}
	}
	playGoldens(t, simBoard(t), "2", "/ch", "\r")
}

func TestPlayedAgentsAt40x12KeepInState(t *testing.T) {
	screen := playedPlain(t, 40, 12, "2")
	// the rows on screen stay longer than the word "hidden"
	if !strings.Contains(screen, "In state") || !strings.Contains(footerLine(screen), "+6 cols  42 agents · 1–8") {
		t.Errorf("Agents at 40x12: want In state, the six columns hidden and the rows on screen said\n%s", screen)
	}
	playGoldens(t, simBoard(t), "2")
}

func TestPlayedSortByLongestWaitPutsTheWorstFirst(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {40, 12}} {
		screen := playedPlain(t, size[0], size[1], "3", "sss")
		lines := strings.Split(screen, "\n")
		if !strings.Contains(lines[2], "Longest ↓") || !strings.Contains(lines[3], "0:00:10") {
			t.Errorf("%dx%d: sss on Queues: want Longest wait ↓, the 10 s wait on top\n%s", size[0], size[1], screen)
		}
	}
	playGoldens(t, simBoard(t), "3", "sss")
}

func TestPlayedTopAndBottom(t *testing.T) {
	top := playedPlain(t, 80, 24, "2")
	bottom := playedPlain(t, 80, 24, "2", "G")
	if !strings.Contains(bottom, "› Yasmine B.") || !strings.Contains(footerLine(bottom), "rows 23–42") {
		t.Errorf("G on Agents: want the last agent, the last rows\n%s", bottom)
	}
	if back := playedPlain(t, 80, 24, "2", "G", "g"); back != top {
		t.Errorf("g after G: want the top again\n%s\nwant\n%s", back, top)
	}
	playGoldens(t, simBoard(t), "2", "G")
}

func TestTheCountStaysAtEveryWidth(t *testing.T) {
	v := simMorning(t)
	for tb := range tabCount {
		for _, typing := range []bool{false, true} {
			m, _ := update(t, New(Config{View: v}), sizeMsg(200, 20))
			m = keys(t, m, string(rune('1'+tb)), "/", "e")
			if !typing {
				m = keys(t, m, "enter")
			}
			shown, of := m.current().base().rows(), 0
			for _, t := range m.current().tables(&m.shared) {
				of += t.n
			}
			want := strconv.Itoa(shown) + " of " + strconv.Itoa(of)
			if shown == of { // a filter that keeps every row
				want = strconv.Itoa(of) + " "
			}
			for width := 40; width <= 200; width++ {
				m, _ = update(t, m, sizeMsg(width, 20))
				footer := m.footerView()
				if plain := ansi.Strip(footer); !strings.Contains(plain, want) || lipgloss.Width(footer) > width {
					t.Fatalf("%s filtered on e (typing %v) at %d columns: footer %q, want %q in at most %d cells", tb, typing, width, plain, want, width)
				}
			}
		}
	}
}

// TestTheFooterNeverCutsAKey: at every width, on every tab and over an
// event's detail, the footer's keys are whole or left out (" …"), never
// cut in a word ("w wall mod…").
func TestTheFooterNeverCutsAKey(t *testing.T) {
	v := simMorning(t)
	cutWord := regexp.MustCompile(`\pL…`)
	for tb := range tabCount {
		for _, detail := range []bool{false, true} {
			if detail && tb != tabEvents {
				continue
			}
			m, _ := update(t, New(Config{View: v}), sizeMsg(200, 20))
			m = keys(t, m, string(rune('1'+tb)))
			if detail {
				m = keys(t, m, "enter")
			}
			for width := 40; width <= 200; width++ {
				m, _ = update(t, m, sizeMsg(width, 20))
				footer := ansi.Strip(m.footerView())
				if cutWord.MatchString(footer) || lipgloss.Width(footer) > width {
					t.Fatalf("%s (detail %v) at %d columns: footer %q cuts a key or is too wide", tb, detail, width, footer)
				}
				if detail && !strings.Contains(footer, "esc/enter") {
					t.Fatalf("over an event's detail at %d columns the footer %q does not say how back to the list", width, footer)
				}
			}
		}
	}
}

// TestASortedTitleIsWholeWhenThereIsRoom: the column sorted on takes the
// room its title and arrow need when the table has it ("In state ↓", not
// "In st… ↓").
func TestASortedTitleIsWholeWhenThereIsRoom(t *testing.T) {
	cols := []column{{title: "Name", width: 10, grow: 1}, {title: "In state", width: 8, arrow: " ↓"}}
	widths := layout(cols, 80)
	if got := cols[1].heading(widths[1]); got != "In state ↓" {
		t.Errorf("heading at %d cells = %q, want the whole title and its arrow", widths[1], got)
	}
}
