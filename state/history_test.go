package state

import (
	"slices"
	"testing"
	"time"

	"callboard/feed"
)

// TestTheLastHourOfCallsWaiting is the board's, not a viewer's: the most
// calls waiting in each minute it was live, whoever looks and whenever
// they started looking; minutes not seen are 0; an hour at most.
func TestTheLastHourOfCallsWaiting(t *testing.T) {
	s := newScript(t, Options{})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	s.at(10*sec, "queue", "insert_call", insertCall(1, 10, "1", ""))
	s.at(20*sec, "queue", "insert_call", insertCall(2, 10, "2", ""))
	s.b.Tick(t0.Add(30 * sec))
	s.at(40*sec, "queue", "delete_call", queueCall(2, 10))
	s.b.Tick(t0.Add(70 * sec))  // minute 1: one waiting
	s.b.Tick(t0.Add(190 * sec)) // minute 3: minute 2 not seen
	got := s.b.View(t0.Add(200 * sec)).WaitingLastHour
	if want := []int{2, 1, 0, 1}; !slices.Equal(got, want) {
		t.Errorf("the last minutes %v, want %v", got, want)
	}
	for d := 4 * time.Minute; d < 2*time.Hour; d += time.Minute {
		s.b.Tick(t0.Add(d))
	}
	if got := s.b.View(t0.Add(2 * time.Hour)).WaitingLastHour; len(got) != HistoryMinutes {
		t.Errorf("%d minutes kept, want %d", len(got), HistoryMinutes)
	}
	// an hour and more unseen (callboard stopped overnight): nothing of before
	if got := s.b.View(t0.Add(17 * time.Hour)).WaitingLastHour; len(got) != HistoryMinutes || slices.Max(got) != 0 {
		t.Errorf("after 15 hours unseen: %v, want an hour that saw nothing (the call waiting then has been dropped since)", got)
	}
}

// TestTheLastHourOfCallsWaitingDoesNotDependOnTheTicks: a minute's figure
// is the most calls waiting in it, at whichever moments time is let pass:
// a call that waits less than a second between two ticks counts, whether
// or not a tick falls while it waits (a replay ticks where its batches
// end, which depends on how fast it reads), and on a board resumed from
// its checkpoint between the tick and the call.
func TestTheLastHourOfCallsWaitingDoesNotDependOnTheTicks(t *testing.T) {
	minutes := func(tickWhileWaiting, resumed bool) []int {
		s := newScript(t, Options{})
		s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
		s.b.Tick(t0.Add(10 * sec))
		if resumed {
			s.b = loadCheckpoint(t, checkpointOf(t, s.b), s.b.opts)
		}
		s.at(10*sec+200*time.Millisecond, "queue", "insert_call", insertCall(1, 10, "1", ""))
		if tickWhileWaiting {
			s.b.Tick(t0.Add(10*sec + 300*time.Millisecond))
		}
		s.at(10*sec+500*time.Millisecond, "queue", "delete_call", queueCall(1, 10))
		return s.b.View(t0.Add(11 * sec)).WaitingLastHour
	}
	want := []int{1}
	for _, c := range []struct{ tickWhileWaiting, resumed bool }{{true, false}, {false, false}, {false, true}} {
		if got := minutes(c.tickWhileWaiting, c.resumed); !slices.Equal(got, want) {
			t.Errorf("a tick while the call waited %v, resumed from a checkpoint %v: the last minutes %v, want %v", c.tickWhileWaiting, c.resumed, got, want)
		}
	}
}
