package tui

import (
	"fmt"
	"io"
	"testing"

	"callboard/internal/testkit"

	tea "github.com/charmbracelet/bubbletea"
)

// typeInBursts runs m as a real program whose terminal input is a pipe, and
// writes each burst in one write, as ssh delivers keys typed quickly: Bubble
// Tea's own input parser turns the bytes into key messages. The program is
// ended with ctrl+c after the last burst; the final model is returned.
func typeInBursts(t *testing.T, m Model, width, height int, bursts ...string) Model {
	t.Helper()
	in, typing := io.Pipe()
	p := tea.NewProgram(m, tea.WithInput(in), tea.WithOutput(io.Discard), tea.WithoutSignals())
	go func() {
		defer typing.Close()
		p.Send(tea.WindowSizeMsg{Width: width, Height: height})
		for _, b := range append(bursts, "\x03") {
			if _, err := typing.Write([]byte(b)); err != nil {
				return // the program ended early: the test sees it in the model
			}
		}
	}()
	done := make(chan tea.Model, 1)
	go func() {
		final, err := p.Run()
		if err != nil {
			t.Errorf("program: %v", err)
		}
		done <- final
	}()
	defer in.Close() // a write after the program ended fails instead of waiting
	defer p.Kill()   // should the program not end: over already when it has
	return testkit.Receive(t, fmt.Sprintf("the program's end after bursts %q", bursts), done).(Model)
}

func TestKeysInBurstsActAsIfPressedAlone(t *testing.T) {
	board := func() Model {
		m := narrowBoard(t)
		m.tab = tabOverview
		return m
	}
	t.Run("23", func(t *testing.T) {
		m := typeInBursts(t, board(), 100, 12, "23")
		if m.tab != tabQueues {
			t.Errorf("after 23 the board is on %s, want Queues", m.tab)
		}
	})
	t.Run("jjjj", func(t *testing.T) {
		m := typeInBursts(t, bigBoardModel(t), 100, 30, "2", "jjjj")
		if c := m.tabs[tabAgents].base().panes[0].scroll.cursor; c != 4 {
			t.Errorf("after jjjj the cursor is on row %d, want 4", c)
		}
		m = typeInBursts(t, bigBoardModel(t), 100, 30, "2jjjjk")
		if c := m.tabs[tabAgents].base().panes[0].scroll.cursor; c != 3 {
			t.Errorf("after 2jjjjk the cursor is on row %d, want 3", c)
		}
	})
	t.Run("2/Alice enter", func(t *testing.T) {
		m := typeInBursts(t, board(), 100, 12, "2/Hél", "\r")
		if m.tab != tabAgents || m.editing || m.tabs[tabAgents].base().narrowing.query != "Hél" {
			t.Fatalf("tab %s, editing %v, filter %q; want Agents, kept, %q", m.tab, m.editing, m.tabs[tabAgents].base().narrowing.query, "Hél")
		}
		if got := shown(m); len(got) != 1 || got[0] != "Hélène Roux" {
			t.Errorf("shown %q", got)
		}
		// Typed and confirmed in one read: the rest of the burst goes to
		// the board again.
		m = typeInBursts(t, board(), 100, 12, "2/zo\rj3")
		if m.tab != tabQueues || m.tabs[tabAgents].base().narrowing.query != "zo" || m.editing {
			t.Errorf("after 2/zo⏎j3: tab %s, filter %q, editing %v", m.tab, m.tabs[tabAgents].base().narrowing.query, m.editing)
		}
	})
	t.Run("?q", func(t *testing.T) {
		m := typeInBursts(t, board(), 100, 12, "?q", "2")
		if m.showHelp {
			t.Error("q did not close the help")
		}
		if m.tab != tabAgents {
			t.Error("?q quit the board, or the key after it was lost")
		}
		for _, closer := range []string{"??", "?\x1b", "?q"} {
			m := typeInBursts(t, board(), 100, 12, closer)
			if m.showHelp {
				t.Errorf("%q left the help open", closer)
			}
		}
		if m := typeInBursts(t, board(), 100, 12, "?j"); !m.showHelp {
			t.Error("j closed the help")
		}
	})
	t.Run("esc then 3 in a filter", func(t *testing.T) {
		// Esc and the next key in one read arrive as alt+3.
		m := typeInBursts(t, board(), 100, 12, "2/bo\x1b3")
		if m.editing || m.tabs[tabAgents].base().narrowing.query != "" || m.tab != tabQueues {
			t.Errorf("esc 3 in a filter: editing %v, filter %q, tab %s; want the filter cleared and Queues",
				m.editing, m.tabs[tabAgents].base().narrowing.query, m.tab)
		}
	})
	t.Run("paste", func(t *testing.T) {
		for name, bursts := range map[string][]string{
			"bracketed":      {"2/", "\x1b[200~Zoé P\x1b[201~", "\r"},
			"not bracketed":  {"2/", "Zoé P", "\r"},
			"on the board":   {"2", "\x1b[200~Zoé P\x1b[201~", "\r"},
			"with the slash": {"2/Zoé P\r"},
		} {
			m := typeInBursts(t, board(), 100, 12, bursts...)
			if q := m.tabs[tabAgents].base().narrowing.query; q != "Zoé P" || m.editing {
				t.Errorf("%s: filter %q (editing %v), want %q", name, q, m.editing, "Zoé P")
			}
			if got := shown(m); len(got) != 1 || got[0] != "Zoé Petit" {
				t.Errorf("%s: shown %q", name, got)
			}
		}
		// Pasted keys are text: a paste holding q neither quits nor
		// leaves the filter.
		m := typeInBursts(t, board(), 100, 12, "2/", "\x1b[200~q\x1b[201~", "2")
		if q := m.tabs[tabAgents].base().narrowing.query; q != "q2" || !m.editing {
			t.Errorf("a pasted q: filter %q, editing %v", q, m.editing)
		}
	})
}

func TestWallKeys(t *testing.T) {
	wall := func() Model {
		m := narrowBoard(t)
		m.tab, m.wall = tabOverview, true
		return m
	}
	for _, inert := range []string{"j", "k", "s", "S", "a", "p", "c", "o", "g", "b", "G", "\x1b", "\x1b[6~"} {
		m := typeInBursts(t, wall(), 100, 12, inert)
		if !m.wall || m.tab != tabOverview || m.tabs[tabOverview].base().narrowing.sortCol != -1 || m.agentsTab().state != "" || m.tabs[tabOverview].base().panes[0].scroll.cursor != 0 {
			t.Errorf("%q on the wall changed what cannot be seen: wall %v, tab %s", inert, m.wall, m.tab)
		}
	}
	if m := typeInBursts(t, wall(), 100, 12, "/Zo"); m.wall || !m.editing || m.tabs[tabOverview].base().narrowing.query != "Zo" {
		t.Errorf("/ on the wall: wall %v, editing %v, filter %q; want the board, the filter typed", m.wall, m.editing, m.tabs[tabOverview].base().narrowing.query)
	}
	if m := typeInBursts(t, wall(), 100, 12, "3"); m.wall || m.tab != tabQueues {
		t.Errorf("3 on the wall: wall %v, tab %s", m.wall, m.tab)
	}
	if m := typeInBursts(t, wall(), 100, 12, "?"); m.wall || !m.showHelp {
		t.Errorf("? on the wall: wall %v, help %v", m.wall, m.showHelp)
	}
	if m := typeInBursts(t, wall(), 100, 12, "w"); m.wall {
		t.Error("w did not leave the wall")
	}
	if m := typeInBursts(t, wall(), 100, 12, "ww"); !m.wall {
		t.Error("ww did not come back to the wall")
	}
	if m := typeInBursts(t, wall(), 100, 12, "q3"); m.tab != tabOverview || !m.wall {
		t.Error("q on the wall did not quit at once")
	}
}

func bigBoardModel(t *testing.T) Model {
	return boardModel(bigBoard(t, 100))
}
