package state

import (
	"strings"
	"time"

	"callboard/feed"
)

// Rejection reasons the reducer itself gives (the decoder gives its own).
const (
	ReasonMissingOperator = "missing id_operator"
	ReasonMissingQueue    = "missing id_queue"
	ReasonMissingTrunk    = "missing id_trunk"
	ReasonMissingCall     = "missing id_call"
	ReasonUnknownCall     = "call never seen"
)

// Apply folds one event, received at now, into the board.
func (b *Board) Apply(ev *feed.Event, now time.Time) {
	b.rollDay(now)
	b.evaluateAlerts(now) // time passing, before the event
	defer b.evaluateAlerts(now)
	b.received = now
	b.feed.Events++
	b.feed.LastEventAt = now
	u := &ev.Update
	b.checkSeq(u) // a rejected update too, when its cpt could be read
	if ev.Err != nil {
		b.reject(ev, now, ev.Err.Reason)
		return
	}
	at := now.Add(-u.Elapse)
	var note string
	switch u.Kind {
	case feed.KindOperator:
		note = b.applyOperator(u, at)
	case feed.KindUI:
		note = b.applyUI(u, at)
	case feed.KindQueue:
		note = b.applyQueue(u, at)
	case feed.KindTrunk:
		note = b.applyTrunk(u, at)
	case feed.KindPushCall:
		// Its fields are not documented: every caller number it gives
		// (caller_id_num, number, phone…) is one an agent was asked to call.
		scanValues(ev.Raw, func(v jsonValue) {
			if v.caller {
				b.reach(v.text(ev.Raw), at, ReachedCalledBack)
			}
		})
		note = ""
	default:
		note = noteUnknown
	}
	switch note {
	case "":
		agent, queue := b.aboutOf(u)
		b.log.add(LogEntry{At: now, Raw: ev.Raw, Kind: string(u.Kind), Name: u.Name, AgentID: agent, QueueID: queue})
	case noteUnknown:
		b.feed.Unknown++
		key := unknownKey(u)
		if _, ok := b.feed.UnknownBy[key]; !ok && len(b.feed.UnknownBy) >= maxUnknownKeys {
			key = unknownOther
		}
		b.feed.UnknownBy[key]++
		agent, queue := b.aboutOf(u)
		b.log.add(LogEntry{At: now, Raw: ev.Raw, Kind: string(u.Kind), Name: u.Name, Unknown: true, AgentID: agent, QueueID: queue})
	case noteRefused:
		reason, note, _ := strings.Cut(b.refused, "\x00")
		b.refused = ""
		b.rejectNoted(ev, now, reason, reason+": "+note)
	default:
		b.reject(ev, now, note)
	}
	if b.feed.State == feed.Live {
		b.waited.changed(now, b.waiting, b.sampleQueues)
	}
}

// unknownKey names what the board did not know in u: its kind, its event
// name within the kind, or its operator status ("operator/status/xyz").
// It is outside text: sanitise it before display.
func unknownKey(u *feed.Update) string {
	key := string(u.Kind) + "/" + u.Name
	if u.Kind == feed.KindOperator && u.Name == "status" {
		key += "/" + string(u.Msg.Status)
	}
	if len(key) > 200 {
		key = key[:200] // a hostile server's kind must not grow the map's keys without end
	}
	return key
}

// maxUnknownKeys bounds the distinct names FeedHealth.UnknownBy counts
// (each view copies them): beyond, a hostile server's endless new names are
// counted under unknownOther.
const maxUnknownKeys = 1000

// unknownOther is the UnknownBy key of the names past maxUnknownKeys.
const unknownOther = "(other names)"

// noteUnknown marks an event that was kept but not understood.
const noteUnknown = "\x00unknown"

// noteRefused marks an event refused by a cap on ids: Board.refused says
// why.
const noteRefused = "\x00refused"

func (b *Board) reject(ev *feed.Event, now time.Time, reason string) {
	note := reason
	if ev.Err != nil {
		note = ev.Err.Error() // the reason and which field, e.g. "bad duration: elapse: 1e+12 s is beyond 24 h"
	}
	b.rejectNoted(ev, now, reason, note)
}

// rejectNoted counts ev as rejected for reason and logs it with note.
func (b *Board) rejectNoted(ev *feed.Event, now time.Time, reason, note string) {
	b.feed.Rejected++
	b.feed.RejectedBy[reason]++
	agent, queue := b.aboutOf(&ev.Update)
	b.log.add(LogEntry{At: now, Raw: ev.Raw, Kind: string(ev.Update.Kind), Name: ev.Update.Name, Rejected: note, AgentID: agent, QueueID: queue})
}

func (b *Board) checkSeq(u *feed.Update) {
	if !u.HasSeq {
		return
	}
	if b.feed.hasSeq && u.Seq != b.feed.LastSeq+1 {
		b.feed.Gaps++
	}
	b.feed.LastSeq, b.feed.hasSeq = u.Seq, true
}

func (b *Board) applyOperator(u *feed.Update, at time.Time) string {
	if u.Name != "status" {
		return noteUnknown
	}
	id := string(u.Msg.Operator)
	if id == "" {
		return ReasonMissingOperator
	}
	a := b.eventAgent(id, at)
	if a == nil {
		return noteRefused
	}
	lastSeen := a.seen // zero on first sight
	if a.stale {
		lastSeen = time.Time{} // what it did since the outage was not seen
	}
	a.seen, a.stale = at, false
	a.status = keptStatus(string(u.Msg.Status), a.status)
	if a.status == "calling" {
		b.reach(string(u.Msg.Caller), at, ReachedCalledBack)
	}
	switch a.status {
	case "available", "unavailable", "":
		a.call = nil
	default:
		c := &agentCall{id: string(u.Msg.Call), caller: string(u.Msg.Caller), queue: string(u.Msg.Queue), recorded: u.Msg.Recorded(), placed: a.status == "calling"}
		if a.call != nil && (c.id == "" || c.id == a.call.id) {
			c.placed = c.placed || a.call.placed
			// a later status of the same call may omit what an earlier one said
			if c.id == "" {
				c.id = a.call.id
			}
			if c.caller == "" {
				c.caller = a.call.caller
			}
			if c.queue == "" || c.queue == "0" {
				c.queue = a.call.queue
			}
		}
		var was agentCall // whose strings are kept already
		switch q := b.queues[c.queue]; {
		case q != nil && q.calls[c.id] != nil:
			qc := q.calls[c.id]
			was = agentCall{id: qc.id, caller: qc.caller, queue: q.id}
		case a.call != nil:
			was = *a.call
		}
		c.id, c.caller, c.queue = kept(c.id, was.id), kept(c.caller, was.caller), kept(c.queue, was.queue)
		c.shownCaller = b.showCaller(c.caller)
		a.call = c
	}
	began := at
	if a.status == "connected" {
		// a call in progress says how long it has lasted when sent: it
		// began that long before it came, or at the event if earlier (an
		// event dated by its elapse at the call's start says the same
		// once), though not before the last event that said otherwise
		began = maxTime(minTime(at, b.received.Add(-u.Msg.CallDuration.Seconds())), lastSeen)
	}
	b.refreshFrom(a, at, began)
	if !knownStatus(a.status) {
		return noteUnknown
	}
	return ""
}

// kept is s to keep in place of was: was when they are the same, else a
// copy of s, so that what the board keeps is not a slice of the update s
// came in (which would keep all its text).
func kept(s, was string) string {
	if s == was {
		return was
	}
	return strings.Clone(s)
}

// keptStatus is kept for an operator status: the known ones are constants.
func keptStatus(s, was string) string {
	for _, known := range [...]string{"available", "ringing", "calling", "connected", "unavailable"} {
		if s == known {
			return known
		}
	}
	return kept(s, was)
}

// agentID is id to keep as an agent's: the board's own copy when it knows
// the agent.
func (b *Board) agentID(id string) string {
	if a := b.agents[id]; a != nil {
		return a.id
	}
	return strings.Clone(id)
}

func knownStatus(s string) bool {
	switch s {
	case "available", "ringing", "calling", "connected", "unavailable":
		return true
	}
	return false
}

func (b *Board) applyUI(u *feed.Update, at time.Time) string {
	id := string(u.Msg.Operator)
	if id == "" {
		return ReasonMissingOperator
	}
	switch u.Name {
	case "login", "logout", "pause":
	default:
		return noteUnknown
	}
	a := b.eventAgent(id, at)
	if a == nil {
		return noteRefused
	}
	switch u.Name {
	case "login":
		a.presence, a.pauseID = presenceIn, ""
	case "logout":
		a.presence, a.pauseID, a.status, a.call = presenceOut, "", "", nil
	case "pause":
		supp := string(u.Msg.Supp)
		if b.resume[supp] {
			a.presence, a.pauseID = presenceIn, ""
		} else {
			a.presence, a.pauseID = presencePaused, kept(supp, a.pauseID)
		}
	}
	a.seen, a.stale = at, false
	b.refresh(a, at)
	return ""
}

// refresh recomputes an agent's displayed state and, when it changed,
// closes the period of the old one into today's totals.
func (b *Board) refresh(a *agent, at time.Time) { b.refreshFrom(a, at, at) }

// refreshFrom is refresh for an event at at that says its state began at
// began (earlier, for a call that says how long it has lasted): the time
// in state counts from there.
func (b *Board) refreshFrom(a *agent, at, began time.Time) {
	next := a.computeState()
	pauseChanged := next == Paused && a.state == Paused && a.pauseID != a.shownPause
	if next == a.state && !pauseChanged {
		return
	}
	// An event dated (by its elapse) before the current period began
	// ends it where it began: the periods counted never overlap, so that
	// no time is counted twice. Its time in state is as the event says.
	begun := maxTime(at, a.since)
	b.closePeriod(a, begun)
	if next == OnCall && a.state != OnCall && a.call != nil {
		switch c := a.call; {
		case c.placed:
			if c.id == "" || c.id != a.lastOutbound {
				a.outbound++
				a.lastOutbound = c.id
			}
		case b.queues[c.queue] != nil:
			if qc := b.queues[c.queue].calls[c.id]; qc != nil {
				b.credit(qc, a)
			}
		}
	}
	a.state, a.since, a.shownPause, a.shownSince = next, begun, a.pauseID, minTime(began, at)
	if bf := a.before; bf != nil && bf.state == next && bf.pause == a.pauseID && bf.call == a.callID() {
		a.shownSince = bf.shownSince // described again, not begun again
	}
	b.alertAgentChanged(a)
}

// callID is the agent's current call, "" when none.
func (a *agent) callID() string {
	if a.call == nil {
		return ""
	}
	return a.call.id
}

// closePeriod adds the time spent in the current state, within today, to
// the agent's totals.
func (b *Board) closePeriod(a *agent, at time.Time) {
	// the intervals before at's keep their figures: what the period adds to
	// them is what the views counted of it while it lasted (keptIntervals)
	b.views.intervals.changed(b.intervalIndex(at))
	start := a.since
	if start.Before(b.since) {
		start = b.since
	}
	d := at.Sub(start)
	if d <= 0 {
		return
	}
	b.addPresence(a.state, a.groupsKey(), start, at)
	switch a.state {
	case OnCall:
		a.onCall += d
	case Paused:
		a.paused += d
		if a.pausedBy == nil {
			a.pausedBy = map[string]time.Duration{}
		}
		a.pausedBy[b.pauseReason(a.shownPause)] += d
	}
	if a.state.LoggedIn() {
		a.loggedIn += d
	}
}

func (a *agent) computeState() AgentState {
	if a.presence == presenceOut {
		return LoggedOut
	}
	switch a.status {
	case "ringing":
		return Ringing
	case "calling":
		return Calling
	case "connected":
		return OnCall
	}
	if a.presence == presencePaused {
		return Paused
	}
	switch a.status {
	case "unavailable":
		return Unavailable
	case "available":
		return Available
	case "":
		if a.presence == presenceIn {
			return Available
		}
		return Unknown
	}
	return Other
}

func (b *Board) applyQueue(u *feed.Update, at time.Time) string {
	qid, cid := string(u.Msg.Queue), string(u.Msg.Call)
	if qid == "" {
		return ReasonMissingQueue
	}
	if cid == "" {
		return ReasonMissingCall
	}
	q := b.eventQueue(qid)
	switch {
	case q == nil:
		return noteRefused
	case u.Name != "insert_call" && u.Name != "connect_call" && u.Name != "delete_call":
		return noteUnknown
	}
	was := q.calls[cid]
	wasClass := classOf(was)
	note := b.applyQueueCall(u, at, q, cid)
	b.queueCallChanged(q, cid, was, wasClass)
	return note
}

// applyQueueCall applies queue update u, dated at, to call cid of queue q.
func (b *Board) applyQueueCall(u *feed.Update, at time.Time, q *queue, cid string) string {
	qid := q.id
	c := q.calls[cid]
	if c == nil {
		c = b.comeBack(q, cid)
	}
	switch u.Name {
	case "insert_call":
		if c == nil {
			cid = strings.Clone(cid) // kept: not a slice of the update it came in
			c = &call{id: cid, entered: at.Add(-u.Msg.DurationInQueue.Seconds()), day: b.dayOf(at)}
			q.calls[cid] = c
			b.countOffered(qid, c.entered, at)
		}
		if u.Msg.Caller != "" {
			c.caller = kept(string(u.Msg.Caller), c.caller)
		}
		b.record(qid, c, at).caller = c.caller
		if u.Msg.Priority != "" {
			c.priority = kept(string(u.Msg.Priority), c.priority)
		}
		if u.Msg.VIPRate != "" {
			c.vipRate = kept(string(u.Msg.VIPRate), c.vipRate)
		}
		c.seen, c.heard, c.stale = at, b.received, false
		c.lostSight = false // waiting still: not answered while out of sight
	case "connect_call":
		if c == nil {
			// On the line before we saw it enter: when it entered and was
			// answered is not known. It is not offered, answered nor
			// waited today; it is counted apart.
			cid = strings.Clone(cid)
			c = &call{id: cid, entered: at, answeredAt: at, caller: strings.Clone(string(u.Msg.Caller)), day: b.dayOf(at), beforeStart: true}
			q.calls[cid] = c
			if b.today(c.day) {
				q.beforeStart++
			}
			b.reach(c.caller, at, ReachedAnsweredLater)
		}
		if c.answeredAt.IsZero() && at.Before(b.lookedFrom) {
			// its entry told first (the burst after init), but answered
			// before the board began to look: on the line at start too
			b.answeredBeforeStart(q, c, at)
		}
		c.seen, c.heard, c.stale = at, b.received, false
		if c.caller == "" {
			c.caller = strings.Clone(string(u.Msg.Caller))
		}
		rec := b.record(qid, c, at)
		operator := b.agentID(string(u.Msg.Operator))
		if operator != "" {
			rec.agent = operator
		}
		if c.answeredAt.IsZero() {
			c.answeredAt = at
			b.setTime(rec, timeAnswered, at)
			b.reach(c.caller, at, ReachedAnsweredLater)
			if b.today(c.day) { // a call of the day before counts in its day
				wait := nonNegative(at.Sub(c.entered))
				q.answered++
				q.totalWait += wait
				b.countAnswered(qid, at, wait)
				if wait <= q.rule.Threshold {
					q.answeredInSL++
				}
			}
		}
		if operator != "" {
			c.agent = operator
		}
		b.creditOperator(q, c, operator)
	case "delete_call":
		if c == nil {
			return ReasonUnknownCall
		}
		delete(q.calls, cid)
		rec := b.record(qid, c, at)
		b.setTime(rec, timeEnded, at)
		if c.answeredAt.IsZero() && c.lostSight {
			// its answer may have come while the board did not look: not
			// abandoned, not known
			rec.unsure = true
		} else if c.answeredAt.IsZero() && b.today(c.day) {
			q.abandoned++
			if at.Sub(c.entered) < q.rule.ShortAbandon {
				q.shortAband++
			}
			b.abandon(q, c, at)
			b.countAbandoned(qid, at, nonNegative(at.Sub(c.entered)))
		}
	}
	return ""
}

func (b *Board) applyTrunk(u *feed.Update, at time.Time) string {
	tid, cid := string(u.Msg.Trunk), string(u.Msg.Call)
	if tid == "" {
		return ReasonMissingTrunk
	}
	if cid == "" {
		return ReasonMissingCall
	}
	t := b.eventTrunk(tid)
	if t == nil {
		return noteRefused
	}
	was := t.calls[cid]
	if was == nil {
		cid = strings.Clone(cid) // kept: not a slice of the update it came in
	}
	note := b.applyTrunkCall(u, at, t, cid)
	b.trunkCallChanged(t, cid, was)
	return note
}

// applyTrunkCall applies trunk update u, dated at, to call cid of trunk t.
func (b *Board) applyTrunkCall(u *feed.Update, at time.Time, t *trunk, cid string) string {
	c := t.calls[cid]
	if key := t.id + "\x00" + cid; c == nil && b.goneTrunk[key] != nil {
		c = b.goneTrunk[key] // swept, heard of again: the same call
		delete(b.goneTrunk, key)
		t.calls[cid] = c
	}
	switch u.Name {
	case "insert_call":
		if c == nil {
			c = &trunkCall{day: b.dayOf(at)}
			t.calls[cid] = c
			if b.today(c.day) {
				t.total++
			}
		}
		c.seen, c.heard, c.stale = at, b.received, false
		c.lostSight = false // ringing still
	case "connect_call":
		if c == nil { // connected before we saw it: counted apart
			c = &trunkCall{day: b.dayOf(at), connected: true, beforeStart: true}
			t.calls[cid] = c
			if b.today(c.day) {
				t.beforeStart++
			}
		}
		c.seen, c.heard, c.stale = at, b.received, false
		if !c.connected && at.Before(b.lookedFrom) { // as for queues
			c.beforeStart = true
			if b.today(c.day) {
				t.total--
				t.beforeStart++
			}
		}
		if !c.connected {
			c.connected = true
			if b.today(c.day) && !c.beforeStart {
				t.answered++
			}
		}
	case "delete_call":
		if c == nil {
			return ReasonUnknownCall
		}
		delete(t.calls, cid)
		if !c.connected && !c.lostSight && b.today(c.day) {
			t.missed++
		}
	default:
		return noteUnknown
	}
	return ""
}

// Tick lets time pass: the day rolls over at midnight, calls with no
// event for CallTTL are swept (kept aside for the rest of their day: heard
// of again, they come back as they were), placeholders are dropped (see
// PlaceholderTTL; at most every placeholderSweep), and after a reconnect the calls that no
// update has mentioned again within StaleCallWindow turn stale (they leave
// the counts) and are swept after StaleCallSweep. Call it now and then (the
// views call it). It looks only at the calls that are due (deadlines.go):
// a tick with nothing due costs the same on any board.
func (b *Board) Tick(now time.Time) {
	defer b.evaluateAlerts(now)
	if b.tickWith != nil {
		b.tickWith(now)
		return
	}
	staling, sweeping := b.passTime(now)
	b.tickDue(now, staling, sweeping)
	b.tickRest(now, b.waiting)
}

// passTime is what a tick does first: the day rolls, and whether the calls
// heard of before the feed last went live are stale now (staling) and to
// be swept (sweeping).
func (b *Board) passTime(now time.Time) (staling, sweeping bool) {
	b.rollDay(now)
	sinceLive := now.Sub(b.liveAt)
	staling = !b.liveAt.IsZero() && sinceLive >= b.opts.StaleCallWindow
	sweeping = staling && sinceLive >= b.opts.StaleCallSweep
	if staling && b.agentsBefore {
		for _, a := range b.agents {
			a.before = nil
		}
		b.agentsBefore = false
	}
	return staling, sweeping
}

// tickRest is what a tick does once the calls are looked at: placeholders
// go, and the calls waiting (waiting) are kept in the last hour's.
func (b *Board) tickRest(now time.Time, waiting int) {
	if now.Sub(b.swept) >= placeholderSweep { // after the calls' sweep: a queue it emptied may go
		b.dropPlaceholders(now)
	}
	b.waited.passed(now)
	if b.feed.State == feed.Live {
		b.waited.record(now, waiting, b.sampleQueues)
	}
}

// rollDay resets today's counters when now is past the day of b.since.
func (b *Board) rollDay(now time.Time) {
	if !b.nextDayOf.Equal(b.since) || b.nextDay.IsZero() {
		b.nextDay, b.nextDayOf = nextDayStart(b.since, b.opts.Location), b.since
	}
	if now.Before(b.nextDay) {
		return // still the day of b.since
	}
	midnight := startOfDay(now, b.opts.Location)
	if !b.since.Before(midnight) {
		return
	}
	for _, a := range b.agents {
		b.closePeriod(a, midnight)
		a.answered, a.outbound, a.onCall, a.paused, a.pausedBy, a.loggedIn = 0, 0, 0, 0, nil, 0
	}
	for _, q := range b.queues {
		q.answered, q.answeredInSL, q.abandoned, q.shortAband, q.totalWait, q.beforeStart = 0, 0, 0, 0, 0, 0
	}
	for _, t := range b.trunks {
		t.total, t.answered, t.missed, t.beforeStart = 0, 0, 0, 0
	}
	b.since, b.dayStart = midnight, midnight
	b.abandoned, b.toCallBack, b.intervals = nil, map[string][]*abandonedCall{}, nil
	// a call belongs to the day it entered: those still going on are the
	// old day's, in its log and its figures, not in the new day's
	b.carried = b.carried[:0:0]
	for _, c := range b.callLog {
		if !c.hasTime(timeEnded) && !c.hasTime(timeLost) {
			b.carried = append(b.carried, c) // followed to its end for the old day's report
		}
	}
	b.callLog = b.callLog[:0:0]
	b.gone, b.goneTrunk = map[string]*call{}, map[string]*trunkCall{}
	kept := b.outages[:0]
	for _, o := range b.outages {
		if o.To.IsZero() || o.To.After(midnight) {
			kept = append(kept, o)
		}
	}
	b.outages = kept
	b.dropPlaceholders(midnight)
}

// startOfDay is the first instant of t's calendar date in loc. That is
// midnight but on the days whose midnight does not exist (a DST change at
// 00:00, as in America/Santiago, goes from 23:59:59 to 01:00), where
// time.Date may answer with an instant of the day before.
func startOfDay(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	y, m, d := t.Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, loc)
	for sameDate(start.Add(-time.Minute), y, m, d) { // a midnight that came early cannot be
		start = start.Add(-time.Minute)
	}
	for !sameDate(start, y, m, d) {
		start = start.Add(time.Minute) // zone changes fall on whole minutes
	}
	return start
}

// nextDayStart is the first instant of the calendar date after t's in loc.
func nextDayStart(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return startOfDay(time.Date(y, m, d+1, 12, 0, 0, 0, loc), loc)
}

func sameDate(t time.Time, y int, m time.Month, d int) bool {
	ty, tm, td := t.Date()
	return ty == y && tm == m && td == d
}

// dayOf is the day a call first seen at at counts in: today (its first
// instant), or none (zero) when at is before today.
func (b *Board) dayOf(at time.Time) time.Time {
	if at.Before(b.dayStart) {
		return time.Time{}
	}
	return b.dayStart
}

// today reports whether a call of day (call.day) counts in today's figures.
func (b *Board) today(day time.Time) bool { return !day.IsZero() && day.Equal(b.dayStart) }

// comeBack is the call cid of queue q swept earlier today, put back in
// its queue as it was (offered once, one record): nil when there is none.
func (b *Board) comeBack(q *queue, cid string) *call {
	key := q.id + "\x00" + cid
	c := b.gone[key]
	if c == nil {
		return nil
	}
	delete(b.gone, key)
	q.calls[c.id] = c
	return c
}

// credit counts queue call c, answered today, in agent a's answered:
// once, and not when its entry was not seen.
func (b *Board) credit(c *call, a *agent) {
	if c.credited || c.beforeStart || c.answeredAt.IsZero() || !b.today(c.day) {
		return
	}
	a.answered++
	c.credited = true
}

// creditOperator credits call c of queue q, just connected, to the agent
// that connect_call names, else to the agent on that call.
func (b *Board) creditOperator(q *queue, c *call, operator string) {
	if c.credited || c.beforeStart || !b.today(c.day) {
		return
	}
	if operator != "" {
		if a := b.agents[operator]; a != nil {
			b.credit(c, a)
		}
		return // else when its status says it is on the call
	}
	for _, a := range b.agents {
		if a.state == OnCall && a.call != nil && a.call.id == c.id && a.call.queue == q.id {
			b.credit(c, a)
			return
		}
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// answeredBeforeStart makes call c of queue q, offered when its entry was
// told, one answered at at before the board began to look: not offered
// after all, counted apart.
func (b *Board) answeredBeforeStart(q *queue, c *call, at time.Time) {
	c.beforeStart, c.answeredAt = true, at
	b.reach(c.caller, at, ReachedAnsweredLater)
	if c.record != nil {
		c.record.beforeStart = true
		b.setTime(c.record, timeEntered, time.Time{})
	}
	if !b.today(c.day) {
		return
	}
	q.beforeStart++
	if n := b.queueCounts(q.id, maxTime(c.entered, b.since)); n != nil && n.offered > 0 {
		n.offered-- // where countOffered counted it
	}
}
