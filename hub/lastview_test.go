package hub

import (
	"encoding/json"
	"reflect"
	"sync"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/sim"
	"callboard/state"
)

// simHours is hours of the simulator's traffic from t0, live, as the feed
// hands it over.
func simHours(tb testing.TB, hours int) []feed.Message {
	tr := sim.NewTraffic(5, t0, sim.TrafficOptions{Surprises: true})
	var stamp sim.Stamper
	msgs := []feed.Message{&feed.StatusMsg{State: feed.Live, At: t0}}
	add := func(evs []sim.Event, now time.Time) {
		for _, ev := range evs {
			raw, err := json.Marshal(stamp.Stamp(ev, now))
			if err != nil {
				tb.Fatal(err)
			}
			msgs = append(msgs, feedtest.Event(now, string(raw)))
		}
	}
	add(tr.Snapshot(), t0)
	for now := t0.Add(time.Second); now.Before(t0.Add(time.Duration(hours) * time.Hour)); now = now.Add(time.Second) {
		add(tr.Advance(now), now)
	}
	return msgs
}

// replayed runs a hub as a report does (a replay as fast as it reads, the
// last view with the day's report) on msgs, all already waiting, on a clock
// ahead of them that moves on at each reading: its batches, and so the
// moments it takes views at (after each batch), are the same at each run.
func replayed(tb testing.TB, msgs []feed.Message, lastViewOnly bool) *Hub {
	clock := feed.MessageTime(msgs[len(msgs)-1])
	now := func() time.Time {
		clock = clock.Add(time.Millisecond)
		return clock
	}
	h := New(Config{Options: state.Options{Location: time.UTC}, Start: t0, Now: now,
		MinInterval: time.Nanosecond, TickInterval: time.Hour, FollowMessages: true, Report: true, LastViewOnly: lastViewOnly})
	messages := make(chan feed.Message, len(msgs))
	for _, m := range msgs {
		messages <- m
	}
	close(messages)
	done := make(chan error, 1)
	go func() { done <- h.Run(tb.Context(), messages) }()
	if err := <-done; err != nil {
		tb.Fatal(err)
	}
	return h
}

// TestAReplayWhoseLastViewAloneIsReadMakesNoOther: a replay that only its
// last view is read of (LastViewOnly: report, replay --snapshot) makes that
// view and the hub's first, and the last is the one a replay taking all
// its views ends with, report included.
func TestAReplayWhoseLastViewAloneIsReadMakesNoOther(t *testing.T) {
	msgs := simHours(t, 2)
	all, last := replayed(t, msgs, false), replayed(t, msgs, true)
	if all.views < 4 || last.views != 2 {
		t.Errorf("views made: %d taking them all, %d when only the last is read: want more than 3, and 2", all.views, last.views)
	}
	t.Logf("%d messages: %d views taking them all", len(msgs), all.views)
	want, got := all.Latest(), last.Latest()
	if !got.FeedEnded || got.Report == nil || len(got.Report.Calls) < 100 {
		t.Fatalf("the last view: ended %v, report %v", got.FeedEnded, got.Report != nil)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the last view differs when the others are not made:\n%+v\nwant\n%+v", got.Totals, want.Totals)
	}
}

// BenchmarkReplayViews replays the simulator's two hours as a report
// does (its source reading ahead, the clock at the newest message read, a
// view a recorded second), every view made (all) or the last alone (last):
// views/op says how many were made.
func BenchmarkReplayViews(b *testing.B) {
	msgs := simHours(b, 2)
	for _, mode := range []struct {
		name     string
		lastOnly bool
	}{{"all", false}, {"last", true}} {
		b.Run(mode.name, func(b *testing.B) {
			views := 0
			for b.Loop() {
				views += replayedAsRead(b, msgs, mode.lastOnly).views
			}
			b.ReportMetric(float64(views)/float64(b.N), "views/op")
		})
	}
}

// replayedAsRead runs a hub on msgs as app's report does: a source sends
// them as fast as it reads (decoding the updates again, as it decodes
// lines), its clock at the newest sent; the hub's ticker fires each
// millisecond, as a report's, reading a day in seconds, comes to a new
// recorded second every millisecond or so.
func replayedAsRead(tb testing.TB, msgs []feed.Message, lastViewOnly bool) *Hub {
	var mu sync.Mutex
	clock := t0
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return clock
	}
	h := New(Config{Options: state.Options{Location: time.UTC}, Start: t0, Now: now,
		MinInterval: time.Second, TickInterval: time.Millisecond, FollowMessages: true, Report: true, LastViewOnly: lastViewOnly})
	messages := make(chan feed.Message, 4096)
	go func() {
		for _, m := range msgs {
			mu.Lock()
			if at := feed.MessageTime(m); at.After(clock) {
				clock = at
			}
			mu.Unlock()
			if ev, ok := m.(*feed.Event); ok {
				m = feedtest.Event(ev.Received, string(ev.Raw))
			}
			messages <- m
		}
		close(messages)
	}()
	if err := h.Run(tb.Context(), messages); err != nil {
		tb.Fatal(err)
	}
	return h
}
