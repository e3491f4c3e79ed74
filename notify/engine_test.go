package notify

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"callboard/config"
	"callboard/feed"
	"callboard/hub"
	"callboard/internal/testkit"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// TestTheEnginesChangesReachTheCommandOnceEach: end to end with the real
// engine, a hub whose board has Support's waiting_max at 1 (its clock
// injected, no tick) raises it when a second call waits, keeps it while a
// third comes, and clears it when two are answered; the views come again
// and again, each with the ring of the changes; the sender reading them
// hands the real command exactly one raise, then one clear, with the
// engine's figures and times (the clear saying who acknowledged the
// alert meanwhile), nothing again from the views after, the
// board's last one included.
func TestTheEnginesChangesReachTheCommandOnceEach(t *testing.T) {
	argv, received := recorder(t)
	s := newSender(t, Options{Config: config.Notify{Command: argv}, Location: time.UTC, Board: "callboard"})
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	var clock atomic.Int64
	clock.Store(t0.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	h := hub.New(hub.Config{Options: state.Options{Location: time.UTC, QueueLimits: state.QueueLimits{WaitingMax: 1}},
		Now: now, Start: t0, MinInterval: time.Nanosecond, TickInterval: time.Hour, Journal: writing{}, Notify: s.Health})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sub := h.Subscribe()
	defer sub.Close()
	reading := make(chan struct{})
	go func() { defer close(reading); s.Run(ctx, sub.C) }()
	messages := make(chan feed.Message) // unbuffered: a send returns once the hub took it
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx, messages) }()
	messages <- &feed.StatusMsg{State: feed.Live, At: t0}
	messages <- &feed.DirectoryMsg{At: t0, Directory: feed.Directory{Groups: []feed.Named{{ID: "10", Name: "Support"}}}}
	testkit.Eventually(t, "the sender reading the views (those before: the replay's)", func() bool { return s.Health().Sending })

	cpt := 0
	at := func(d time.Duration, name, msg string) {
		clock.Store(t0.Add(d).UnixNano())
		cpt++
		messages <- feedtest.Update(now(), cpt, "queue", name, msg)
	}
	in := func(call string) string {
		return fmt.Sprintf(`{"id_queue":10,"id_call":%q,"caller_id_num":"33100000000","duration_in_queue":0}`, call)
	}
	at(time.Second, "insert_call", in("1"))
	at(10*time.Second, "insert_call", in("2")) // 2 waiting: raised
	at(20*time.Second, "insert_call", in("3")) // 3: still the same alert
	testkit.Eventually(t, "the raise sent", func() bool { return s.Health().Sent == 1 })
	key := state.AlertKey{Rule: state.RuleWaitingMax, QueueID: "10"}
	if err := h.Acknowledge(key, t0.Add(10*time.Second), "anne"); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, "the alert acknowledged", func() bool { return len(h.Latest().Acks) == 1 })
	at(30*time.Second, "connect_call", `{"id_queue":"10","id_call":"1","id_operator":1,"status":"connected"}`)
	at(40*time.Second, "connect_call", `{"id_queue":"10","id_call":"2","id_operator":2,"status":"connected"}`) // 1 waiting: cleared
	testkit.Eventually(t, "the board's two changes sent", func() bool { return s.Health().Sent == 2 }, func() string {
		return fmt.Sprintf("health %+v, the board's changes %+v", s.Health(), h.Latest().AlertChanges)
	})
	at(50*time.Second, "connect_call", `{"id_queue":"10","id_call":"3","id_operator":3,"status":"connected"}`) // views again: nothing new to send
	testkit.Eventually(t, "the hub's view of the last call", func() bool { return h.Latest().AsOf.Equal(t0.Add(50 * time.Second)) })
	cancel()
	testkit.Receive(t, "the hub's end", done)
	testkit.Receive(t, "the sender's end of reading", reading)
	s.Observe(h.Latest()) // the board's last view, as a session's end reads it
	drain(s)

	got := received()
	if want := []string{"raised waiting_max Support 09:00:10", "cleared waiting_max Support 09:00:40"}; !slices.Equal(events(got), want) {
		t.Fatalf("the command received %q, want %q", events(got), want)
	}
	raise, clear := got[0], got[1]
	if raise.Seq != 1 || raise.QueueID != "10" || raise.Value != 2 || raise.Limit != 1 || !raise.Since.Equal(t0.Add(10*time.Second)) || raise.Acknowledged != nil {
		t.Errorf("raise = %+v", raise)
	}
	if clear.Seq != 2 || clear.Value != 1 || !clear.Since.Equal(raise.Since) || clear.Acknowledged == nil || clear.Acknowledged.By != "anne" || !clear.Acknowledged.At.Equal(t0.Add(20*time.Second)) {
		t.Errorf("clear = %+v", clear)
	}
	if h := s.Health(); h.Sent != 2 || h.Dropped != 0 || h.Held != 0 || h.CommandFailures != 0 {
		t.Errorf("health = %+v", h)
	}
}
