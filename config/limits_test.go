package config

import (
	"strings"
	"testing"
)

// TestIDCapsDefaultAndAreChecked: [limits] max_agents, max_queues and
// max_trunks default to the board's caps (20,000 agents, 2,000 queues and
// trunks); each must be 1 to MaxIDs, and a bad one is named with what it
// counts.
func TestIDCapsDefaultAndAreChecked(t *testing.T) {
	cfg, _, err := Load(write(t, minimal, 0o600))
	if err != nil {
		t.Fatal(err)
	}
	if l := cfg.Limits; l.MaxAgents != 20_000 || l.MaxQueues != 2_000 || l.MaxTrunks != 2_000 {
		t.Errorf("default caps %+v", l)
	}
	cfg, _, err = Load(write(t, minimal+"[limits]\nmax_agents = 6000\nmax_queues = 300\nmax_trunks = 50\n", 0o600))
	if err != nil {
		t.Fatal(err)
	}
	if l := cfg.Limits; l.MaxAgents != 6000 || l.MaxQueues != 300 || l.MaxTrunks != 50 {
		t.Errorf("caps set %+v", l)
	}
	for _, c := range []struct{ body, want string }{
		{"max_agents = 0", "limits.max_agents: 0: want 1 to 1000000 (distinct agent ids kept)"},
		{"max_queues = -5", "limits.max_queues: -5: want 1 to 1000000 (distinct queue ids kept)"},
		{"max_trunks = 1000001", "limits.max_trunks: 1000001: want 1 to 1000000 (distinct trunk ids kept)"},
		{"max_queues = \"many\"", "limits.max_queues"},
	} {
		path := write(t, minimal+"[limits]\n"+c.body+"\n", 0o600)
		_, _, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v, want %q", c.body, err, c.want)
		}
	}
}
