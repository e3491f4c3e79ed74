package sim

import "time"

type agentState int

const (
	loggedOut   agentState = iota
	available              // logged in, no call (possibly paused)
	ringing                // an inbound call is offered
	connected              // in an inbound call
	transfer               // transferring an inbound call
	dialling               // an outbound call placed, not answered yet
	outbound               // in an outbound call
	unavailable            // unreachable for a while
)

var statusNames = [...]string{
	available:   "available",
	ringing:     "ringing",
	connected:   "connected",
	transfer:    "transfert_start",
	dialling:    "calling",
	outbound:    "connected",
	unavailable: "unavailable",
}

type agent struct {
	id        int64
	name      string
	queues    []*queue
	hidden    bool // missing from the directory
	state     agentState
	pause     *pauseKind // set while paused; the state stays available
	call      *call
	since     time.Duration // when state began
	pausedAt  time.Duration
	loginAt   time.Duration
	idleSince time.Duration
	gen       int     // bumped at every change, so that stale timers do nothing
	rank      float64 // on shift while the Center's staffing share is above it
	offShift  bool    // logged out for the end of its shift: it waits for the next
}

func (t *Traffic) set(a *agent, s agentState) {
	a.state = s
	a.since = t.now
	a.gen++
}

// free reports whether a can be offered a call or act on its own.
func (a *agent) free() bool { return a.state == available && a.pause == nil }

// status emits the operator status of a, with its call if any.
func (t *Traffic) status(a *agent, extra map[string]any) {
	t.out = append(t.out, t.statusEvent(a, extra))
}

func (t *Traffic) statusEvent(a *agent, extra map[string]any) Event {
	msg := map[string]any{
		"status":      statusNames[a.state],
		"id_operator": t.id(a.id),
		"id_client":   t.id(t.client),
	}
	if c := a.call; c != nil {
		msg["id_call"] = t.id(c.id)
		msg["id_queue"] = t.id(c.queueID())
		msg["caller_id_num"] = c.caller
		msg["call_duration"] = 0
		if a.state == connected || a.state == outbound || a.state == transfer {
			msg["call_duration"] = secs(t.now - c.answered)
		}
		msg["rec"] = c.rec
		msg["step"] = 1
	}
	if a.state == transfer {
		msg["stype"] = 3
	}
	for k, v := range extra {
		msg[k] = v
	}
	return Event{At: t.start.Add(a.since), Type: "operator", Name: "status", Msg: msg}
}

func (t *Traffic) ui(a *agent, name, supp string) {
	t.emit("UI", name, t.uiMsg(a, supp))
}

func (t *Traffic) uiMsg(a *agent, supp string) map[string]any {
	return map[string]any{"supp": supp, "id_operator": t.id(a.id), "id_client": t.id(t.client)}
}

// idle gives a free agent something to do some time from now, unless a
// call or anything else comes first.
func (t *Traffic) idle(a *agent) {
	gen := a.gen
	t.after(t.exp(t.idleMean), func() {
		if a.gen != gen || !a.free() {
			return
		}
		switch r := t.rng.IntN(100); {
		case r < 50:
			t.startPause(a, t.pickPause())
		case r < 77:
			t.dial(a, t.phone())
		case r < 87:
			t.pushCall(a)
		case r < 93:
			t.unavailable(a, t.uniform(15*time.Second, 90*time.Second))
		default:
			t.logout(a)
		}
	})
}

// ready makes a available again after a call or an absence.
func (t *Traffic) ready(a *agent, extra map[string]any) {
	t.set(a, available)
	a.call = nil
	a.idleSince = t.now
	t.status(a, extra)
	t.idle(a)
	t.dispatch()
}

func (t *Traffic) startPause(a *agent, p *pauseKind) {
	a.pause = p
	a.pausedAt = t.now
	a.gen++
	gen := a.gen
	t.ui(a, "pause", ID{N: p.id}.String())
	t.after(t.uniform(p.lo, p.hi), func() {
		if a.gen != gen || a.pause == nil {
			return
		}
		a.pause = nil
		a.gen++
		a.idleSince = t.now
		if t.chance(0.5) {
			t.ui(a, "pause", "")
		} else {
			t.ui(a, "login", "")
		}
		t.idle(a)
		t.dispatch()
	})
}

func (t *Traffic) logout(a *agent) {
	t.set(a, loggedOut)
	t.ui(a, "logout", "")
	gen := a.gen
	t.after(t.uniform(time.Minute, 4*time.Minute), func() { t.login(a, gen) })
}

func (t *Traffic) login(a *agent, gen int) {
	if a.gen != gen || a.state != loggedOut || a.offShift {
		return
	}
	a.loginAt = t.now
	t.ui(a, "login", "")
	t.ready(a, nil)
}

func (t *Traffic) unavailable(a *agent, d time.Duration) {
	t.set(a, unavailable)
	t.status(a, nil)
	gen := a.gen
	t.after(d, func() {
		if a.gen == gen {
			t.ready(a, nil)
		}
	})
}

// pushCall asks a to call someone back; a does so a moment later.
func (t *Traffic) pushCall(a *agent) {
	number := t.phone()
	t.emit("PUSHCALL", "push_call", map[string]any{
		"id_operator":   t.id(a.id),
		"number":        number,
		"caller_id_num": number,
		"id_client":     t.id(t.client),
	})
	gen := a.gen
	t.after(t.uniform(time.Second, 3*time.Second), func() {
		if a.gen == gen && a.free() {
			t.dial(a, number)
		}
	})
}

// dial places an outbound call from a.
func (t *Traffic) dial(a *agent, number string) {
	t.nextOut -= 1 + t.rng.Int64N(5)
	a.call = &call{id: t.nextOut, caller: number, rec: t.rng.IntN(2), agent: a}
	t.set(a, dialling)
	t.status(a, nil)
	gen := a.gen
	t.after(t.uniform(5*time.Second, 20*time.Second), func() {
		if a.gen != gen {
			return
		}
		if !t.chance(0.65) {
			t.ready(a, nil)
			return
		}
		a.call.answered = t.now
		t.set(a, outbound)
		t.status(a, nil)
		gen := a.gen
		t.after(t.talk(45*time.Second, 8*time.Second, 4*time.Minute), func() {
			if a.gen == gen {
				t.ready(a, map[string]any{"call_duration": secs(t.now - a.call.answered)})
			}
		})
	})
}

// shifts logs in the agents whose shift begins and logs out, once free,
// those whose shift is over, then looks again a minute later.
func (t *Traffic) shifts() {
	share := t.center.Staffing(t.Now())
	for _, a := range t.agents {
		on := a.rank < share
		switch {
		case on && a.offShift:
			a.offShift = false
			t.login(a, a.gen)
		case !on && !a.offShift && a.state == loggedOut:
			a.offShift = true // a short absence becomes the end of the shift
		case !on && !a.offShift && a.state == available:
			a.pause = nil
			a.offShift = true
			t.set(a, loggedOut)
			t.ui(a, "logout", "")
		}
	}
	t.after(time.Minute, t.shifts)
}
