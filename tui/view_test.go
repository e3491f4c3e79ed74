package tui

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

func sizeMsg(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

func TestViewDrawsOnlyTheRowsThatFit(t *testing.T) {
	m := boardModel(bigBoard(t, 5000))
	m.tab = tabAgents
	m, _ = update(t, m, sizeMsg(120, 30))
	v := m.View()
	lines := strings.Split(v, "\n")
	if len(lines) > 30 {
		t.Fatalf("%d lines for a 30-line window", len(lines))
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w > 120 {
			t.Errorf("line %d is %d wide, window is 120: %q", i, w, l)
		}
	}
	if !strings.Contains(v, "Agent 1 ") || strings.Contains(v, "Agent 999 ") {
		t.Errorf("want the first rows by name only:\n%s", v)
	}
	if !strings.Contains(v, "5000 agents · rows 1–26") {
		t.Errorf("no row position in:\n%s", v)
	}
}

func TestViewBeforeTheFirstSizeIsEmpty(t *testing.T) {
	m := boardModel(bigBoard(t, 100))
	if v := m.View(); v != "" {
		t.Errorf("View before any size = %q, want empty", v)
	}
	m, _ = update(t, m, sizeMsg(10, 3))
	if v := m.View(); v != "window to…\nneeds 40×5\n(now 10×3)" {
		t.Errorf("View in a tiny window = %q", v)
	}
	m, _ = update(t, m, sizeMsg(120, 2))
	if v := m.View(); v != "too small: needs 40×5\n" {
		t.Errorf("View in a low window = %q", v)
	}
}

func TestKeysSwitchTabs(t *testing.T) {
	m := New(Config{})
	for _, step := range []struct {
		key  tea.KeyMsg
		want tab
	}{
		{keyRunes("2"), tabAgents},
		{keyRunes("3"), tabQueues},
		{keyRunes("4"), tabCalls},
		{keyRunes("5"), tabTrunks},
		{keyRunes("6"), tabEvents},
		{keyRunes("7"), tabDay},
		{keyRunes("1"), tabOverview},
		{tea.KeyMsg{Type: tea.KeyTab}, tabAgents},
		{tea.KeyMsg{Type: tea.KeyRight}, tabQueues},
		{tea.KeyMsg{Type: tea.KeyTab}, tabCalls},
		{tea.KeyMsg{Type: tea.KeyTab}, tabTrunks},
		{tea.KeyMsg{Type: tea.KeyTab}, tabEvents},
		{tea.KeyMsg{Type: tea.KeyTab}, tabDay},
		{tea.KeyMsg{Type: tea.KeyTab}, tabAlerts},
		{tea.KeyMsg{Type: tea.KeyTab}, tabOverview},
		{tea.KeyMsg{Type: tea.KeyShiftTab}, tabAlerts},
		{tea.KeyMsg{Type: tea.KeyLeft}, tabDay},
		{keyRunes("6"), tabEvents},
		{keyRunes("9"), tabEvents},
	} {
		m, _ = update(t, m, step.key)
		if m.tab != step.want {
			t.Errorf("after %q the tab is %v, want %v", step.key, m.tab, step.want)
		}
	}
}

func TestKeysScroll(t *testing.T) {
	m := boardModel(bigBoard(t, 100))
	m.tab = tabAgents
	m, _ = update(t, m, sizeMsg(100, 14)) // 10 rows on screen
	for _, step := range []struct {
		key            tea.KeyMsg
		cursor, offset int
	}{
		{tea.KeyMsg{Type: tea.KeyDown}, 1, 0},
		{tea.KeyMsg{Type: tea.KeyPgDown}, 11, 2},
		{tea.KeyMsg{Type: tea.KeyUp}, 10, 2},
		{tea.KeyMsg{Type: tea.KeyPgUp}, 0, 0},
		{tea.KeyMsg{Type: tea.KeyUp}, 0, 0},
		{tea.KeyMsg{Type: tea.KeyEnd}, 99, 90},
		{tea.KeyMsg{Type: tea.KeyDown}, 99, 90},
		{tea.KeyMsg{Type: tea.KeyHome}, 0, 0},
	} {
		m, _ = update(t, m, step.key)
		if sc := m.tabs[tabAgents].base().panes[0].scroll; sc.cursor != step.cursor || sc.offset != step.offset {
			t.Errorf("after %q: cursor %d offset %d, want %d %d", step.key, sc.cursor, sc.offset, step.cursor, step.offset)
		}
	}
	m, _ = update(t, m, tea.KeyMsg{Type: tea.KeyEnd})
	if v := m.View(); !strings.Contains(v, "› Agent 99 ") || !strings.Contains(v, "100 agents · rows 91–100") {
		t.Errorf("End should show the last agents, the cursor on the last:\n%s", v)
	}
}

func TestQuitKeys(t *testing.T) {
	for _, k := range []tea.KeyMsg{keyRunes("q"), {Type: tea.KeyCtrlC}} {
		_, cmd := update(t, New(Config{}), k)
		if cmd == nil {
			t.Fatalf("%q does nothing", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Errorf("%q does not quit", k)
		}
	}
}

func TestHeaderShowsTheFeedState(t *testing.T) {
	tb := newTestBoard(t, state.Options{})
	m, _ := update(t, New(Config{}), sizeMsg(120, 10))
	m = tb.send(m)
	header := func() string { return strings.SplitN(m.View(), "\n", 2)[0] }

	if h := header(); !strings.Contains(h, "● connecting…") || !strings.Contains(h, "no events yet") {
		t.Errorf("a new board: %q", h)
	}
	m = tb.send(m, &feed.StatusMsg{State: feed.Live, At: start}, feedtest.Event(start, feedScript[0]))
	tb.clock = start.Add(3 * time.Second)
	m = tb.send(m)
	if h := header(); !strings.Contains(h, "● live") || !strings.Contains(h, "last event 0:00:03 ago") || !strings.Contains(h, "15:17:04") {
		t.Errorf("live, 3 s after an event: %q", h)
	}
	m = tb.send(m, &feed.StatusMsg{
		State: feed.Disconnected, Reason: "server said \x1b]0;pwned\a\x1b[31mno\r\n", At: tb.clock, NextRetry: tb.clock.Add(5 * time.Second),
	})
	if h := header(); !strings.Contains(h, "● disconnected: server said no — data frozen 0:00:00 — retry in 0:00:05") {
		t.Errorf("disconnected: %q", h)
	}
	tb.clock = tb.clock.Add(70 * time.Second)
	m = tb.send(m, &feed.StatusMsg{State: feed.Connecting, Reason: "authenticating", At: tb.clock})
	if h := header(); !strings.Contains(h, "● connecting…: authenticating — data frozen 0:01:10") {
		t.Errorf("connecting again after an outage: %q", h)
	}
}

func TestViewFitsEveryWindow(t *testing.T) {
	m, _ := scripted(t, state.Options{}, 80, 24)
	for _, w := range []int{40, 57, 80, 120, 201} {
		for _, h := range []int{minHeight, 12, 40} {
			for _, k := range []string{"1", "2", "3", "4", "5", "6", "7"} {
				m, _ = update(t, m, sizeMsg(w, h), keyRunes(k))
				lines := strings.Split(m.View(), "\n")
				if len(lines) != h {
					t.Errorf("%dx%d tab %s: %d lines", w, h, k, len(lines))
				}
				for i, l := range lines {
					if lw := lipgloss.Width(l); lw > w {
						t.Errorf("%dx%d tab %s: line %d is %d wide: %q", w, h, k, i, lw, l)
					}
				}
			}
		}
	}
}

func TestStaleAgentsAreMarkedAfterAnOutage(t *testing.T) {
	m := New(Config{})
	m.tab = tabAgents
	m, _ = update(t, m, sizeMsg(120, 12))
	m = newTestBoard(t, state.Options{}).send(m, []feed.Message{
		&feed.StatusMsg{State: feed.Live, At: start},
		feedtest.Event(start, `{"cpt":1,"event":{"type_notification":"UI","event":"login","msg":{"id_operator":1}}}`),
		feedtest.Event(start, `{"cpt":2,"event":{"type_notification":"UI","event":"login","msg":{"id_operator":2}}}`),
		&feed.StatusMsg{State: feed.Disconnected, At: start},
		&feed.StatusMsg{State: feed.Live, At: start},
		feedtest.Event(start, `{"cpt":1,"event":{"type_notification":"operator","event":"status","msg":{"id_operator":2,"status":"available"}}}`),
	}...)
	view := m.View()
	if !regexp.MustCompile(`#1 +available \?`).MatchString(view) {
		t.Errorf("agent 1 is not marked stale:\n%s", view)
	}
	if regexp.MustCompile(`#2 +available \?`).MatchString(view) || !regexp.MustCompile(`#2 +available`).MatchString(view) {
		t.Errorf("agent 2, refreshed after the outage, is marked stale:\n%s", view)
	}
}

func TestBellRingsOnceWhenAQueueTurnsCritical(t *testing.T) {
	var bell bytes.Buffer
	m := New(Config{Bell: &bell})
	tb := newTestBoard(t, state.Options{Thresholds: state.Thresholds{WaitingCritical: 1}})
	ring := func(msgs ...feed.Message) {
		t.Helper()
		for _, msg := range msgs {
			tb.board.Handle(msg, feed.MessageTime(msg))
		}
		next, cmd := m.Update(tb.view())
		m = next.(Model)
		runCmd(cmd)
	}
	insert := func(id int) feed.Message {
		return feedtest.Event(start, fmt.Sprintf(`{"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":10,"id_call":%d}}}`, id))
	}
	remove := func(id int) feed.Message {
		return feedtest.Event(start, fmt.Sprintf(`{"event":{"type_notification":"queue","event":"delete_call","msg":{"id_queue":10,"id_call":%d}}}`, id))
	}
	ring(insert(1))
	ring(insert(2))
	if bell.String() != "\a" {
		t.Errorf("after the queue turned critical and stayed so: %q, want one BEL", bell.String())
	}
	ring(remove(1), remove(2))
	ring(insert(3))
	if bell.String() != "\a\a" {
		t.Errorf("after it calmed down and turned critical again: %q, want two BELs", bell.String())
	}
}
