package state

import (
	"fmt"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
)

// manyIDs is a live board that has met n queues, n trunks and n agents
// by id (each queue and trunk with a call that came and went, each agent
// logged in then out), over a minute of event time.
func manyIDs(t testing.TB, opts Options, n int) (*Board, time.Time) {
	t.Helper()
	opts.Location = time.UTC
	b := New(opts, t0)
	b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	now := t0
	apply := func(kind feed.Kind, name string, msg feed.Msg) { // built, not decoded: the decoder has tests of its own
		b.Apply(&feed.Event{Received: now, Update: feed.Update{Kind: kind, Name: name, Msg: msg}}, now)
	}
	for i := range n {
		now = t0.Add(time.Duration(i) * time.Minute / time.Duration(n))
		id, call := feed.Text(fmt.Sprint(i)), feed.Text(fmt.Sprint(i))
		apply(feed.KindQueue, "insert_call", feed.Msg{Queue: "q" + id, Call: call})
		apply(feed.KindQueue, "delete_call", feed.Msg{Queue: "q" + id, Call: call})
		apply(feed.KindTrunk, "insert_call", feed.Msg{Trunk: "t" + id, Call: call})
		apply(feed.KindTrunk, "delete_call", feed.Msg{Trunk: "t" + id, Call: call})
		apply(feed.KindUI, "logout", feed.Msg{Operator: "a" + id})
	}
	return b, now
}

// TestAHundredThousandIDs: with caps of 100,000 and as many queue, trunk
// and agent ids met, a view taken when nothing came since the last one
// builds and sorts no row again (the day by interval's queues, the orders
// of queues, trunks and agents): an idle board's tick costs no sort over
// all its ids. And the 100,001st id of each is rejected, named.
func TestAHundredThousandIDs(t *testing.T) {
	const n = 100_000
	b, now := manyIDs(t, Options{MaxQueues: n, MaxTrunks: n, MaxAgents: n}, n)
	v := b.View(now)
	if len(v.Queues) != n || len(v.Trunks) != n || len(v.Agents) != n {
		t.Fatalf("%d queues, %d trunks, %d agents: want %d each", len(v.Queues), len(v.Trunks), len(v.Agents), n)
	}
	if len(v.Intervals) == 0 || len(v.Intervals[len(v.Intervals)-1].Queues) != n {
		t.Fatalf("the day by interval lost queues")
	}
	for tick := range 3 {
		before := b.rebuilt
		now = now.Add(time.Second)
		v = b.View(now)
		if got := b.rebuilt - before; got != 0 {
			t.Errorf("idle tick %d rebuilt %d rows", tick, got)
		}
	}
	if len(v.Intervals[len(v.Intervals)-1].Queues) != n {
		t.Errorf("an idle view lost the day by interval's queues")
	}

	rejected := b.feed.Rejected
	for _, c := range []struct{ raw, reason, named string }{
		{`{"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":"new\u202eq","id_call":"x"}}}`, "too many queues: limit 100000", `id_queue "newq"`},
		{`{"event":{"type_notification":"trunk","event":"insert_call","msg":{"id_trunk":"newt","id_call":"x"}}}`, "too many trunks: limit 100000", `id_trunk "newt"`},
		{`{"event":{"type_notification":"UI","event":"login","msg":{"id_operator":"newa"}}}`, "too many agents: limit 100000", `id_operator "newa"`},
		{`{"event":{"type_notification":"operator","event":"status","msg":{"id_operator":"newa","status":"available"}}}`, "too many agents: limit 100000", `id_operator "newa"`},
	} {
		b.Apply(feedtest.Event(now, c.raw), now)
		if got := b.Events()[0].Rejected; got != c.reason+": "+c.named {
			t.Errorf("%s: rejected %q, want %q", c.raw, got, c.reason+": "+c.named)
		}
	}
	if b.feed.Rejected != rejected+4 || b.feed.RejectedBy["too many agents: limit 100000"] != 2 || b.feed.RejectedBy["too many queues: limit 100000"] != 1 {
		t.Errorf("rejected %d (%v), want 4 more", b.feed.Rejected-rejected, b.feed.RejectedBy)
	}
	if len(b.queues) != n || len(b.trunks) != n || len(b.agents) != n {
		t.Errorf("beyond the caps: %d queues, %d trunks, %d agents", len(b.queues), len(b.trunks), len(b.agents))
	}
	// a known id is never refused
	b.Apply(feedtest.Event(now, `{"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":"q7","id_call":"x"}}}`), now)
	if b.Events()[0].Rejected != "" || len(b.queues["q7"].calls) != 1 {
		t.Errorf("an event for a queue kept was refused: %q", b.Events()[0].Rejected)
	}
}
