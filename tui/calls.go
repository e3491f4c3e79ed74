package tui

import (
	"strconv"

	"callboard/state"
)

// The Calls tab: who waits now, then who was lost today and whether they
// were reached since (or withheld their number). Both tables share the tab's filter and sort; the
// tab's own key (b) keeps the lost callers still to call back.

var waitingColumns = []column{
	{title: "Caller", width: 12, grow: 2},
	{title: "Queue", width: 10, grow: 2},
	{title: "Pos", width: 3, right: true},
	{title: "Waited", width: 7, right: true},
	{title: "Priority", width: 8, right: true},
	{title: "VIP rate", width: 8, right: true},
}

// waitingTable is the calls waiting now, by queue then position, as the
// view gives them; their waits tick with the view.
func (m *Model) waitingTable() table {
	n := len(m.calls.Waiting)
	return table{title: "Waiting now", note: countText(n, "call", "calls"), cols: waitingColumns, n: n, empty: "no call waiting", row: func(i int) []cell {
		c := &m.calls.Waiting[i]
		return []cell{
			callerCell(c.Caller, m.styles),
			{text: sanitize(c.QueueName)},
			{text: strconv.Itoa(c.Position)},
			{text: clockDuration(c.Waited)},
			{text: sanitize(c.Priority)},
			{text: sanitize(c.VIPRate)},
		}
	}}
}

// Lost and Caller first, then whether reached: at 40 columns that is
// what stays.
var abandonedColumns = []column{
	{title: "Lost", width: 8},
	{title: "Caller", width: 12, grow: 2},
	{title: "Reached", width: 14},
	{title: "Queue", width: 10, grow: 2},
	{title: "Waited", width: 7, right: true},
	{title: "Short", width: 5},
}

// abandonedTable is the calls lost today, newest first: when (in the day's
// timezone), who, whether reached since, where, how long they waited and
// whether the loss was short.
func (m *Model) abandonedTable() table {
	n := len(m.calls.Abandoned)
	note := countText(n, "call", "calls")
	left, withheld := m.toCallBack()
	if left > 0 {
		note += ", " + strconv.Itoa(left) + " to call back"
	}
	if withheld > 0 {
		note += ", " + strconv.Itoa(withheld) + " withheld"
	}
	t := table{title: "Abandoned today", note: note, cols: abandonedColumns, n: n, empty: "no call lost today", row: func(i int) []cell {
		c := m.lostCall(i)
		short := ""
		if c.Short {
			short = "short"
		}
		return []cell{
			{text: c.Ended.In(m.location()).Format("15:04:05")},
			callerCell(c.Caller, m.styles),
			m.reachedCell(c.Reached),
			{text: sanitize(c.QueueName)},
			{text: clockDuration(c.Waited)},
			{text: short},
		}
	}}
	if nw := &m.tabs[tabCalls].narrowing; nw.toCallBack && nw.query == "" {
		t.unmatched = "no caller left to call back: b shows them all"
	}
	return t
}

// lostCall is row i of the Abandoned table: the calls lost today, newest
// first.
func (m *Model) lostCall(i int) *state.AbandonedCall {
	return &m.calls.Abandoned[len(m.calls.Abandoned)-1-i]
}

// toCallBack is how many callers lost today were not reached since, and
// how many withheld their number (they cannot be).
func (m *Model) toCallBack() (left, withheld int) {
	for i := range m.calls.Abandoned {
		switch m.calls.Abandoned[i].Reached {
		case state.ReachedNot:
			left++
		case state.ReachedWithheld:
			withheld++
		}
	}
	return left, withheld
}

// callShown applies the Calls tab's own key to row i of its table p: b
// keeps the lost callers still to call back.
func (m *Model) callShown(p, i int) bool {
	return p != 1 || !m.tabs[tabCalls].narrowing.toCallBack || m.lostCall(i).Reached == state.ReachedNot
}

// callerCell is a caller's number as the board shows numbers; "—" when the
// call came without one.
func callerCell(caller string, st *styles) cell {
	if caller == "" {
		return cell{text: noValue, style: &st.dim}
	}
	return cell{text: sanitize(caller)}
}

// reachedCell says whether a lost caller was reached since: the callers
// still to call back stand out.
func (m *Model) reachedCell(r state.Reached) cell {
	switch r {
	case state.ReachedAnsweredLater:
		return cell{text: "answered later"}
	case state.ReachedCalledBack:
		return cell{text: "called back"}
	case state.ReachedWithheld:
		return cell{text: "withheld", style: &m.styles.dim}
	}
	return cell{text: "to call back", style: &m.styles.warn}
}

// countText writes n with the word that fits: "1 call", "3 calls"; "" for
// none.
func countText(n int, one, many string) string {
	switch n {
	case 0:
		return ""
	case 1:
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
