package app

import (
	"os"
	"path/filepath"
	"strings"
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

// TestTheExamplesQueueRulesAreTheOnesItSays: config.example.toml's
// commented [queues."…"] tables, uncommented, are read as they say:
// Support 80 % within 20 s ÷ offered, Ventes 90 % within 10 s.
func TestTheExamplesQueueRulesAreTheOnesItSays(t *testing.T) {
	example, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	body := "[axialys]\nlogin = \"x\"\npassword_env = \"X\"\n"
	in := false
	for _, line := range strings.Split(string(example), "\n") {
		if strings.HasPrefix(line, "# [queues.") {
			in = true
		} else if in && !strings.HasPrefix(line, "# ") {
			in = false
		}
		if in {
			body += strings.TrimPrefix(line, "# ") + "\n"
		}
	}
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := config.LoadOffline(path)
	if err != nil {
		t.Fatalf("%v in\n%s", err, body)
	}
	rules := BoardOptions(cfg).QueueRules
	s, v := rules["Support"], rules["Ventes"]
	if s.Threshold != 20*time.Second || s.Target != 80 || s.Formula != state.FormulaOffered ||
		v.Threshold != 10*time.Second || v.Target != 90 || v.Formula != "" || !rules["412"].Hide || rules["412"].Name == "" {
		t.Errorf("rules %+v", rules)
	}
}
