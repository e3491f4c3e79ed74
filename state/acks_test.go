package state

import (
	"bytes"
	"encoding/gob"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"callboard/feed"
)

// ackBoard is a board with queue "10" (Support) and agent "7" (Zoé).
func ackBoard(t *testing.T, at time.Time) *Board {
	t.Helper()
	b := New(Options{Location: time.UTC}, at)
	b.SetDirectory(feed.Directory{Agents: []feed.Agent{{ID: "7", Name: "Zoé", Groups: []feed.Text{"10"}}}, Groups: []feed.Named{{ID: "10", Name: "Support"}}}, at)
	return b
}

// TestAnAcknowledgementIsKeptForItsAlertUntilItClears: the board keeps
// an alert's acknowledgement for the alert raised at its Since (ackOf),
// the first one only, shown in the views and said in the event log; one
// of another raise of the same key replaces it; forgetAck (the alert
// cleared) drops it, the log keeps it.
func TestAnAcknowledgementIsKeptForItsAlertUntilItClears(t *testing.T) {
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	b := ackBoard(t, at)
	waiting := AlertKey{Rule: RuleWaitingMax, QueueID: "10"}
	paused := AlertKey{Rule: RulePauseMax, AgentID: "7"}
	raised := at.Add(time.Minute)
	if b.ackOf(waiting, raised) != nil || len(b.View(at).Acks) != 0 {
		t.Fatal("an acknowledgement before any")
	}
	first := Acknowledgement{AlertKey: waiting, Since: raised, By: "anne", At: raised.Add(30 * time.Second)}
	if !b.Acknowledge(first) {
		t.Fatal("the acknowledgement of a queue's alert was refused")
	}
	if b.Acknowledge(Acknowledgement{AlertKey: waiting, Since: raised, By: "bob", At: raised.Add(time.Minute)}) {
		t.Error("a second acknowledgement of the same alert was taken")
	}
	if got := b.ackOf(waiting, raised); got == nil || *got != first {
		t.Fatalf("ackOf = %+v, want %+v", got, first)
	}
	if b.ackOf(waiting, raised.Add(time.Second)) != nil || b.ackOf(paused, raised) != nil {
		t.Error("an acknowledgement of another raise or another key")
	}
	agentAck := Acknowledgement{AlertKey: paused, Since: raised, By: "anne", At: raised}
	if !b.Acknowledge(agentAck) {
		t.Fatal("the acknowledgement of an agent's alert was refused")
	}
	v := b.View(raised.Add(2 * time.Minute))
	if len(v.Acks) != 2 || v.Acks[0] != agentAck || v.Acks[1] != first {
		t.Fatalf("the view's acknowledgements: %+v", v.Acks)
	}
	again := raised.Add(10 * time.Minute)
	second := Acknowledgement{AlertKey: waiting, Since: again, By: "bob", At: again}
	if !b.Acknowledge(second) || b.ackOf(waiting, raised) != nil || b.ackOf(waiting, again) == nil {
		t.Error("the acknowledgement of the alert raised again does not replace the first")
	}
	b.forgetAck(waiting)
	b.forgetAck(waiting) // twice: nothing
	if b.ackOf(waiting, again) != nil {
		t.Error("an acknowledgement kept after its alert cleared")
	}
	if v := b.View(again); len(v.Acks) != 1 || v.Acks[0] != agentAck {
		t.Errorf("the view's acknowledgements after one cleared: %+v", v.Acks)
	}
	if len(v.Acks) != 2 {
		t.Error("a view published before changed with the board")
	}
	var logged []string
	for _, e := range b.Events() {
		if e.Kind == kindAck {
			logged = append(logged, e.At.Format("15:04:05")+" "+e.Name)
		}
	}
	if got, want := strings.Join(logged, " | "), "09:11:00 waiting_max queue 10 by bob | 09:01:00 pause_max agent 7 by anne | 09:01:30 waiting_max queue 10 by anne"; got != want {
		t.Errorf("the event log says %s\nwant                %s", got, want)
	}
}

// TestAnAcknowledgementOfNoAlertIsRefused: only an alert the board could
// raise is acknowledged, so that what it keeps stays bounded by its
// queues and agents.
func TestAnAcknowledgementOfNoAlertIsRefused(t *testing.T) {
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	b := ackBoard(t, at)
	for _, tc := range []struct {
		what string
		ack  Acknowledgement
	}{
		{"an unknown rule", Acknowledgement{AlertKey: AlertKey{Rule: "nope", QueueID: "10"}, Since: at, At: at}},
		{"a queue's rule about an agent", Acknowledgement{AlertKey: AlertKey{Rule: RuleWaitingMax, AgentID: "7"}, Since: at, At: at}},
		{"an agent's rule about a queue", Acknowledgement{AlertKey: AlertKey{Rule: RulePauseMax, QueueID: "10"}, Since: at, At: at}},
		{"both", Acknowledgement{AlertKey: AlertKey{Rule: RulePauseMax, QueueID: "10", AgentID: "7"}, Since: at, At: at}},
		{"an unknown queue", Acknowledgement{AlertKey: AlertKey{Rule: RuleWaitingMax, QueueID: "11"}, Since: at, At: at}},
		{"an unknown agent", Acknowledgement{AlertKey: AlertKey{Rule: RuleCallMax, AgentID: "8"}, Since: at, At: at}},
		{"no since", Acknowledgement{AlertKey: AlertKey{Rule: RuleCallMax, AgentID: "7"}, At: at}},
		{"no time", Acknowledgement{AlertKey: AlertKey{Rule: RuleCallMax, AgentID: "7"}, Since: at}},
		{"a huge id", Acknowledgement{AlertKey: AlertKey{Rule: RuleCallMax, AgentID: strings.Repeat("7", 2000)}, Since: at, At: at}},
	} {
		if b.Acknowledge(tc.ack) {
			t.Errorf("%s: taken", tc.what)
		}
	}
	if len(b.acks) != 0 {
		t.Errorf("kept: %v", b.acks)
	}
}

// TestWhoAcknowledgedIsSanitisedAndBounded: escapes, controls, bidi and
// invisible characters go, a name beyond MaxAckBy characters is cut, an
// empty one is "?".
func TestWhoAcknowledgedIsSanitisedAndBounded(t *testing.T) {
	for by, want := range map[string]string{
		"anne":                    "anne",
		"  \x1b[31manne\x1b[0m\n": "anne",
		"an\u202ene\u200b\x07":    "anne",
		"":                        "?",
		"\x1b]0;title\x07 \t":     "?",
		"Zoé 😀":                   "Zoé 😀",
	} {
		if got := AckBy(by); got != want {
			t.Errorf("AckBy(%q) = %q, want %q", by, got, want)
		}
	}
	long := AckBy(strings.Repeat("é", 500))
	if n := utf8.RuneCountInString(long); n != MaxAckBy || !strings.HasSuffix(long, "…") {
		t.Errorf("a long name kept as %d characters: %q", n, long)
	}
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	b := ackBoard(t, at)
	b.Handle(&feed.AckMsg{Rule: RuleWaitingMax, QueueID: "10", Since: at, By: "\x1b[2J" + strings.Repeat("x", 300), At: at}, at)
	if a := b.ackOf(AlertKey{Rule: RuleWaitingMax, QueueID: "10"}, at); a == nil || strings.ContainsRune(a.By, 0x1b) || utf8.RuneCountInString(a.By) != MaxAckBy {
		t.Errorf("a hostile name kept as %+v", a)
	}
}

// TestACheckpointCarriesTheAcknowledgements: a board loaded from its
// checkpoint keeps them, and a checkpoint that holds one the board would
// refuse, or more than it may keep, is refused.
func TestACheckpointCarriesTheAcknowledgements(t *testing.T) {
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	opts := Options{Location: time.UTC}
	b := ackBoard(t, at)
	waiting := Acknowledgement{AlertKey: AlertKey{Rule: RuleWaitingMax, QueueID: "10"}, Since: at, By: "anne", At: at.Add(time.Second)}
	paused := Acknowledgement{AlertKey: AlertKey{Rule: RulePauseMax, AgentID: "7"}, Since: at.Add(time.Minute), By: "bob", At: at.Add(2 * time.Minute)}
	b.Acknowledge(waiting)
	b.Acknowledge(paused)
	got := loadCheckpoint(t, checkpointOf(t, b), opts)
	if a := got.ackOf(waiting.AlertKey, waiting.Since); a == nil || *a != waiting {
		t.Errorf("the queue's acknowledgement loaded as %+v", a)
	}
	if a := got.ackOf(paused.AlertKey, paused.Since); a == nil || *a != paused {
		t.Errorf("the agent's acknowledgement loaded as %+v", a)
	}
	sameBoards(t, "loaded", b, got, at.Add(time.Hour))

	c := b.CopyForCheckpoint()
	headed := func(acks []ckAck) []byte {
		head := *c.head
		head.Acks = acks
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(&head); err != nil {
			t.Fatal(err)
		}
		return sealed(buf.Bytes())
	}
	refusedCheaply(t, "an acknowledgement of no alert", "acknowledgement of waiting_max \"11\"",
		headed([]ckAck{{Rule: RuleWaitingMax, QueueID: "11", Since: b.ckT(at), At: b.ckT(at)}}), opts)
	small := Options{Location: time.UTC, MaxQueues: 1, MaxAgents: 1}
	refusedCheaply(t, "too many acknowledgements", "acknowledgements, beyond 9",
		headed(make([]ckAck, 10)), small)
}
