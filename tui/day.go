package tui

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"callboard/state"
)

// dayTab is the Day tab: today's intervals, newest first, each with its calls
// (answered, abandoned, offered, short abandoned, answered within the
// service level's threshold, service level, ASA,
// longest wait) and the agents' presence over it (the mean number
// reachable, logged in and paused). By default one row per interval, the
// total of every queue; the tab's own key (e) gives one row per interval
// and queue instead. The interval still running says so with a "…" after
// its end.
type dayTab struct {
	tabView
	perQueue bool     // one row per interval and queue, not the totals
	rows     []dayRow // the view's intervals as the tab lays them out
}

func newDayTab() *dayTab { return &dayTab{tabView: newTabView(1)} }

func (c *dayTab) Title() string { return "Day" }

func (c *dayTab) View(sh *shared, b *strings.Builder, height int) {
	drawTables(c, sh, b, height)
}

// Update takes the key that switches between the totals and the queues.
func (c *dayTab) Update(sh *shared, k tea.KeyMsg) bool {
	if !key.Matches(k, sh.keys.PerQueue) {
		return false
	}
	c.togglePerQueue(sh)
	return true
}

func (c *dayTab) Keys(sh *shared) []key.Binding { return []key.Binding{sh.keys.PerQueue} }

func (c *dayTab) helpNotes() string {
	return "Day: each call counted in the interval of its event (entered, answered, left).\n" +
		"SL %: each queue's by its rule; a total, their calls in SL ÷ their own bases.\n" +
		"Reachable, Logged in, Paused: the mean number of agents over the interval,\n" +
		"so far for the one still running (… after its end)."
}

func (c *dayTab) setView(sh *shared) { c.setRows(sh) }

// dayRow is one row of the Day tab: an interval, in total or for one
// queue.
type dayRow struct {
	in    *state.IntervalRow
	queue *state.IntervalQueue // nil: every queue
}

// Answered and Abandoned first: at 40 columns they stay beside the
// interval (and the queue). By rank, then the service level, the calls
// offered, the waits, the agents' means (they are not per queue). The
// fewest agents and the lowest service level are the worst.
var (
	intervalColumn = column{title: "Interval", width: 12, worst: true} // the newest first
	dayCallColumns = []column{
		{title: "Answered", width: 8, right: true, rank: 2, worst: true},
		{title: "Abandoned", width: 9, right: true, rank: 3, worst: true},
		{title: "Offered", width: 7, right: true, rank: 5, worst: true},
		{title: "Short", width: 5, right: true, rank: 8, worst: true},
		{title: slColumn, width: 5, right: true, rank: 4},
		{title: "ASA", width: 7, right: true, rank: 6, worst: true},
	}
	longestColumn = column{title: "Longest", width: 7, right: true, rank: 7, worst: true}
	inSLColumn    = column{title: "In SL", width: 5, right: true, rank: 10, worst: true} // answered within the threshold
	dayColumns    = slices.Concat([]column{intervalColumn}, dayCallColumns, []column{
		{title: "Reachable", width: 9, right: true, rank: 9},
		inSLColumn,
		longestColumn,
		{title: "Logged in", width: 9, right: true, rank: 11},
		{title: "Paused", width: 6, right: true, rank: 12, worst: true},
	})
	dayQueueColumns = slices.Concat([]column{intervalColumn, {title: "Queue", width: 10, grow: 1, rank: 1}}, dayCallColumns, []column{inSLColumn, longestColumn})
)

// tables is the day by interval, newest first: in total, or per queue when
// the tab asks for it.
func (c *dayTab) tables(sh *shared) []table {
	rows := c.rows
	t := table{items: [2]string{"interval", "intervals"}, cols: dayColumns, n: len(rows), empty: "no intervals yet", key: func(i int) string {
		key := rows[i].in.Start.Format(time.RFC3339)
		if q := rows[i].queue; q != nil {
			key += keyPart + q.QueueID
		}
		return key
	}, row: func(i int) []cell {
		r := rows[i]
		f := &r.in.Total
		var queue []cell
		sl := cell{text: percentText(f.ServiceLevel, f.HasServiceLevel)} // of all queues, each by its rule
		if r.queue != nil {
			f = &r.queue.IntervalFigures
			queue = []cell{{text: sanitize(r.queue.QueueName)}}
			sl = sh.levelCell(slText(f.ServiceLevel, f.HasServiceLevel, r.queue.Rule.Target), r.queue.SLLevel)
		}
		cells := []cell{{text: intervalText(r.in, sh.view.AsOf)}}
		cells = append(cells, queue...)
		cells = append(cells,
			cell{text: strconv.Itoa(f.Answered)},
			cell{text: strconv.Itoa(f.Abandoned)},
			cell{text: strconv.Itoa(f.Offered)},
			cell{text: strconv.Itoa(f.ShortAbandoned)},
			sl,
			cell{text: asaText(f.ASA, f.Answered)},
		)
		if r.queue == nil {
			cells = append(cells, cell{text: meanText(r.in.AgentsReachable)})
		}
		cells = append(cells, cell{text: strconv.Itoa(f.AnsweredInSL)})
		longest := noValue
		if f.Answered+f.Abandoned > 0 {
			longest = state.Clock(f.LongestWait)
		}
		cells = append(cells, cell{text: longest})
		if r.queue == nil {
			cells = append(cells, cell{text: meanText(r.in.AgentsLoggedIn)}, cell{text: meanText(r.in.AgentsPaused)})
		}
		return cells
	}}
	if c.perQueue {
		targets := slices.ContainsFunc(rows, func(r dayRow) bool { return r.queue != nil && r.queue.Rule.Target > 0 })
		t.cols, t.items = withTargets(dayQueueColumns, targets), [2]string{"row", "rows"}
		if len(sh.view.Intervals) > 0 {
			t.empty = "no calls in any interval yet: e shows the totals"
		}
	}
	if !sh.view.Feed.HasData() {
		t.empty = "no data yet"
	}
	return []table{t}
}

// intervalText names an interval by its start and end in the day's
// timezone, "09:30–10:00"; the one still running as of asOf has a "…"
// after its end.
func intervalText(in *state.IntervalRow, asOf time.Time) string {
	end := in.Start.Add(in.Length)
	text := in.Start.Format("15:04") + "–" + end.Format("15:04")
	if end.After(asOf) {
		text += "…"
	}
	return text
}

// setRows lays the view's intervals out as the tab's rows, newest first:
// one per interval, or one per interval and queue with calls in it.
// Before any data there are none: the figures would be zeros, not
// figures.
func (c *dayTab) setRows(sh *shared) {
	c.rows = nil // a new slice: the tables drawn before keep their own
	if !sh.view.Feed.HasData() {
		return
	}
	intervals := sh.view.Intervals
	for i := len(intervals) - 1; i >= 0; i-- {
		in := &intervals[i]
		if !c.perQueue {
			c.rows = append(c.rows, dayRow{in: in})
			continue
		}
		for j := range in.Queues {
			c.rows = append(c.rows, dayRow{in: in, queue: &in.Queues[j]})
		}
	}
}

// togglePerQueue switches the tab between the totals and one row per
// queue. A sort on a column both have stays on it.
func (c *dayTab) togglePerQueue(sh *shared) {
	title := sortTitle(c, sh)
	c.perQueue = !c.perQueue
	c.setRows(sh)
	c.narrowing.sortCol = slices.Index(sortTitles(c, sh), title)
}

// asaText is an average speed of answer, or noValue before any answer.
func asaText(asa time.Duration, answered int) string {
	if answered == 0 {
		return noValue
	}
	return state.Clock(asa)
}

// meanText writes a mean number of agents with one decimal.
func meanText(v float64) string {
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// exportOwn says whether the tab shows a row per queue.
func (c *dayTab) exportOwn(ts *TabSettings) { ts.PerQueue = c.perQueue }

func (c *dayTab) importOwn(sh *shared, ts TabSettings) {
	c.perQueue = ts.PerQueue
	c.setRows(sh)
}
