package state

import (
	"fmt"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
)

// settleBoard is a board with a queue of six agents whose feed goes live
// at t0 and whose agents log in one by one, 100 ms apart, as a fresh
// connection tells them: the first n of them.
func settleBoard(t *testing.T, tick bool, n int) *Board {
	t.Helper()
	d := feed.Directory{Groups: []feed.Named{{ID: "10", Name: "Support"}}}
	for i := 1; i <= 6; i++ {
		d.Agents = append(d.Agents, feed.Agent{ID: feed.Text(fmt.Sprint(i)), Name: fmt.Sprintf("Agent %d", i), Groups: []feed.Text{"10"}})
	}
	b := New(Options{Location: time.UTC, QueueLimits: QueueLimits{AvailableMin: 6, LoggedInMin: 6, WaitingMax: 0}}, t0)
	b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	b.SetDirectory(d, t0)
	for i := 1; i <= n; i++ {
		at := t0.Add(time.Duration(i) * 100 * time.Millisecond)
		if tick {
			b.Tick(at.Add(-50 * time.Millisecond))
		}
		b.Apply(feedtest.Login(at, i, i), at)
	}
	return b
}

// TestStaffingWaitsForTheStateAtConnect: the agents' states of a fresh
// connection arriving one by one raise nothing (the queue rules wait
// AlertSettle after the feed goes live), while a real drop after the
// window raises and clears as it happens; a queue still short when the
// window ends raises as of its end, whether a tick or the next message
// finds it.
func TestStaffingWaitsForTheStateAtConnect(t *testing.T) {
	for _, tick := range []bool{false, true} {
		b := settleBoard(t, tick, 6)
		if tick {
			for d := time.Second; d <= 20*time.Second; d += time.Second {
				b.Tick(t0.Add(d))
			}
		}
		if len(b.AlertChanges()) != 0 {
			t.Errorf("tick %v: the state at connect raised %q", tick, changesOf(b))
		}
		b.Apply(feedtest.Update(t0.Add(30*sec), 7, "UI", "pause", ui("3", "4")), t0.Add(30*sec))
		b.Apply(feedtest.Update(t0.Add(40*sec), 8, "UI", "logout", ui("4", "")), t0.Add(40*sec))
		b.Apply(feedtest.Update(t0.Add(50*sec), 9, "UI", "login", ui("4", "")), t0.Add(50*sec))
		b.Apply(feedtest.Update(t0.Add(55*sec), 10, "UI", "pause", ui("3", "")), t0.Add(55*sec))
		wantChanges(t, b, "+available_min 10 @30s 5/6", "+logged_in_min 10 @40s 5/6",
			"-logged_in_min 10 @50s 6/6", "-available_min 10 @55s 6/6")
	}
	for _, tick := range []bool{false, true} {
		b := settleBoard(t, tick, 5) // the sixth never comes
		if tick {
			b.Tick(t0.Add(10*sec + 300*time.Millisecond))
		}
		b.Apply(feedtest.Update(t0.Add(time.Minute), 7, "UI", "login", ui("6", "")), t0.Add(time.Minute))
		wantChanges(t, b, "+available_min 10 @10s 5/6", "+logged_in_min 10 @10s 5/6",
			"-available_min 10 @1m0s 6/6", "-logged_in_min 10 @1m0s 6/6")
	}
}

// TestAReconnectWaitsAgain: after an outage the window starts again: an
// agent's state told again one by one raises nothing; an alert active
// before stays as it is until the window ends.
func TestAReconnectWaitsAgain(t *testing.T) {
	b := settleBoard(t, false, 6)
	down, up := t0.Add(time.Minute), t0.Add(2*time.Minute)
	b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, At: down})
	b.SetStatus(&feed.StatusMsg{State: feed.Live, At: up})
	b.Apply(feedtest.Update(up.Add(sec), 7, "UI", "logout", ui("2", "")), up.Add(sec))
	b.Apply(feedtest.Update(up.Add(2*sec), 8, "UI", "login", ui("2", "")), up.Add(2*sec))
	b.Tick(up.Add(time.Minute))
	if c := changesOf(b); len(c) != 0 {
		t.Errorf("a reconnect's state raised %q", c)
	}
}

// TestTheSimulatorsFirstBurstRaisesNothing: a fresh board fed the
// simulator's first burst (the directory, the feed live, every agent's
// state and call one by one at once), its queues' staffing limits just
// what the burst leaves them, raises nothing, at its end or after the
// window; without the wait it raises the false alerts of the counts the
// burst passes through.
func TestTheSimulatorsFirstBurstRaisesNothing(t *testing.T) {
	from := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	var burst []feed.Message
	for _, m := range feedtest.SimDay(7, from, from) {
		if feed.MessageTime(m).Equal(from) {
			burst = append(burst, m)
		}
	}
	probe := New(Options{Location: time.UTC}, from)
	for _, m := range burst {
		probe.Handle(m, from)
	}
	limits := map[string]QueueLimits{}
	for _, q := range probe.Queues(from) {
		if q.AgentsAvailable > 0 {
			limits[q.ID] = QueueLimits{AvailableMin: q.AgentsAvailable, LoggedInMin: q.AgentsLoggedIn}
		}
	}
	if len(limits) == 0 {
		t.Fatal("the burst staffs no queue")
	}
	for _, settle := range []time.Duration{0, -1} {
		b := New(Options{Location: time.UTC, QueueLimitsOf: limits, AlertSettle: settle}, from)
		for _, m := range burst {
			b.Handle(m, from)
		}
		b.Tick(from.Add(11 * time.Second))
		switch c := changesOf(b); {
		case settle == 0 && len(c) != 0:
			t.Errorf("the first burst raised %q", c)
		case settle < 0 && len(c) == 0:
			t.Error("without the wait, the first burst raises nothing: the test shows nothing")
		}
	}
}
