package state

import (
	"slices"
	"strings"
	"time"
)

// callRecord is a call of today, as the queue events told it.
type callRecord struct {
	id, queue, caller string
	agent             string
	entered, answered time.Time // answered zero when never
	ended             time.Time // zero while it lasts
	// lost is when the call was last heard of, once the board lost sight
	// of it (stale after an outage, or dropped): zero while it is followed.
	lost        time.Time
	beforeStart bool // first seen already answered: entry and answer not seen
	unsure      bool // ended unanswered after the board lost sight of it: maybe answered meanwhile
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
	Calls  []CallRecord // in the order they were first seen
	Agents []AgentDay   // by name, then id
}

// record returns the record of call c of queue q, making it.
func (b *Board) record(q string, c *call, at time.Time) *callRecord {
	if c.record == nil {
		c.record = &callRecord{id: c.id, queue: q, caller: c.caller, entered: c.entered, beforeStart: c.beforeStart}
		if c.beforeStart {
			c.record.entered = time.Time{}
		}
		b.callLog = append(b.callLog, c.record)
	}
	c.record.lost = time.Time{} // heard of again
	return c.record
}

// Report returns today's calls and agents' days as of asOf.
func (b *Board) Report(asOf time.Time) Report {
	var r Report
	reached := make(map[*callRecord]Reached, len(b.abandoned))
	for _, a := range b.abandoned {
		reached[a.record] = a.reached
	}
	for _, c := range b.callLog {
		row := CallRecord{
			ID: c.id, QueueID: c.queue, QueueName: b.groupName(c.queue), Caller: b.showCaller(c.caller),
			Entered: c.entered, Answered: c.answered, Ended: c.ended, AgentID: c.agent, Reached: reached[c],
		}
		if a, ok := b.agents[c.agent]; ok {
			row.AgentName = a.name
		}
		end := c.ended
		switch {
		case !end.IsZero():
		case !c.lost.IsZero():
			end = c.lost // as far as the board followed it
		default:
			end = asOf
		}
		switch {
		case c.beforeStart:
			row.Outcome = OutcomeBeforeStart // its wait and answer not known
		case !c.answered.IsZero():
			row.Waited, row.Talk = nonNegative(c.answered.Sub(c.entered)), nonNegative(end.Sub(c.answered))
			row.Outcome = OutcomeAnswered // answered, as the board counts it, even when its end was not heard
			if c.ended.IsZero() && c.lost.IsZero() {
				row.Outcome = OutcomeInProgress
			}
		default:
			row.Waited = nonNegative(end.Sub(c.entered))
			switch {
			case c.ended.IsZero() && !c.lost.IsZero(), c.unsure:
				row.Outcome = OutcomeUnknown
			case c.ended.IsZero():
				row.Outcome = OutcomeWaiting
			case row.Waited < b.opts.ShortAbandon:
				row.Outcome = OutcomeShortAbandoned
			default:
				row.Outcome = OutcomeAbandoned
			}
		}
		r.Calls = append(r.Calls, row)
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

// pauseReason names a pause for the report: its label, else its id.
func (b *Board) pauseReason(id string) string { return b.pauseLabel(id) }
