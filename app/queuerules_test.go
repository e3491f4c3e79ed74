package app

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"callboard/config"
	"callboard/feed"
	"callboard/state"
)

// TestTheQueuesRulesReachTheBoard: "Support: 80 % within 20 s, ÷ offered;
// Ventes: 90 % within 10 s", keyed by name and by id, the rest from
// [service_level], reach the board's queues; the file's formulas are the
// board's.
func TestTheQueuesRulesReachTheBoard(t *testing.T) {
	if config.SLAnswered != state.FormulaAnswered || config.SLOffered != state.FormulaOffered || config.SLAnsweredOnly != state.FormulaAnsweredOnly {
		t.Fatal("config's formulas are not the board's")
	}
	path := filepath.Join(t.TempDir(), "config.toml")
	body := "[axialys]\nlogin = \"x\"\npassword_env = \"X\"\n" +
		"[service_level]\nthreshold = \"30s\"\nshort_abandon = \"4s\"\ntarget = 70\n" +
		"[queues.\"Support\"]\nsl_threshold = \"20s\"\nsl_target = 80\nsl_formula = \"offered\"\n" +
		"[queues.\"20\"]\nsl_threshold = \"10s\"\nsl_target = 90\nname = \"Sales\"\n" +
		"[queues.\"30\"]\nhide = true\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := config.LoadOffline(path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	b := state.New(BoardOptions(cfg), start)
	b.SetDirectory(feed.Directory{Groups: []feed.Named{{ID: "10", Name: "Support"}, {ID: "20", Name: "Ventes"}, {ID: "30", Name: "Test"}, {ID: "40", Name: "Compta"}}}, start)
	v := b.View(start)
	want := map[string]state.QueueRule{
		"10": {Threshold: 20 * time.Second, ShortAbandon: 4 * time.Second, Target: 80, Formula: state.FormulaOffered},
		"20": {Threshold: 10 * time.Second, ShortAbandon: 4 * time.Second, Target: 90, Formula: state.FormulaAnswered, Name: "Sales"},
		"40": {Threshold: 30 * time.Second, ShortAbandon: 4 * time.Second, Target: 70, Formula: state.FormulaAnswered},
	}
	if len(v.Queues) != len(want) || v.Totals.HiddenQueues != 1 {
		t.Fatalf("%d queues shown, %d hidden: want 3 and 1", len(v.Queues), v.Totals.HiddenQueues)
	}
	for _, q := range v.Queues {
		if q.Rule != want[q.ID] {
			t.Errorf("queue %s: %+v, want %+v", q.ID, q.Rule, want[q.ID])
		}
	}
	if len(v.RuleNotes) != 0 {
		t.Errorf("notes %q", v.RuleNotes)
	}
}
