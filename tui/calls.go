package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"callboard/state"
)

// callsTab is the Calls tab: who waits now, then who was lost today and
// whether they were reached since (or withheld their number). Both tables
// share the tab's filter and sort; the tab's own key (b) keeps the lost
// callers still to call back.
type callsTab struct {
	tabView
	toCallBack bool // the lost callers not reached since, only
}

func newCallsTab() *callsTab { return &callsTab{tabView: newTabView(2)} }

func (c *callsTab) Title() string { return "Calls" }

func (c *callsTab) tables(sh *shared) []table {
	return []table{waitingTable(sh), c.abandonedTable(sh)}
}

func (c *callsTab) View(sh *shared, b *strings.Builder, height int) {
	drawTables(c, sh, b, height)
}

// Update takes the key that keeps the callers to call back.
func (c *callsTab) Update(sh *shared, k tea.KeyMsg) bool {
	if !key.Matches(k, sh.keys.CallBack) {
		return false
	}
	c.toCallBack = !c.toCallBack
	return true
}

func (c *callsTab) Keys(sh *shared) []key.Binding { return []key.Binding{sh.keys.CallBack} }

// clearFilters clears the text filter and shows every lost caller again.
func (c *callsTab) clearFilters() {
	c.tabView.clearFilters()
	c.toCallBack = false
}

// narrowedTo says the text filter, and whether only the callers to call
// back show.
func (c *callsTab) narrowedTo(sh *shared) []string {
	parts := c.tabView.narrowedTo(sh)
	if c.toCallBack {
		parts = append(parts, "to call back only")
	}
	return parts
}

// By rank: who, for how long, where; at 40 columns the position too.
var waitingColumns = []column{
	{title: "Caller", width: 12, grow: 2},
	{title: "Queue", width: 10, grow: 2, rank: 2},
	{title: "Pos", width: 3, right: true, rank: 3},
	{title: "Waited", width: 7, right: true, rank: 1, worst: true},
	{title: "Priority", width: 8, right: true, rank: 4, worst: true},
	{title: "VIP rate", width: 8, right: true, rank: 5, worst: true},
}

// waitingTable is the calls waiting now, by queue then position, as the
// view gives them; their waits tick with the view.
func waitingTable(sh *shared) table {
	waiting := sh.view.Calls.Waiting
	n := len(waiting)
	return table{items: [2]string{"call", "calls"}, title: "Waiting now", note: countText(n, "call", "calls"), cols: waitingColumns, n: n, empty: "no call waiting", key: func(i int) string { return waiting[i].ID }, row: func(i int) []cell {
		c := &waiting[i]
		return []cell{
			callerCell(c.Caller, sh.styles),
			{text: sanitize(c.QueueName)},
			{text: strconv.Itoa(c.Position)},
			{text: state.Clock(c.Waited)},
			{text: sanitize(c.Priority)},
			{text: sanitize(c.VIPRate)},
		}
	}}
}

// Lost and Caller first, then whether reached: at 40 columns that is
// what stays.
var abandonedColumns = []column{
	{title: "Lost", width: 8, worst: true}, // the newest first
	{title: "Caller", width: 12, grow: 2, rank: 1},
	{title: "Reached", width: 14, rank: 2},
	{title: "Queue", width: 10, grow: 2, rank: 3},
	{title: "Waited", width: 7, right: true, rank: 4, worst: true},
	{title: "Short", width: 5, rank: 5},
}

// abandonedTable is the calls lost today, newest first: when (in the day's
// timezone), who, whether reached since, where, how long they waited and
// whether the loss was short; only those still to call back when the tab
// asks.
func (c *callsTab) abandonedTable(sh *shared) table {
	calls := &sh.view.Calls
	n := len(calls.Abandoned)
	note := countText(n, "call", "calls")
	left, withheld := toCallBack(calls)
	if left > 0 {
		note += ", " + strconv.Itoa(left) + " to call back"
	}
	if withheld > 0 {
		note += ", " + strconv.Itoa(withheld) + " withheld"
	}
	t := table{items: [2]string{"call", "calls"}, title: "Abandoned today", note: note, cols: abandonedColumns, n: n, empty: "no call lost today", key: func(i int) string {
		lc := lostCall(calls, i)
		return lc.ID + keyPart + strconv.FormatInt(lc.Ended.UnixNano(), 10) // a call's id may come again
	}, row: func(i int) []cell {
		lc := lostCall(calls, i)
		short := ""
		if lc.Short {
			short = "short"
		}
		return []cell{
			{text: lc.Ended.In(sh.location()).Format("15:04:05")},
			callerCell(lc.Caller, sh.styles),
			reachedCell(lc.Reached, sh.styles),
			{text: sanitize(lc.QueueName)},
			{text: state.Clock(lc.Waited)},
			{text: short},
		}
	}}
	if c.toCallBack {
		t.keep = func(i int) bool { return lostCall(calls, i).Reached == state.ReachedNot }
		if c.narrowing.query == "" {
			t.unmatched = "no caller left to call back: b shows them all"
		}
	}
	return t
}

// lostCall is row i of the Abandoned table: the calls lost today, newest
// first.
func lostCall(calls *state.Calls, i int) *state.AbandonedCall {
	return &calls.Abandoned[len(calls.Abandoned)-1-i]
}

// toCallBack is how many callers lost today were not reached since, and
// how many withheld their number (they cannot be).
func toCallBack(calls *state.Calls) (left, withheld int) {
	for i := range calls.Abandoned {
		switch calls.Abandoned[i].Reached {
		case state.ReachedNot:
			left++
		case state.ReachedWithheld:
			withheld++
		}
	}
	return left, withheld
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
func reachedCell(r state.Reached, st *styles) cell {
	switch r {
	case state.ReachedAnsweredLater:
		return cell{text: "answered later"}
	case state.ReachedCalledBack:
		return cell{text: "called back"}
	case state.ReachedWithheld:
		return cell{text: "withheld", style: &st.dim}
	}
	return cell{text: "to call back", style: &st.warn}
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

// exportOwn says whether only the callers to call back show.
func (c *callsTab) exportOwn(ts *TabSettings) { ts.CallBack = c.toCallBack }

func (c *callsTab) importOwn(_ *shared, ts TabSettings) { c.toCallBack = ts.CallBack }
