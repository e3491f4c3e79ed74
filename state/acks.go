package state

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"callboard/feed"
)

// Acknowledgements are a board input of their own, beside the feed's
// messages: a viewer quieting an alert (Board.Acknowledge), applied as a
// feed message is, at the time it gives (no clock is read here), journaled
// as a line of its own and replayed at start, carried by the board's
// checkpoints. The board keeps one per alert key, for the alert raised at
// its Since: the engine that raises and clears alerts asks ackOf for an
// alert's, and forgetAck drops it once that alert clears, so that only the
// acknowledgements of alerts that can still be active are kept.

// MaxAckBy bounds who acknowledged (Acknowledgement.By), in characters;
// longer is cut, with an ellipsis.
const MaxAckBy = 64

// maxAckID bounds the queue or agent id an acknowledgement names, in
// bytes: as a refused id's note quotes it, an id beyond is none the board
// keeps.
const maxAckID = 1 << 10

// AckBy is who acknowledged as a board keeps it: sanitised (Sanitize),
// trimmed, at most MaxAckBy characters, "?" when nothing is left.
func AckBy(by string) string {
	by = strings.TrimSpace(Sanitize(by))
	if utf8.RuneCountInString(by) > MaxAckBy {
		r := []rune(by)
		by = strings.TrimSpace(string(r[:MaxAckBy-1])) + "…"
	}
	return cmp.Or(by, "?")
}

// AckOf is the acknowledgement m carries.
func AckOf(m *feed.AckMsg) Acknowledgement {
	return Acknowledgement{AlertKey: AlertKey{Rule: m.Rule, QueueID: m.QueueID, AgentID: m.AgentID}, Since: m.Since, By: m.By, At: m.At}
}

// Acknowledge applies a, a viewer quieting the alert of a.AlertKey raised
// at a.Since, as of a.At (time passes to it first for the alerts, as it
// does before a message); it reports whether the board took it. It keeps
// the first acknowledgement of an alert (one raised again later, at
// another Since, replaces it) and refuses one that names no alert active
// now, raised at a.Since (it cleared meanwhile, or never was), or gives
// no time. By is kept as AckBy makes it.
func (b *Board) Acknowledge(a Acknowledgement) bool {
	if !a.At.IsZero() {
		b.rollDay(a.At)
		b.evaluateAlerts(a.At)
	}
	return b.acknowledge(a)
}

// acknowledge is Acknowledge without time passing: a checkpoint's
// acknowledgements, loaded with its alerts.
func (b *Board) acknowledge(a Acknowledgement) bool {
	if !b.ackable(a) {
		return false
	}
	if old, ok := b.acks[a.AlertKey]; ok && old.Since.Equal(a.Since) {
		return false // acknowledged already: the first says who
	}
	if b.acks == nil {
		b.acks = map[AlertKey]*Acknowledgement{}
	}
	a.By = AckBy(a.By)
	a.QueueID, a.AgentID = strings.Clone(a.QueueID), strings.Clone(a.AgentID)
	b.acks[a.AlertKey] = &a
	b.ackList = nil
	subject := "queue " + a.QueueID
	if a.AgentID != "" {
		subject = "agent " + a.AgentID
	}
	b.log.add(LogEntry{At: a.At, Kind: kindAck, Name: a.Rule + " " + subject + " by " + a.By, AgentID: a.AgentID, QueueID: a.QueueID})
	return true
}

// kindAck is the kind of an acknowledgement's entry in the event log
// (Events): who acknowledged which alert, kept there once it cleared.
const kindAck = "ack"

// ackable reports whether a names an alert active now, raised at a.Since.
func (b *Board) ackable(a Acknowledgement) bool {
	if a.Since.IsZero() || a.At.IsZero() || len(a.QueueID) > maxAckID || len(a.AgentID) > maxAckID {
		return false
	}
	act, ok := b.alerts.active[a.AlertKey]
	return ok && act.Since.Equal(a.Since)
}

// ackOf is the acknowledgement of the alert of key raised at since, nil
// when nobody acknowledged it. It is the board's own: not to be changed.
func (b *Board) ackOf(key AlertKey, since time.Time) *Acknowledgement {
	if a, ok := b.acks[key]; ok && a.Since.Equal(since) {
		return a
	}
	return nil
}

// forgetAck drops the acknowledgement of key's alert, which cleared: one
// raised again is not acknowledged.
func (b *Board) forgetAck(key AlertKey) {
	if _, ok := b.acks[key]; ok {
		delete(b.acks, key)
		b.ackList = nil
	}
}

// Acks is the acknowledgements the board keeps (of alerts not cleared),
// by rule, queue, agent: shared by the views until they change, not to be
// changed.
func (b *Board) Acks() []Acknowledgement {
	if b.ackList == nil && len(b.acks) > 0 {
		keys := slices.SortedFunc(maps.Keys(b.acks), compareAlertKeys)
		b.ackList = make([]Acknowledgement, 0, len(keys))
		for _, k := range keys {
			b.ackList = append(b.ackList, *b.acks[k])
		}
	}
	return b.ackList
}

func compareAlertKeys(x, y AlertKey) int {
	return cmp.Or(cmp.Compare(x.Rule, y.Rule), cmp.Compare(x.QueueID, y.QueueID), cmp.Compare(x.AgentID, y.AgentID))
}
