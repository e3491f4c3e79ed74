package state

import (
	"slices"
	"strings"
)

// A scoped view (View.For) is cut from the whole one: what is in the scope
// is kept, its figures summed again over the scope's queues, each counted
// under its own rule, as the board sums the center's (Board.totals). See
// the README's "Scopes" for the rules.

// scopeSet is a scope resolved against a view: the groups (queues are
// groups) and the agents in it.
type scopeSet struct {
	groups map[string]bool // group ids; a queue's id is its group's
	agents map[string]bool // the agents with a group in it
}

func (s *scopeSet) queue(id string) bool { return id != "" && s.groups[id] }

// scoped is View.For for an audience that does not see the whole board:
// the view cut to its scope, then its caller numbers treated when it sees
// them less than the view does.
func (v *View) scoped(a Audience) *View {
	out := v
	if !a.Scope.Whole() {
		out = v.cut(a.Scope)
	}
	if show := v.stricterCaller(a.CallerID); show != nil {
		if out == v {
			c := *v
			out = &c
		}
		out.showCallers(show)
		out.callerID = a.CallerID
	}
	return out
}

// cut is the view cut to scope s (not the whole center).
func (v *View) cut(s Scope) *View {
	shown, set := v.resolveScope(s)
	out := *v
	out.Scope = shown

	out.Agents = nil
	set.agents = map[string]bool{}
	for _, r := range v.Agents {
		if !slices.ContainsFunc(r.Groups, set.queue) {
			continue
		}
		set.agents[r.ID] = true
		r.Groups, r.GroupNames = cutGroups(r.Groups, r.GroupNames, set)
		if c := r.Call; c != nil && c.QueueID != "" && c.QueueID != "0" && !set.queue(c.QueueID) {
			r.Call = &CallInfo{} // on a call, of a queue outside the scope: nothing of it shown
		}
		out.Agents = append(out.Agents, r)
	}
	out.Queues = inScope(v.Queues, func(r QueueRow) bool { return set.queue(r.ID) })
	out.hidden = inScope(v.hidden, func(r QueueRow) bool { return set.queue(r.ID) })
	out.Trunks = nil

	out.Calls = Calls{
		Waiting:   inScope(v.Calls.Waiting, func(c WaitingCall) bool { return set.queue(c.QueueID) }),
		Abandoned: inScope(v.Calls.Abandoned, func(c AbandonedCall) bool { return set.queue(c.QueueID) }),
	}

	out.Totals = v.scopeTotals(&out)

	about := func(k AlertKey) bool { return set.queue(k.QueueID) || k.AgentID != "" && set.agents[k.AgentID] }
	out.Alerts = inScope(v.Alerts, func(x Alert) bool { return about(x.AlertKey) })
	out.AlertChanges = inScope(v.AlertChanges, func(x AlertChange) bool { return about(x.Alert.AlertKey) })
	out.Acks = inScope(v.Acks, func(x Acknowledgement) bool { return about(x.AlertKey) })
	out.RuleNotes = nil // the configuration's, for whoever runs the board: they name queues outside the scope

	out.Events = v.scopeEvents(&set)
	out.Intervals, out.hiddenIntervals = v.scopeIntervals(&set)
	out.WaitingLastHour, out.waitLogs = nil, nil
	if len(v.waitLogs) == len(v.WaitingLastHour) {
		out.waitLogs = make([]minuteLog, len(v.waitLogs))
		out.WaitingLastHour = make([]int, len(v.waitLogs))
		for i := range v.waitLogs {
			out.waitLogs[i] = v.waitLogs[i].cut(set.queue)
			out.WaitingLastHour[i] = out.waitLogs[i].most()
		}
	} else { // a view not made by a board: its minutes queue by queue are not known
		out.Scope.WaitingLastHourUnavailable = true
	}
	out.Report = v.scopeReport(&set)
	return &out
}

// inScope is the rows of rows in, a new slice (nil when none is).
func inScope[T any](rows []T, in func(T) bool) []T {
	var out []T
	for _, r := range rows {
		if in(r) {
			out = append(out, r)
		}
	}
	return out
}

// cutGroups are an agent's groups and their names, those in the scope only.
func cutGroups(ids, names []string, set scopeSet) ([]string, []string) {
	var outIDs, outNames []string
	for i, g := range ids {
		if set.queue(g) {
			outIDs = append(outIDs, g)
			if i < len(names) {
				outNames = append(outNames, names[i])
			}
		}
	}
	return outIDs, outNames
}

// resolveScope resolves scope s against the view: its entries by id, else
// by name (uniqueNames: an id wins over a name, a name two queues or groups
// bear is none's). Queues and groups are one: in Axialys a queue is an
// agent group. An entry that matches nothing is Unmatched.
func (v *View) resolveScope(s Scope) (*ScopeShown, scopeSet) {
	type group struct{ name, queue string }
	groups := map[string]group{} // by id: the view's queues, hidden ones too, and the agents' groups
	var rows []namedRow          // groups', for names
	for _, list := range [][]QueueRow{v.Queues, v.hidden} {
		for _, q := range list {
			groups[q.ID] = group{name: q.Name, queue: q.ID}
			rows = append(rows, namedRow{q.ID, q.Name, q.Placeholder})
		}
	}
	for _, ag := range v.Agents {
		for i, g := range ag.Groups {
			if _, ok := groups[g]; !ok {
				name := "#" + g
				if i < len(ag.GroupNames) {
					name = ag.GroupNames[i]
				}
				groups[g] = group{name: name}
				rows = append(rows, namedRow{g, name, name == "#"+g})
			}
		}
	}
	var queueRows []namedRow
	for _, r := range rows {
		if groups[r.id].queue != "" {
			queueRows = append(queueRows, r)
		}
	}
	resolve := func(entries []string, rows []namedRow, isID func(string) bool) (matched []string, unmatched []string) {
		wanted := map[string]bool{}
		for _, e := range entries {
			wanted[e] = true
		}
		named, _ := uniqueNames(slices.Values(rows), func(id string) bool { _, ok := groups[id]; return ok }, func(n string) bool { return wanted[n] })
		for _, e := range entries {
			switch id, ok := named[e]; {
			case isID(e):
				matched = append(matched, e)
			case ok:
				matched = append(matched, id)
			default:
				unmatched = append(unmatched, Sanitize(e))
			}
		}
		return matched, unmatched
	}
	queues, unQueues := resolve(s.Queues, queueRows, func(id string) bool { return groups[id].queue != "" })
	groupIDs, unGroups := resolve(s.Groups, rows, func(id string) bool { _, ok := groups[id]; return ok })

	set := scopeSet{groups: map[string]bool{}}
	for _, id := range slices.Concat(queues, groupIDs) {
		set.groups[id] = true
	}
	shown := &ScopeShown{Name: strings.TrimSpace(Sanitize(s.Name))}
	for id := range set.groups {
		shown.GroupIDs = append(shown.GroupIDs, id)
		if groups[id].queue != "" {
			shown.QueueIDs = append(shown.QueueIDs, id)
		}
	}
	slices.SortFunc(shown.GroupIDs, compareIDs)
	slices.SortFunc(shown.QueueIDs, compareIDs)
	shown.Unmatched = slices.Compact(slices.Concat(unQueues, unGroups))
	if v.Scope != nil { // cut again: what the first cut did not match is still not
		shown.Unmatched = append(slices.Clone(v.Scope.Unmatched), shown.Unmatched...)
	}
	if shown.Name == "" {
		names := make([]string, 0, len(shown.GroupIDs))
		for _, id := range shown.GroupIDs {
			names = append(names, groups[id].name)
		}
		slices.SortFunc(names, CompareNames)
		if len(names) == 0 { // nothing matched: named by what it asked for, never "" (the whole center's)
			names = shown.Unmatched
		}
		shown.Name = strings.Join(slices.Compact(names), ", ")
	}
	return shown, set
}

// scopeTotals are the totals of view out, cut to a scope: summed again
// over its agents and its queues, hidden ones too (View.hidden), each
// queue counted under its own rule as Board.totals counts the center's.
func (v *View) scopeTotals(out *View) Totals {
	t := Totals{Agents: make(map[AgentState]int, len(AllStates)), LimitsSet: v.Totals.LimitsSet}
	for _, r := range out.Agents {
		t.Agents[r.State]++
		if t.LimitsSet && r.Alert != AlertNone {
			t.OverLimit++
		}
	}
	var sum queueSum
	for _, list := range [][]QueueRow{out.Queues, out.hidden} {
		for _, q := range list {
			t.CallsWaiting += q.Waiting
			t.LongestWait = max(t.LongestWait, q.LongestWait)
			sum.add(&t, q)
		}
	}
	sum.finish(&t, v.thresholds)
	return t
}
