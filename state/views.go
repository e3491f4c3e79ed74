package state

import (
	"slices"
	"time"
)

// AgentRow is one agent as shown.
type AgentRow struct {
	ID          string
	Name        string
	Placeholder bool     // not in the directory: named "#id"
	Stale       bool     // state from before the last outage, not refreshed since
	Groups      []string // group ids
	GroupNames  []string
	State       AgentState
	Status      string // the raw operator status, "" when none
	PauseReason string
	InState     time.Duration
	Alert       AgentAlert // the limit of Options.Limits it is past, "" when none
	Call        *CallInfo  // nil when the agent has none
	Today       AgentToday
}

// CallInfo is an agent's current call.
type CallInfo struct {
	ID, Caller, QueueID, QueueName string
	Recorded                       bool
}

// AgentToday is an agent's totals since the counters started.
type AgentToday struct {
	Answered int // inbound queue calls it answered, seen entering their queue
	Outbound int // calls it placed (status calling) that were answered
	OnCall   time.Duration
	Paused   time.Duration
}

// QueueRow is one queue (agent group) as shown.
type QueueRow struct {
	ID, Name        string
	Placeholder     bool
	Waiting         int
	LongestWait     time.Duration
	InProgress      int
	Answered        int
	Abandoned       int
	ShortAbandoned  int
	ServiceLevel    float64 // percent, AnsweredInSL ÷ SLCalls; valid when HasServiceLevel
	HasServiceLevel bool
	AnsweredInSL    int           // answered within Rule.Threshold
	LateWaiting     int           // waiting now longer than Rule.Threshold
	SLCalls         int           // what Rule.Formula divides AnsweredInSL by
	Rule            QueueRule     // the queue's rule, defaults taken
	ASA             time.Duration // valid when Answered > 0
	TotalWait       time.Duration // of the answered calls (ASA × Answered, exactly)
	AgentsLoggedIn  int
	AgentsAvailable int
	AgentsOnCall    int
	AgentsPaused    int
	StaleCalls      int // calls not mentioned again after a reconnect, left out of the counts
	// AnsweredBeforeStart counts today's calls first seen already answered
	// (their entry not seen): in no other figure.
	AnsweredBeforeStart int
	Levels              QueueLevels // against the queue's thresholds
}

// TrunkRow is one trunk (routing) as shown.
type TrunkRow struct {
	ID, Name    string
	Placeholder bool
	Ringing     int
	Connected   int
	Total       int
	Answered    int
	Missed      int
	StaleCalls  int // calls not mentioned again after a reconnect, left out of the counts
	// AnsweredBeforeStart counts today's calls first seen connected (their
	// entry not seen): in no other figure.
	AnsweredBeforeStart int
}

// OnACall is how many agents are taken by a call (AgentState.OnACall).
func (t *Totals) OnACall() int {
	n := 0
	for s, c := range t.Agents {
		if s.OnACall() {
			n += c
		}
	}
	return n
}

// LoggedIn is how many agents are logged in (AgentState.LoggedIn).
func (t *Totals) LoggedIn() int {
	n := 0
	for s, c := range t.Agents {
		if s.LoggedIn() {
			n += c
		}
	}
	return n
}

// Totals are the board-wide figures.
type Totals struct {
	Agents       map[AgentState]int
	CallsWaiting int
	LongestWait  time.Duration
	Answered     int
	Abandoned    int
	// ServiceLevel is the queues' AnsweredInSL summed ÷ their SLCalls
	// summed, each queue's counted under its own rule (hidden queues
	// too); valid when HasServiceLevel.
	ServiceLevel    float64
	HasServiceLevel bool
	AnsweredInSL    int
	SLCalls         int
	SLTarget        float64       // the queues' target when they all have the same, else 0 (none)
	MixedRules      bool          // the queues' thresholds, short abandons or formulas are not all the same
	HiddenQueues    int           // queues their rule hides: not in View.Queues, counted here
	ASA             time.Duration // valid when Answered > 0
	StaleCalls      int           // calls not mentioned again after a reconnect, left out of the counts
	// AnsweredBeforeStart counts today's queue calls first seen already
	// answered (QueueRow.AnsweredBeforeStart), in all queues.
	AnsweredBeforeStart int
	Levels              QueueLevels // against the default thresholds
	OverLimit           int         // agents past a limit of Options.Limits; valid when LimitsSet
	LimitsSet           bool        // Options.Limits sets a limit: agents are checked
	OverLimitLevel      Level       // critical when any agent is past a limit
}

// viewCaches are what the views keep between them so that a view costs
// what changed since the last one: the rows of the calls lost today
// (abandonedRows), those of the intervals that ended (keptIntervals). They
// hold none of the board's state: a board made, or loaded from a
// checkpoint, with them empty builds them at its first view.
type viewCaches struct {
	lost      abandonedRows
	intervals keptIntervals
}

// rebuildViewCaches drops what views keep between them (viewCaches, the
// intervals' rows): the next view builds it all again from the board.
func (b *Board) rebuildViewCaches() {
	b.views = viewCaches{}
	for _, in := range b.intervals {
		if in != nil {
			in.built = false
		}
	}
}

// Agents returns every agent, by name (as CompareNames orders them) then id.
func (b *Board) Agents(now time.Time) []AgentRow {
	if b.order == nil {
		b.order = byName(b, b.agents, func(a *agent) ([]byte, string, string) { return a.sortKey, a.name, a.id })
	}
	rows := make([]AgentRow, len(b.order))
	for i, a := range b.order {
		rows[i] = b.agentRow(a, now)
	}
	return rows
}

func (b *Board) agentRow(a *agent, now time.Time) AgentRow {
	r := AgentRow{
		ID: a.id, Name: a.name, Placeholder: a.placeholder, Stale: a.stale, Groups: a.groups,
		State: a.state, Status: a.status, InState: nonNegative(now.Sub(a.shownSince)),
		Today: AgentToday{Answered: a.answered, Outbound: a.outbound, OnCall: a.onCall, Paused: a.paused},
	}
	b.resolveGroups(a)
	r.GroupNames = a.groupNames
	if a.state == Paused {
		r.PauseReason = b.pauseLabel(a.pauseID)
	}
	if b.limitsSet {
		r.Alert = b.opts.Limits.alert(a.state, r.InState, r.PauseReason, a.pauseID)
	}
	if a.call != nil {
		r.Call = &CallInfo{ID: a.call.id, Caller: a.call.shownCaller, QueueID: a.call.queue, Recorded: a.call.recorded}
		if a.call.queue != "" && a.call.queue != "0" {
			r.Call.QueueName = b.groupName(a.call.queue)
		}
	}
	ongoing := now.Sub(maxTime(a.since, b.since))
	if ongoing > 0 {
		switch a.state {
		case OnCall:
			r.Today.OnCall += ongoing
		case Paused:
			r.Today.Paused += ongoing
		}
	}
	return r
}

// resolveGroups refreshes the agent's cached group names and queues.
func (b *Board) resolveGroups(a *agent) {
	if a.namesVersion == b.namesVersion {
		return
	}
	a.groupNames = make([]string, len(a.groups))
	a.groupQueues = make([]*queue, len(a.groups))
	for i, g := range a.groups {
		a.groupNames[i] = b.groupName(g)
		a.groupQueues[i] = b.queues[g]
	}
	a.namesVersion = b.namesVersion
}

func (b *Board) groupName(id string) string {
	if q, ok := b.queues[id]; ok {
		return q.shownName()
	}
	return "#" + id
}

// Queues returns every queue but those its rule hides, by name (as
// CompareNames orders them) then id.
func (b *Board) Queues(now time.Time) []QueueRow {
	rows, _ := b.queueRows(now, b.queueWaits(now))
	return rows
}

// queueWait is what a queue's calls waiting are as of a moment: the
// longest wait, and how many have waited longer than the queue's
// threshold.
type queueWait struct {
	longest time.Duration
	late    int
}

// queueWaits are the waits as of now of the queues by name
// (queuesByName), zero where none waits: only the queues with calls
// waiting are looked at.
func (b *Board) queueWaits(now time.Time) []queueWait {
	queues := b.queuesByName()
	waits := make([]queueWait, len(queues))
	for i, q := range queues {
		for c := range q.waitingCalls() {
			w := now.Sub(c.entered)
			waits[i].longest = max(waits[i].longest, w)
			if w > q.rule.Threshold {
				waits[i].late++
			}
		}
	}
	return waits
}

// queueRows are Queues, the waits of each given by waits (queueWaits);
// the calls waiting, in progress and stale are those the board counts as
// they change (queue.waiting…). hidden are the rows of the queues their
// rule hides (nil when none), by name: what a scoped view counts them by.
func (b *Board) queueRows(now time.Time, waits []queueWait) (rows, hidden []QueueRow) {
	rows = make([]QueueRow, 0, len(b.queues))
	hides := 0
	for i, q := range b.queuesByName() {
		r := QueueRow{
			ID: q.id, Name: q.shownName(), Placeholder: q.placeholder, Rule: q.rule,
			Answered: q.answered, Abandoned: q.abandoned, ShortAbandoned: q.shortAband, AnsweredBeforeStart: q.beforeStart,
			Waiting: q.waiting, LongestWait: waits[i].longest, InProgress: q.inProgress, StaleCalls: q.staleCalls,
			AnsweredInSL: q.answeredInSL, LateWaiting: waits[i].late,
		}
		r.SLCalls = slCalls(q.rule.Formula, q.answered, q.abandoned, q.shortAband, r.LateWaiting)
		r.ServiceLevel, r.HasServiceLevel = serviceLevel(q.answeredInSL, r.SLCalls)
		if q.answered > 0 {
			r.ASA = q.totalWait / time.Duration(q.answered)
		}
		r.TotalWait = q.totalWait
		r.Levels = b.opts.thresholdsFor(q.id).levels(r.Waiting, r.LongestWait, r.ServiceLevel, r.HasServiceLevel, q.rule.Target)
		q.viewIndex = len(rows)
		rows = append(rows, r)
		if q.rule.Hide {
			hides++
		}
	}
	for _, a := range b.agents {
		b.resolveGroups(a)
		for _, q := range a.groupQueues {
			if q == nil {
				continue
			}
			r := &rows[q.viewIndex]
			if !a.state.LoggedIn() {
				continue
			}
			r.AgentsLoggedIn++
			switch {
			case a.state == Available:
				r.AgentsAvailable++
			case a.state.OnACall():
				r.AgentsOnCall++
			case a.state == Paused:
				r.AgentsPaused++
			}
		}
	}
	if hides > 0 {
		hidden = make([]QueueRow, 0, hides)
		for _, r := range rows {
			if r.Rule.Hide {
				hidden = append(hidden, r)
			}
		}
		rows = slices.DeleteFunc(rows, func(r QueueRow) bool { return r.Rule.Hide })
	}
	return rows, hidden
}

// Trunks returns every trunk, by name (as CompareNames orders them) then id.
func (b *Board) Trunks() []TrunkRow {
	order := b.trunksByName()
	rows := make([]TrunkRow, 0, len(order))
	for _, t := range order {
		r := TrunkRow{ID: t.id, Name: t.name, Placeholder: t.placeholder, Total: t.total, Answered: t.answered, Missed: t.missed, AnsweredBeforeStart: t.beforeStart}
		for _, c := range t.calls {
			switch {
			case c.stale:
				r.StaleCalls++
			case c.connected:
				r.Connected++
			default:
				r.Ringing++
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// Totals sums the board.
func (b *Board) Totals(now time.Time) Totals {
	return b.totals(now, b.queueWaits(now))
}

// totals are Totals, the queues' waits given by waits (queueWaits); the
// calls waiting and stale are those the board counts as they change.
// Hidden queues count in them.
func (b *Board) totals(now time.Time, waits []queueWait) Totals {
	t := Totals{Agents: make(map[AgentState]int, len(AllStates)), LimitsSet: b.limitsSet, CallsWaiting: b.waiting}
	for _, w := range waits {
		t.LongestWait = max(t.LongestWait, w.longest)
	}
	for _, a := range b.agents {
		t.Agents[a.state]++
		if b.limitsSet && (a.state == Paused || a.state.OnACall() || a.state == Unavailable) {
			pause := ""
			if a.state == Paused {
				pause = b.pauseLabel(a.pauseID)
			}
			if b.opts.Limits.alert(a.state, nonNegative(now.Sub(a.shownSince)), pause, a.pauseID) != AlertNone {
				t.OverLimit++
			}
		}
	}
	var sum queueSum
	for i, q := range b.queuesByName() {
		sum.add(&t, QueueRow{Rule: q.rule, StaleCalls: q.staleCalls, Answered: q.answered, Abandoned: q.abandoned,
			AnsweredBeforeStart: q.beforeStart, AnsweredInSL: q.answeredInSL, TotalWait: q.totalWait,
			SLCalls: slCalls(q.rule.Formula, q.answered, q.abandoned, q.shortAband, waits[i].late)})
	}
	sum.finish(&t, b.opts.Thresholds)
	return t
}

// queueSum is what totals sum over the queues, each under its own rule:
// the center's (Board.totals), a scope's (View.For).
type queueSum struct {
	wait    time.Duration
	targets map[float64]bool
	first   QueueRule
	n       int
}

// add adds queue q's figures (its rule, stale calls, answered, abandoned,
// answered before start, answered within its threshold, its service
// level's calls, its answered calls' waits) to t.
func (s *queueSum) add(t *Totals, q QueueRow) {
	if r := (QueueRule{Threshold: q.Rule.Threshold, ShortAbandon: q.Rule.ShortAbandon, Formula: q.Rule.Formula}); s.n == 0 {
		s.first = r
	} else if r != s.first {
		t.MixedRules = true
	}
	s.n++
	t.StaleCalls += q.StaleCalls
	t.Answered += q.Answered
	t.Abandoned += q.Abandoned
	t.AnsweredBeforeStart += q.AnsweredBeforeStart
	t.AnsweredInSL += q.AnsweredInSL
	t.SLCalls += q.SLCalls
	s.wait += q.TotalWait
	if s.targets == nil {
		s.targets = map[float64]bool{}
	}
	s.targets[q.Rule.Target] = true
	if q.Rule.Hide {
		t.HiddenQueues++
	}
}

// finish makes t's figures of the sums: the target the queues share, the
// service level, the ASA, the levels against thresholds th.
func (s *queueSum) finish(t *Totals, th Thresholds) {
	if len(s.targets) == 1 {
		for target := range s.targets {
			t.SLTarget = target
		}
	}
	t.ServiceLevel, t.HasServiceLevel = serviceLevel(t.AnsweredInSL, t.SLCalls)
	if t.Answered > 0 {
		t.ASA = s.wait / time.Duration(t.Answered)
	}
	t.Levels = th.levels(t.CallsWaiting, t.LongestWait, t.ServiceLevel, t.HasServiceLevel, t.SLTarget)
	if t.OverLimit > 0 {
		t.OverLimitLevel = LevelCritical
	}
}

// serviceLevel is inSL ÷ den in percent; undefined while den is zero.
func serviceLevel(inSL, den int) (float64, bool) {
	if den <= 0 {
		return 0, false
	}
	return 100 * float64(inSL) / float64(den), true
}

func nonNegative(d time.Duration) time.Duration { return max(d, 0) }

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// showCaller applies Options.CallerID to a caller number.
func (b *Board) showCaller(number string) string {
	switch b.opts.CallerID {
	case CallerFull:
		return number
	case CallerHide:
		return ""
	}
	return maskCaller(number)
}

// maskCaller keeps the first 3 and the last 2 characters and hides the
// rest; numbers of 5 characters or fewer have nothing between to hide.
// The characters counted are those that show: the number is sanitised
// first (Sanitize), so that a stripped control, bidi or invisible
// character is no star.
func maskCaller(number string) string {
	number = Sanitize(number)
	runes := []rune(number)
	if len(runes) <= 5 {
		return number
	}
	for i := 3; i < len(runes)-2; i++ {
		runes[i] = '*'
	}
	return string(runes)
}

// queuesByName is every queue, by name then id; kept until a queue comes
// or a name changes (namesVersion).
func (b *Board) queuesByName() []*queue {
	if b.queueOrder == nil || b.queueOrderVersion != b.namesVersion || len(b.queueOrder) != len(b.queues) {
		b.queueOrder = byName(b, b.queues, func(q *queue) ([]byte, string, string) { return q.sortKey, q.shownName(), q.id })
		b.queueOrderVersion = b.namesVersion
	}
	return b.queueOrder
}

// trunksByName is every trunk, by name then id; kept until a trunk comes,
// goes or is renamed.
func (b *Board) trunksByName() []*trunk {
	if b.trunkOrder == nil {
		b.trunkOrder = byName(b, b.trunks, func(t *trunk) ([]byte, string, string) { return t.sortKey, t.name, t.id })
	}
	return b.trunkOrder
}

// byName is the rows of m ordered by name as people read them, then by id
// (compareKeyed), each row's collation key, name and id given by fields.
func byName[T any](b *Board, m map[string]*T, fields func(*T) (key []byte, name, id string)) []*T {
	order := make([]*T, 0, len(m))
	for _, r := range m {
		order = append(order, r)
	}
	slices.SortFunc(order, func(x, y *T) int {
		xKey, xName, xID := fields(x)
		yKey, yName, yID := fields(y)
		return compareKeyed(xKey, yKey, xName, yName, xID, yID)
	})
	b.rebuilt += len(order)
	return order
}
