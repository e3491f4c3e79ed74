package state

import (
	"slices"
	"time"
)

// The parts of a scoped view (scope_derive.go) cut from the whole view's
// own: its events, intervals and report, and its caller numbers.

// callerRank orders the ways of showing caller numbers from the one that
// shows most; "" is the board's default (Options.CallerID).
func callerRank(d CallerDisplay) int {
	switch d {
	case CallerFull:
		return 0
	case CallerHide:
		return 2
	}
	return 1
}

// stricterCaller is how an audience that sees caller numbers as d sees
// those the view shows: nil when d shows no less than the board (an
// audience never sees more than the board's own setting), else the
// function that treats a number as the view shows it (masked or hidden
// once more: masking a masked number leaves it as it is).
func (v *View) stricterCaller(d CallerDisplay) func(string) string {
	if d == "" || callerRank(d) <= callerRank(v.callerID) {
		return nil
	}
	if d == CallerHide {
		return func(string) string { return "" }
	}
	return maskCaller
}

// showCallers treats every caller number of view v with show: the
// agents' calls, the calls waiting and lost, the events' payloads and
// notes, the report's calls. v is a copy of a view whose slices it shares:
// each is made anew, never changed.
func (v *View) showCallers(show func(string) string) {
	v.Agents = slices.Clone(v.Agents)
	for i, r := range v.Agents {
		if r.Call != nil && r.Call.Caller != "" {
			c := *r.Call
			c.Caller = show(c.Caller)
			v.Agents[i].Call = &c
		}
	}
	v.Calls.Waiting = slices.Clone(v.Calls.Waiting)
	for i := range v.Calls.Waiting {
		v.Calls.Waiting[i].Caller = show(v.Calls.Waiting[i].Caller)
	}
	v.Calls.Abandoned = slices.Clone(v.Calls.Abandoned)
	for i := range v.Calls.Abandoned {
		v.Calls.Abandoned[i].Caller = show(v.Calls.Abandoned[i].Caller)
	}
	v.Events = slices.Clone(v.Events)
	for i, e := range v.Events {
		var callers []string
		v.Events[i].Raw, callers = rewriteCallers(e.Raw, show, noteNumbers(e.Rejected))
		if e.Rejected != "" {
			v.Events[i].Rejected = privateNote(e.Rejected, callers, show)
		}
	}
	if v.Report != nil {
		v.Report = v.Report.cut(func(c CallRecord) (CallRecord, bool) {
			c.Caller = show(c.Caller)
			return c, true
		}, func(AgentDay) bool { return true }, func(string) bool { return true })
	}
}

// scopeEvents are the view's events about what is in the scope: an entry
// about an agent or a queue in it, and about none outside it (an agent's
// status naming a queue outside the scope is left out: its payload would
// show that queue's call). Entries about neither (a trunk's, the feed's)
// are left out.
func (v *View) scopeEvents(set *scopeSet) []LogEntry {
	return inScope(v.Events, func(e LogEntry) bool {
		return (e.AgentID != "" || e.QueueID != "") &&
			(e.AgentID == "" || set.agents[e.AgentID]) &&
			(e.QueueID == "" || set.queue(e.QueueID))
	})
}

// scopeIntervals are the view's intervals cut to the scope: its queues'
// figures (its hidden ones' among the second result), each interval's
// total summed again over them, each queue's service level calls under its
// rule; the agents' means over the time of the agents that had a group in
// the scope as they spent it (IntervalRow.groups).
func (v *View) scopeIntervals(set *scopeSet) ([]IntervalRow, [][]IntervalQueue) {
	if len(v.Intervals) == 0 {
		return nil, nil
	}
	in := func(q IntervalQueue) bool { return set.queue(q.QueueID) }
	rows := make([]IntervalRow, len(v.Intervals))
	var hidden [][]IntervalQueue
	if v.hiddenIntervals != nil {
		hidden = make([][]IntervalQueue, len(v.Intervals))
	}
	for i, row := range v.Intervals {
		row.Queues = inScope(row.Queues, in)
		var total intervalCounts
		sl := 0
		sum := func(qs []IntervalQueue) {
			for _, q := range qs {
				c := q.counts()
				total.add(&c)
				sl += q.SLCalls
			}
		}
		sum(row.Queues)
		if hidden != nil && i < len(v.hiddenIntervals) {
			hidden[i] = inScope(v.hiddenIntervals[i], in)
			sum(hidden[i])
		}
		row.Total = total.figuresOver(sl)
		var agents [3]time.Duration
		row.groups = inScope(row.groups, func(g groupTime) bool { return slices.ContainsFunc(g.groups, set.queue) })
		for j, g := range row.groups {
			row.groups[j].groups = inScope(g.groups, set.queue) // what the scope shows of them
			for k := range agents {
				agents[k] += g.time[k]
			}
		}
		row.AgentsLoggedIn, row.AgentsReachable, row.AgentsPaused = mean(agents[0], row.span), mean(agents[1], row.span), mean(agents[2], row.span)
		rows[i] = row
	}
	return rows, hidden
}

// scopeReport is the view's report cut to the scope: the calls of its
// queues (one answered by an agent outside it shows no agent), its agents'
// days.
func (v *View) scopeReport(set *scopeSet) *Report {
	if v.Report == nil {
		return nil
	}
	return v.Report.cut(func(c CallRecord) (CallRecord, bool) {
		if !set.queue(c.QueueID) {
			return c, false
		}
		if c.AgentID != "" && !set.agents[c.AgentID] {
			c.AgentID, c.AgentName = "", ""
		}
		return c, true
	}, func(d AgentDay) bool { return set.agents[d.ID] }, set.queue)
}

// cut is report r with the calls call keeps, as it makes them, the
// agents' days agent keeps, the rules of the queues queue keeps: calls
// made on read (ReportOnRead) are cut as they are read.
func (r *Report) cut(call func(CallRecord) (CallRecord, bool), agent func(AgentDay) bool, queue func(string) bool) *Report {
	calls := func(in []CallRecord) []CallRecord {
		var out []CallRecord
		for _, c := range in {
			if c, ok := call(c); ok {
				out = append(out, c)
			}
		}
		return out
	}
	out := &Report{Carried: calls(r.Carried), Agents: inScope(r.Agents, agent), rules: make(map[string]QueueRule, len(r.rules))}
	for id, rule := range r.rules {
		if queue(id) {
			out.rules[id] = rule
		}
	}
	if r.made == nil {
		out.Calls = calls(r.Calls)
		return out
	}
	out.made = func(yield func(CallRecord) bool) {
		for c := range r.EachCall {
			if c, ok := call(c); ok && !yield(c) {
				return
			}
		}
	}
	return out
}
