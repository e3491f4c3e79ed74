package state

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"
)

// callRecord is a call of today, as the queue events told it.
// Its strings are those of its call and its queue (copies of the update's
// text, made once); its times are kept compactly (recordtimes.go): entered,
// answered (zero when never), ended (zero while it lasts) and lost, when
// the call was last heard of once the board lost sight of it (stale after
// an outage, or dropped): zero while it is followed.
type callRecord struct {
	id, queue, caller string
	agent             string
	recordTimes
	zone        [recordTimeCount]uint8 // of each time: 0 for the zero time, else 1 + its location's index in Board.zones
	beforeStart bool                   // first seen already answered: entry and answer not seen
	unsure      bool                   // ended unanswered after the board lost sight of it: maybe answered meanwhile
}

// Call outcomes.
const (
	OutcomeAnswered       = "answered"
	OutcomeAbandoned      = "abandoned"
	OutcomeShortAbandoned = "short_abandoned"
	OutcomeWaiting        = "waiting"
	OutcomeInProgress     = "in_progress"
	// OutcomeUnknown is a call that never was answered as far as the board
	// knows and whose end it did not hear: not mentioned again after an
	// outage, or not at all for CallTTL; or whose end it heard after losing
	// sight of it in an outage (it may have been answered meanwhile). The
	// board counts it neither answered nor abandoned, nor waiting.
	OutcomeUnknown = "unknown"
	// OutcomeBeforeStart is a call first seen already answered: its entry
	// and its answer were not seen, its wait is not known. It counts in no
	// figure but AnsweredBeforeStart.
	OutcomeBeforeStart = "before_start"
)

// CallRecord is a call of today.
type CallRecord struct {
	ID, QueueID, QueueName string
	Caller                 string // as Options.CallerID shows it; outside text
	Entered                time.Time
	Answered, Ended        time.Time // zero when not (yet)
	Waited, Talk           time.Duration
	AgentID, AgentName     string
	Outcome                string  // one of the Outcome constants
	Reached                Reached // for an abandoned call, as Calls says; else ReachedNot
}

// AgentDay is an agent's day: calls answered, time on a call, paused per
// reason (its label, else its id) and logged in.
type AgentDay struct {
	ID, Name       string
	Answered       int // inbound queue calls (AgentToday)
	Outbound       int // calls placed and answered
	OnCall         time.Duration
	PausedBy       map[string]time.Duration
	LoggedIn       time.Duration
	CurrentState   AgentState
	CurrentInState time.Duration
}

// Report is what `callboard report` prints of a day: every call, every
// agent's day (the intervals are the View's).
type Report struct {
	// Calls are the day's calls, in the order they were first seen; nil
	// from ReportOnRead, whose calls EachCall makes as they are read.
	Calls  []CallRecord
	Agents []AgentDay // by name, then id
	// Carried are the day before's calls that were still going on (waiting,
	// on the line) at its midnight, as they stand now: followed to their
	// end, for the day before's report (Settle), in no figure of today.
	Carried []CallRecord

	made    func(yield func(CallRecord) bool) // ReportOnRead's calls, made from its board as they are read
	settled map[int]CallRecord                // of made's calls, those Settle put in their place, by their place
	rules   map[string]QueueRule              // every queue's rule, hidden ones too, by id: what Settle counts under
}

// EachCall yields the day's calls in the order they were first seen:
// Calls, or those of ReportOnRead made as they are read.
func (r *Report) EachCall(yield func(CallRecord) bool) {
	if r.made == nil {
		for _, c := range r.Calls {
			if !yield(c) {
				return
			}
		}
		return
	}
	i := 0
	for c := range r.made {
		if now, ok := r.settled[i]; ok {
			c = now
		}
		i++
		if !yield(c) {
			return
		}
	}
}

// record returns the record of call c of queue q, making it.
func (b *Board) record(q string, c *call, at time.Time) *callRecord {
	if c.record == nil {
		c.record = &callRecord{id: c.id, queue: q, caller: c.caller, beforeStart: c.beforeStart}
		if !c.beforeStart {
			b.setTime(c.record, timeEntered, c.entered)
		}
		b.callLog = append(b.callLog, c.record)
	}
	b.setTime(c.record, timeLost, time.Time{}) // heard of again
	return c.record
}

// Held is r with its calls in Calls, as Board.Report makes it: those
// ReportOnRead makes on read, made now.
func (r Report) Held() Report {
	if r.made == nil {
		return r
	}
	var calls []CallRecord
	for c := range r.EachCall {
		calls = append(calls, c)
	}
	r.Calls, r.made, r.settled = calls, nil, nil
	return r
}

// Report returns today's calls and agents' days as of asOf.
func (b *Board) Report(asOf time.Time) Report {
	r := b.ReportOnRead(asOf)
	if len(b.callLog) > 0 {
		r.Calls = make([]CallRecord, 0, len(b.callLog))
		for c := range r.made {
			r.Calls = append(r.Calls, c)
		}
	}
	r.made = nil
	return r
}

// ReportOnRead is Report without its Calls: EachCall makes them from the
// board as they are read (a busy day's are some 300,000), so the board
// must not change until they are read.
func (b *Board) ReportOnRead(asOf time.Time) Report {
	r := Report{rules: make(map[string]QueueRule, len(b.queues))}
	for id, q := range b.queues {
		r.rules[id] = q.rule
	}
	r.made = func(yield func(CallRecord) bool) {
		reached := make(map[*callRecord]Reached, len(b.abandoned))
		for _, a := range b.abandoned {
			reached[a.record] = a.reached
		}
		for _, c := range b.callLog {
			if !yield(b.callRow(c, reached[c], asOf)) {
				return
			}
		}
	}
	for _, c := range b.carried {
		r.Carried = append(r.Carried, b.callRow(c, ReachedNot, asOf))
	}
	for _, a := range b.agents {
		d := AgentDay{ID: a.id, Name: a.name, Answered: a.answered, Outbound: a.outbound, OnCall: a.onCall, LoggedIn: a.loggedIn,
			PausedBy: make(map[string]time.Duration, len(a.pausedBy)), CurrentState: a.state, CurrentInState: nonNegative(asOf.Sub(a.shownSince))}
		for reason, t := range a.pausedBy {
			d.PausedBy[reason] = t
		}
		if ongoing := asOf.Sub(maxTime(a.since, b.since)); ongoing > 0 {
			switch a.state {
			case OnCall:
				d.OnCall += ongoing
			case Paused:
				d.PausedBy[b.pauseReason(a.shownPause)] += ongoing
			}
			if a.state.LoggedIn() {
				d.LoggedIn += ongoing
			}
		}
		r.Agents = append(r.Agents, d)
	}
	slices.SortFunc(r.Agents, func(x, y AgentDay) int {
		if c := CompareNames(x.Name, y.Name); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	return r
}

// callRow is call record c as a report row as of asOf (reached as Calls
// says, for an abandoned call).
func (b *Board) callRow(c *callRecord, reached Reached, asOf time.Time) CallRecord {
	row := CallRecord{
		ID: c.id, QueueID: c.queue, QueueName: b.groupName(c.queue), Caller: b.showCaller(c.caller),
		Entered: b.recordTime(c, timeEntered), Answered: b.recordTime(c, timeAnswered), Ended: b.recordTime(c, timeEnded),
		AgentID: c.agent, Reached: reached,
	}
	if a, ok := b.agents[c.agent]; ok {
		row.AgentName = a.name
	}
	lost := b.recordTime(c, timeLost)
	end := row.Ended
	switch {
	case !end.IsZero():
	case !lost.IsZero():
		end = lost // as far as the board followed it
	default:
		end = asOf
	}
	switch {
	case c.beforeStart:
		row.Outcome = OutcomeBeforeStart // its wait and answer not known
	case !row.Answered.IsZero():
		row.Waited, row.Talk = nonNegative(row.Answered.Sub(row.Entered)), nonNegative(end.Sub(row.Answered))
		row.Outcome = OutcomeAnswered // answered, as the board counts it, even when its end was not heard
		if row.Ended.IsZero() && lost.IsZero() {
			row.Outcome = OutcomeInProgress
		}
	default:
		row.Waited = nonNegative(end.Sub(row.Entered))
		switch {
		case row.Ended.IsZero() && !lost.IsZero(), c.unsure:
			row.Outcome = OutcomeUnknown
		case row.Ended.IsZero():
			row.Outcome = OutcomeWaiting
		case row.Waited < b.ruleOf(c.queue).ShortAbandon:
			row.Outcome = OutcomeShortAbandoned
		default:
			row.Outcome = OutcomeAbandoned
		}
	}
	return row
}

// pauseReason names a pause for the report: its label, else its id.
func (b *Board) pauseReason(id string) string { return b.pauseLabel(id) }

// Settle makes day view v (with its Report) final for its calls still
// going on at its end: later are those calls as a board that went on into
// the next day last saw them (its Report.Carried). Each takes the place of
// its row in v's calls; one that was waiting and was answered or abandoned
// after midnight counts in v's intervals, in the interval it entered (the
// day has no interval of its event), and an answer in its agent's day
// (answered; the agent's time stays in the day it was spent). Nothing else
// of the next day enters v. v's slices are copied, not changed.
func Settle(v *View, later []CallRecord, opts Options) {
	if v.Report == nil || len(later) == 0 {
		return
	}
	type key struct {
		id, queue string
		entered   int64
	}
	byKey := make(map[key]CallRecord, len(later))
	for _, c := range later {
		byKey[key{c.ID, c.QueueID, c.Entered.UnixNano()}] = c
	}
	r := *v.Report
	r.Calls = slices.Clone(r.Calls)
	r.settled = maps.Clone(r.settled)
	if r.made != nil && r.settled == nil {
		r.settled = make(map[int]CallRecord, len(later))
	}
	r.Agents = slices.Clone(r.Agents)
	v.Intervals = slices.Clone(v.Intervals)
	opts = opts.withDefaults()
	ruleOf := func(id string) QueueRule {
		if r, ok := v.Report.rules[id]; ok {
			return r
		}
		return opts.QueueRules[id].withDefaults(opts.defaultRule()) // a queue gone
	}
	i := -1
	for was := range v.Report.EachCall {
		i++
		now, ok := byKey[key{was.ID, was.QueueID, was.Entered.UnixNano()}]
		if !ok || was.Outcome != OutcomeWaiting && was.Outcome != OutcomeInProgress {
			continue
		}
		now.Reached = was.Reached
		if r.made != nil {
			r.settled[i] = now
		} else {
			r.Calls[i] = now
		}
		if was.Outcome != OutcomeWaiting {
			continue // answered on the day: counted there
		}
		var one intervalCounts
		rule := ruleOf(now.QueueID)
		switch now.Outcome {
		case OutcomeAnswered, OutcomeInProgress:
			one = intervalCounts{answered: 1, totalWait: now.Waited, longestWait: now.Waited}
			if now.Waited <= rule.Threshold {
				one.answeredInSL = 1
			}
			for j := range r.Agents {
				if r.Agents[j].ID == now.AgentID && now.AgentID != "" {
					r.Agents[j].Answered++
				}
			}
		case OutcomeAbandoned, OutcomeShortAbandoned:
			one = intervalCounts{abandoned: 1, longestWait: now.Waited}
			if now.Outcome == OutcomeShortAbandoned {
				one.shortAband = 1
			}
		default:
			continue // still waiting, or its end not known: as it was
		}
		settleInterval(v.Intervals, now, rule, &one, &opts)
	}
	v.Report = &r
}

// settleInterval adds one, the end of call c, to the row of rows c entered
// in (the first, when it entered before them), for its queue (of rule)
// and in total.
func settleInterval(rows []IntervalRow, c CallRecord, rule QueueRule, one *intervalCounts, opts *Options) {
	if len(rows) == 0 {
		return
	}
	i := 0
	for k, row := range rows {
		if !row.Start.After(c.Entered) {
			i = k
		}
	}
	row := &rows[i]
	add := func(f IntervalFigures, slCalls int) IntervalFigures {
		n := f.counts()
		n.add(one)
		return n.figuresOver(f.SLCalls + slCalls)
	}
	// the call's part in its queue's denominator, under the queue's formula
	more := slCalls(rule.Formula, one.answered, one.abandoned, one.shortAband, 0)
	row.Total = add(row.Total, more)
	if rule.Hide {
		return // in the total only, as the interval's own figures
	}
	row.Queues = slices.Clone(row.Queues)
	for k := range row.Queues {
		if q := &row.Queues[k]; q.QueueID == c.QueueID {
			q.IntervalFigures = add(q.IntervalFigures, more)
			q.SLLevel = opts.slLevel(c.QueueID, rule, q.IntervalFigures)
			return
		}
	}
	f := add(IntervalFigures{}, more)
	row.Queues = append(row.Queues, IntervalQueue{QueueID: c.QueueID, QueueName: c.QueueName, Rule: rule, SLLevel: opts.slLevel(c.QueueID, rule, f), IntervalFigures: f})
	slices.SortFunc(row.Queues, func(x, y IntervalQueue) int {
		return cmp.Or(CompareNames(x.QueueName, y.QueueName), strings.Compare(x.QueueID, y.QueueID))
	})
}
