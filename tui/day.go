package tui

import (
	"slices"
	"strconv"
	"time"

	"callboard/state"
)

// The Day tab: today's intervals, newest first, each with its calls
// (answered, abandoned, offered, short abandoned, answered within the
// service level's threshold, service level, ASA,
// longest wait) and the agents' presence over it (the mean number
// reachable, logged in and paused). By default one row per interval, the
// total of every queue; the tab's own key (e) gives one row per interval
// and queue instead. The interval still running says so with a "…" after
// its end.

// dayRow is one row of the Day tab: an interval, in total or for one
// queue.
type dayRow struct {
	in    *state.IntervalRow
	queue *state.IntervalQueue // nil: every queue
}

// Answered and Abandoned first: at 40 columns they stay beside the
// interval. The agents' means follow the calls; they are not per queue.
var (
	intervalColumn = column{title: "Interval", width: 12}
	dayCallColumns = []column{
		{title: "Answered", width: 8, right: true},
		{title: "Abandoned", width: 9, right: true},
		{title: "Offered", width: 7, right: true},
		{title: "Short", width: 5, right: true},
		{title: "SL %", width: 5, right: true},
		{title: "ASA", width: 7, right: true},
	}
	longestColumn = column{title: "Longest", width: 7, right: true}
	inSLColumn    = column{title: "In SL", width: 5, right: true} // answered within the threshold
	dayColumns    = slices.Concat([]column{intervalColumn}, dayCallColumns, []column{
		{title: "Reachable", width: 9, right: true},
		inSLColumn,
		longestColumn,
		{title: "Logged in", width: 9, right: true},
		{title: "Paused", width: 6, right: true},
	})
	dayQueueColumns = slices.Concat([]column{intervalColumn, {title: "Queue", width: 10, grow: 1}}, dayCallColumns, []column{inSLColumn, longestColumn})
)

// dayTable is the day by interval, newest first: in total, or per queue
// when the tab asks for it.
func (m *Model) dayTable() table {
	perQueue := m.tabs[tabDay].narrowing.perQueue
	t := table{cols: dayColumns, n: len(m.dayRows), empty: "no intervals yet", row: func(i int) []cell {
		r := m.dayRows[i]
		f := &r.in.Total
		var queue []cell
		if r.queue != nil {
			f = &r.queue.IntervalFigures
			queue = []cell{{text: sanitize(r.queue.QueueName)}}
		}
		cells := []cell{{text: m.intervalText(r.in)}}
		cells = append(cells, queue...)
		cells = append(cells,
			cell{text: strconv.Itoa(f.Answered)},
			cell{text: strconv.Itoa(f.Abandoned)},
			cell{text: strconv.Itoa(f.Offered)},
			cell{text: strconv.Itoa(f.ShortAbandoned)},
			cell{text: percentText(f.ServiceLevel, f.HasServiceLevel)},
			cell{text: asaText(f.ASA, f.Answered)},
		)
		if r.queue == nil {
			cells = append(cells, cell{text: meanText(r.in.AgentsReachable)})
		}
		cells = append(cells, cell{text: strconv.Itoa(f.AnsweredInSL)})
		longest := noValue
		if f.Answered+f.Abandoned > 0 {
			longest = clockDuration(f.LongestWait)
		}
		cells = append(cells, cell{text: longest})
		if r.queue == nil {
			cells = append(cells, cell{text: meanText(r.in.AgentsLoggedIn)}, cell{text: meanText(r.in.AgentsPaused)})
		}
		return cells
	}}
	if perQueue {
		t.cols = dayQueueColumns
		if len(m.intervals) > 0 {
			t.empty = "no calls in any interval yet: e shows the totals"
		}
	}
	if !m.health.HasData() {
		t.empty = "no data yet"
	}
	return t
}

// intervalText names an interval by its start and end in the day's
// timezone, "09:30–10:00"; the one still running has a "…" after its end.
func (m *Model) intervalText(in *state.IntervalRow) string {
	end := in.Start.Add(in.Length)
	text := in.Start.Format("15:04") + "–" + end.Format("15:04")
	if end.After(m.asOf) {
		text += "…"
	}
	return text
}

// setDayRows lays the day's intervals out as the Day tab's rows, newest
// first: one per interval, or one per interval and queue with calls in it.
// Before any data there are none: the figures would be zeros, not
// figures.
func (m *Model) setDayRows() {
	m.dayRows = nil // a new slice: an earlier copy of the model keeps its own
	if !m.health.HasData() {
		return
	}
	perQueue := m.tabs[tabDay].narrowing.perQueue
	for i := len(m.intervals) - 1; i >= 0; i-- {
		in := &m.intervals[i]
		if !perQueue {
			m.dayRows = append(m.dayRows, dayRow{in: in})
			continue
		}
		for j := range in.Queues {
			m.dayRows = append(m.dayRows, dayRow{in: in, queue: &in.Queues[j]})
		}
	}
}

// togglePerQueue switches the Day tab between the totals and one row per
// queue. A sort on a column both have stays on it.
func (m *Model) togglePerQueue() {
	nw := &m.tabs[tabDay].narrowing
	title := m.sortTitle(tabDay)
	nw.perQueue = !nw.perQueue
	m.setDayRows()
	nw.sortCol = slices.Index(m.sortTitles(tabDay), title)
}

// asaText is an average speed of answer, or noValue before any answer.
func asaText(asa time.Duration, answered int) string {
	if answered == 0 {
		return noValue
	}
	return clockDuration(asa)
}

// meanText writes a mean number of agents with one decimal.
func meanText(v float64) string {
	return strconv.FormatFloat(v, 'f', 1, 64)
}
