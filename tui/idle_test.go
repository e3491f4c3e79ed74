package tui

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"callboard/internal/testkit"
	"callboard/state"
)

// TestAnIdleBoardAsksForNoTimer: the board wakes for views and keys, never
// for time. None of the commands its model gives (at start, on a view, a
// resize, the keys of every tab, the wall and the help) waits for a
// clock: run with the views' channel closed, each returns at once, with
// the end of the views or nothing.
func TestAnIdleBoardAsksForNoTimer(t *testing.T) {
	tb := newTestBoard(t, state.Options{})
	for _, msg := range scriptedMessages(t) {
		tb.board.Handle(msg, tb.clock)
	}
	views := make(chan *state.View)
	close(views)
	m := New(Config{Title: "idle", Views: views, View: tb.board.View(tb.clock)})
	cmds := []tea.Cmd{m.Init()}
	msgs := []tea.Msg{sizeMsg(160, 45), tb.view()}
	for tab := range tabCount {
		msgs = append(msgs, keyRunes(string(rune('1'+tab))), tea.KeyMsg{Type: tea.KeyDown}, keyRunes("s"), tb.view())
	}
	msgs = append(msgs, keyRunes("w"), tb.view(), keyRunes("w"), keyRunes("?"), tb.view(), keyRunes("?"))
	for _, msg := range msgs {
		var cmd tea.Cmd
		m, cmd = update(t, m, msg)
		cmds = append(cmds, cmd)
	}
	for i, cmd := range cmds {
		for _, msg := range results(t, cmd) {
			switch msg.(type) {
			case nil, viewsEndedMsg:
			default:
				t.Errorf("command %d gave %T: the board asked for more than views and keys", i, msg)
			}
		}
	}
}

// results runs cmd and the commands it batches, as the program would, and
// returns their messages.
func results(t *testing.T, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	msg := testkit.Receive(t, "a command's message", done)
	batch, ok := msg.(tea.BatchMsg)
	if !ok {
		return []tea.Msg{msg}
	}
	var msgs []tea.Msg
	for _, c := range batch {
		msgs = append(msgs, results(t, c)...)
	}
	return msgs
}

// TestTheFrameChangesOnlyWithWhatItShows: the frame writer writes a
// frame only when the board's text changed. A view of the same board at the same
// second draws the same frame, on every tab; the next second (the header's
// clock, the ages shown) draws another.
func TestTheFrameChangesOnlyWithWhatItShows(t *testing.T) {
	m, tb := scripted(t, state.Options{}, 160, 45)
	for tab := range tabCount {
		m, _ = update(t, m, keyRunes(string(rune('1'+tab))))
		frame := m.View()
		m, _ = update(t, m, tb.view()) // a new view, the same figures
		if again := m.View(); again != frame {
			t.Errorf("%v: the same figures drew another frame:\n%s\nthen\n%s", tab, frame, again)
		}
		tb.clock = tb.clock.Add(time.Second)
		m, _ = update(t, m, tb.view())
		if next := m.View(); next == frame {
			t.Errorf("%v: a second later, the same frame:\n%s", tab, frame)
		}
	}
}
