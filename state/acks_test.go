package state

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"callboard/feed"
)

// ackScript is the script's board (Support 10: Alice, Bob; Ventes 20:
// Bob, Chloé) under an available_min of 1 and a pause_max of 10 min:
// Alice logged in at 0, so that Ventes, no agent available, raises
// available_min at 0.
func ackScript(t *testing.T) *script {
	t.Helper()
	s := newScript(t, Options{QueueLimits: QueueLimits{AvailableMin: 1}, Limits: Limits{PauseDefault: 10 * time.Minute}})
	s.at(0, "UI", "login", ui("1", ""))
	return s
}

// TestAnAcknowledgementIsKeptForItsAlertUntilItClears: the board keeps
// the acknowledgement of an alert the engine raised, for the alert raised
// at its Since (ackOf), the first one only, shown on the alert and in the
// views and said in the event log; once the alert clears it is dropped
// (the change that cleared it says it), the log keeps it, and the alert
// raised again is not acknowledged.
func TestAnAcknowledgementIsKeptForItsAlertUntilItClears(t *testing.T) {
	s := ackScript(t)
	ventes := AlertKey{Rule: RuleAvailableMin, QueueID: "20"}
	paused := AlertKey{Rule: RulePauseMax, AgentID: "1"}
	if a := s.b.Alerts(); len(a) != 1 || a[0].AlertKey != ventes || !a[0].Since.Equal(t0) || a[0].Acknowledged != nil {
		t.Fatalf("alerts %+v, want Ventes' available_min since 0, not acknowledged", a)
	}
	first := Acknowledgement{AlertKey: ventes, Since: t0, By: "anne", At: t0.Add(30 * time.Second)}
	if !s.b.Acknowledge(first) {
		t.Fatal("the acknowledgement of a queue's alert was refused")
	}
	if s.b.Acknowledge(Acknowledgement{AlertKey: ventes, Since: t0, By: "bob", At: t0.Add(time.Minute)}) {
		t.Error("a second acknowledgement of the same alert was taken")
	}
	if got := s.b.ackOf(ventes, t0); got == nil || *got != first {
		t.Fatalf("ackOf = %+v, want %+v", got, first)
	}
	if a := s.b.Alerts(); len(a) != 1 || a[0].Acknowledged == nil || *a[0].Acknowledged != first {
		t.Errorf("the alert acknowledged: %+v", a)
	}
	if snap := s.b.Snapshot(t0.Add(30 * time.Second)).Alerts; len(snap) != 1 || snap[0].Acknowledged == nil || snap[0].Acknowledged.By != "anne" || !snap[0].Acknowledged.At.Equal(first.At) {
		t.Errorf("the snapshot's alerts: %+v", snap)
	}
	s.at(time.Minute, "UI", "pause", ui("1", "4")) // Support: none available; Alice paused
	agentAck := Acknowledgement{AlertKey: paused, Since: t0.Add(11 * time.Minute), By: "anne", At: t0.Add(12 * time.Minute)}
	if !s.b.Acknowledge(agentAck) { // time passes to 12 min: pause_max raised as of 11 min
		t.Fatal("the acknowledgement of an agent's alert was refused")
	}
	v := s.b.View(t0.Add(12 * time.Minute))
	if len(v.Acks) != 2 || v.Acks[0] != first || v.Acks[1] != agentAck {
		t.Fatalf("the view's acknowledgements: %+v", v.Acks)
	}
	s.at(13*time.Minute, "UI", "login", ui("2", "")) // Bob: Ventes and Support available
	if s.b.ackOf(ventes, t0) != nil {
		t.Error("an acknowledgement kept after its alert cleared")
	}
	changes := s.b.AlertChanges()
	if c := changes[len(changes)-1]; c.Raised || c.Alert.AlertKey != ventes || c.Alert.Acknowledged == nil || c.Alert.Acknowledged.By != "anne" {
		t.Errorf("the last change %+v, want Ventes' alert cleared, acknowledged by anne", c)
	}
	if v := s.b.View(t0.Add(13 * time.Minute)); len(v.Acks) != 1 || v.Acks[0] != agentAck {
		t.Errorf("the view's acknowledgements after one cleared: %+v", v.Acks)
	}
	if len(v.Acks) != 2 {
		t.Error("a view published before changed with the board")
	}
	s.at(14*time.Minute, "UI", "pause", ui("2", "4")) // Ventes: none available again
	for _, a := range s.b.Alerts() {
		if a.AlertKey == ventes && (a.Acknowledged != nil || !a.Since.Equal(t0.Add(14*time.Minute))) {
			t.Errorf("the alert raised again: %+v", a)
		}
	}
	var logged []string
	for _, e := range s.b.Events() {
		if e.Kind == kindAck {
			logged = append(logged, e.At.Sub(t0).String()+" "+e.Name)
		}
	}
	if got, want := strings.Join(logged, " | "), "12m0s pause_max agent 1 by anne | 30s available_min queue 20 by anne"; got != want {
		t.Errorf("the event log says %s\nwant                %s", got, want)
	}
}

// TestAnAcknowledgementOfNoActiveAlertIsRefused: only an alert active now,
// raised at the acknowledgement's Since, is acknowledged (one the board
// could raise but did not, or that cleared meanwhile, is not), so that
// what it keeps stays bounded by its alerts.
func TestAnAcknowledgementOfNoActiveAlertIsRefused(t *testing.T) {
	s := ackScript(t)
	at := t0.Add(time.Second)
	for _, tc := range []struct {
		what string
		ack  Acknowledgement
	}{
		{"an unknown rule", Acknowledgement{AlertKey: AlertKey{Rule: "nope", QueueID: "20"}, Since: t0, At: at}},
		{"a rule not raised", Acknowledgement{AlertKey: AlertKey{Rule: RuleAvailableMin, QueueID: "10"}, Since: t0, At: at}},
		{"another raise", Acknowledgement{AlertKey: AlertKey{Rule: RuleAvailableMin, QueueID: "20"}, Since: at, At: at}},
		{"a queue's rule about an agent", Acknowledgement{AlertKey: AlertKey{Rule: RuleAvailableMin, AgentID: "20"}, Since: t0, At: at}},
		{"both", Acknowledgement{AlertKey: AlertKey{Rule: RuleAvailableMin, QueueID: "20", AgentID: "1"}, Since: t0, At: at}},
		{"an unknown queue", Acknowledgement{AlertKey: AlertKey{Rule: RuleAvailableMin, QueueID: "11"}, Since: t0, At: at}},
		{"no since", Acknowledgement{AlertKey: AlertKey{Rule: RuleAvailableMin, QueueID: "20"}, At: at}},
		{"no time", Acknowledgement{AlertKey: AlertKey{Rule: RuleAvailableMin, QueueID: "20"}, Since: t0}},
		{"a huge id", Acknowledgement{AlertKey: AlertKey{Rule: RuleCallMax, AgentID: strings.Repeat("7", 2000)}, Since: t0, At: at}},
	} {
		if s.b.Acknowledge(tc.ack) {
			t.Errorf("%s: taken", tc.what)
		}
	}
	s.at(2*time.Second, "UI", "login", ui("3", "")) // Chloé: Ventes available, its alert cleared
	if s.b.Acknowledge(Acknowledgement{AlertKey: AlertKey{Rule: RuleAvailableMin, QueueID: "20"}, Since: t0, At: t0.Add(3 * time.Second)}) {
		t.Error("an alert cleared meanwhile: taken")
	}
	if len(s.b.acks) != 0 {
		t.Errorf("kept: %v", s.b.acks)
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
	s := ackScript(t)
	s.b.Handle(&feed.AckMsg{Rule: RuleAvailableMin, QueueID: "20", Since: t0, By: "\x1b[2J" + strings.Repeat("x", 300), At: t0}, t0)
	if a := s.b.ackOf(AlertKey{Rule: RuleAvailableMin, QueueID: "20"}, t0); a == nil || strings.ContainsRune(a.By, 0x1b) || utf8.RuneCountInString(a.By) != MaxAckBy {
		t.Errorf("a hostile name kept as %+v", a)
	}
}

// TestACheckpointCarriesTheAcknowledgements: a board loaded from its
// checkpoint keeps them, and a checkpoint that holds one the board would
// refuse, or more than it may keep, is refused.
func TestACheckpointCarriesTheAcknowledgements(t *testing.T) {
	s := ackScript(t)
	b, opts, at := s.b, s.b.opts, t0
	s.at(time.Minute, "UI", "pause", ui("1", "4"))
	waiting := Acknowledgement{AlertKey: AlertKey{Rule: RuleAvailableMin, QueueID: "20"}, Since: at, By: "anne", At: at.Add(time.Second)}
	paused := Acknowledgement{AlertKey: AlertKey{Rule: RulePauseMax, AgentID: "1"}, Since: at.Add(11 * time.Minute), By: "bob", At: at.Add(12 * time.Minute)}
	if !b.Acknowledge(waiting) || !b.Acknowledge(paused) {
		t.Fatal("refused")
	}
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
	small := opts
	small.MaxQueues, small.MaxAgents = 2, 3 // the script's
	refusedCheaply(t, "too many acknowledgements", fmt.Sprintf("acknowledgements, beyond %d", maxAcks(small)),
		headed(make([]ckAck, maxAcks(small)+1)), small)
}

// TestACheckpointCarriesWhoAcknowledgedAClearedAlert: the change that
// cleared an acknowledged alert says who acknowledged it, in a board
// loaded from the checkpoint as in the board that made it.
func TestACheckpointCarriesWhoAcknowledgedAClearedAlert(t *testing.T) {
	s := ackScript(t)
	ventes := AlertKey{Rule: RuleAvailableMin, QueueID: "20"}
	if !s.b.Acknowledge(Acknowledgement{AlertKey: ventes, Since: t0, By: "anne", At: t0.Add(time.Second)}) {
		t.Fatal("refused")
	}
	s.at(time.Minute, "UI", "login", ui("2", "")) // Bob: Ventes available, its alert cleared
	got := loadCheckpoint(t, checkpointOf(t, s.b), s.b.opts)
	sameAlerts(t, "loaded", s.b, got, t0.Add(2*time.Minute))
	changes := got.AlertChanges()
	if c := changes[len(changes)-1]; c.Raised || c.Alert.AlertKey != ventes || c.Alert.Acknowledged == nil || c.Alert.Acknowledged.By != "anne" {
		t.Errorf("loaded, the last change is %+v", c)
	}
}
