package tui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"callboard/state"
)

// TestAcknowledgingAnAlertAsksTheBoard: the model hands the alert's key
// and raise to Config.Acknowledge and notes what became of it; a board
// without it says it cannot, in the note and in the key's help; an alert
// acknowledged already is not asked again.
func TestAcknowledgingAnAlertAsksTheBoard(t *testing.T) {
	since := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	alert := state.Alert{AlertKey: state.AlertKey{Rule: state.RuleWaitingMax, QueueID: "10"}, Subject: "Support", Since: since}
	var asked []state.AlertKey
	refuse := error(nil)
	m := New(Config{Acknowledge: func(key state.AlertKey, at time.Time) error {
		if !at.Equal(since) {
			t.Errorf("asked for the alert raised at %v, want %v", at, since)
		}
		asked = append(asked, key)
		return refuse
	}})
	if strings.Contains(m.keys.Ack.Help().Desc, "not") {
		t.Errorf("the key's help: %q", m.keys.Ack.Help().Desc)
	}
	m.acknowledge(alert)
	if len(asked) != 1 || asked[0] != alert.AlertKey || !strings.Contains(m.ackNote, "acknowledging") {
		t.Errorf("asked %v, noted %q", asked, m.ackNote)
	}
	refuse = errors.New("another callboard writes\x1b[31m the journal")
	m.acknowledge(alert)
	if m.ackNote != "not acknowledged: another callboard writes the journal" {
		t.Errorf("refused, noted %q", m.ackNote)
	}
	done := alert
	done.Acknowledged = &state.Acknowledgement{AlertKey: alert.AlertKey, Since: since, By: "anne\u202e", At: since.Add(90 * time.Second)}
	m.acknowledge(done)
	if len(asked) != 2 || m.ackNote != "acknowledged already, by anne at 09:01" {
		t.Errorf("an alert acknowledged already: asked %d times, noted %q", len(asked), m.ackNote)
	}

	ro := New(Config{})
	ro.acknowledge(alert)
	if !strings.Contains(ro.ackNote, "cannot acknowledge") || !strings.Contains(ro.keys.Ack.Help().Desc, "read only") {
		t.Errorf("a read-only board: noted %q, help %q", ro.ackNote, ro.keys.Ack.Help().Desc)
	}
	if strings.Contains(New(Config{Acknowledge: m.ack}).keys.Ack.Help().Desc, "read only") {
		t.Error("the read-only help leaks into another board's keys")
	}
}
