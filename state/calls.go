package state

import (
	"slices"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// Reached says how a caller lost today was reached since, or that it
// cannot be.
type Reached string

// How an abandoned caller was reached: the same number answered in any
// queue afterwards, or an agent placing a call to it (operator status
// calling with that caller_id_num, or a PUSHCALL naming it). A withheld
// caller (see withheld) cannot be: it is neither reached nor to call back.
const (
	ReachedNot           Reached = ""
	ReachedAnsweredLater Reached = "answered_later"
	ReachedCalledBack    Reached = "called_back"
	ReachedWithheld      Reached = "withheld"
)

// abandonedCall is a call that left its queue unanswered today.
type abandonedCall struct {
	id, queue, caller string
	entered, ended    time.Time
	short             bool
	reached           Reached
	record            *callRecord // its row in the day's calls
	// row is 1 + its index in Board.abandoned once the views' rows hold
	// it (abandonedRows), 0 before: set by the views, not kept.
	row int
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

// withheld reports whether a caller number is one nobody can dial: the
// feed's way of saying the caller withheld it. The API does not say how it
// marks one; it is a number without a digit other than 0: empty, a word
// ("anonymous", "restricted", "private", "masqué"…), "+", "0".
func withheld(number string) bool {
	return !strings.ContainsAny(number, "123456789")
}

// maxCallerLen bounds the numbers matched, in bytes: an E.164 number has
// at most 15 digits, and room is left for a prefix and separators. A
// longer one is not a phone number and is never matched.
const maxCallerLen = 40

// callerKeysKept bounds Board.callerKeys: beyond it the cache starts over.
const callerKeysKept = 4096

// callerKey is the key a caller is recognised by: its number in E.164
// (+33612345678), read with Options.Country as the region of national
// numbers, so that 0612345678, 33612345678 and +33612345678 are one
// caller; the digits of a number the library cannot read. "" for a number
// never matched: withheld, or longer than maxCallerLen. Each number is read
// once; the keys are kept in Board.callerKeys.
func (b *Board) callerKey(number string) string {
	if len(number) > maxCallerLen || withheld(number) {
		return ""
	}
	if key, ok := b.callerKeys[number]; ok {
		return key
	}
	key := normaliseCaller(number, b.opts.Country)
	if len(b.callerKeys) >= callerKeysKept {
		clear(b.callerKeys)
	}
	b.callerKeys[strings.Clone(number)] = key // not a slice of the update it came in
	return key
}

// normaliseCaller returns number in E.164, read in region, else its
// digits.
func normaliseCaller(number, region string) (key string) {
	defer func() {
		if recover() != nil { // the library is outside code: a number it chokes on is one it cannot read
			key = callerDigits(number)
		}
	}()
	n, err := phonenumbers.Parse(number, region)
	if err != nil {
		return callerDigits(number)
	}
	return phonenumbers.Format(n, phonenumbers.E164)
}

// callerDigits is the digits of number.
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
	a := &abandonedCall{id: c.id, queue: q.id, caller: c.caller, entered: c.entered, ended: ended,
		short: ended.Sub(c.entered) < q.rule.ShortAbandon, record: c.record}
	b.abandoned = append(b.abandoned, a)
	if withheld(c.caller) {
		a.reached = ReachedWithheld
	} else if key := b.callerKey(c.caller); key != "" {
		b.toCallBack[key] = append(b.toCallBack[key], a)
	}
}

// reach marks the callers lost with number, before at, as reached how.
func (b *Board) reach(number string, at time.Time, how Reached) {
	if len(b.toCallBack) == 0 {
		return // nobody to reach: the number need not be read
	}
	key := b.callerKey(number)
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
		b.views.lost.reachedChanged(a)
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
	cs.Waiting = make([]WaitingCall, 0, max(b.waiting, 0))
	var waiting []*call
	for _, q := range b.queuesByName() {
		if q.waiting == 0 {
			continue // the board counts its calls waiting as they change
		}
		waiting = slices.AppendSeq(waiting[:0], q.waitingCalls())
		cs.Waiting = b.appendWaiting(cs.Waiting, q, waiting, asOf)
	}
	cs.Abandoned = b.views.lost.view(b)
	return cs
}

// appendWaiting appends to rows those of waiting, the calls waiting in q
// (sorted here), longest waiting first, as of asOf.
func (b *Board) appendWaiting(rows []WaitingCall, q *queue, waiting []*call, asOf time.Time) []WaitingCall {
	slices.SortFunc(waiting, func(x, y *call) int {
		if c := x.entered.Compare(y.entered); c != 0 {
			return c
		}
		return strings.Compare(x.id, y.id)
	})
	for i, c := range waiting {
		rows = append(rows, WaitingCall{
			ID: c.id, QueueID: q.id, QueueName: q.shownName(), Caller: c.shownCaller(b), Entered: c.entered,
			Waited: nonNegative(asOf.Sub(c.entered)), Position: i + 1, Priority: c.priority, VIPRate: c.vipRate,
		})
	}
	return rows
}

// abandonedRows are the rows Calls gives of the calls lost today
// (Board.abandoned): each built once, when the first view after the call
// ended is taken, its caller shown per Options.CallerID then (the options
// are the board's for its whole life); rebuilt only when what it shows
// changes: how the caller was reached, its queue's name. Views are
// immutable and hold a prefix of rows (rows[:n:n]): a row appended later
// is beyond what any of them sees, and a row changed once a view holds it
// is changed in a copy (copy on write), so that no published view changes.
// The zero value is empty: a board made or loaded afresh builds them at
// its first view.
type abandonedRows struct {
	day     time.Time        // Board.dayStart the rows are of
	rows    []AbandonedCall  // rows[i] is Board.abandoned[i]'s
	names   int              // Board.namesVersion of the rows' queue names
	shared  bool             // a view holds rows: a change copies them first
	reached []*abandonedCall // calls whose Reached changed since their row was built
}

// reachedChanged notes that a's Reached changed.
func (r *abandonedRows) reachedChanged(a *abandonedCall) {
	if a.row > 0 {
		r.reached = append(r.reached, a)
	}
}

// view returns the rows of b's calls lost today, for a view.
func (r *abandonedRows) view(b *Board) []AbandonedCall {
	if !r.day.Equal(b.dayStart) || len(r.rows) > len(b.abandoned) {
		*r = abandonedRows{day: b.dayStart, names: b.namesVersion} // a new day, or a board rebuilt
	}
	for _, a := range r.reached {
		if i := a.row - 1; i < len(r.rows) && b.abandoned[i] == a {
			r.writable()[i].Reached = a.reached
		}
	}
	r.reached = r.reached[:0]
	if r.names != b.namesVersion {
		for i := range r.rows {
			if name := b.groupName(r.rows[i].QueueID); name != r.rows[i].QueueName {
				r.writable()[i].QueueName = name
			}
		}
		r.names = b.namesVersion
	}
	for i := len(r.rows); i < len(b.abandoned); i++ {
		a := b.abandoned[i]
		a.row = i + 1
		r.rows = append(r.rows, AbandonedCall{
			ID: a.id, QueueID: a.queue, QueueName: b.groupName(a.queue), Caller: b.showCaller(a.caller),
			Entered: a.entered, Ended: a.ended, Waited: nonNegative(a.ended.Sub(a.entered)), Short: a.short, Reached: a.reached,
		})
	}
	if r.rows == nil {
		return []AbandonedCall{}
	}
	r.shared = true
	return r.rows[:len(r.rows):len(r.rows)]
}

// writable returns rows that no view holds, copying them if one does.
func (r *abandonedRows) writable() []AbandonedCall {
	if r.shared {
		r.rows = append(make([]AbandonedCall, 0, cap(r.rows)), r.rows...)
		r.shared = false
	}
	return r.rows
}

// shownCaller is c's caller as Options.CallerID shows it, worked out once
// per number.
func (c *call) shownCaller(b *Board) string {
	if c.shown == "" || c.shownOf != c.caller {
		c.shown, c.shownOf = b.showCaller(c.caller), c.caller
	}
	return c.shown
}
