package hub

import (
	"context"
	"errors"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// acksSeen waits for a view of s holding n acknowledgements, and returns
// it.
func acksSeen(t *testing.T, s *Subscription, n int) *state.View {
	t.Helper()
	for {
		if v := testkit.Receive(t, "a view", s.C); len(v.Acks) == n {
			return v
		}
	}
}

// TestAnAcknowledgementIsSeenByEveryReader: one reader acknowledges; the
// hub's loop applies it at the hub's clock, journals it, and the other
// reader's next view holds it, who sanitised. The same alert acknowledged
// again is neither applied nor journaled twice.
func TestAnAcknowledgementIsSeenByEveryReader(t *testing.T) {
	j := &recordingJournal{}
	now := t0.Add(time.Minute)
	h := New(Config{Options: state.Options{Location: time.UTC}, Now: func() time.Time { return now }, Start: t0, Journal: j, TickInterval: time.Hour, MinInterval: time.Nanosecond})
	viewer, other := h.Subscribe(), h.Subscribe()
	defer viewer.Close()
	defer other.Close()
	messages := make(chan feed.Message)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx, messages) }()
	messages <- &feed.StatusMsg{State: feed.Live, At: t0}
	messages <- feedtest.Login(t0, 1, 7)

	paused := state.AlertKey{Rule: state.RulePauseMax, AgentID: "7"}
	if err := h.Acknowledge(paused, t0.Add(10*time.Second), "anne\x1b[31m\u202e"); err != nil {
		t.Fatal(err)
	}
	v := acksSeen(t, other, 1)
	want := state.Acknowledgement{AlertKey: paused, Since: t0.Add(10 * time.Second), By: "anne", At: now}
	if v.Acks[0] != want {
		t.Errorf("the other reader sees %+v, want %+v", v.Acks[0], want)
	}
	if err := h.Acknowledge(paused, t0.Add(10*time.Second), "bob"); err != nil {
		t.Fatal(err)
	}
	calling := state.AlertKey{Rule: state.RuleCallMax, AgentID: "7"}
	if err := h.Acknowledge(calling, t0.Add(20*time.Second), "bob"); err != nil {
		t.Fatal(err)
	}
	v = acksSeen(t, viewer, 2) // the acknowledgements are applied in order: bob's first went before
	if v.Acks[1].AlertKey != paused || v.Acks[1].By != "anne" {
		t.Errorf("acknowledged again: %+v", v.Acks)
	}
	cancel()
	testkit.Receive(t, "the hub's end", done)
	var acks []*feed.AckMsg
	for _, m := range j.kept {
		if a, ok := m.(*feed.AckMsg); ok {
			acks = append(acks, a)
		}
	}
	if len(acks) != 2 || acks[0].By != "anne" || !acks[0].At.Equal(now) || acks[1].Rule != state.RuleCallMax {
		t.Errorf("journaled %+v, want anne's then bob's on call_max", acks)
	}
}

// TestAnAcknowledgementRefusedIsSaid: where the process may not
// acknowledge (CanAcknowledge), Acknowledge says why and nothing is
// applied.
func TestAnAcknowledgementRefusedIsSaid(t *testing.T) {
	notHere := errors.New("another process writes the journal")
	h := New(Config{Options: state.Options{Location: time.UTC}, Now: func() time.Time { return t0 }, Start: t0, CanAcknowledge: func() error { return notHere }})
	if err := h.Acknowledge(state.AlertKey{Rule: state.RulePauseMax, AgentID: "7"}, t0, "anne"); !errors.Is(err, notHere) {
		t.Errorf("Acknowledge: %v", err)
	}
	if len(h.acks) != 0 {
		t.Error("an acknowledgement refused went to the board")
	}
	h = New(Config{Options: state.Options{Location: time.UTC}, Now: func() time.Time { return t0 }, Start: t0})
	for range maxAcksWaiting {
		if err := h.Acknowledge(state.AlertKey{Rule: state.RulePauseMax, AgentID: "7"}, t0, "anne"); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.Acknowledge(state.AlertKey{Rule: state.RulePauseMax, AgentID: "7"}, t0, "anne"); !errors.Is(err, ErrBusy) {
		t.Errorf("beyond the acknowledgements waiting: %v", err)
	}
}
