package state

import (
	"testing"

	"callboard/feed"
)

// TestJoiningADayKeepsItsOutages: a board replayed from a journal whose
// writer goes on (Join) keeps the day's view through its own start-up:
// its connecting is no stretch of the day without a live feed, its going
// live makes no agent or call stale, and only the agents the day lost
// sight of (no event since its outage) stay stale.
func TestJoiningADayKeepsItsOutages(t *testing.T) {
	s := newScript(t, Options{})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	s.at(sec, "UI", "login", ui("1", "")).at(sec, "UI", "login", ui("2", "")).at(sec, "UI", "login", ui("3", ""))
	s.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, At: t0.Add(2 * sec)})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0.Add(9 * sec)})
	s.at(10*sec, "operator", "status", op("1", "available")).at(10*sec, "operator", "status", op("2", "available"))
	s.at(11*sec, "queue", "insert_call", `{"id_queue":10,"id_call":"q1","duration_in_queue":0}`)
	s.b.Tick(t0.Add(30 * sec)) // the writer's stale window closed

	last := t0.Add(40 * sec) // the journal's last line
	s.b.Join(last)
	if h := s.b.Feed(); h.Live() || h.State != feed.Connecting {
		t.Errorf("joined: feed %v, want connecting (this process is not live yet)", h.State)
	}
	if got := s.b.AsOf(t0.Add(50 * sec)); !got.Equal(last) {
		t.Errorf("joined, not live yet: figures as of %v, want the journal's last line %v", got, last)
	}
	s.b.SetStatus(&feed.StatusMsg{State: feed.Connecting, Reason: "authenticating", At: t0.Add(41 * sec)})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, Reason: "connection refused by x:1", At: t0.Add(42 * sec)})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Connecting, At: t0.Add(45 * sec)})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0.Add(46 * sec)})
	s.b.Tick(t0.Add(60 * sec))
	s.now = t0.Add(60 * sec)

	if h := s.b.Feed(); !h.Live() || h.Reconnects != 1 {
		t.Errorf("live: feed %v, reconnects %d, want live and the day's 1", h.State, h.Reconnects)
	}
	for id, want := range map[string]bool{"1": false, "2": false, "3": true} {
		if a := s.agent(id); a.Stale != want {
			t.Errorf("agent %s stale %v, want %v (stale only since the day's outage)", id, a.Stale, want)
		}
	}
	if q := s.queue("10"); q.Waiting != 1 || q.StaleCalls != 0 {
		t.Errorf("queue: waiting %d, stale %d, want 1 and 0 (the day never lost sight of the call)", q.Waiting, q.StaleCalls)
	}
	want := []Interval{{From: t0.Add(2 * sec), To: t0.Add(9 * sec)}}
	if got := s.b.Day().NotLive; len(got) != 1 || !got[0].From.Equal(want[0].From) || !got[0].To.Equal(want[0].To) {
		t.Errorf("not live today %v, want only the day's outage %v", got, want)
	}

	// Should it lose its feed later, that is an outage as any.
	s.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, At: t0.Add(70 * sec)})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0.Add(80 * sec)})
	if got := s.b.Day().NotLive; len(got) != 2 || !s.agent("1").Stale {
		t.Errorf("an outage after joining: not live %v, agent 1 stale %v", got, s.agent("1").Stale)
	}
}

// TestJoiningADayThatWasNotLive: when the day was not live at the
// journal's last line, its outage goes on until this board is live, which
// makes the agents stale as after any outage.
func TestJoiningADayThatWasNotLive(t *testing.T) {
	s := newScript(t, Options{})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	s.at(sec, "UI", "login", ui("1", ""))
	s.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, At: t0.Add(2 * sec)})
	s.b.Join(t0.Add(5 * sec))
	s.b.SetStatus(&feed.StatusMsg{State: feed.Connecting, At: t0.Add(6 * sec)})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0.Add(9 * sec)})
	s.now = t0.Add(9 * sec)
	if got := s.b.Day().NotLive; len(got) != 1 || !got[0].From.Equal(t0.Add(2*sec)) || !got[0].To.Equal(t0.Add(9*sec)) {
		t.Errorf("not live today %v, want the day's outage to the board's going live", got)
	}
	if !s.agent("1").Stale {
		t.Error("agent 1 not stale after the day's outage")
	}
}

// TestLeavingADayNotSeenSince: when the writer of the day a board joined
// stops before the board is live, the day is not seen from its last line:
// an outage the board's going live ends, after which the agents it has
// not heard of are stale. Leave does nothing once the board was live.
func TestLeavingADayNotSeenSince(t *testing.T) {
	s := newScript(t, Options{})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	s.at(sec, "UI", "login", ui("1", "")).at(sec, "UI", "login", ui("2", ""))
	if !s.b.Join(t0.Add(10 * sec)) {
		t.Fatal("a live day not joined")
	}
	s.b.SetStatus(&feed.StatusMsg{State: feed.Connecting, At: t0.Add(11 * sec)})
	s.b.Leave(t0.Add(12 * sec))
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0.Add(15 * sec)})
	s.at(16*sec, "operator", "status", op("1", "available"))
	got := s.b.Day().NotLive
	if len(got) != 1 || !got[0].From.Equal(t0.Add(12*sec)) || !got[0].To.Equal(t0.Add(15*sec)) {
		t.Errorf("not live today %v, want from where the writer stopped to the board's going live", got)
	}
	if s.agent("1").Stale || !s.agent("2").Stale {
		t.Errorf("stale %v / %v, want false / true", s.agent("1").Stale, s.agent("2").Stale)
	}
	s.b.Leave(t0.Add(20 * sec))
	if h := s.b.Feed(); len(s.b.Day().NotLive) != 1 || !h.Live() {
		t.Errorf("a Leave once live: stretches not live %v, feed %v", s.b.Day().NotLive, h.State)
	}
}
