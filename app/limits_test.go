package app

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"callboard/config"
)

// TestAlertsReachTheBoard: [alerts] becomes the board's limits, and
// [limits] its caps on ids.
func TestAlertsReachTheBoard(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	body := "[axialys]\nlogin = \"x\"\npassword_env = \"X\"\n[alerts]\npause_max = { \"Déjeuner\" = \"60m\", \"5\" = \"10m\" }\npause_max_default = \"20m\"\ncall_max = \"30m\"\nringing_max = \"30s\"\nunavailable_max = \"10m\"\n[limits]\nmax_agents = 6000\nmax_queues = 300\nmax_trunks = 50\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	opts := BoardOptions(cfg)
	if opts.Interval != 30*time.Minute {
		t.Errorf("interval %v, want [report]'s default 30m", opts.Interval)
	}
	l := opts.Limits
	if l.Pause["Déjeuner"] != time.Hour || l.Pause["5"] != 10*time.Minute || l.PauseDefault != 20*time.Minute ||
		l.Call != 30*time.Minute || l.Ringing != 30*time.Second || l.Unavailable != 10*time.Minute {
		t.Errorf("limits %+v", l)
	}
	if opts.MaxAgents != 6000 || opts.MaxQueues != 300 || opts.MaxTrunks != 50 {
		t.Errorf("caps %d agents, %d queues, %d trunks: want 6000, 300, 50", opts.MaxAgents, opts.MaxQueues, opts.MaxTrunks)
	}
}
