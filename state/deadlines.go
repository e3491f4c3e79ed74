package state

import (
	"container/heap"
	"iter"
	"time"
)

// What a tick costs: the board keeps its live calls' deadlines (CallTTL
// from their last event) in a heap ordered by time, and the feed's two
// deadlines after it goes live (StaleCallWindow, StaleCallSweep) apart, so
// that Tick looks only at what is due. The calls waiting are counted as
// events arrive (queue.waiting…, Board.waiting). Each of these is derived
// from the calls and the feed; rebuildIndexes makes them again from those.

// dueCall is a live call's entry in Board.due, held in the call: the
// board looks at the call again at at (or later). at may be earlier than
// the call is due, never later: looking at a call that is not due changes
// nothing.
type dueCall struct {
	at   time.Time
	slot int // its index in Board.due plus one; 0 when not in it

	q  *queue // a queue call c, or
	c  *call
	t  *trunk // a trunk call tc
	tc *trunkCall
	id string
}

// dueHeap is container/heap's min-heap of dueCall by at.
type dueHeap []*dueCall

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h dueHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].slot, h[j].slot = i+1, j+1
}
func (h *dueHeap) Push(x any) {
	d := x.(*dueCall)
	*h = append(*h, d)
	d.slot = len(*h)
}
func (h *dueHeap) Pop() any {
	old := *h
	d := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	d.slot = 0
	return d
}

// callClass is what a queue call counts as in its queue's rows.
type callClass int8

const (
	classNone       callClass = iota // not in its queue
	classWaiting                     // waiting (not answered, not stale)
	classInProgress                  // answered, not ended, not stale
	classStale                       // not mentioned again after a reconnect
)

// classOf is the class of c, a call in its queue or nil.
func classOf(c *call) callClass {
	switch {
	case c == nil:
		return classNone
	case c.stale:
		return classStale
	case c.answeredAt.IsZero():
		return classWaiting
	}
	return classInProgress
}

// waitingCalls are q's calls waiting (classWaiting), in no order; none
// are looked for when the board counts none (queue.waiting).
func (q *queue) waitingCalls() iter.Seq[*call] {
	return func(yield func(*call) bool) {
		if q.waiting == 0 {
			return
		}
		for _, c := range q.calls {
			if classOf(c) == classWaiting && !yield(c) {
				return
			}
		}
	}
}

// recount moves a call of q from class was to class is in the counts.
func (b *Board) recount(q *queue, was, is callClass) {
	if was == is {
		return
	}
	b.alertQueueChanged(q)
	for _, d := range [2]struct {
		class callClass
		n     int
	}{{was, -1}, {is, +1}} {
		switch d.class {
		case classWaiting:
			q.waiting += d.n
			b.waiting += d.n
			b.waitChangedIn(q.id)
		case classInProgress:
			q.inProgress += d.n
		case classStale:
			q.staleCalls += d.n
		}
	}
}

// callDeadline is when a call last seen at seen and last heard of at
// heard is due to be looked at: past CallTTL, or, heard before the feed
// last went live, when the stale window closes (then the sweep). now is
// when it is looked at (a zero now: not yet).
func (b *Board) callDeadline(seen, heard, now time.Time) time.Time {
	due := seen.Add(CallTTL + 1) // swept when now.Sub(seen) > CallTTL
	if b.liveAt.IsZero() || !heard.Before(b.liveAt) {
		return due
	}
	staleAt, sweepAt := b.liveAt.Add(b.opts.StaleCallWindow), b.liveAt.Add(max(b.opts.StaleCallWindow, b.opts.StaleCallSweep))
	switch {
	case now.Before(staleAt):
		return minTime(due, staleAt)
	case now.Before(sweepAt):
		return minTime(due, sweepAt)
	}
	return due
}

// scheduled reports whether d is in the heap.
func (b *Board) scheduled(d *dueCall) bool {
	return d.slot > 0 && d.slot <= len(b.due) && b.due[d.slot-1] == d
}

// schedule makes sure the board looks at a call by at: d is its entry,
// put in the heap as fresh says when not in it.
func (b *Board) schedule(d *dueCall, fresh dueCall, at time.Time) {
	if !b.scheduled(d) {
		*d = fresh
		d.at = at
		heap.Push(&b.due, d)
		return
	}
	if at.Before(d.at) {
		d.at = at
		heap.Fix(&b.due, d.slot-1)
	}
}

// unschedule takes a call's entry out of the heap.
func (b *Board) unschedule(d *dueCall) {
	if b.scheduled(d) {
		heap.Remove(&b.due, d.slot-1)
	}
	d.slot = 0
}

// queueCallChanged follows an event that may have changed call cid of
// queue q, which was was before it (nil when not in the queue), of class
// wasClass: the counts and its deadline.
func (b *Board) queueCallChanged(q *queue, cid string, was *call, wasClass callClass) {
	c := q.calls[cid]
	b.alertQueueChanged(q)
	b.recount(q, wasClass, classOf(c))
	if was != nil && was != c {
		b.unschedule(&was.due)
	}
	if c != nil {
		b.schedule(&c.due, dueCall{q: q, c: c, id: cid}, b.callDeadline(c.seen, c.heard, time.Time{}))
	}
}

// trunkCallChanged is queueCallChanged for trunk calls.
func (b *Board) trunkCallChanged(t *trunk, cid string, was *trunkCall) {
	c := t.calls[cid]
	if was != nil && was != c {
		b.unschedule(&was.due)
	}
	if c != nil {
		b.schedule(&c.due, dueCall{t: t, tc: c, id: cid}, b.callDeadline(c.seen, c.heard, time.Time{}))
	}
}

// tickDue looks at the calls due by now (all of them when the feed's stale
// window or sweep has come since the last look).
func (b *Board) tickDue(now time.Time, staling, sweeping bool) {
	if staling && b.staleWalk || sweeping && b.sweepWalk {
		b.staleWalk = false
		b.sweepWalk = b.sweepWalk && !sweeping
		for _, q := range b.queues {
			for id, c := range q.calls {
				b.tickQueueCall(q, id, c, now, staling, sweeping)
			}
		}
		for _, t := range b.trunks {
			for id, c := range t.calls {
				b.tickTrunkCall(t, id, c, now, staling, sweeping)
			}
		}
	}
	for len(b.due) > 0 && !b.due[0].at.After(now) {
		d := b.due[0]
		var seen, heard time.Time
		switch {
		case d.c != nil && d.q.calls[d.id] == d.c && b.queues[d.q.id] == d.q:
			b.tickQueueCall(d.q, d.id, d.c, now, staling, sweeping)
			seen, heard = d.c.seen, d.c.heard
		case d.tc != nil && d.t.calls[d.id] == d.tc && b.trunks[d.t.id] == d.t:
			b.tickTrunkCall(d.t, d.id, d.tc, now, staling, sweeping)
			seen, heard = d.tc.seen, d.tc.heard
		default:
			heap.Pop(&b.due) // an entry left behind: its call is gone
			continue
		}
		if d.slot == 0 {
			continue // swept
		}
		d.at = b.callDeadline(seen, heard, now)
		if !d.at.After(now) {
			d.at = now.Add(1) // cannot be: a call due now was swept
		}
		heap.Fix(&b.due, d.slot-1)
	}
}

// tickQueueCall lets time pass to now for call id of queue q (lookAtCall)
// and keeps the counts and the heap as it leaves the call.
func (b *Board) tickQueueCall(q *queue, id string, c *call, now time.Time, staling, sweeping bool) {
	b.looked++
	was := classOf(c)
	if !b.lookAtCall(c, now, staling, sweeping) {
		b.recount(q, was, classOf(c))
		return
	}
	b.recount(q, was, classNone)
	b.unschedule(&c.due)
	b.sweepCall(q, id, c)
}

// tickTrunkCall is tickQueueCall for trunk calls.
func (b *Board) tickTrunkCall(t *trunk, id string, c *trunkCall, now time.Time, staling, sweeping bool) {
	b.looked++
	if b.lookAtTrunkCall(c, now, staling, sweeping) {
		b.unschedule(&c.due)
		b.sweepTrunkCall(t, id, c)
	}
}

// lookAtCall lets time pass to now for queue call c: to be swept past
// CallTTL (it reports so); heard of before the feed last went live, stale
// once the stale window closed (staling), to be swept after the sweep
// (sweeping). A call not due is left as it was.
func (b *Board) lookAtCall(c *call, now time.Time, staling, sweeping bool) (swept bool) {
	old := staling && c.heard.Before(b.liveAt)
	swept = now.Sub(c.seen) > CallTTL || old && sweeping
	if (old || swept) && c.record != nil && !c.record.hasTime(timeLost) {
		b.setTime(c.record, timeLost, c.seen)
	}
	c.lostSight = c.lostSight || old
	if !swept {
		c.stale = c.stale || old
	}
	return swept
}

// lookAtTrunkCall is lookAtCall for trunk calls.
func (b *Board) lookAtTrunkCall(c *trunkCall, now time.Time, staling, sweeping bool) (swept bool) {
	old := staling && c.heard.Before(b.liveAt)
	c.lostSight = c.lostSight || old
	swept = now.Sub(c.seen) > CallTTL || old && sweeping
	if !swept {
		c.stale = c.stale || old
	}
	return swept
}

// sweepCall takes call id out of queue q, kept aside for the rest of its
// day: heard of again, it comes back as it was.
func (b *Board) sweepCall(q *queue, id string, c *call) {
	delete(q.calls, id)
	if b.today(c.day) {
		b.gone[q.id+"\x00"+id] = c
	}
}

// sweepTrunkCall is sweepCall for trunk calls.
func (b *Board) sweepTrunkCall(t *trunk, id string, c *trunkCall) {
	delete(t.calls, id)
	if b.today(c.day) {
		b.goneTrunk[t.id+"\x00"+id] = c
	}
}

// wentLive says that the feed went live at at: the calls heard of before
// are looked at once its stale window closes, and once its sweep comes.
func (b *Board) wentLive(at time.Time) {
	b.liveAt = at
	b.staleWalk, b.sweepWalk = true, true
}

// rebuildIndexes makes again what the board derives from its calls and its
// feed to tick at the cost of what is due: the counts of calls per class,
// the calls' deadlines, and the looks due after the feed last went live.
// Whoever restores a board's calls (a checkpoint loaded, a quarantined
// update) calls it.
func (b *Board) rebuildIndexes() {
	b.waiting, b.waitAll = 0, true
	for _, d := range b.due {
		d.slot = 0
	}
	clear(b.due)
	b.due = b.due[:0]
	for _, q := range b.queues {
		q.waiting, q.inProgress, q.staleCalls = 0, 0, 0
		for id := range q.calls {
			b.queueCallChanged(q, id, nil, classNone)
		}
	}
	for _, t := range b.trunks {
		for id := range t.calls {
			b.trunkCallChanged(t, id, nil)
		}
	}
	// looking again at every call once the window or the sweep has come
	// changes nothing in those already looked at
	b.staleWalk, b.sweepWalk = !b.liveAt.IsZero(), !b.liveAt.IsZero()
	b.alertsAgain()
}
