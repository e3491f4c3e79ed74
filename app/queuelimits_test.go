package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callboard/config"
	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// TestQueueLimitsReachTheBoard: [alerts]' queue limits are every queue's,
// a [queues."<id>"] table's (by id or name) are that queue's; a queue's
// table without limits sets none of its own.
func TestQueueLimitsReachTheBoard(t *testing.T) {
	cfg := configOf(t, "[axialys]\nlogin = \"x\"\npassword_env = \"X\"\n"+
		"[alerts]\nwaiting_max = 5\nlongest_wait_max = \"2m\"\navailable_min = 1\nlogged_in_min = 2\nabandon_rate_max = 12.5\n"+
		"[queues.\"391\"]\nwaiting_max = 2\n[queues.\"Ventes\"]\navailable_min = 3\n[queues.\"7\"]\nname = \"Hotline\"\n")
	opts := BoardOptions(cfg)
	want := state.QueueLimits{WaitingMax: 5, LongestWaitMax: 2 * time.Minute, AvailableMin: 1, LoggedInMin: 2, AbandonRateMax: 12.5}
	if opts.QueueLimits != want {
		t.Errorf("every queue's: %+v, want %+v", opts.QueueLimits, want)
	}
	if len(opts.QueueLimitsOf) != 2 || opts.QueueLimitsOf["391"] != (state.QueueLimits{WaitingMax: 2}) || opts.QueueLimitsOf["Ventes"] != (state.QueueLimits{AvailableMin: 3}) {
		t.Errorf("the queues' own: %+v", opts.QueueLimitsOf)
	}
}

// configOf is the configuration of a file holding body.
func configOf(t *testing.T, body string) *config.Config {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestAQueueKeyedByIdAndNameTakesItsIdTableFromTheConfig: the review's
// case: [queues."Support"] sl_target = 70, available_min = 100 and
// [queues."391"] sl_target = 60 (no limits) for queue 391 named Support:
// the snapshot shows the id's target, the available_min alert the
// default limit, and a note says the name's table is ignored.
func TestAQueueKeyedByIdAndNameTakesItsIdTableFromTheConfig(t *testing.T) {
	cfg := configOf(t, "[axialys]\nlogin = \"x\"\npassword_env = \"X\"\n[alerts]\navailable_min = 1\n"+
		"[queues.\"Support\"]\nsl_target = 70\navailable_min = 100\n[queues.\"391\"]\nsl_target = 60\n")
	opts := BoardOptions(cfg)
	opts.Location = time.UTC
	at := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	b := state.New(opts, at)
	b.SetDirectory(feed.Directory{Groups: []feed.Named{{ID: "391", Name: "Support"}}}, at)
	b.Apply(feedtest.Login(at, 1, 7), at)
	s := b.Snapshot(at)
	if len(s.Queues) != 1 || s.Queues[0].SLTargetPct == nil || *s.Queues[0].SLTargetPct != 60 {
		t.Errorf("queues %+v, want 391's target 60", s.Queues)
	}
	if len(s.Alerts) != 1 || s.Alerts[0].Rule != state.RuleAvailableMin || s.Alerts[0].Limit != 1 {
		t.Errorf("alerts %+v, want available_min with [alerts]' limit 1", s.Alerts)
	}
	if len(s.QueueRuleNotes) != 1 || !strings.Contains(s.QueueRuleNotes[0], `queues."Support"`) || !strings.Contains(s.QueueRuleNotes[0], "ignored") {
		t.Errorf("notes %q, want the name's table said ignored", s.QueueRuleNotes)
	}
}
