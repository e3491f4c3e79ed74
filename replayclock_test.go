package main

import (
	"context"
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
	// at 10×, four recorded seconds take 0.4 s
	c := newReplayClock(start, 10)
	out := make(chan feed.Message, 10)
	began := time.Now()
	c.play(context.Background(), messagesOf(msgs), out)
	if took := time.Since(began); took < 350*time.Millisecond || took > 2*time.Second {
		t.Errorf("10× replay of 4 s took %v", took)
	}
	if len(out) != 3 {
		t.Errorf("%d messages played", len(out))
	}
	if now := c.now(); now.Before(start.Add(4*time.Second)) || now.After(start.Add(10*time.Second)) {
		t.Errorf("clock at %v after playing to +4 s", now.Sub(start))
	}
	// max: no waiting, the clock following the messages
	c = newReplayClock(start, 0)
	out = make(chan feed.Message, 10)
	began = time.Now()
	c.play(context.Background(), messagesOf(msgs), out)
	if took := time.Since(began); took > 100*time.Millisecond {
		t.Errorf("max speed waited %v", took)
	}
	if !c.now().Equal(start.Add(4 * time.Second)) {
		t.Errorf("max speed clock at %v, want the last message's time", c.now().Sub(start))
	}
}

func TestReplayRefusesBadArguments(t *testing.T) {
	for _, args := range [][]string{{"replay"}, {"replay", "x.jsonl", "--speed", "3"}, {"replay", "/nonexistent.jsonl", "--snapshot"}} {
		if code, _, _ := runCommand(args...); code != exitConfig {
			t.Errorf("%q: exit %d, want %d", args, code, exitConfig)
		}
	}
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
