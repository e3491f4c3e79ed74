package app

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"callboard/config"
	"callboard/state"
)

// TestAlertsReachTheBoard: [alerts] becomes the board's limits, and
// [limits] its caps on ids.
func TestAlertsReachTheBoard(t *testing.T) {
	cfg := configOf(t, "[axialys]\nlogin = \"x\"\npassword_env = \"X\"\n[alerts]\npause_max = { \"Déjeuner\" = \"60m\", \"5\" = \"10m\" }\npause_max_default = \"20m\"\ncall_max = \"30m\"\nringing_max = \"30s\"\nunavailable_max = \"10m\"\n[limits]\nmax_agents = 6000\nmax_queues = 300\nmax_trunks = 50\n")
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

// TestAFileWithoutCapsOrCountryGivesTheBoardsDefaults: config's defaults
// for [limits] and display.country, written in the file's terms, are the
// board's own (state's, for Options left zero).
func TestAFileWithoutCapsOrCountryGivesTheBoardsDefaults(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte("[axialys]\nlogin = \"x\"\npassword_env = \"X\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := config.LoadOffline(path)
	if err != nil {
		t.Fatal(err)
	}
	opts := BoardOptions(cfg)
	if opts.MaxAgents != state.DefaultMaxAgents || opts.MaxQueues != state.DefaultMaxQueues || opts.MaxTrunks != state.DefaultMaxTrunks || opts.Country != state.DefaultCountry {
		t.Errorf("caps %d agents, %d queues, %d trunks, country %q: want the board's %d, %d, %d, %q", opts.MaxAgents, opts.MaxQueues, opts.MaxTrunks, opts.Country,
			state.DefaultMaxAgents, state.DefaultMaxQueues, state.DefaultMaxTrunks, state.DefaultCountry)
	}
}
