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

// scopeEvents are the view's events about what is in the scope: an entry
// about an agent or a queue in it, and about none outside it (an agent's
// status naming a queue outside the scope is left out: its payload would
// show that queue's call). Entries about neither (a trunk's, the feed's)
// are left out. Their caller numbers are treated by show when not nil.
func (v *View) scopeEvents(set *scopeSet, show func(string) string) []LogEntry {
	var out []LogEntry
	for _, e := range v.Events {
		if e.AgentID == "" && e.QueueID == "" ||
			e.AgentID != "" && !set.agents[e.AgentID] ||
			e.QueueID != "" && !set.queue(e.QueueID) {
			continue
		}
		if show != nil {
			var callers []string
			e.Raw, callers = rewriteCallers(e.Raw, show, noteNumbers(e.Rejected))
			if e.Rejected != "" {
				e.Rejected = privateNote(e.Rejected, callers, show)
			}
		}
		out = append(out, e)
	}
	return out
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
// days, caller numbers treated by show when not nil.
func (v *View) scopeReport(set *scopeSet, show func(string) string) *Report {
	r := v.Report
	if r == nil {
		return nil
	}
	call := func(c CallRecord) (CallRecord, bool) {
		if !set.queue(c.QueueID) {
			return c, false
		}
		if c.AgentID != "" && !set.agents[c.AgentID] {
			c.AgentID, c.AgentName = "", ""
		}
		if show != nil {
			c.Caller = show(c.Caller)
		}
		return c, true
	}
	cut := func(calls []CallRecord) []CallRecord {
		var out []CallRecord
		for _, c := range calls {
			if c, ok := call(c); ok {
				out = append(out, c)
			}
		}
		return out
	}
	out := &Report{
		Carried: cut(r.Carried),
		Agents:  inScope(r.Agents, func(d AgentDay) bool { return set.agents[d.ID] }),
		rules:   make(map[string]QueueRule, len(set.groups)),
	}
	for id, rule := range r.rules {
		if set.queue(id) {
			out.rules[id] = rule
		}
	}
	if r.made == nil {
		out.Calls = cut(r.Calls)
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
