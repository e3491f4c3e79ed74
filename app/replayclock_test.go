package app

import (
	"context"
	"slices"
	"testing"
	"time"

	"callboard/feed"
)

func TestReplayClockFollowsTheRecording(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	msgs := []feed.Message{
		&feed.StatusMsg{State: feed.Live, At: start},
		&feed.Event{Received: start.Add(2 * time.Second)},
		&feed.Event{Received: start.Add(4 * time.Second)},
	}
	// at 10×, four recorded seconds take 0.4 s: two waits of 0.2 s
	c, wall := newReplayClock(start, 10), &fakeWall{}
	c.since, c.after = wall.since, wall.after
	out := make(chan feed.Message, 10)
	c.play(context.Background(), messagesOf(msgs), out)
	if want := []time.Duration{200 * time.Millisecond, 200 * time.Millisecond}; !slices.Equal(wall.waits, want) {
		t.Errorf("10× replay of 4 s waited %v, want %v", wall.waits, want)
	}
	if len(out) != 3 {
		t.Errorf("%d messages played", len(out))
	}
	if now := c.now(); !now.Equal(start.Add(4 * time.Second)) {
		t.Errorf("clock at %v after playing to +4 s", now.Sub(start))
	}
	wall.elapsed += time.Second
	if now := c.now(); !now.Equal(start.Add(14 * time.Second)) {
		t.Errorf("clock at %v a wall second later, want +14 s", now.Sub(start))
	}
	// max: no waiting, the clock following the messages
	c, wall = newReplayClock(start, 0), &fakeWall{}
	c.since, c.after = wall.since, wall.after
	out = make(chan feed.Message, 10)
	c.play(context.Background(), messagesOf(msgs), out)
	if len(wall.waits) != 0 {
		t.Errorf("max speed waited %v", wall.waits)
	}
	if len(out) != 3 {
		t.Errorf("%d messages played at max speed", len(out))
	}
	if !c.now().Equal(start.Add(4 * time.Second)) {
		t.Errorf("max speed clock at %v, want the last message's time", c.now().Sub(start))
	}
}

// fakeWall is a wall clock that moves only by the waits asked of it, each
// over at once.
type fakeWall struct {
	elapsed time.Duration
	waits   []time.Duration
}

func (w *fakeWall) since(time.Time) time.Duration { return w.elapsed }

func (w *fakeWall) after(d time.Duration) <-chan time.Time {
	w.waits = append(w.waits, d)
	w.elapsed += d
	c := make(chan time.Time, 1)
	c <- time.Time{}
	return c
}

// messagesOf gives msgs one by one, as a recording read is played.
func messagesOf(msgs []feed.Message) func() (feed.Message, bool) {
	return func() (feed.Message, bool) {
		if len(msgs) == 0 {
			return nil, false
		}
		m := msgs[0]
		msgs = msgs[1:]
		return m, true
	}
}
