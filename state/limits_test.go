package state

import (
	"testing"
	"time"
)

// TestAgentsPastTheirLimits: a pause is held to its own limit (by label,
// else by id, else the default); calls, ringing and unavailable to
// theirs; the agents past one are flagged and counted.
func TestAgentsPastTheirLimits(t *testing.T) {
	limits := Limits{
		Pause:        map[string]time.Duration{"Déjeuner": 60 * time.Minute, "5": 10 * time.Minute},
		PauseDefault: 15 * time.Minute,
		Call:         20 * time.Minute,
		Ringing:      30 * time.Second,
	}
	s := newScript(t, Options{Limits: limits})
	for _, id := range []string{"1", "2", "3"} {
		s.at(0, "UI", "login", ui(id, ""))
	}
	s.at(0, "UI", "pause", ui("1", "4")) // Déjeuner: 60 min, by label
	s.at(0, "UI", "pause", ui("2", "5")) // Formation: 10 min, by id
	s.at(0, "operator", "status", op("3", "ringing"))
	s.now = t0.Add(12 * time.Minute)
	want := map[string]AgentAlert{"1": AlertNone, "2": AlertPause, "3": AlertRinging}
	for id, w := range want {
		if a := s.agent(id); a.Alert != w {
			t.Errorf("agent %s (%s for %v): alert %q, want %q", id, a.State, a.InState, a.Alert, w)
		}
	}
	if tot := s.b.Totals(s.now); tot.OverLimit != 2 || tot.OverLimitLevel != LevelCritical {
		t.Errorf("%d over limit (%v), want 2, critical", tot.OverLimit, tot.OverLimitLevel)
	}
	s.at(12*time.Minute, "operator", "status", op("3", "connected"))
	s.at(12*time.Minute, "UI", "pause", ui("2", "9")) // a pause with no limit of its own: the default
	s.now = t0.Add(61 * time.Minute)
	want = map[string]AgentAlert{"1": AlertPause, "2": AlertPause, "3": AlertCall}
	for id, w := range want {
		if a := s.agent(id); a.Alert != w {
			t.Errorf("later, agent %s (%s for %v): alert %q, want %q", id, a.State, a.InState, a.Alert, w)
		}
	}
	if tot := newScript(t, Options{Limits: limits}).b.Totals(t0); tot.OverLimitLevel != LevelOK {
		t.Errorf("none over limit, level %v", tot.OverLimitLevel)
	}
	// the snapshot counts them when limits are set (0 is a figure then),
	// and says null when none is: nothing is checked
	if n := s.b.Snapshot(s.now).Totals.AgentsOverLimit; n == nil || *n != 3 {
		t.Errorf("snapshot: %v agents over limit, want 3", n)
	}
	if n := newScript(t, Options{Limits: limits}).b.Snapshot(t0).Totals.AgentsOverLimit; n == nil || *n != 0 {
		t.Errorf("snapshot, none over limit: %v, want 0", n)
	}
	if n := newScript(t, Options{}).b.Snapshot(t0).Totals.AgentsOverLimit; n != nil {
		t.Errorf("snapshot without limits: %d agents over limit, want null", *n)
	}
	if a := newScript(t, Options{}).agent("1"); a.Alert != AlertNone {
		t.Errorf("no limits, alert %q", a.Alert)
	}
}

// TestLimitsOfUnavailableAgentsAndLabelsOverIds: an unavailable agent past
// unavailable_max is flagged; a pause given both by label and by id takes
// its label's limit.
func TestLimitsOfUnavailableAgentsAndLabelsOverIds(t *testing.T) {
	limits := Limits{
		Pause:       map[string]time.Duration{"Déjeuner": 60 * time.Minute, "4": 5 * time.Minute},
		Unavailable: 10 * time.Minute,
	}
	s := newScript(t, Options{Limits: limits})
	s.at(0, "UI", "login", ui("1", ""))
	s.at(0, "UI", "login", ui("2", ""))
	s.at(0, "UI", "pause", ui("1", "4")) // Déjeuner, id 4
	s.at(0, "operator", "status", op("2", "unavailable"))
	s.now = t0.Add(9 * time.Minute)
	if a, b := s.agent("1"), s.agent("2"); a.Alert != AlertNone || b.Alert != AlertNone {
		t.Errorf("at 9 min: alerts %q and %q, want none (the label's 60 min, not the id's 5; unavailable within 10)", a.Alert, b.Alert)
	}
	s.now = t0.Add(11 * time.Minute)
	if b := s.agent("2"); b.State != Unavailable || b.Alert != AlertUnavailable {
		t.Errorf("at 11 min: agent 2 %s, alert %q, want unavailable past its limit", b.State, b.Alert)
	}
}
