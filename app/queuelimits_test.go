package app

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"callboard/config"
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
