package tui

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"callboard/feed"
	"callboard/state"
)

// alertedBoard is the board of the scripted morning under alertLimits.
func alertedBoard(t *testing.T) *testBoard {
	tb := newTestBoard(t, alertLimits)
	for _, msg := range scriptedMessages(t) {
		tb.board.Handle(msg, feed.MessageTime(msg))
	}
	return tb
}

// ackedAlertBoard makes the board of the scripted morning under
// alertLimits with its second newest alert acknowledged by léa at the
// tests' clock, for a renderer, as playGoldens asks; x asks the board
// (Config.Acknowledge), which takes it.
func ackedAlertBoard(t *testing.T) func(*lipgloss.Renderer) tea.Model {
	tb := alertedBoard(t)
	alerts := tb.board.View(start).Alerts
	if len(alerts) < 2 {
		t.Fatalf("the morning raises %d alerts", len(alerts))
	}
	a := alerts[1]
	if !tb.board.Acknowledge(state.Acknowledgement{AlertKey: a.AlertKey, Since: a.Since, By: "léa", At: start}) {
		t.Fatalf("the acknowledgement of %+v was refused", a)
	}
	v := tb.board.View(start)
	return func(r *lipgloss.Renderer) tea.Model {
		return New(Config{Title: "callboard — demo", View: v, Renderer: r,
			Acknowledge: func(state.AlertKey, time.Time) error { return nil }})
	}
}

// TestTheAlertsTabWithAnAcknowledgedAlertGoldens: the Alerts tab with an
// alert acknowledged (who and when, its figure no longer critical) and x
// pressed on the newest (the note under the table), at 80x24 and 40x12,
// with and without colour, played through a program.
func TestTheAlertsTabWithAnAcknowledgedAlertGoldens(t *testing.T) {
	playGoldens(t, ackedAlertBoard(t), "8", "x")
}

// TestXAcknowledgesTheAlertUnderTheCursor: on the Alerts tab, x asks the
// board for the alert under the cursor (its key and raise), the tab says
// what became of it under the table, a refusal included; on another tab x
// does nothing; with no alert the tab says so.
func TestXAcknowledgesTheAlertUnderTheCursor(t *testing.T) {
	tb := alertedBoard(t)
	v := tb.board.View(start)
	var asked []state.Alert
	var refuse error
	m := New(Config{View: v, Acknowledge: func(k state.AlertKey, since time.Time) error {
		asked = append(asked, state.Alert{AlertKey: k, Since: since})
		return refuse
	}})
	m, _ = update(t, m, sizeMsg(100, 24))
	m = keys(t, m, "x")
	if len(asked) != 0 {
		t.Fatalf("x on the Overview asked %+v", asked)
	}
	m = keys(t, m, "8", "j", "x")
	if len(asked) != 1 || asked[0].AlertKey != v.Alerts[1].AlertKey || !asked[0].Since.Equal(v.Alerts[1].Since) {
		t.Fatalf("asked %+v, want the second alert %+v", asked, v.Alerts[1])
	}
	if s := strings.Join(screenLines(m), "\n"); !strings.Contains(s, "acknowledging for every viewer") {
		t.Errorf("the tab does not say the acknowledgement is asked:\n%s", s)
	}
	refuse = errors.New("another callboard writes the journal")
	m = keys(t, m, "x")
	if s := strings.Join(screenLines(m), "\n"); !strings.Contains(s, "not acknowledged: another callboard writes the journal") {
		t.Errorf("the tab does not say the refusal:\n%s", s)
	}
	if !strings.Contains(strings.Join(screenLines(keys(t, m, "?")), "\n"), "acknowledge alert") {
		t.Error("the help does not say x")
	}

	none := newTestBoard(t, state.Options{}).board.View(start)
	e := New(Config{View: none, Acknowledge: func(state.AlertKey, time.Time) error { t.Error("asked with no alert"); return nil }})
	e, _ = update(t, e, sizeMsg(80, 24))
	if s := strings.Join(screenLines(keys(t, e, "8", "x")), "\n"); !strings.Contains(s, "no alert to acknowledge") {
		t.Errorf("x with no alert:\n%s", s)
	}
}

// TestTheBellDoesNotRingForAnAcknowledgedAlert: with the real engine, an
// alert acknowledged before this viewer first saw it never rings, and one
// that rang does not ring again once acknowledged.
func TestTheBellDoesNotRingForAnAcknowledgedAlert(t *testing.T) {
	tb := alertedBoard(t)
	alerts := tb.board.View(start).Alerts
	for _, a := range alerts {
		if !tb.board.Acknowledge(state.Acknowledgement{AlertKey: a.AlertKey, Since: a.Since, By: "léa", At: start}) {
			t.Fatalf("the acknowledgement of %+v was refused", a)
		}
	}
	var bell bytes.Buffer
	m := New(Config{Bell: &bell})
	_, cmd := update(t, m, viewMsg{tb.board.View(start)})
	runCmd(cmd)
	if n := strings.Count(bell.String(), "\a"); n != 0 {
		t.Errorf("%d alerts acknowledged: %d BELs, want none", len(alerts), n)
	}

	fresh := alertedBoard(t)
	var rang bytes.Buffer
	m = New(Config{Bell: &rang})
	m, cmd = update(t, m, viewMsg{fresh.board.View(start)})
	runCmd(cmd)
	for _, a := range fresh.board.View(start).Alerts {
		fresh.board.Acknowledge(state.Acknowledgement{AlertKey: a.AlertKey, Since: a.Since, By: "léa", At: start})
	}
	_, cmd = update(t, m, viewMsg{fresh.board.View(start)})
	runCmd(cmd)
	if n := strings.Count(rang.String(), "\a"); n != 1 {
		t.Errorf("raised, then acknowledged: %d BELs, want 1", n)
	}
}

// TestTheAlertsTabFollowsTheAcknowledgementAsked: once a view shows the
// alert asked acknowledged, the note says by whom; when the alert cleared
// before the board took it, the note says it was not acknowledged.
func TestTheAlertsTabFollowsTheAcknowledgementAsked(t *testing.T) {
	tb := alertedBoard(t)
	m := New(Config{View: tb.board.View(start), Acknowledge: func(k state.AlertKey, since time.Time) error {
		if !tb.board.Acknowledge(state.Acknowledgement{AlertKey: k, Since: since, By: "léa", At: start}) {
			t.Errorf("the board refused %+v", k)
		}
		return nil
	}})
	m, _ = update(t, m, sizeMsg(100, 24))
	m = keys(t, m, "8", "x")
	m, _ = update(t, m, viewMsg{tb.board.View(start)})
	if s := strings.Join(screenLines(m), "\n"); !strings.Contains(s, "acknowledged for every viewer, by léa at") {
		t.Errorf("acknowledged, the tab says:\n%s", s)
	}

	fresh := alertedBoard(t)
	v := fresh.board.View(start)
	m = New(Config{View: v, Acknowledge: func(state.AlertKey, time.Time) error { return nil }})
	m, _ = update(t, m, sizeMsg(100, 24))
	m = keys(t, m, "8", "x")
	cleared := *v
	cleared.Alerts = v.Alerts[1:] // the newest cleared before the board took it
	m, _ = update(t, m, viewMsg{&cleared})
	if s := strings.Join(screenLines(m), "\n"); !strings.Contains(s, "not acknowledged: the alert cleared meanwhile") {
		t.Errorf("cleared, the tab says:\n%s", s)
	}
}
