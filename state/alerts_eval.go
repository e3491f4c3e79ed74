package state

import (
	"container/heap"
	"slices"
	"time"
)

// evaluateAlerts raises the rules true at now and clears those no longer
// true. Rules that time alone makes true (a wait, an agent's time in a
// state) are raised as of the moment the figure passed its limit, not of
// the evaluation that found it, and every message is evaluated before it
// is applied (time passing) and after: a replay of the same messages
// raises and clears the same alerts at the same times whatever its ticks.
// The changes an evaluation finds are numbered in a fixed order (those
// cleared by rule and subject, then those raised by when, rule and
// subject), so that their numbers do not depend on the board's maps.
//
// The queue rules wait for the state at connect: for AlertSettle after
// the feed goes live, the agents' states and the calls arrive one by one
// and a queue's figures pass through counts it never had; meanwhile no
// queue rule is raised or cleared. The queues that changed are looked at
// by the first evaluation past the window's end, their figures as of that
// end (the messages and the tick at the end included; nothing changed
// them since: every message is evaluated before it is applied), so that a
// replay finds them alike.
func (b *Board) evaluateAlerts(now time.Time) {
	ab := &b.alerts
	if !ab.set || !b.feed.HasData() {
		return
	}
	at := maxTime(b.AsOf(now), ab.at) // time never goes back for the alerts
	settled, settling := b.alertSettle(ab.at, at)
	ab.at = at
	if !ab.day.Equal(b.dayStart) || ab.queues != len(b.queues) || ab.staffAt != b.namesVersion || len(ab.staffOf) != len(b.agents) {
		ab.all = true // a new day's counters, a queue gone, new groups or agents
	}
	ab.day, ab.queues = b.dayStart, len(b.queues)
	found := ab.scratch[:0]
	clearIf := func(a *Alert, gone bool) {
		if gone {
			found = append(found, alertChangeCandidate{a: a, at: at})
		}
	}
	look := ab.look
	if ab.all || ab.always {
		ab.all = false
		b.restaffAll()
		for _, a := range b.agents {
			b.alertAgentChanged(a)
		}
		clear(ab.oldest)
		clear(ab.waitDue)
		for _, q := range b.queues {
			ab.dirty[q] = true
		}
		for _, a := range ab.active { // their subjects gone, or their limits
			switch {
			case a.AgentID != "":
				clearIf(a, b.agents[a.AgentID] == nil || !b.limitsSet)
			default:
				q := b.queues[a.QueueID]
				clearIf(a, q == nil || !b.queueLimits(q).set())
			}
		}
	}
	// the agents whose state changed, then those whose limit time passed
	for _, a := range ab.touched {
		delete(ab.isTouch, a)
		if b.agents[a.id] != a {
			b.unscheduleAlert(a)
			continue
		}
		b.staffChanged(a, look) // its queues' staffing
		found = b.agentAlert(a, at, found)
	}
	clear(ab.touched)
	ab.touched = ab.touched[:0]
	for len(ab.due) > 0 && at.After(ab.due[0].at) {
		d := heap.Pop(&ab.due).(*alertDue)
		delete(ab.dueOf, d.a)
		if b.agents[d.a.id] == d.a {
			found = b.agentAlert(d.a, at, found)
		}
	}
	// the queues whose figures changed, or whose longest wait passed its limit
	for q := range ab.dirty {
		delete(ab.dirty, q)
		b.findOldest(q)
		look[q] = true
	}
	for q, due := range ab.waitDue {
		if at.After(due) {
			look[q] = true
		}
	}
	if settling {
		b.alertsFound(found, at) // the queues wait for the window's end, looked at then
		clear(found)
		ab.scratch = found[:0]
		return
	}
	for q := range look {
		delete(look, q)
		delete(ab.waitDue, q)
		if b.queues[q.id] != q {
			delete(ab.oldest, q)
			continue
		}
		l := b.queueLimits(q)
		if !l.set() {
			continue
		}
		if oldest, ok := ab.oldest[q]; ok && l.LongestWaitMax > 0 && !at.After(oldest.Add(l.LongestWaitMax)) {
			ab.waitDue[q] = oldest.Add(l.LongestWaitMax) // not past yet: when it will be
		}
		for _, rule := range queueRules {
			_, limit, past, since := b.queueFigure(q, rule, l, at)
			if rule != RuleLongestWaitMax && !settled.IsZero() {
				since = settled // as the window ended: nothing changed them since
			}
			key := AlertKey{Rule: rule, QueueID: q.id}
			a, active := ab.active[key]
			switch {
			case past && !active:
				found = append(found, alertChangeCandidate{raised: true, a: &Alert{AlertKey: key, Limit: limit, Since: minTime(since, at)}, at: minTime(since, at)})
			case !past && active:
				when := at
				if rule == RuleAbandonRateMax && a.Since.Before(b.dayStart) {
					when = maxTime(b.dayStart, a.Since) // the day's counters rolled at midnight
				}
				found = append(found, alertChangeCandidate{a: a, at: when})
			}
		}
	}
	b.alertsFound(found, at)
	clear(found)
	ab.scratch = found[:0]
}

// alertSettle says, for an evaluation at at after one at prev, whether the
// queue rules wait (settling: at is within AlertSettle of the feed going
// live, its end included), and when this is the first evaluation past the window, its end
// (settled), as of which the queues' figures are found; else zero.
func (b *Board) alertSettle(prev, at time.Time) (settled time.Time, settling bool) {
	if b.liveAt.IsZero() || b.opts.AlertSettle < 0 {
		return time.Time{}, false
	}
	end := b.liveAt.Add(b.opts.AlertSettle)
	if !at.After(end) { // its end too: the calls not told again turn stale at a tick then (Tick)
		return time.Time{}, true
	}
	if !prev.After(end) && !prev.Before(b.liveAt) {
		return end, false
	}
	return time.Time{}, false
}

// alertsFound numbers and keeps an evaluation's changes, in their order.
func (b *Board) alertsFound(found []alertChangeCandidate, at time.Time) {
	if len(found) == 0 {
		return
	}
	ab := &b.alerts
	slices.SortFunc(found, func(x, y alertChangeCandidate) int {
		if x.raised != y.raised {
			if x.raised {
				return 1
			}
			return -1
		}
		if x.raised {
			if c := x.at.Compare(y.at); c != 0 {
				return c
			}
		}
		return compareAlertKeys(x.a.AlertKey, y.a.AlertKey)
	})
	for i, c := range found {
		if i > 0 && found[i-1].raised == c.raised && found[i-1].a.AlertKey == c.a.AlertKey {
			continue // cleared twice: its subject gone and its state changed
		}
		if c.raised {
			ab.active[c.a.AlertKey] = c.a
			was := *c.a
			was.Value = was.Limit // the figure as it passed the limit
			if !c.a.Since.Before(at) || timeless(c.a.Rule) {
				was.Value = b.alertValue(c.a)
			}
			b.alertChanged(c.at, true, was)
			continue
		}
		if _, ok := ab.active[c.a.AlertKey]; !ok {
			continue
		}
		delete(ab.active, c.a.AlertKey)
		was := *c.a
		was.Value = b.alertValue(c.a)
		was.Acknowledged = b.ackCopy(c.a.AlertKey, c.a.Since)
		b.forgetAck(c.a.AlertKey) // one raised again is not acknowledged
		b.alertChanged(c.at, false, was)
	}
}

// agentAlert looks at agent a's rule at at: its alert cleared when its
// state changed, raised when past its limit, else a's limit scheduled in
// the heap. It returns found with the changes it found.
func (b *Board) agentAlert(a *agent, at time.Time, found []alertChangeCandidate) []alertChangeCandidate {
	ab := &b.alerts
	rule, limit, since := b.agentRule(a)
	for _, r := range agentRules {
		key := AlertKey{Rule: r, AgentID: a.id}
		if act, ok := ab.active[key]; ok && (r != rule || !act.Since.Equal(since) || limit == 0) {
			found = append(found, alertChangeCandidate{a: act, at: at})
		}
	}
	b.unscheduleAlert(a)
	if limit == 0 {
		return found
	}
	key := AlertKey{Rule: rule, AgentID: a.id}
	if act, ok := ab.active[key]; ok && act.Since.Equal(since) {
		return found
	}
	if at.After(since) {
		return append(found, alertChangeCandidate{raised: true, a: &Alert{AlertKey: key, Limit: limit.Seconds(), Since: since}, at: since})
	}
	d := &alertDue{at: since, a: a}
	ab.dueOf[a] = d
	heap.Push(&ab.due, d)
	return found
}

// timeless reports whether rule's figure changes with messages only, not
// as time passes: its value when found is its value when raised.
func timeless(rule string) bool {
	switch rule {
	case RuleWaitingMax, RuleAbandonRateMax, RuleLoggedInMin, RuleAvailableMin:
		return true
	}
	return false
}

// agentRules are the agents' rules.
var agentRules = [...]string{RulePauseMax, RuleCallMax, RuleRingingMax, RuleUnavailableMax}

// agentRule is the rule of agent a's state, its limit (0: none) and when
// its time in state passes it.
func (b *Board) agentRule(a *agent) (string, time.Duration, time.Time) {
	if !b.limitsSet || a.state != Paused && !a.state.OnACall() && a.state != Unavailable {
		return "", 0, time.Time{}
	}
	pause := ""
	if a.state == Paused {
		pause = b.pauseLabel(a.pauseID)
	}
	rule, limit := b.opts.Limits.limitOf(a.state, pause, a.pauseID)
	if limit <= 0 {
		return "", 0, time.Time{}
	}
	return rule, limit, a.shownSince.Add(limit)
}

func (b *Board) unscheduleAlert(a *agent) {
	if d, ok := b.alerts.dueOf[a]; ok {
		heap.Remove(&b.alerts.due, d.slot)
		delete(b.alerts.dueOf, a)
	}
}

// findOldest keeps the entry of queue q's oldest call waiting.
func (b *Board) findOldest(q *queue) {
	var oldest time.Time
	for c := range q.waitingCalls() {
		if oldest.IsZero() || c.entered.Before(oldest) {
			oldest = c.entered
		}
	}
	if oldest.IsZero() {
		delete(b.alerts.oldest, q)
		return
	}
	b.alerts.oldest[q] = oldest
}

// restaffAll counts again the agents logged in and available per queue:
// those whose groups (as the directory lists them) it is, as the Queues
// tab counts them.
func (b *Board) restaffAll() {
	ab := &b.alerts
	clear(ab.staff)
	clear(ab.staffOf)
	clear(ab.availOf)
	for _, a := range b.agents {
		ab.staffOf[a] = nil
		b.staffChanged(a, ab.look)
	}
	ab.staffAt = b.namesVersion
}

// staffChanged counts agent a as it is now in its queues' staffing,
// instead of as it was; the queues whose count changed are put in look.
func (b *Board) staffChanged(a *agent, look map[*queue]bool) {
	ab := &b.alerts
	var queues []*queue
	if a.state.LoggedIn() {
		b.resolveGroups(a)
		queues = a.groupQueues
	}
	avail := a.state == Available
	was, counted := ab.staffOf[a]
	if counted && ab.availOf[a] == avail && slices.Equal(was, queues) {
		return
	}
	for _, q := range was {
		look[q] = true
		if c := ab.staff[q]; q != nil && c != nil {
			c[0]--
			if ab.availOf[a] {
				c[1]--
			}
		}
	}
	for _, q := range queues {
		if q == nil {
			continue
		}
		look[q] = true
		c := ab.staff[q]
		if c == nil {
			c = new([2]int)
			ab.staff[q] = c
		}
		c[0]++
		if avail {
			c[1]++
		}
	}
	ab.staffOf[a], ab.availOf[a] = queues, avail
}

// alertChanged numbers and keeps a change.
func (b *Board) alertChanged(at time.Time, raised bool, a Alert) {
	ab := &b.alerts
	ab.seq++
	a.Subject = b.alertSubject(a.AlertKey)
	c := AlertChange{Seq: ab.seq, At: at, Raised: raised, Alert: a}
	if len(ab.changes) < MaxAlertChanges {
		ab.changes = append(ab.changes, c)
		return
	}
	ab.changes[ab.first] = c
	ab.first = (ab.first + 1) % MaxAlertChanges
}

// alertSubject is the name of an alert's queue or agent, sanitised.
func (b *Board) alertSubject(k AlertKey) string {
	if k.AgentID != "" {
		if a := b.agents[k.AgentID]; a != nil {
			return Sanitize(a.name)
		}
		return Sanitize("#" + k.AgentID)
	}
	return Sanitize(b.groupName(k.QueueID))
}

// alertValue is an active alert's figure as of the last evaluation.
func (b *Board) alertValue(a *Alert) float64 {
	at := b.alerts.at
	if a.AgentID != "" {
		return at.Sub(a.Since).Seconds() + a.Limit // its time in state: the limit, and since it passed it
	}
	q := b.queues[a.QueueID]
	if q == nil {
		return a.Value
	}
	v, _, _, _ := b.queueFigure(q, a.Rule, b.queueLimits(q), at)
	return v
}

// Alerts are the active alerts, newest first (then by rule and subject's
// id), copies with their figures as of the last evaluation and who
// acknowledged them.
func (b *Board) Alerts() []Alert {
	if len(b.alerts.active) == 0 {
		return nil
	}
	out := make([]Alert, 0, len(b.alerts.active))
	for _, a := range b.alerts.active {
		c := *a
		c.Value, c.Subject = b.alertValue(a), b.alertSubject(a.AlertKey)
		c.Acknowledged = b.ackCopy(a.AlertKey, a.Since)
		out = append(out, c)
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
func (b *Board) AlertChanges() []AlertChange {
	ab := &b.alerts
	if len(ab.changes) == 0 {
		return nil
	}
	return append(slices.Clone(ab.changes[ab.first:]), ab.changes[:ab.first]...)
}

// ackCopy is a copy of the acknowledgement of key's alert raised at since,
// nil when nobody acknowledged it.
func (b *Board) ackCopy(key AlertKey, since time.Time) *Acknowledgement {
	if a := b.ackOf(key, since); a != nil {
		c := *a
		return &c
	}
	return nil
}
