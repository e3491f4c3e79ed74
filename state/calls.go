package state

import (
	"slices"
	"strings"
	"time"
)

// Reached says how a caller lost today was reached since.
type Reached string

// How an abandoned caller was reached: the same number answered in any
// queue afterwards, or an agent placing a call to it (operator status
// calling with that caller_id_num, or a PUSHCALL naming it).
const (
	ReachedNot           Reached = ""
	ReachedAnsweredLater Reached = "answered_later"
	ReachedCalledBack    Reached = "called_back"
)

// abandonedCall is a call that left its queue unanswered today.
type abandonedCall struct {
	id, queue, caller string
	entered, ended    time.Time
	short             bool
	reached           Reached
}

// WaitingCall is a call waiting in a queue now.
type WaitingCall struct {
	ID        string
	QueueID   string
	QueueName string
	Caller    string // as Options.CallerID shows it; outside text
	Entered   time.Time
	Waited    time.Duration // as of the view's AsOf
	Position  int           // 1 for the longest waiting of its queue
	Priority  string        // as given, "" when not; outside text
	VIPRate   string        // as given, "" when not; outside text
}

// AbandonedCall is a call lost today: it left its queue unanswered.
type AbandonedCall struct {
	ID        string
	QueueID   string
	QueueName string
	Caller    string // as Options.CallerID shows it; outside text
	Entered   time.Time
	Ended     time.Time
	Waited    time.Duration
	Short     bool    // left within Options.ShortAbandon
	Reached   Reached // ReachedNot: still to call back
}

// Calls are the calls behind the counts: who waits now, who was lost
// today and whether they were reached since.
type Calls struct {
	Waiting   []WaitingCall   // by queue name, then position
	Abandoned []AbandonedCall // oldest first
}

// callerDigits is the number a caller is recognised by: its digits. "" when it
// has none (a withheld number): such callers are never matched.
func callerDigits(number string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, number)
}

// abandon records a call that left queue q unanswered at ended.
func (b *Board) abandon(q *queue, c *call, ended time.Time) {
	a := &abandonedCall{id: c.id, queue: q.id, caller: c.caller, entered: c.entered, ended: ended, short: ended.Sub(c.entered) < b.opts.ShortAbandon}
	b.abandoned = append(b.abandoned, a)
	if key := callerDigits(c.caller); key != "" {
		b.toCallBack[key] = append(b.toCallBack[key], a)
	}
}

// reach marks the callers lost with number, before at, as reached how.
func (b *Board) reach(number string, at time.Time, how Reached) {
	key := callerDigits(number)
	lost := b.toCallBack[key]
	if key == "" || len(lost) == 0 {
		return
	}
	kept := lost[:0]
	for _, a := range lost {
		if a.ended.After(at) {
			kept = append(kept, a)
			continue
		}
		a.reached = how
	}
	if len(kept) == 0 {
		delete(b.toCallBack, key)
	} else {
		b.toCallBack[key] = kept
	}
}

// Calls returns the calls waiting as of asOf and the calls lost today.
func (b *Board) Calls(asOf time.Time) Calls {
	var cs Calls
	queues := b.queuesByName()
	n := 0
	for _, q := range queues {
		n += len(q.calls)
	}
	cs.Waiting = make([]WaitingCall, 0, n)
	waiting := make([]*call, 0, n)
	for _, q := range queues {
		waiting = waiting[:0]
		for _, c := range q.calls {
			if c.answeredAt.IsZero() && !c.stale {
				waiting = append(waiting, c)
			}
		}
		slices.SortFunc(waiting, func(x, y *call) int {
			if c := x.entered.Compare(y.entered); c != 0 {
				return c
			}
			return strings.Compare(x.id, y.id)
		})
		for i, c := range waiting {
			cs.Waiting = append(cs.Waiting, WaitingCall{
				ID: c.id, QueueID: q.id, QueueName: q.name, Caller: c.shownCaller(b), Entered: c.entered,
				Waited: nonNegative(asOf.Sub(c.entered)), Position: i + 1, Priority: c.priority, VIPRate: c.vipRate,
			})
		}
	}
	cs.Abandoned = make([]AbandonedCall, len(b.abandoned))
	for i, a := range b.abandoned {
		cs.Abandoned[i] = AbandonedCall{
			ID: a.id, QueueID: a.queue, QueueName: b.groupName(a.queue), Caller: b.showCaller(a.caller),
			Entered: a.entered, Ended: a.ended, Waited: nonNegative(a.ended.Sub(a.entered)), Short: a.short, Reached: a.reached,
		}
	}
	return cs
}

// shownCaller is c's caller as Options.CallerID shows it, worked out once
// per number.
func (c *call) shownCaller(b *Board) string {
	if c.shown == "" || c.shownOf != c.caller {
		c.shown, c.shownOf = b.showCaller(c.caller), c.caller
	}
	return c.shown
}
