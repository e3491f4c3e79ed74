package state

import (
	"testing"
	"time"

	"callboard/feed"
)

func TestCallsNotMentionedAfterAReconnectLeaveTheCounts(t *testing.T) {
	s := newScript(t, Options{StaleCallWindow: 10 * sec, StaleCallSweep: 5 * time.Minute})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	s.at(sec, "queue", "insert_call", `{"id_queue":10,"id_call":"kept","duration_in_queue":0}`)
	s.at(2*sec, "queue", "insert_call", `{"id_queue":10,"id_call":"ended","duration_in_queue":0}`)
	s.at(3*sec, "queue", "insert_call", `{"id_queue":10,"id_call":"talking","duration_in_queue":0}`)
	s.at(4*sec, "queue", "connect_call", `{"id_queue":10,"id_call":"talking","id_operator":1}`)
	s.at(5*sec, "trunk", "insert_call", `{"id_trunk":7,"id_call":"t1"}`)
	s.at(6*sec, "trunk", "insert_call", `{"id_trunk":7,"id_call":"t2"}`)

	// The feed goes down; the calls may end meanwhile, unseen.
	s.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, At: t0.Add(10 * sec)})
	back := t0.Add(60 * sec)
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: back})
	// The burst after init mentions one waiting call and one trunk call.
	s.at(61*sec, "queue", "insert_call", `{"id_queue":10,"id_call":"kept","duration_in_queue":61}`)
	s.at(62*sec, "trunk", "insert_call", `{"id_trunk":7,"id_call":"t2"}`)

	s.now = back.Add(9 * sec)
	s.b.Tick(s.now)
	if q := s.queue("10"); q.Waiting != 2 || q.InProgress != 1 || q.StaleCalls != 0 {
		t.Errorf("within the window: waiting %d, in progress %d, stale %d; want 2, 1, 0", q.Waiting, q.InProgress, q.StaleCalls)
	}

	s.now = back.Add(10 * sec)
	s.b.Tick(s.now)
	q := s.queue("10")
	if q.Waiting != 1 || q.InProgress != 0 || q.StaleCalls != 2 {
		t.Errorf("after the window: waiting %d, in progress %d, stale %d; want 1, 0, 2", q.Waiting, q.InProgress, q.StaleCalls)
	}
	if q.LongestWait != 69*sec {
		t.Errorf("longest wait %v, want the kept call's 69s", q.LongestWait)
	}
	tot := s.b.Totals(s.now)
	if tot.CallsWaiting != 1 || tot.StaleCalls != 2 {
		t.Errorf("totals: waiting %d, stale %d", tot.CallsWaiting, tot.StaleCalls)
	}
	if tr := s.trunk("7"); tr.Ringing != 1 || tr.StaleCalls != 1 {
		t.Errorf("trunk: ringing %d, stale %d; want 1, 1", tr.Ringing, tr.StaleCalls)
	}
	snap := s.b.Snapshot(s.now)
	if snap.Queues[0].StaleCalls != 2 || snap.Trunks[0].StaleCalls != 1 || snap.Totals.CallsWaiting != 1 {
		t.Errorf("snapshot: %+v %+v", snap.Queues[0], snap.Trunks[0])
	}

	// A stale call that is mentioned again counts again.
	s.at(75*sec, "queue", "connect_call", `{"id_queue":10,"id_call":"talking","id_operator":1}`)
	if q := s.queue("10"); q.InProgress != 1 || q.StaleCalls != 1 || q.Answered != 1 {
		t.Errorf("mentioned again: in progress %d, stale %d, answered %d; want 1, 1, 1", q.InProgress, q.StaleCalls, q.Answered)
	}

	// Never mentioned again: swept.
	s.now = back.Add(5 * time.Minute)
	s.b.Tick(s.now)
	if q := s.queue("10"); q.StaleCalls != 0 || q.Waiting != 1 || q.InProgress != 1 || q.Abandoned != 0 {
		t.Errorf("after the sweep: %+v", q)
	}
	if tr := s.trunk("7"); tr.StaleCalls != 0 || tr.Missed != 0 {
		t.Errorf("trunk after the sweep: %+v", tr)
	}
}

func TestRestartsThatResendStateDoNotPileUpCalls(t *testing.T) {
	s := newScript(t, Options{StaleCallWindow: 5 * sec, StaleCallSweep: time.Minute})
	at := t0
	for i := range 50 {
		s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: at})
		// Each restart resends the one real waiting call under a new id.
		s.at(at.Sub(t0)+sec, "queue", "insert_call", `{"id_queue":10,"id_call":"r`+string(rune('A'+i%26))+string(rune('a'+i/26))+`","duration_in_queue":0}`)
		s.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, At: at.Add(30 * sec)})
		at = at.Add(30 * sec)
	}
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: at})
	s.at(at.Sub(t0)+sec, "queue", "insert_call", `{"id_queue":10,"id_call":"real","duration_in_queue":0}`)
	s.now = at.Add(2 * time.Minute)
	s.b.Tick(s.now)
	if q := s.queue("10"); q.Waiting != 1 || q.StaleCalls != 0 || q.LongestWait > 2*time.Minute {
		t.Errorf("after 50 restarts: waiting %d, stale %d, longest %v; want 1 call", q.Waiting, q.StaleCalls, q.LongestWait)
	}
}
