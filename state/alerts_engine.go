package state

import (
	"cmp"
	"time"
)

// QueueLimits are when a queue's figures raise an alert (Options): zero is
// no limit.
type QueueLimits struct {
	WaitingMax     int           // calls waiting above it
	LongestWaitMax time.Duration // the longest wait above it
	AvailableMin   int           // agents of the queue available below it
	LoggedInMin    int           // agents of the queue logged in below it
	AbandonRateMax float64       // percent of today's calls abandoned above it (abandonRate)
}

// set reports whether any limit is set.
func (l QueueLimits) set() bool { return l != QueueLimits{} }

// or is l, its zero fields taking d's.
func (l QueueLimits) or(d QueueLimits) QueueLimits {
	l.WaitingMax = cmp.Or(l.WaitingMax, d.WaitingMax)
	l.LongestWaitMax = cmp.Or(l.LongestWaitMax, d.LongestWaitMax)
	l.AvailableMin = cmp.Or(l.AvailableMin, d.AvailableMin)
	l.LoggedInMin = cmp.Or(l.LoggedInMin, d.LoggedInMin)
	l.AbandonRateMax = cmp.Or(l.AbandonRateMax, d.AbandonRateMax)
	return l
}

// MaxAlertChanges is how many of the last alert changes a board keeps
// (View.AlertChanges).
const MaxAlertChanges = 256

// alertBook is the board's alerts: those active, and the last changes.
// They are derived from the board by evaluateAlerts, at every message and
// tick; a checkpoint carries them (with the count of changes) so that a
// board loaded from it goes on numbering where the replay would.
//
// What an evaluation costs: the agents whose state changed since the last
// (touched, told by refreshFrom), those whose time in state passes its
// limit by then (due, a heap by when), the queues of those agents, those
// whose calls changed (dirty, told by the calls' counts), and those whose
// longest wait passes its limit by then (waitDue); the book keeps the
// queues' figures as they change (the agents logged in and available per
// queue, the oldest call waiting): not every agent, queue and call at
// every update.
type alertBook struct {
	set     bool                // any limit is set: alerts are evaluated
	active  map[AlertKey]*Alert // by key
	seq     uint64              // the last change's Seq
	changes []AlertChange       // the last MaxAlertChanges, a ring: the oldest at first once full
	first   int
	named   map[string]*queue // the queues' names limited in Options.QueueLimitsOf and borne by one queue (namedQueues)
	namedAt int               // namesVersion named was worked out at, -1 when never

	at      time.Time // the last evaluation's moment
	all     bool      // every agent and queue to be looked at again at the next
	always  bool      // at every evaluation: the tests' reference
	day     time.Time // the day (Board.dayStart) of the last evaluation
	queues  int       // the board's queues at the last evaluation
	touched []*agent  // agents whose state changed since the last evaluation
	isTouch map[*agent]bool
	due     alertHeap              // the agents whose state has a limit not passed yet, by when it passes
	dueOf   map[*agent]*alertDue   // their entries
	staff   map[*queue]*[2]int     // the agents logged in and available per queue
	staffOf map[*agent][]*queue    // the queues each agent counts in (none when not logged in), available or not by availOf
	availOf map[*agent]bool        // the agents counted available
	staffAt int                    // namesVersion staff was counted at
	oldest  map[*queue]time.Time   // the entry of each queue's oldest call waiting (none when none waits)
	dirty   map[*queue]bool        // queues whose calls changed since the last evaluation
	look    map[*queue]bool        // scratch: the queues an evaluation looks at
	waitDue map[*queue]time.Time   // when the longest wait of queues with calls waiting passes its limit, while not raised
	scratch []alertChangeCandidate // an evaluation's changes, before they are numbered
}

// alertChangeCandidate is a change an evaluation found.
type alertChangeCandidate struct {
	raised bool
	a      *Alert
	at     time.Time
}

// alertDue is an agent's entry in alertBook.due.
type alertDue struct {
	at   time.Time
	a    *agent
	slot int // its index in the heap
}

// alertHeap is container/heap's min-heap of alertDue by at, then agent id.
type alertHeap []*alertDue

func (h alertHeap) Len() int { return len(h) }
func (h alertHeap) Less(i, j int) bool {
	if c := h[i].at.Compare(h[j].at); c != 0 {
		return c < 0
	}
	return h[i].a.id < h[j].a.id
}
func (h alertHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].slot, h[j].slot = i, j
}
func (h *alertHeap) Push(x any) {
	d := x.(*alertDue)
	d.slot = len(*h)
	*h = append(*h, d)
}
func (h *alertHeap) Pop() any {
	old := *h
	d := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return d
}

func (b *Board) initAlerts() {
	b.alerts = alertBook{active: map[AlertKey]*Alert{}, namedAt: -1, all: true,
		isTouch: map[*agent]bool{}, dueOf: map[*agent]*alertDue{}, staff: map[*queue]*[2]int{}, staffOf: map[*agent][]*queue{},
		availOf: map[*agent]bool{}, oldest: map[*queue]time.Time{}, dirty: map[*queue]bool{}, look: map[*queue]bool{}, waitDue: map[*queue]time.Time{}}
	b.alerts.set = b.limitsSet || b.opts.QueueLimits.set()
	for _, l := range b.opts.QueueLimitsOf {
		b.alerts.set = b.alerts.set || l.set()
	}
}

// alertAgentChanged says that agent a's state changed (refreshFrom).
func (b *Board) alertAgentChanged(a *agent) {
	if ab := &b.alerts; ab.set && !ab.isTouch[a] {
		ab.isTouch[a] = true
		ab.touched = append(ab.touched, a)
	}
}

// alertQueueChanged says that queue q's calls changed.
func (b *Board) alertQueueChanged(q *queue) {
	if b.alerts.set {
		b.alerts.dirty[q] = true
	}
}

// alertsAgain has the next evaluation look at every agent and queue again
// (the board's calls restored, its directory new).
func (b *Board) alertsAgain() { b.alerts.all = true }

// queueLimits are the limits of queue q: its own (Options.QueueLimitsOf by
// its id, else by its name when no other queue bears it and no table is
// keyed by its id, Options.QueueRules's included: the id wins for rule
// and limits alike, as resolveRules says), their zero
// fields taking the default's; none for a queue its rule hides
// (QueueRule.Hide): a hidden queue raises no alert.
func (b *Board) queueLimits(q *queue) QueueLimits {
	if q.rule.Hide {
		return QueueLimits{}
	}
	if l, ok := b.opts.QueueLimitsOf[q.id]; ok {
		return l.or(b.opts.QueueLimits)
	}
	if _, byID := b.opts.QueueRules[q.id]; byID || len(b.opts.QueueLimitsOf) == 0 {
		return b.opts.QueueLimits // its table by id, without limits, wins over one by its name
	}
	if b.alerts.namedAt != b.namesVersion {
		b.alerts.named, _ = namedQueues(b.queues, b.opts.QueueLimitsOf)
		b.alerts.namedAt = b.namesVersion
	}
	if named, ok := b.alerts.named[q.name]; ok && named == q {
		return b.opts.QueueLimitsOf[q.name].or(b.opts.QueueLimits)
	}
	return b.opts.QueueLimits
}

// abandonRate is a queue's abandon rate over the day so far, in percent:
// abandoned calls (short ones aside) over the calls answered and
// abandoned (short ones aside); false before any such call.
func abandonRate(q *queue) (float64, bool) {
	counted := q.abandoned - q.shortAband
	den := slCalls(FormulaAnswered, q.answered, q.abandoned, q.shortAband, 0)
	if den <= 0 {
		return 0, false
	}
	return 100 * float64(counted) / float64(den), true
}

// queueRules are the rules of a queue, in the order they are looked at.
var queueRules = [...]string{RuleWaitingMax, RuleLongestWaitMax, RuleAbandonRateMax, RuleLoggedInMin, RuleAvailableMin}

// queueFigure is queue q's figure for rule at at, its limit in l, whether
// the figure is past it, and since when (at, but for the longest wait: when
// it passed the limit), from what the book keeps of the queue (its oldest
// call waiting, its agents).
func (b *Board) queueFigure(q *queue, rule string, l QueueLimits, at time.Time) (value, limit float64, past bool, since time.Time) {
	since = at
	switch rule {
	case RuleWaitingMax:
		return float64(q.waiting), float64(l.WaitingMax), l.WaitingMax > 0 && q.waiting > l.WaitingMax, since
	case RuleLongestWaitMax:
		var longest time.Duration
		if oldest, ok := b.alerts.oldest[q]; ok {
			longest = nonNegative(at.Sub(oldest))
			since = oldest.Add(l.LongestWaitMax)
		}
		return longest.Seconds(), l.LongestWaitMax.Seconds(), l.LongestWaitMax > 0 && longest > l.LongestWaitMax, since
	case RuleAbandonRateMax:
		rate, ok := abandonRate(q)
		return rate, l.AbandonRateMax, ok && l.AbandonRateMax > 0 && rate > l.AbandonRateMax, since
	case RuleLoggedInMin, RuleAvailableMin:
		i, min := 0, l.LoggedInMin
		if rule == RuleAvailableMin {
			i, min = 1, l.AvailableMin
		}
		n := 0
		if c := b.alerts.staff[q]; c != nil {
			n = c[i]
		}
		return float64(n), float64(min), min > 0 && n < min, since
	}
	return 0, 0, false, since
}
