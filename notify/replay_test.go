package notify

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"callboard/config"
	"callboard/feed"
	"callboard/hub"
	"callboard/internal/testkit"
	"callboard/internal/testkit/feedtest"
	"callboard/journal"
	"callboard/state"
)

// TestAfterARestartTheCommandHearsNoClearOfARaiseHeld: across a real
// restart (a hub writing its journal on disk, then another that replays
// it), the sender of the second run knows what the first sent and held:
// the first sent waiting_max raised and cleared, then held a raise in the
// cooldown and ended; the second does not send the clear of that raise,
// holds the next raise in the same cooldown, and sends it once the
// cooldown ends, the alert still raised.
func TestAfterARestartTheCommandHearsNoClearOfARaiseHeld(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "journal")
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	var clock atomic.Int64
	clock.Store(t0.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	cpt := 0
	in := func(call string) string {
		return fmt.Sprintf(`{"id_queue":10,"id_call":%q,"caller_id_num":"33100000000","duration_in_queue":0}`, call)
	}
	connect := func(call string) string {
		return fmt.Sprintf(`{"id_queue":"10","id_call":%q,"id_operator":1,"status":"connected"}`, call)
	}
	// run is one run of callboard writing the journal: a hub and its
	// sender, fed the messages script sends, each at its time.
	run := func(cfg config.Notify, script func(at func(d time.Duration, name, msg string), live func(d time.Duration)), until func(*Sender) bool) {
		t.Helper()
		s := newSender(t, Options{Config: cfg, Location: time.UTC, Board: "callboard"})
		k := journal.OpenKeeper(journal.KeeperConfig{Dir: dir, Location: time.UTC, Write: true, Now: now})
		hc := hub.Config{Options: state.Options{Location: time.UTC, QueueLimits: state.QueueLimits{WaitingMax: 1}},
			Now: now, Start: now(), MinInterval: time.Nanosecond, TickInterval: time.Hour, Notify: s.Health}
		k.Attach(&hc)
		h := hub.New(hc)
		ctx, cancel := context.WithCancel(context.Background())
		sub := h.Subscribe()
		reading := make(chan struct{})
		go func() { defer close(reading); s.Run(ctx, sub.C) }()
		messages := make(chan feed.Message)
		done := make(chan error, 1)
		go func() { done <- h.Run(ctx, messages) }()
		testkit.Eventually(t, "the sender reading the views (those before: the replay's)", func() bool { return s.Health().Sending })
		live := func(d time.Duration) {
			clock.Store(t0.Add(d).UnixNano())
			messages <- &feed.StatusMsg{State: feed.Live, At: now()}
			messages <- &feed.DirectoryMsg{At: now(), Directory: feed.Directory{Groups: []feed.Named{{ID: "10", Name: "Support"}}}}
		}
		at := func(d time.Duration, name, msg string) {
			clock.Store(t0.Add(d).UnixNano())
			cpt++
			messages <- feedtest.Update(now(), cpt, "queue", name, msg)
			// its view published before the clock moves on: a view of the
			// board before the next update is never stamped with its time
			seq := int64(cpt)
			testkit.Eventually(t, "the view of the update", func() bool { return h.Latest().Feed.LastSeq == seq })
		}
		script(at, live)
		testkit.Eventually(t, "the sender's records", func() bool { return until(s) }, func() string {
			return fmt.Sprintf("health %+v, the board's changes %+v", s.Health(), h.Latest().AlertChanges)
		})
		cancel()
		testkit.Receive(t, "the hub's end", done)
		testkit.Receive(t, "the sender's end of reading", reading)
		sub.Close()
		k.Close()
		drain(s)
	}

	argv1, received1 := recorder(t)
	cfg := config.Notify{Command: argv1, Cooldown: config.Duration{Duration: 10 * time.Minute}}
	run(cfg, func(at func(time.Duration, string, string), live func(time.Duration)) {
		live(0)
		at(time.Second, "insert_call", in("1"))
		at(10*time.Second, "insert_call", in("2"))       // 2 waiting: raised, sent
		at(30*time.Second, "connect_call", connect("1")) // 1: cleared, sent
		at(60*time.Second, "insert_call", in("3"))       // 2: raised in the cooldown: held until 09:10:10
	}, func(s *Sender) bool { h := s.Health(); return h.Sent == 2 && h.Held == 1 })
	if got, want := events(received1()), []string{"raised waiting_max Support 09:00:10", "cleared waiting_max Support 09:00:30"}; !slices.Equal(got, want) {
		t.Fatalf("the first run sent %q, want %q", got, want)
	}

	argv2, received2 := recorder(t)
	cfg.Command = argv2
	run(cfg, func(at func(time.Duration, string, string), live func(time.Duration)) {
		live(2 * time.Minute)
		at(2*time.Minute+time.Second, "insert_call", in("2")) // the calls waiting, said again on reconnecting
		at(2*time.Minute+2*time.Second, "insert_call", in("3"))
		at(3*time.Minute, "connect_call", connect("2")) // 1 waiting: the raise held cleared, not sent
		at(4*time.Minute, "insert_call", in("4"))       // 2: raised in 09:00:10's cooldown: held
		at(11*time.Minute, "insert_call", in("5"))      // 3: still raised past the cooldown (09:10:10): sent
	}, func(s *Sender) bool { return s.Health().Sent == 1 })
	got := received2()
	if want := []string{"raised waiting_max Support 09:04:00"}; !slices.Equal(events(got), want) {
		t.Fatalf("the second run sent %q, want %q", events(got), want)
	}
	if want := "[callboard] Support: waiting_max 3 (limit 1), raised at 09:04:00, still at 09:10:10"; got[0].Text != want {
		t.Errorf("text = %q, want %q", got[0].Text, want)
	}
}
