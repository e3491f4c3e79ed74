package state

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
)

// busyDay is a generated day of a center: a directory, and its updates in
// the order they are received. Calls come all day, are answered by an agent
// of their queue or abandoned (some short), callers call again (so that
// lost callers are reached later), some are withheld or written
// internationally; agents pause now and then.
type busyDay struct {
	dir     feed.Directory
	updates []dayUpdate
}

type dayUpdate struct {
	at  time.Time
	seq int // orders updates of the same instant as they were made
	raw string
}

// busyDayShape says how big a busyDay is.
type busyDayShape struct {
	agents, queues int
	from, to       time.Time
	callEvery      time.Duration // one call entering a queue every callEvery
	abandonOneIn   int           // one call in abandonOneIn is abandoned
}

// newBusyDay generates the day of shape, the same for the same seed.
func newBusyDay(seed uint64, shape busyDayShape) *busyDay {
	rng := rand.New(rand.NewPCG(seed, 23))
	d := &busyDay{}
	for q := 1; q <= shape.queues; q++ {
		d.dir.Groups = append(d.dir.Groups, feed.Named{ID: feed.Text(fmt.Sprint(q)), Name: fmt.Sprintf("Queue %03d", q)})
	}
	for a := 1; a <= shape.agents; a++ {
		d.dir.Agents = append(d.dir.Agents, feed.Agent{ID: feed.Text(fmt.Sprint(a)), Name: fmt.Sprintf("Agent %04d", a),
			Groups: []feed.Text{feed.Text(fmt.Sprint(1 + a%shape.queues)), feed.Text(fmt.Sprint(1 + (a+7)%shape.queues))}})
	}
	d.dir.Pauses = []feed.Named{{ID: "3", Name: "Lunch"}, {ID: "4", Name: "Training"}}
	add := func(at time.Time, kind, name, msg string) {
		d.updates = append(d.updates, dayUpdate{at: at, seq: len(d.updates),
			raw: fmt.Sprintf(`{"event":{"type_notification":%q,"event":%q,"msg":%s}}`, kind, name, msg)})
	}
	for a := 1; a <= shape.agents; a++ {
		add(shape.from.Add(time.Duration(a)*time.Millisecond), "UI", "login", fmt.Sprintf(`{"supp":"","id_operator":%d}`, a))
	}
	secs := func(mean float64) time.Duration { return time.Duration(rng.ExpFloat64() * mean * float64(time.Second)) }
	callers := int(shape.to.Sub(shape.from)/shape.callEvery)/3 + 1
	n := 0
	for at := shape.from.Add(time.Second); at.Before(shape.to); at = at.Add(shape.callEvery) {
		n++
		q := 1 + rng.IntN(shape.queues)
		id := 5_000_000 + n
		caller := fmt.Sprintf("06%08d", rng.IntN(callers))
		switch {
		case n%97 == 0:
			caller = "anonymous"
		case n%5 == 0:
			caller = "+336" + caller[2:]
		}
		add(at, "queue", "insert_call", fmt.Sprintf(`{"id_queue":%d,"id_call":%d,"caller_id_num":%q,"duration_in_queue":0}`, q, id, caller))
		if rng.IntN(shape.abandonOneIn) == 0 {
			add(at.Add(secs(30)), "queue", "delete_call", fmt.Sprintf(`{"id_queue":%d,"id_call":%d}`, q, id))
			continue
		}
		agent := 1 + (q+shape.queues*rng.IntN(shape.agents/shape.queues+1))%shape.agents
		answered := at.Add(secs(15))
		ended := answered.Add(secs(180))
		add(answered, "queue", "connect_call", fmt.Sprintf(`{"id_queue":%d,"id_call":%d,"id_operator":%d}`, q, id, agent))
		add(answered, "operator", "status", fmt.Sprintf(`{"id_operator":%d,"status":"connected","id_call":%d,"id_queue":%d,"caller_id_num":%q}`, agent, id, q, caller))
		add(ended, "queue", "delete_call", fmt.Sprintf(`{"id_queue":%d,"id_call":%d}`, q, id))
		add(ended, "operator", "status", fmt.Sprintf(`{"id_operator":%d,"status":"available"}`, agent))
		if n%40 == 0 {
			add(ended.Add(time.Second), "UI", "pause", fmt.Sprintf(`{"supp":"%d","id_operator":%d}`, 3+n%80/40, agent))
			add(ended.Add(time.Second+secs(600)), "UI", "login", fmt.Sprintf(`{"supp":"","id_operator":%d}`, agent))
		}
	}
	slices.SortFunc(d.updates, func(x, y dayUpdate) int { return cmp.Or(x.at.Compare(y.at), cmp.Compare(x.seq, y.seq)) })
	return d
}

// player applies a busyDay's updates to a board in order, letting time
// pass each second as the hub does.
type player struct {
	b      *Board
	day    *busyDay
	next   int
	ticked time.Time
}

// newPlayer is a board of opts made at the day's first update, live, with
// the day's directory.
func newPlayer(d *busyDay, opts Options) *player {
	start := d.updates[0].at
	b := New(opts, start)
	b.SetStatus(&feed.StatusMsg{State: feed.Live, At: start})
	b.SetDirectory(d.dir, start)
	return &player{b: b, day: d, ticked: start}
}

// playTo applies the updates before to.
func (p *player) playTo(to time.Time) {
	for ; p.next < len(p.day.updates) && p.day.updates[p.next].at.Before(to); p.next++ {
		u := p.day.updates[p.next]
		if u.at.Sub(p.ticked) >= time.Second {
			p.b.Tick(u.at)
			p.ticked = u.at
		}
		p.b.Apply(feedtest.Event(u.at, u.raw), u.at)
	}
}
