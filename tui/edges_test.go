package tui

import (
	"regexp"
	"strings"
	"testing"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// TestCallsOnTheLineAtStartAndOutboundCallsAreShown: a call first seen
// already answered is said apart on the Overview and the Queues tab; an
// agent's outbound calls have their column beside its answered ones.
func TestCallsOnTheLineAtStartAndOutboundCallsAreShown(t *testing.T) {
	tb := newTestBoard(t, state.Options{})
	m := New(Config{})
	m, _ = update(t, m, sizeMsg(160, 20))
	m = tb.send(m,
		directory(),
		&feed.StatusMsg{State: feed.Live, At: start},
		feedtest.Event(start, `{"event":{"type_notification":"queue","event":"connect_call","msg":{"id_queue":10,"id_call":"b","id_operator":1,"call_duration":300}}}`),
		feedtest.Event(start, `{"event":{"type_notification":"queue","event":"connect_call","msg":{"id_queue":11,"id_call":"c","id_operator":3,"call_duration":30}}}`),
		feedtest.Event(start, `{"event":{"type_notification":"operator","event":"status","msg":{"id_operator":2,"status":"calling","id_call":-4,"id_queue":0}}}`),
		feedtest.Event(start, `{"event":{"type_notification":"operator","event":"status","msg":{"id_operator":2,"status":"connected","id_call":-4,"id_queue":0}}}`),
	)
	overview := m.View()
	if !strings.Contains(overview, "2 already on the line at start") {
		t.Errorf("the Overview does not say the calls on the line at start:\n%s", overview)
	}
	m.tab = tabQueues
	m.narrow()
	queues := m.View()
	if !regexp.MustCompile(`At start`).MatchString(queues) || !regexp.MustCompile(`Support .* 1\n`).MatchString(queues) || !regexp.MustCompile(`Sales .* 1\n`).MatchString(queues) {
		t.Errorf("the Queues tab does not say them:\n%s", queues)
	}
	m.tab = tabAgents
	m.narrow()
	agents := m.View()
	if !regexp.MustCompile(`Answered +Outbound`).MatchString(agents) || !regexp.MustCompile(`Bob Durand +on call .* 0 +1 `).MatchString(agents) {
		t.Errorf("the Agents tab does not show Bob's outbound call:\n%s", agents)
	}
}
