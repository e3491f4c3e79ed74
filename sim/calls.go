package sim

import (
	"math"
	"slices"
	"time"
)

type callState int

const (
	waiting callState = iota // in line, or a trunk call not answered yet
	offered                  // ringing at an agent
	talking
)

type call struct {
	id       int64
	q        *queue // queue calls only
	tr       *trunk // trunk calls only
	caller   string
	arrived  time.Duration
	answered time.Duration
	deadline time.Duration // when the caller gives up waiting
	ivr      int64         // seconds spent before entering the queue
	rec      int
	state    callState
	agent    *agent
	gen      int
}

// queueID is the id_queue of the call: 0 when it is not a queue call.
func (c *call) queueID() int64 {
	if c.q == nil {
		return 0
	}
	return c.q.id
}

const (
	wavePeriod = 8 * time.Minute
	waveDepth  = 0.6
	patience   = time.Minute
	ringMax    = 12 * time.Second
)

// nextArrival schedules the next call into q: a Poisson process whose rate
// follows a slow wave, drawn by thinning.
func (t *Traffic) nextArrival(q *queue) {
	peak := q.rate * (1 + waveDepth)
	t.after(seconds(t.rng.ExpFloat64()/peak), func() {
		wave := 1 + waveDepth*math.Sin(2*math.Pi*t.now.Seconds()/wavePeriod.Seconds()+q.phase)
		if t.rng.Float64()*peak < q.rate*wave*t.load() {
			t.arrive(q)
		}
		t.nextArrival(q)
	})
}

// load is the share of the peak rates arriving now: 1 but in a Center
// whose load follows the day.
func (t *Traffic) load() float64 {
	if t.center == nil || t.center.Load == nil {
		return 1
	}
	return t.center.Load(t.Now())
}

func (t *Traffic) newCallID() int64 {
	t.nextIn += 1 + t.rng.Int64N(7)
	return t.nextIn
}

func (t *Traffic) arrive(q *queue) {
	c := &call{id: t.newCallID(), q: q, caller: t.phone(), arrived: t.now,
		ivr: t.rng.Int64N(45), rec: t.rng.IntN(2)}
	c.deadline = t.now + t.exp(patience)
	t.calls = append(t.calls, c)
	t.emit("queue", "insert_call", t.insertMsg(c))
	t.watchPatience(c)
	t.dispatch()
}

func (t *Traffic) insertMsg(c *call) map[string]any {
	if c.tr != nil {
		return map[string]any{
			"call_duration": 0, "id_trunk": t.id(c.tr.id), "caller_id_num": c.caller,
			"id_call": t.id(c.id), "duration_in_queue": t.waited(c),
		}
	}
	return map[string]any{
		"call_duration": c.ivr + secs(t.now-c.arrived), "caller_id_num": c.caller,
		"priority": c.q.priority, "id_queue": t.id(c.q.id), "id_call": t.id(c.id),
		"vip_rate": c.q.vipRate, "duration_in_queue": t.waited(c),
		"id_client": t.id(t.client),
	}
}

func (t *Traffic) connectMsg(c *call) map[string]any {
	if c.tr != nil {
		return map[string]any{
			"status": "connected", "call_duration": 0, "id_trunk": t.id(c.tr.id),
			"caller_id_num": c.caller, "id_call": t.id(c.id),
		}
	}
	return map[string]any{
		"status": "connected", "call_duration": secs(t.now - c.answered), "caller_id_num": c.caller,
		"step": 1, "id_queue": t.id(c.q.id), "id_call": t.id(c.id),
		"id_operator": t.id(c.agent.id), "id_client": t.id(t.client),
		"duration_in_queue": t.waited(c),
	}
}

// waited is how long c has been, or was, in line.
func (t *Traffic) waited(c *call) int64 {
	if c.state == talking {
		return secs(c.answered - c.arrived)
	}
	return secs(t.now - c.arrived)
}

// watchPatience makes the caller hang up at its deadline if still waiting.
func (t *Traffic) watchPatience(c *call) {
	gen := c.gen
	t.after(c.deadline-t.now, func() {
		if c.gen == gen && c.state == waiting {
			t.drop(c)
		}
	})
}

// drop removes a queue call and says so.
func (t *Traffic) drop(c *call) {
	c.gen++
	t.calls = slices.DeleteFunc(t.calls, func(x *call) bool { return x == c })
	t.emit("queue", "delete_call", map[string]any{
		"id_call": t.id(c.id), "id_queue": t.id(c.q.id), "id_client": t.id(t.client),
	})
}

// dispatch offers waiting calls, highest priority first, to the agent of
// their group that has been free the longest.
func (t *Traffic) dispatch() {
	var line []*call
	for _, c := range t.calls {
		if c.q != nil && c.state == waiting {
			line = append(line, c)
		}
	}
	slices.SortStableFunc(line, func(a, b *call) int { return b.q.priority - a.q.priority })
	for _, c := range line {
		if a := t.pickAgent(c.q); a != nil {
			t.offer(c, a)
		}
	}
}

func (t *Traffic) pickAgent(q *queue) *agent {
	var best *agent
	for _, a := range q.members {
		if a.free() && (best == nil || a.idleSince < best.idleSince) {
			best = a
		}
	}
	return best
}

func (t *Traffic) offer(c *call, a *agent) {
	c.state, c.agent = offered, a
	c.gen++
	a.call = c
	t.set(a, ringing)
	t.status(a, nil)
	gen := c.gen
	if t.chance(0.06) {
		t.after(ringMax, func() {
			if c.gen == gen {
				t.noAnswer(c, a)
			}
		})
		return
	}
	t.after(t.uniform(2*time.Second, 6*time.Second), func() {
		if c.gen == gen {
			t.answer(c, a)
		}
	})
}

// noAnswer puts the call back in line and the agent aside for a while.
func (t *Traffic) noAnswer(c *call, a *agent) {
	c.state, c.agent = waiting, nil
	c.gen++
	c.deadline = max(c.deadline, t.now+5*time.Second)
	t.watchPatience(c)
	a.call = nil
	t.unavailable(a, 20*time.Second)
	t.dispatch()
}

func (t *Traffic) answer(c *call, a *agent) {
	c.state, c.answered = talking, t.now
	c.gen++
	t.set(a, connected)
	t.status(a, nil)
	t.emit("queue", "connect_call", t.connectMsg(c))
	gen := c.gen
	d := t.talk(65*time.Second, 10*time.Second, 5*time.Minute)
	if t.chance(0.04) {
		t.after(seconds(d.Seconds()*(0.3+0.5*t.rng.Float64())), func() {
			if c.gen == gen {
				t.transfer(c, a)
			}
		})
		return
	}
	t.after(d, func() {
		if c.gen == gen {
			t.hangUp(c, a)
		}
	})
}

func (t *Traffic) transfer(c *call, a *agent) {
	c.gen++
	t.set(a, transfer)
	t.status(a, nil)
	gen := c.gen
	t.after(t.uniform(5*time.Second, 15*time.Second), func() {
		if c.gen == gen {
			t.hangUp(c, a)
		}
	})
}

func (t *Traffic) hangUp(c *call, a *agent) {
	t.drop(c)
	t.ready(a, map[string]any{"call_duration": secs(t.now - c.answered)})
	if t.chance(0.08) && a.free() {
		t.startPause(a, &t.pauses[2]) // back-office after a difficult call
	}
}

func (t *Traffic) nextTrunkArrival(tr *trunk) {
	t.after(seconds(t.rng.ExpFloat64()/tr.rate), func() {
		if t.center == nil || t.center.Load == nil || t.rng.Float64() < t.load() {
			t.trunkCall(tr)
		}
		t.nextTrunkArrival(tr)
	})
}

// trunkCall routes a call through a trunk: answered or missed.
func (t *Traffic) trunkCall(tr *trunk) {
	c := &call{id: t.newCallID(), tr: tr, caller: t.phone(), arrived: t.now}
	t.calls = append(t.calls, c)
	t.emit("trunk", "insert_call", t.insertMsg(c))
	end := func() {
		t.calls = slices.DeleteFunc(t.calls, func(x *call) bool { return x == c })
		t.emit("trunk", "delete_call", map[string]any{"id_call": t.id(c.id), "id_trunk": t.id(tr.id)})
	}
	t.after(t.uniform(3*time.Second, 20*time.Second), func() {
		if !t.chance(0.8) {
			end()
			return
		}
		c.state, c.answered = talking, t.now
		t.emit("trunk", "connect_call", t.connectMsg(c))
		t.after(t.talk(90*time.Second, 10*time.Second, 6*time.Minute), end)
	})
}
