package record

import (
	"errors"
	"strings"
	"unicode/utf8"

	"callboard/feed"
)

// kindAck is the kind of an acknowledgement's line (see recordLine).
const kindAck = "ack"

// The bounds of an ack line's strings, in bytes: who acknowledged (the
// board keeps less: state.MaxAckBy characters), the rule, the queue's or
// agent's id. A line beyond them is not one this build writes: it is
// refused when read.
const (
	maxAckBy   = 256
	maxAckRule = 64
	maxAckID   = 1 << 10
)

// appendAckLine appends the line of m to dst: By cut to maxAckBy bytes
// (at a character), escaped as every line is (appendLine).
func appendAckLine(dst []byte, m *feed.AckMsg) []byte {
	by := strings.ToValidUTF8(m.By, "\uFFFD")
	if len(by) > maxAckBy {
		cut := maxAckBy
		for cut > 0 && !utf8.RuneStart(by[cut]) {
			cut--
		}
		by = by[:cut]
	}
	since := m.Since
	return appendLine(dst, recordLine{T: m.At, Kind: kindAck, Rule: m.Rule, QueueID: m.QueueID, AgentID: m.AgentID, Since: &since, By: by})
}

// ackOf is the acknowledgement of an ack line, or why the line is not
// one.
func ackOf(l *recordLine) (*feed.AckMsg, error) {
	switch {
	case l.Since == nil || l.Since.IsZero():
		return nil, errors.New("ack without since")
	case l.Rule == "" || len(l.Rule) > maxAckRule:
		return nil, errors.New("ack without its rule")
	case len(l.QueueID) > maxAckID || len(l.AgentID) > maxAckID || len(l.By) > maxAckBy:
		return nil, errors.New("ack beyond its bounds")
	}
	return &feed.AckMsg{Rule: l.Rule, QueueID: l.QueueID, AgentID: l.AgentID, Since: *l.Since, By: l.By, At: l.T}, nil
}
