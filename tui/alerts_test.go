package tui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"callboard/feed"
	"callboard/state"
)

// limits put two agents of the scripted morning past a limit: Chloé, at
// lunch for 10 minutes (5 allowed), and Bob, on a call for 1:05 (1:00
// allowed).
var limits = state.Limits{Pause: map[string]time.Duration{"Lunch": 5 * time.Minute}, Call: time.Minute, Ringing: 30 * time.Second}

// agentLine is the line of the Agents tab that names agent.
func agentLine(t *testing.T, view, agent string) string {
	t.Helper()
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, agent) {
			return l
		}
	}
	t.Fatalf("no line for %s:\n%s", agent, view)
	return ""
}

func TestAgentsPastALimitAreFlagged(t *testing.T) {
	m, _ := scripted(t, state.Options{Limits: limits}, 80, 24)
	m, _ = update(t, m, keyRunes("2"))
	view := m.View() // drawn without colour, as NO_COLOR
	teatest.RequireEqualOutput(t, []byte(view))
	for agent, want := range map[string]string{
		"Chloé Petit":  "!! paused",
		"Bob Durand":   "!! on call",
		"Alice Martin": "  available",
	} {
		if l := agentLine(t, view, agent); !strings.Contains(l, want) {
			t.Errorf("%s: %q, want %q", agent, l, want)
		}
	}
	// In colour: the state and the time in state in the critical red, the
	// others in their state's colour.
	m = repaint(m, termenv.ANSI)
	view = m.View()
	if l := agentLine(t, view, "Chloé Petit"); !strings.Contains(l, "\x1b[1;31m!! paused") || !strings.Contains(l, "\x1b[1;31m 0:10:00") {
		t.Errorf("Chloé past her limit is not in red: %q", l)
	}
	if l := agentLine(t, view, "Alice Martin"); strings.Contains(l, "31m") || strings.Contains(l, "!!") {
		t.Errorf("Alice within her limits is flagged: %q", l)
	}
	// Without limits nobody is flagged.
	m, _ = scripted(t, state.Options{}, 80, 24)
	m, _ = update(t, m, keyRunes("2"))
	if v := m.View(); strings.Contains(v, "!!") {
		t.Errorf("agents flagged without limits:\n%s", v)
	}
}

func TestOverviewCountsAgentsOverLimit(t *testing.T) {
	tile := func(m Model) tile {
		t.Helper()
		for _, tl := range m.tiles() {
			if tl.label == "Over limit" {
				return tl
			}
		}
		t.Fatal("no Over limit tile")
		return tile{}
	}
	m, _ := scripted(t, state.Options{Limits: limits}, 80, 24)
	if tl := tile(m); tl.value != "2" || tl.level != state.LevelCritical {
		t.Errorf("Over limit: %q at level %v, want 2, critical", tl.value, tl.level)
	}
	if v := m.View(); !strings.Contains(v, "Over limit") || !strings.Contains(v, " 2 !!") {
		t.Errorf("the Overview does not count the agents over limit, marked:\n%s", v)
	}
	// Without limits nothing is checked: not "0", all fine, but "—", and why.
	m, _ = scripted(t, state.Options{}, 80, 24)
	if tl := tile(m); tl.value != noValue || tl.level != state.LevelOK || tl.note != "no agent limits" {
		t.Errorf("Over limit without limits: %q (%q) at level %v, want %s, no agent limits, calm", tl.value, tl.note, tl.level, noValue)
	}
	if v := m.View(); !strings.Contains(v, "— no agent limits") {
		t.Errorf("the Overview does not say no limits are set:\n%s", v)
	}
	// The room does not see it: the wall keeps the queue's figures.
	m.wall = true
	if v := m.View(); strings.Contains(v, "OVER LIMIT") {
		t.Errorf("the wall shows the agents over limit:\n%s", v)
	}
}

func TestBellRingsOnceWhenAnAgentGoesPastALimit(t *testing.T) {
	var bell bytes.Buffer
	m := New(Config{Bell: &bell})
	tb := newTestBoard(t, state.Options{Limits: limits})
	at := func(d time.Duration, msgs ...feed.Message) {
		t.Helper()
		tb.clock = start.Add(d)
		for _, msg := range msgs {
			tb.board.Handle(msg, tb.clock)
		}
		next, cmd := m.Update(tb.view())
		m = next.(Model)
		runCmd(cmd)
	}
	ringing := func(agent int) feed.Message { return operatorEvent(0, agent, "ringing", "") }
	available := func(agent int) feed.Message { return operatorEvent(0, agent, "available", "") }
	bells := func(want int, when string) {
		t.Helper()
		if got := strings.Count(bell.String(), "\a"); got != want {
			t.Errorf("%s: %d BELs, want %d", when, got, want)
		}
	}
	at(0, &feed.StatusMsg{State: feed.Live, At: start}, directory(), ringing(1))
	at(20 * time.Second)
	bells(0, "ringing within the limit")
	at(31 * time.Second)
	bells(1, "past the ringing limit")
	at(32 * time.Second)
	at(40 * time.Second)
	bells(1, "still past it")
	at(41*time.Second, ringing(2))
	at(72 * time.Second)
	bells(2, "a second agent past the limit")
	at(73*time.Second, operatorEvent(0, 1, "connected", ""))
	at(140 * time.Second)
	bells(3, "the first agent past another limit (on a call)")
	at(141*time.Second, available(1), available(2))
	bells(3, "both back within their limits")
	at(150*time.Second, ringing(1))
	at(190 * time.Second)
	bells(4, "the first agent past the ringing limit again")
}
