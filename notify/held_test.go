package notify

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"callboard/config"
	"callboard/state"
)

// TestARaiseHeldThatOutlastsTheCooldownOrTheQuietHoursIsSentWhenTheyEnd:
// a raise inside the cooldown that clears within it sends nothing; one that
// outlasts it is sent once when the cooldown ends (the board's time, its
// figure then), and its clear after; the same for a raise in the quiet
// hours still raised when they end.
func TestARaiseHeldThatOutlastsTheCooldownOrTheQuietHoursIsSentWhenTheyEnd(t *testing.T) {
	argv, received := recorder(t)
	cfg := config.Notify{Command: argv, Cooldown: config.Duration{Duration: 10 * time.Minute},
		Quiet: &config.QuietHours{Start: 12 * 60, End: 13 * 60}}
	s := newSender(t, Options{Config: cfg, Board: "callboard"})
	ventes := state.AlertKey{Rule: state.RuleAvailableMin, QueueID: "20"}
	b := &board{writing: true}
	s.Observe(b.view())
	b.change(true, "09:00:00", support, "Support", 0, 1)  // sent
	b.change(false, "09:01:00", support, "Support", 1, 1) // sent
	b.change(true, "09:03:00", support, "Support", 0, 1)  // in the cooldown: held
	s.Observe(b.view())
	b.change(false, "09:04:00", support, "Support", 1, 1) // cleared within it: nothing
	s.Observe(b.view())
	b.change(true, "09:05:00", support, "Support", 0, 1) // held until 09:10
	s.Observe(b.view())
	s.Observe(b.at("09:09:59").view())
	b.active[0].Value = 2 // the figure now, which the raise sent says
	s.Observe(b.at("09:10:00").view())
	s.Observe(b.at("09:10:01").view())
	b.change(false, "09:20:00", support, "Support", 1, 1) // sent
	s.Observe(b.view())

	b.change(true, "12:10:00", ventes, "Ventes", 0, 1) // quiet hours: held until 13:00
	s.Observe(b.view())
	s.Observe(b.at("12:59:59").view())
	s.Observe(b.at("13:00:00").view())
	b.change(false, "13:05:00", ventes, "Ventes", 1, 1) // sent
	s.Observe(b.view())
	s.Observe(b.at("13:30:00").view())
	drain(s)

	got := received()
	want := []string{
		"raised available_min Support 09:00:00",
		"cleared available_min Support 09:01:00",
		"raised available_min Support 09:05:00",
		"cleared available_min Support 09:20:00",
		"raised available_min Ventes 12:10:00",
		"cleared available_min Ventes 13:05:00",
	}
	if !slices.Equal(events(got), want) {
		t.Fatalf("sent:\n%s\nwant:\n%s", strings.Join(events(got), "\n"), strings.Join(want, "\n"))
	}
	if m := got[2]; m.Seq != 5 || m.Value != 2 || !m.Since.Equal(at("09:05:00")) ||
		m.Text != "[callboard] Support: available_min 2 (limit 1), raised at 09:05:00, still at 09:10:00" {
		t.Errorf("the raise sent after the cooldown = %+v", m)
	}
	if m := got[4]; m.Text != "[callboard] Ventes: available_min 0 (limit 1), raised at 12:10:00, still at 13:00:00" {
		t.Errorf("the raise sent after the quiet hours: text %q", m.Text)
	}
	if h := s.Health(); h.Sent != 6 || h.Held != 2 {
		t.Errorf("health = %+v: want 6 sent, 2 held (the raise and clear within the cooldown)", h)
	}
}

// TestARestartKeepsWhatTheRunBeforeHeldAndSent: the sender of a restart
// (or of a takeover) rebuilds from the replayed changes what the run
// before sent and held: the clear of a raise it held is not sent, its
// cooldown goes on, and a raise it held is sent when that ends, once.
func TestARestartKeepsWhatTheRunBeforeHeldAndSent(t *testing.T) {
	cfg := config.Notify{Cooldown: config.Duration{Duration: 10 * time.Minute}}
	b := &board{writing: true}
	before, beforeGot := recorder(t)
	cfg.Command = before
	s := newSender(t, Options{Config: cfg})
	s.Observe(b.view())
	b.change(true, "09:00:00", support, "Support", 0, 1)  // sent
	b.change(false, "09:01:00", support, "Support", 1, 1) // sent
	b.change(true, "09:05:00", support, "Support", 0, 1)  // held until 09:10
	s.Observe(b.view())
	drain(s) // killed at 09:05

	after, afterGot := recorder(t)
	cfg.Command = after
	r := newSender(t, Options{Config: cfg})
	r.Observe(&state.View{})                              // the hub's first view, before the replay
	r.Observe(b.at("09:06:00").view())                    // the replay's
	b.change(false, "09:08:00", support, "Support", 1, 1) // its raise was held: not sent
	r.Observe(b.view())
	b.change(true, "09:09:00", support, "Support", 0, 1) // in the cooldown of 09:00: held until 09:10
	r.Observe(b.view())
	b.change(false, "09:09:30", support, "Support", 1, 1) // cleared within it
	r.Observe(b.view())
	b.change(true, "09:15:00", support, "Support", 0, 1) // 09:00's cooldown is over: sent
	r.Observe(b.view())
	b.change(true, "09:16:00", state.AlertKey{Rule: state.RuleWaitingMax, QueueID: "10"}, "Support", 3, 2)
	r.Observe(b.view())
	drain(r)

	if got, want := events(beforeGot()), []string{"raised available_min Support 09:00:00", "cleared available_min Support 09:01:00"}; !slices.Equal(got, want) {
		t.Errorf("the run before sent %q, want %q", got, want)
	}
	want := []string{"raised available_min Support 09:15:00", "raised waiting_max Support 09:16:00"}
	if got := events(afterGot()); !slices.Equal(got, want) {
		t.Errorf("the restart sent %q, want %q", got, want)
	}
}

// TestTheRecordsForgetWhatNoLongerCounts: what a sender keeps of the sends
// (for the cooldown) and the raises held does not grow with the months a
// `serve` runs: a send past its cooldown is forgotten, and so is a raise
// held whose alert is no longer raised, its clear lost with the ring.
func TestTheRecordsForgetWhatNoLongerCounts(t *testing.T) {
	cfg := config.Notify{Command: []string{"true"}, Cooldown: config.Duration{Duration: 10 * time.Minute},
		Rules: []string{state.RuleAvailableMin}}
	s := newSender(t, Options{Config: cfg})
	b := &board{writing: true}
	s.Observe(b.view())
	for i := range 50 {
		key := state.AlertKey{Rule: state.RuleAvailableMin, QueueID: strconv.Itoa(i)}
		b.change(true, "09:00:00", key, "Q", 0, 1)
		b.change(false, "09:01:00", key, "Q", 1, 1)
	}
	waiting := state.AlertKey{Rule: state.RuleWaitingMax, QueueID: "10"}
	b.change(true, "09:02:00", waiting, "Support", 3, 2) // a rule not sent: held
	s.Observe(b.view())
	if len(s.sent) != 50 || len(s.held) != 1 {
		t.Fatalf("kept %d sends, %d held: want 50, 1", len(s.sent), len(s.held))
	}
	s.Observe(b.at("09:09:59").view())
	if len(s.sent) != 50 {
		t.Errorf("kept %d sends within their cooldown, want 50", len(s.sent))
	}
	b.active = nil // waiting_max cleared, its clear let go by the ring
	s.Observe(b.at("09:10:00").view())
	if len(s.sent) != 0 || len(s.held) != 0 {
		t.Errorf("kept %d sends, %d held after the cooldown: want none", len(s.sent), len(s.held))
	}
}
