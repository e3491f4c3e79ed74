package state

import (
	"testing"
	"time"

	"callboard/internal/testkit"
)

// alertOptions are limits that a generated day passes often.
func alertOptions(loc *time.Location) Options {
	return Options{
		Location: loc, EventLogSize: 50,
		Limits:        Limits{PauseDefault: 4 * time.Minute, Ringing: 4 * sec, Call: 2 * time.Minute, Unavailable: 20 * sec},
		QueueLimits:   QueueLimits{WaitingMax: 2, LongestWaitMax: 12 * sec, AvailableMin: 2, LoggedInMin: 12, AbandonRateMax: 10},
		QueueLimitsOf: map[string]QueueLimits{"1": {WaitingMax: 1}},
	}
}

// TestAlertsOfADayAreTheSameWhateverTheTicks: a generated day (an outage,
// a restart, midnight) played ticking every second, as the board does
// live, and played as a replay of its journal does (a tick before a
// message at least a second after the last), raises and clears the same
// alerts at the same times, numbered alike; and a board written to a
// checkpoint and loaded again every few minutes keeps the same alerts and
// changes as the board that played the whole day.
func TestAlertsOfADayAreTheSameWhateverTheTicks(t *testing.T) {
	opts := alertOptions(time.UTC)
	start, steps := generatedDay(t, 5)
	live, replayed, checkpointed := New(opts, start), New(opts, start), New(opts, start)
	var ticked time.Time
	every := 3*time.Minute + 11*time.Second
	next := start.Add(every)
	for i, s := range steps {
		s.do(live)
		s.do(checkpointed)
		isTick := i+1 < len(steps) && steps[i+1].at.After(s.at) || i+1 == len(steps) // generatedDay ticks last at each second
		if !isTick {
			if s.at.Sub(ticked) >= time.Second {
				replayed.Tick(s.at)
				ticked = s.at
			}
			s.do(replayed)
		}
		if !s.at.Before(next) && isTick {
			next = next.Add(every)
			checkpointed = loadCheckpoint(t, checkpointOf(t, checkpointed), opts)
			sameAlerts(t, "checkpointed", live, checkpointed, s.at)
		}
	}
	end := steps[len(steps)-1].at
	sameAlerts(t, "replayed", live, replayed, end)
	sameAlerts(t, "checkpointed", live, checkpointed, end)
	// a board that looks at every agent and queue at every evaluation
	// finds the same changes
	everything := New(opts, start)
	everything.alerts.always = true
	for _, s := range steps {
		s.do(everything)
	}
	sameAlerts(t, "looked at whole", live, everything, end)
	changes := live.AlertChanges()
	rules := map[string]bool{}
	for _, c := range changes {
		rules[c.Alert.Rule] = true
	}
	if live.alerts.seq < 100 || len(rules) < 8 {
		t.Errorf("a day without alerts: %d changes, rules %v", live.alerts.seq, rules)
	}
	t.Logf("%d changes, rules %v, %d active at the end", live.alerts.seq, rules, len(live.Alerts()))
}

// sameAlerts fails the test where two boards' alerts and changes as of now
// differ.
func sameAlerts(t *testing.T, what string, want, got *Board, now time.Time) {
	t.Helper()
	w, g := want.View(now), got.View(now)
	for _, diff := range testkit.DifferentFields(struct {
		A []Alert
		C []AlertChange
	}{w.Alerts, w.AlertChanges}, struct {
		A []Alert
		C []AlertChange
	}{g.Alerts, g.AlertChanges}, nil) {
		t.Errorf("%s, %s: %s", what, now.Format("15:04:05"), diff)
	}
	if t.Failed() {
		t.FailNow()
	}
}
