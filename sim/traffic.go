package sim

import (
	"container/heap"
	"math"
	"math/rand/v2"
	"time"
)

// warmup is how long the model runs, silently, before its start time, so
// that it starts in a busy, steady state.
const warmup = 2 * time.Minute

// TrafficOptions tunes a [Traffic].
type TrafficOptions struct {
	// Surprises adds what a careful client must survive: agents and a queue
	// missing from the directory, an agent name holding terminal escape
	// sequences, anonymous callers.
	Surprises bool
	// Center, when set, makes the model a center of that size whose
	// traffic and staffing follow the day, instead of the built-in
	// 40-agent center.
	Center *Center
}

// Center sizes a [Traffic] as a center of its own: how many agents,
// queues and trunks, how many calls arrive at the peak, and how the load
// and the staffing follow the time of day. Surprises add nothing to it.
type Center struct {
	Agents, Queues, Trunks int
	// QueueRate and TrunkRate are the calls arriving a second at the
	// peak, over all the queues and over all the trunks.
	QueueRate, TrunkRate float64
	// Load is the share of the peak rates that arrives at an instant,
	// in [0, 1]; nil: always the peak.
	Load func(time.Time) float64
	// Staffing is the share of the agents on shift at an instant, in
	// [0, 1]: those off shift log out once free, those on shift log in;
	// nil: everyone is on shift, as in the built-in center.
	Staffing func(time.Time) float64
	// IdleMean is how long a free agent waits, on average, before doing
	// something of its own (a pause, an outbound call…); 0: 4 minutes.
	IdleMean time.Duration
}

// Traffic is a deterministic model of a call center: 40 agents in 4 groups
// (some in two), 3 trunks, 5 pause types, about one queue call every 3 s
// with waves, callers who give up after a minute on average, calls of about
// a minute, pauses, log-outs, outbound calls, transfers and call requests
// (PUSHCALL). It emits the events the vendor's service would send.
//
// For one seed and one sequence of Advance times it always emits the same
// events; the instants at which Advance is called do not change the events,
// only how they are batched. It starts busy: it has run for two minutes
// before its start time.
//
// A Traffic is not safe for concurrent use.
type Traffic struct {
	rng       *rand.Rand
	seed      uint64
	ids       uint64 // how many ids were written, to vary their spelling
	start     time.Time
	now       time.Duration // since start
	seq       uint64        // orders actions scheduled for the same instant
	todo      schedule
	out       []Event
	surprises bool
	center    *Center
	idleMean  time.Duration

	dir     Directory
	client  int64 // id_client: the customer account
	agents  []*agent
	queues  []*queue
	trunks  []*trunk
	pauses  []pauseKind
	calls   []*call // live queue and trunk calls, in arrival order
	nextIn  int64   // next inbound call id
	nextOut int64   // next outbound call id (negative)
}

// NewTraffic returns a model seeded with seed whose clock reads start.
func NewTraffic(seed int64, start time.Time, opts TrafficOptions) *Traffic {
	t := &Traffic{
		rng:       rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15)),
		seed:      uint64(seed),
		start:     start,
		now:       -warmup,
		surprises: opts.Surprises,
		center:    opts.Center,
		idleMean:  4 * time.Minute,
		client:    164645,
	}
	if t.center != nil {
		t.surprises = false
		if t.center.IdleMean > 0 {
			t.idleMean = t.center.IdleMean
		}
	}
	t.nextIn = 26903000 + t.rng.Int64N(1000)
	t.nextOut = -17000 - t.rng.Int64N(200)
	t.build()
	t.populate()
	t.Advance(start)
	return t
}

// Directory returns the agents, groups, trunks and pauses that the
// authentication answer lists.
func (t *Traffic) Directory() Directory { return t.dir }

// Now returns the model's clock.
func (t *Traffic) Now() time.Time { return t.start.Add(t.now) }

// Advance runs the model up to the instant to and returns what happened
// since the previous call, in order. An instant in the past is a no-op.
func (t *Traffic) Advance(to time.Time) []Event {
	end := to.Sub(t.start)
	for len(t.todo) > 0 && t.todo[0].at <= end {
		a := heap.Pop(&t.todo).(action)
		t.now = a.at
		a.fn()
	}
	t.now = max(t.now, end)
	out := t.out
	t.out = nil
	return out
}

// action is something the model will do at a given instant.
type action struct {
	at  time.Duration
	seq uint64
	fn  func()
}

type schedule []action

func (s schedule) Len() int { return len(s) }
func (s schedule) Less(i, j int) bool {
	if s[i].at != s[j].at {
		return s[i].at < s[j].at
	}
	return s[i].seq < s[j].seq
}
func (s schedule) Swap(i, j int) { s[i], s[j] = s[j], s[i] }
func (s *schedule) Push(x any)   { *s = append(*s, x.(action)) }
func (s *schedule) Pop() any {
	old := *s
	a := old[len(old)-1]
	*s = old[:len(old)-1]
	return a
}

// after schedules fn to run d from now.
func (t *Traffic) after(d time.Duration, fn func()) {
	t.seq++
	heap.Push(&t.todo, action{at: t.now + d, seq: t.seq, fn: fn})
}

// emit records an event happening now.
func (t *Traffic) emit(typ, name string, msg map[string]any) {
	t.out = append(t.out, Event{At: t.Now(), Type: typ, Name: name, Msg: msg})
}

// id writes n as the vendor does, a number or a string at random. It does
// not draw from rng, so that how ids are spelt never changes what happens.
func (t *Traffic) id(n int64) ID {
	t.ids++
	h := t.seed ^ uint64(n)*0xbf58476d1ce4e5b9 ^ t.ids*0x94d049bb133111eb
	h ^= h >> 31
	h *= 0x9e3779b97f4a7c15
	h ^= h >> 29
	return ID{N: n, Quoted: h%10 < 3}
}

func (t *Traffic) chance(p float64) bool { return t.rng.Float64() < p }

func seconds(s float64) time.Duration {
	return time.Duration(s * float64(time.Second)).Truncate(time.Millisecond)
}

// exp draws an exponential duration of the given mean.
func (t *Traffic) exp(mean time.Duration) time.Duration {
	return seconds(t.rng.ExpFloat64() * mean.Seconds())
}

// uniform draws a duration between lo and hi.
func (t *Traffic) uniform(lo, hi time.Duration) time.Duration {
	return seconds(lo.Seconds() + t.rng.Float64()*(hi-lo).Seconds())
}

// talk draws a log-normal duration of the given mean, clamped to [lo, hi].
func (t *Traffic) talk(mean, lo, hi time.Duration) time.Duration {
	const sigma = 0.6
	mu := math.Log(mean.Seconds()) - sigma*sigma/2
	d := seconds(math.Exp(mu + sigma*t.rng.NormFloat64()))
	return min(max(d, lo), hi)
}

// phone draws a French caller number such as 33612345678.
func (t *Traffic) phone() string {
	if t.surprises && t.chance(0.02) {
		return "anonymous"
	}
	prefixes := [...]byte{'6', '6', '7', '1', '9', '4', '5', '2', '3'}
	b := []byte{'3', '3', prefixes[t.rng.IntN(len(prefixes))]}
	for range 8 {
		b = append(b, byte('0'+t.rng.IntN(10)))
	}
	return string(b)
}

func secs(d time.Duration) int64 { return int64(d / time.Second) }
