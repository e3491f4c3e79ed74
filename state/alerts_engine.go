package state

import (
	"cmp"
	"slices"
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
	if l.WaitingMax == 0 {
		l.WaitingMax = d.WaitingMax
	}
	if l.LongestWaitMax == 0 {
		l.LongestWaitMax = d.LongestWaitMax
	}
	if l.AvailableMin == 0 {
		l.AvailableMin = d.AvailableMin
	}
	if l.LoggedInMin == 0 {
		l.LoggedInMin = d.LoggedInMin
	}
	if l.AbandonRateMax == 0 {
		l.AbandonRateMax = d.AbandonRateMax
	}
	return l
}

// MaxAlertChanges is how many of the last alert changes a board keeps
// (View.AlertChanges).
const MaxAlertChanges = 256

// alertBook is the board's alerts: those active, and the last changes.
// They are derived from the board by evaluateAlerts, at every message and
// tick; a checkpoint carries them (with the count of changes) so that a
// board loaded from it goes on numbering where the replay would.
type alertBook struct {
	set     bool                  // any limit is set: alerts are evaluated
	active  map[AlertKey]*Alert   // by key
	seq     uint64                // the last change's Seq
	changes []AlertChange         // the last MaxAlertChanges, oldest first
	named   map[string]string     // the queues' names limited in Options.QueueLimitsOf and borne by one queue: name → id
	namedAt int                   // namesVersion named was worked out at, -1 when never
	wanted  map[AlertKey]alertNow // scratch of evaluateAlerts
}

// alertNow is a rule found true at an evaluation: the figure, the limit,
// when the figure passed it and whose it is.
type alertNow struct {
	value, limit float64
	since        time.Time
	subject      string
}

func (b *Board) initAlerts() {
	b.alerts = alertBook{active: map[AlertKey]*Alert{}, wanted: map[AlertKey]alertNow{}, namedAt: -1}
	b.alerts.set = b.limitsSet || b.opts.QueueLimits.set()
	for _, l := range b.opts.QueueLimitsOf {
		b.alerts.set = b.alerts.set || l.set()
	}
}

// queueLimits are the limits of queue q: its own (Options.QueueLimitsOf by
// its id, else by its name when no other queue bears it), their zero
// fields taking the default's.
func (b *Board) queueLimits(q *queue) QueueLimits {
	if l, ok := b.opts.QueueLimitsOf[q.id]; ok {
		return l.or(b.opts.QueueLimits)
	}
	if len(b.opts.QueueLimitsOf) == 0 {
		return b.opts.QueueLimits
	}
	if b.alerts.namedAt != b.namesVersion {
		b.alerts.named = queueIDsByName(b.queues, b.opts.QueueLimitsOf)
		b.alerts.namedAt = b.namesVersion
	}
	if id, ok := b.alerts.named[q.name]; ok && id == q.id {
		return b.opts.QueueLimitsOf[q.name].or(b.opts.QueueLimits)
	}
	return b.opts.QueueLimits
}

// queueIDsByName maps each key of keyed that is no queue's id to the id of
// the one queue named so; a name two queues bear is left out.
func queueIDsByName[T any](queues map[string]*queue, keyed map[string]T) map[string]string {
	named := map[string]string{}
	bearers := map[string]int{}
	for id, q := range queues {
		if _, ok := keyed[q.name]; !ok {
			continue
		}
		if _, isID := queues[q.name]; isID {
			continue
		}
		bearers[q.name]++
		named[q.name] = id
	}
	for name, n := range bearers {
		if n > 1 {
			delete(named, name)
		}
	}
	return named
}

// abandonRate is a queue's abandon rate over the day so far, in percent:
// abandoned calls (short ones aside) over the calls answered and
// abandoned (short ones aside); false before any such call.
func abandonRate(q *queue) (float64, bool) {
	counted := q.abandoned - q.shortAband
	den := q.answered + counted
	if den <= 0 {
		return 0, false
	}
	return 100 * float64(counted) / float64(den), true
}

// evaluateAlerts raises the rules true at now and clears those no longer
// true. Rules that time alone makes true (a wait, an agent's time in a
// state) are raised as of the moment the figure passed its limit, not of
// the tick that found it, and every message is evaluated before it is
// applied (time passing) and after: a replay of the same messages raises
// and clears the same alerts at the same times whatever its ticks.
func (b *Board) evaluateAlerts(now time.Time) {
	ab := &b.alerts
	if !ab.set || !b.feed.HasData() {
		return
	}
	at := b.AsOf(now)
	staffed := b.staffedOnce()
	want := ab.wanted
	clear(want)
	b.queueAlerts(at, want, staffed)
	if b.limitsSet {
		b.agentAlerts(at, want)
	}
	var cleared []*Alert
	for key, a := range ab.active {
		if w, ok := want[key]; ok {
			a.Value, a.Subject = w.value, w.subject
			continue
		}
		cleared = append(cleared, a)
	}
	slices.SortFunc(cleared, func(x, y *Alert) int { return compareAlertKeys(x.AlertKey, y.AlertKey) })
	for _, a := range cleared {
		when := at
		if a.Rule == RuleAbandonRateMax && a.Since.Before(b.dayStart) {
			when = maxTime(b.dayStart, a.Since) // the day's counters rolled at midnight
		}
		if q := b.queues[a.QueueID]; q != nil && a.QueueID != "" {
			a.Value, _, _, _ = queueFigure(q, a.Rule, b.queueLimits(q), at, staffed) // what cleared it
		}
		delete(ab.active, a.AlertKey)
		b.alertChanged(when, false, *a)
	}
	if len(want) == len(ab.active) {
		return
	}
	var raised []*Alert
	for key, w := range want {
		if _, ok := ab.active[key]; ok {
			continue
		}
		a := &Alert{AlertKey: key, Subject: w.subject, Value: w.value, Limit: w.limit, Since: minTime(w.since, at)}
		ab.active[key] = a
		raised = append(raised, a)
	}
	slices.SortFunc(raised, func(x, y *Alert) int {
		if c := x.Since.Compare(y.Since); c != 0 {
			return c
		}
		return compareAlertKeys(x.AlertKey, y.AlertKey)
	})
	for _, a := range raised {
		was := *a
		if a.Since.Before(at) {
			was.Value = a.Limit // passed by time alone: the figure as it passed the limit
		}
		b.alertChanged(a.Since, true, was)
	}
}

func compareAlertKeys(x, y AlertKey) int {
	return cmp.Or(cmp.Compare(x.Rule, y.Rule), cmp.Compare(x.QueueID, y.QueueID), cmp.Compare(x.AgentID, y.AgentID))
}

// alertChanged numbers and keeps a change.
func (b *Board) alertChanged(at time.Time, raised bool, a Alert) {
	ab := &b.alerts
	ab.seq++
	if len(ab.changes) == MaxAlertChanges {
		ab.changes = append(ab.changes[:0:0], ab.changes[1:]...)
	}
	ab.changes = append(ab.changes, AlertChange{Seq: ab.seq, At: at, Raised: raised, Alert: a})
}

// queueRules are the rules of a queue, in the order they are looked at.
var queueRules = [...]string{RuleWaitingMax, RuleLongestWaitMax, RuleAbandonRateMax, RuleLoggedInMin, RuleAvailableMin}

// queueFigure is queue q's figure for rule at at, its limit in l, whether
// the figure is past it, and since when (at, but for the longest wait: when
// it passed the limit). staffed gives the agents logged in and available
// per queue (staffing), worked out once.
func queueFigure(q *queue, rule string, l QueueLimits, at time.Time, staffed func() map[*queue][2]int) (value, limit float64, past bool, since time.Time) {
	since = at
	switch rule {
	case RuleWaitingMax:
		return float64(q.waiting), float64(l.WaitingMax), l.WaitingMax > 0 && q.waiting > l.WaitingMax, since
	case RuleLongestWaitMax:
		var oldest time.Time
		if q.waiting > 0 {
			for _, c := range q.calls {
				if classOf(c) == classWaiting && (oldest.IsZero() || c.entered.Before(oldest)) {
					oldest = c.entered
				}
			}
		}
		var longest time.Duration
		if !oldest.IsZero() {
			longest = nonNegative(at.Sub(oldest))
			since = oldest.Add(l.LongestWaitMax)
		}
		return longest.Seconds(), l.LongestWaitMax.Seconds(), l.LongestWaitMax > 0 && longest > l.LongestWaitMax, since
	case RuleAbandonRateMax:
		rate, ok := abandonRate(q)
		return rate, l.AbandonRateMax, ok && l.AbandonRateMax > 0 && rate > l.AbandonRateMax, since
	case RuleLoggedInMin:
		if l.LoggedInMin == 0 {
			return 0, 0, false, since
		}
		n := staffed()[q][0]
		return float64(n), float64(l.LoggedInMin), n < l.LoggedInMin, since
	case RuleAvailableMin:
		if l.AvailableMin == 0 {
			return 0, 0, false, since
		}
		n := staffed()[q][1]
		return float64(n), float64(l.AvailableMin), n < l.AvailableMin, since
	}
	return 0, 0, false, since
}

// staffedOnce is staffing, worked out at its first call only.
func (b *Board) staffedOnce() func() map[*queue][2]int {
	var n map[*queue][2]int
	return func() map[*queue][2]int {
		if n == nil {
			n = b.staffing()
		}
		return n
	}
}

// queueAlerts adds to want the queues' rules true at at.
func (b *Board) queueAlerts(at time.Time, want map[AlertKey]alertNow, staffed func() map[*queue][2]int) {
	for _, q := range b.queues {
		l := b.queueLimits(q)
		if !l.set() {
			continue
		}
		for _, rule := range queueRules {
			if value, limit, past, since := queueFigure(q, rule, l, at, staffed); past {
				want[AlertKey{Rule: rule, QueueID: q.id}] = alertNow{value: value, limit: limit, since: since, subject: Sanitize(q.name)}
			}
		}
	}
}

// staffing is, per queue, its agents (those whose groups it is: the
// directory names each agent's groups, and a queue is a group) logged in
// and available, as the Queues tab counts them.
func (b *Board) staffing() map[*queue][2]int {
	n := make(map[*queue][2]int, len(b.queues))
	for _, a := range b.agents {
		if !a.state.LoggedIn() {
			continue
		}
		b.resolveGroups(a)
		for _, q := range a.groupQueues {
			if q == nil {
				continue
			}
			c := n[q]
			c[0]++
			if a.state == Available {
				c[1]++
			}
			n[q] = c
		}
	}
	return n
}

// agentAlerts adds to want the agents' rules (Options.Limits) true at at.
func (b *Board) agentAlerts(at time.Time, want map[AlertKey]alertNow) {
	for _, a := range b.agents {
		if a.state != Paused && !a.state.OnACall() && a.state != Unavailable {
			continue
		}
		pause := ""
		if a.state == Paused {
			pause = b.pauseLabel(a.pauseID)
		}
		rule, limit := b.opts.Limits.limitOf(a.state, pause, a.pauseID)
		if in := at.Sub(a.shownSince); limit > 0 && in > limit {
			want[AlertKey{Rule: rule, AgentID: a.id}] = alertNow{value: in.Seconds(), limit: limit.Seconds(), since: a.shownSince.Add(limit), subject: Sanitize(a.name)}
		}
	}
}

// Alerts are the active alerts, newest first (then by rule and subject's
// id), copies.
func (b *Board) Alerts() []Alert {
	if len(b.alerts.active) == 0 {
		return nil
	}
	out := make([]Alert, 0, len(b.alerts.active))
	for _, a := range b.alerts.active {
		out = append(out, *a)
	}
	slices.SortFunc(out, func(x, y Alert) int {
		if c := y.Since.Compare(x.Since); c != 0 {
			return c
		}
		return compareAlertKeys(x.AlertKey, y.AlertKey)
	})
	return out
}

// AlertChanges are the last changes (at most MaxAlertChanges), oldest
// first: Seq counts every change the board made.
func (b *Board) AlertChanges() []AlertChange { return slices.Clone(b.alerts.changes) }
