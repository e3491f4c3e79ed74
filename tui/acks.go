package tui

import (
	"time"

	"callboard/state"
)

// Acknowledging an alert: the key (keys.Ack, x) is the Alerts tab's, on
// the alert under its cursor; the board acknowledges it for every viewer
// (Config.Acknowledge), and the next view shows who and when. What became
// of the last acknowledgement asked is sh.ackNote, for the tab to show.

// setAcknowledge sets how this board acknowledges an alert, nil when it
// cannot: the key's help then says so.
func (m *Model) setAcknowledge(ack func(key state.AlertKey, since time.Time) error) {
	m.ack = ack
	if ack == nil {
		m.keys.Ack.SetHelp(m.keys.Ack.Help().Key, "acknowledge: read only board")
	}
}

// acknowledge asks the board to acknowledge a, for every viewer.
func (m *Model) acknowledge(a state.Alert) { m.shared.acknowledge(a) }

// acknowledge asks the board to acknowledge a, for every viewer, and
// notes what became of it (ackNote): asked, or why not.
func (sh *shared) acknowledge(a state.Alert) {
	switch {
	case sh.ack == nil:
		sh.ackNote = "this board cannot acknowledge: it is read only"
	case a.Acknowledged != nil:
		sh.ackNote = "acknowledged already, by " + sanitize(a.Acknowledged.By) + " at " + a.Acknowledged.At.In(sh.location()).Format("15:04")
	default:
		if err := sh.ack(a.AlertKey, a.Since); err != nil {
			sh.ackNote = "not acknowledged: " + sanitize(err.Error())
			break
		}
		sh.ackNote = "acknowledging for every viewer…"
		sh.ackAsked = &a
		return
	}
	sh.ackAsked = nil
}

// ackSeen follows the alert asked in a new view: acknowledged, the note
// says by whom; gone before, that it cleared unacknowledged (the board
// refuses the acknowledgement of an alert no longer raised).
func (sh *shared) ackSeen() {
	asked := sh.ackAsked
	if asked == nil {
		return
	}
	for i := range sh.view.Alerts {
		a := &sh.view.Alerts[i]
		if a.AlertKey != asked.AlertKey || !a.Since.Equal(asked.Since) {
			continue
		}
		if k := a.Acknowledged; k != nil {
			sh.ackNote = "acknowledged for every viewer, by " + sanitize(k.By) + " at " + k.At.In(sh.location()).Format("15:04")
			sh.ackAsked = nil
		}
		return
	}
	sh.ackNote = "not acknowledged: the alert cleared meanwhile"
	sh.ackAsked = nil
}
