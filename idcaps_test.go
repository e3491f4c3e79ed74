package main

import (
	"os"
	"path/filepath"
	"testing"

	"callboard/config"
)

// TestIDCapsReachTheBoard: [limits] becomes the board's caps on ids.
func TestIDCapsReachTheBoard(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	body := "[axialys]\nlogin = \"x\"\npassword_env = \"X\"\n[limits]\nmax_agents = 6000\nmax_queues = 300\nmax_trunks = 50\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if opts := boardOptions(cfg); opts.MaxAgents != 6000 || opts.MaxQueues != 300 || opts.MaxTrunks != 50 {
		t.Errorf("caps %d agents, %d queues, %d trunks: want 6000, 300, 50", opts.MaxAgents, opts.MaxQueues, opts.MaxTrunks)
	}
}
