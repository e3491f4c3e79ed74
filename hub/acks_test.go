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

// staffingLimits raise Support's available_min and logged_in_min while
// fewer than two of its agents are logged in and available.
var staffingLimits = state.Options{Location: time.UTC, QueueLimits: state.QueueLimits{AvailableMin: 2, LoggedInMin: 2}}

// supportDirectory is Support (10) and its agents 7 and 8.
var supportDirectory = &feed.DirectoryMsg{Directory: feed.Directory{
	Agents: []feed.Agent{{ID: "7", Name: "Zoé", Groups: []feed.Text{"10"}}, {ID: "8", Name: "Yann", Groups: []feed.Text{"10"}}},
	Groups: []feed.Named{{ID: "10", Name: "Support"}}}}

// alertsSeen waits for a view of s holding n alerts, and returns it.
func alertsSeen(t *testing.T, s *Subscription, n int) *state.View {
	t.Helper()
	for {
		if v := testkit.Receive(t, "a view", s.C); len(v.Alerts) == n {
			return v
		}
	}
}

// TestAnAcknowledgementIsSeenByEveryReader: the engine raises Support's
// staffing alerts (one agent of two logged in); one reader acknowledges
// one; the hub's loop applies it at the hub's clock, journals it, and the
// other reader's next view holds it, on the alert too, who sanitised. The
// same alert acknowledged again is neither applied nor journaled twice;
// one that is not active (cleared, never raised) is refused by the board,
// not journaled.
func TestAnAcknowledgementIsSeenByEveryReader(t *testing.T) {
	j := &recordingJournal{}
	now := t0.Add(time.Minute)
	h := New(Config{Options: staffingLimits, Now: func() time.Time { return now }, Start: t0, Journal: j, TickInterval: time.Hour, MinInterval: time.Nanosecond})
	viewer, other := h.Subscribe(), h.Subscribe()
	defer viewer.Close()
	defer other.Close()
	messages := make(chan feed.Message)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx, messages) }()
	messages <- &feed.StatusMsg{State: feed.Live, At: t0}
	dir := *supportDirectory
	dir.At = t0
	messages <- &dir
	messages <- feedtest.Login(t0.Add(time.Second), 1, 7)
	raised := alertsSeen(t, viewer, 2).Alerts
	since := t0.Add(10 * time.Second) // the end of the wait after going live (state.Options.AlertSettle)
	available := state.AlertKey{Rule: state.RuleAvailableMin, QueueID: "10"}
	loggedIn := state.AlertKey{Rule: state.RuleLoggedInMin, QueueID: "10"}
	for _, a := range raised {
		if (a.AlertKey != available && a.AlertKey != loggedIn) || !a.Since.Equal(since) || a.Acknowledged != nil {
			t.Fatalf("raised %+v, want Support's staffing alerts since 10 s, not acknowledged", raised)
		}
	}

	if err := h.Acknowledge(available, since, "anne\x1b[31m\u202e"); err != nil {
		t.Fatal(err)
	}
	v := acksSeen(t, other, 1)
	want := state.Acknowledgement{AlertKey: available, Since: since, By: "anne", At: now}
	if v.Acks[0] != want {
		t.Errorf("the other reader sees %+v, want %+v", v.Acks[0], want)
	}
	for _, a := range v.Alerts {
		if (a.AlertKey == available) != (a.Acknowledged != nil) || (a.Acknowledged != nil && *a.Acknowledged != want) {
			t.Errorf("the other reader's alert %+v", a)
		}
	}
	if err := h.Acknowledge(available, since, "bob"); err != nil {
		t.Fatal(err)
	}
	if err := h.Acknowledge(state.AlertKey{Rule: state.RuleWaitingMax, QueueID: "10"}, since, "bob"); err != nil {
		t.Fatal(err) // asked: the board refuses it, no such alert
	}
	if err := h.Acknowledge(loggedIn, since, "bob"); err != nil {
		t.Fatal(err)
	}
	v = acksSeen(t, viewer, 2) // the acknowledgements are applied in order: bob's first went before
	if v.Acks[0].AlertKey != available || v.Acks[0].By != "anne" || v.Acks[1].AlertKey != loggedIn || v.Acks[1].By != "bob" {
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
	if len(acks) != 2 || acks[0].By != "anne" || !acks[0].At.Equal(now) || acks[1].Rule != state.RuleLoggedInMin {
		t.Errorf("journaled %+v, want anne's then bob's on logged_in_min", acks)
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
