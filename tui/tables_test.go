package tui

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// cursorRow is the active tab's cursor as a row among all its panes' rows.
func cursorRow(m Model) int {
	tv := m.current().base()
	pos := tv.panes[tv.focus].scroll.cursor
	for _, p := range tv.panes[:tv.focus] {
		pos += len(p.order)
	}
	return pos
}

func TestTopAndBottomKeysOnEveryTab(t *testing.T) {
	m, _ := update(t, New(Config{View: simMorning(t)}), sizeMsg(80, 12))
	for tb := range tabCount {
		m = keys(t, m, string(rune('1'+tb)))
		rows := m.current().base().rows()
		if rows < 3 {
			t.Errorf("%s has %d rows: the keys are not tried", tb, rows)
		}
		for _, c := range []struct {
			key  string
			want int
		}{{"G", max(rows-1, 0)}, {"g", 0}, {"end", max(rows-1, 0)}, {"home", 0}} {
			m = keys(t, m, c.key)
			if got := cursorRow(m); got != c.want {
				t.Errorf("%s: %s put the cursor on row %d of %d, want %d", tb, c.key, got, rows, c.want)
			}
		}
	}
}

// simMorning is the simulator's first hour of a day (seed 3), as the
// feed hands it over: tens of agents, queues and trunks, calls waiting and
// lost, four intervals.
func simMorning(t testing.TB) *state.View {
	t.Helper()
	from := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	to := from.Add(time.Hour)
	tb := newTestBoard(t, state.Options{})
	for _, msg := range feedtest.SimDay(3, from, to) {
		tb.board.Handle(msg, feed.MessageTime(msg))
	}
	return tb.board.View(to)
}

// simBoard makes the board of the simulator's morning for a renderer, as
// playGoldens asks.
func simBoard(t testing.TB) func(*lipgloss.Renderer) tea.Model {
	v := simMorning(t)
	return func(r *lipgloss.Renderer) tea.Model {
		return New(Config{Title: "callboard — demo", View: v, Renderer: r})
	}
}
