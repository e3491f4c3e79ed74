package tui

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"callboard/state"
)

// alertLimits raise alerts on the scripted morning: the agents' limits
// (Chloé at lunch past 5 minutes, Bob on a call past 1), and the queues'
// staffing and waits, at once: the morning is all at the moment the feed
// went live, and its queue rules do not wait for the state at connect.
var alertLimits = state.Options{Limits: limits, QueueLimits: state.QueueLimits{WaitingMax: 1, AvailableMin: 2}, AlertSettle: -1}

// alertBoard makes the board of the scripted morning under alertLimits
// for a renderer, as playGoldens asks.
func alertBoard(t *testing.T) func(*lipgloss.Renderer) tea.Model {
	return scriptedBoardOf(t, alertLimits)
}

// TestTheAlertsTabListsTheActiveAlertsNewestFirst: tab 8 lists each alert
// in words, its subject, the figure against its limit, since when and for
// how long, nobody's acknowledgement yet; newest first.
func TestTheAlertsTabListsTheActiveAlertsNewestFirst(t *testing.T) {
	m, tb := scripted(t, alertLimits, 100, 24)
	m = keys(t, m, "8")
	if m.tab != tabAlerts {
		t.Fatalf("8 shows %s", m.tab)
	}
	v := tb.board.View(start)
	if len(v.Alerts) < 3 {
		t.Fatalf("the morning raises %d alerts: %+v", len(v.Alerts), v.Alerts)
	}
	lines := screenLines(m)
	var rows []string
	for _, l := range lines {
		for _, a := range v.Alerts {
			if strings.Contains(l, alertRuleText(a.Rule)) && strings.Contains(l, a.Subject) {
				rows = append(rows, l)
			}
		}
	}
	if len(rows) != len(v.Alerts) {
		t.Fatalf("%d rows for %d alerts:\n%s", len(rows), len(v.Alerts), strings.Join(lines, "\n"))
	}
	for i, a := range v.Alerts {
		if i > 0 && a.Since.After(v.Alerts[i-1].Since) {
			t.Errorf("alert %d is newer than the one above it", i)
		}
		want := []string{alertRuleText(a.Rule), a.Subject, alertFigure(a.Rule, a.Value), alertFigure(a.Rule, a.Limit),
			a.Since.UTC().Format("15:04:05"), state.Clock(start.Sub(a.Since)), "—"}
		for _, w := range want {
			if !strings.Contains(rows[i], w) {
				t.Errorf("row %d %q does not say %q", i, rows[i], w)
			}
		}
	}
	// Chloé's pause, past its 5 minutes for 5 more
	if !strings.Contains(strings.Join(rows, "\n"), "Paused") || !strings.Contains(strings.Join(rows, "\n"), "0:10:00") {
		t.Errorf("no row of Chloé's pause:\n%s", strings.Join(rows, "\n"))
	}
	m, _ = scripted(t, state.Options{}, 80, 24)
	if v := strings.Join(screenLines(keys(t, m, "8")), "\n"); !strings.Contains(v, "no alert") {
		t.Errorf("without alerts:\n%s", v)
	}
}

// TestTheOverviewAndTheWallSayTheAlerts: a line says how many alerts are
// active and the newest, on the Overview and on the wall; none without.
func TestTheOverviewAndTheWallSayTheAlerts(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {40, 12}} {
		m, tb := scripted(t, alertLimits, size[0], size[1])
		v := tb.board.View(start)
		newest := v.Alerts[0]
		for _, wall := range []bool{false, true} {
			m.wall = wall
			screen := strings.Join(screenLines(m), "\n")
			if !strings.Contains(screen, "⚠ "+itoa(len(v.Alerts))+" alerts") || size[0] >= 80 && !strings.Contains(screen, "newest: "+newest.Subject) {
				t.Errorf("%dx%d, wall %v: no line of the %d alerts, newest %s:\n%s", size[0], size[1], wall, len(v.Alerts), newest.Subject, screen)
			}
			if lines := strings.Count(screen, "\n") + 1; lines != size[1] {
				t.Errorf("%dx%d, wall %v: %d lines", size[0], size[1], wall, lines)
			}
		}
		m, _ = scripted(t, state.Options{}, size[0], size[1])
		for _, wall := range []bool{false, true} {
			m.wall = wall
			if screen := strings.Join(screenLines(m), "\n"); strings.Contains(screen, "⚠") {
				t.Errorf("%dx%d, wall %v, no alert:\n%s", size[0], size[1], wall, screen)
			}
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestTheBellRingsOncePerAlertRaised: a view with a new alert rings once;
// the same alert in the next views does not ring again; one cleared, then
// raised again later, rings again; an acknowledged one never rings.
func TestTheBellRingsOncePerAlertRaised(t *testing.T) {
	var bell bytes.Buffer
	m := New(Config{Bell: &bell})
	base := newTestBoard(t, state.Options{}).board.View(start)
	show := func(alerts ...state.Alert) {
		t.Helper()
		v := *base
		v.Alerts = alerts
		next, cmd := m.Update(viewMsg{&v})
		m = next.(Model)
		runCmd(cmd)
	}
	bells := func(want int, when string) {
		t.Helper()
		if got := strings.Count(bell.String(), "\a"); got != want {
			t.Errorf("%s: %d BELs, want %d", when, got, want)
		}
	}
	support := state.Alert{AlertKey: state.AlertKey{Rule: state.RuleAvailableMin, QueueID: "10"}, Subject: "Support", Limit: 1, Since: start}
	show(support)
	bells(1, "raised")
	show(support)
	show(support)
	bells(1, "still raised")
	show() // cleared
	bells(1, "cleared")
	again := support
	again.Since = start.Add(time.Minute)
	show(again)
	bells(2, "raised again later")
	acked := state.Alert{AlertKey: state.AlertKey{Rule: state.RuleWaitingMax, QueueID: "10"}, Since: start.Add(2 * time.Minute),
		Acknowledged: &state.Acknowledgement{By: "léa", At: start.Add(2 * time.Minute)}}
	show(again, acked)
	bells(2, "an acknowledged alert")
}

// TestTheAlertsTabGoldens: the Alerts tab of the scripted morning, at
// 80x24 and 40x12, with and without colour, played through a program.
func TestTheAlertsTabGoldens(t *testing.T) {
	playGoldens(t, alertBoard(t), "8")
}

// TestTheOverviewWithAlertsGoldens: the Overview's line of the alerts, at
// 80x24 and 40x12, with and without colour.
func TestTheOverviewWithAlertsGoldens(t *testing.T) {
	playGoldens(t, alertBoard(t), "1")
}

// TestTheWallWithAlertsGoldens: the wall's line of the alerts.
func TestTheWallWithAlertsGoldens(t *testing.T) {
	playGoldens(t, alertBoard(t), "w")
}
