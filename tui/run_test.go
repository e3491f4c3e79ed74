package tui

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"callboard/internal/testkit"
)

func TestRunEndsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &firstWrite{written: make(chan struct{})}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, NewProgram(boardModel(bigBoard(t, 10)), nil, out))
	}()
	testkit.Receive(t, "the program's first drawing", out.written) // the program runs
	cancel()
	if err := testkit.Receive(t, "Run's return after the context ended", done); err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
}

// firstWrite closes written at the first write.
type firstWrite struct {
	once    sync.Once
	written chan struct{}
}

func (w *firstWrite) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.written) })
	return len(p), nil
}

// scene is a model whose frame is its text, changed by the messages it
// gets; a panicMsg makes its View panic.
type scene struct{ text string }

type panicMsg struct{}

func (s scene) Init() tea.Cmd { return nil }

func (s scene) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case string:
		s.text = msg
	case panicMsg:
		s.text = "" // View panics
	}
	return s, nil
}

func (s scene) View() string {
	if s.text == "" {
		panic("the board's view failed")
	}
	return s.text
}

// TestTheTerminalIsGivenBackHoweverTheProgramEnds: a program quit, killed,
// or whose View panics leaves its terminal as it found it: the alternate
// screen left, the cursor shown, pastes unbracketed, the mouse no longer
// reported, last.
func TestTheTerminalIsGivenBackHoweverTheProgramEnds(t *testing.T) {
	for _, end := range []struct {
		name    string
		do      func(p *Program)
		wantErr error
	}{
		{"quit", func(p *Program) { p.Quit() }, nil},
		{"kill", func(p *Program) { p.Kill() }, tea.ErrProgramKilled},
		{"panic in View", func(p *Program) { p.Send(panicMsg{}) }, tea.ErrProgramPanic},
	} {
		t.Run(end.name, func(t *testing.T) {
			out := &writes{}
			p := NewProgram(scene{text: "first"}, nil, out)
			done := make(chan error, 1)
			go func() { done <- p.Run() }()
			p.Send("second") // taken once the program runs
			end.do(p)
			err := testkit.Receive(t, "Run's return", done)
			if end.wantErr == nil && err != nil || end.wantErr != nil && !errors.Is(err, end.wantErr) {
				t.Errorf("Run = %v, want %v", err, end.wantErr)
			}
			got := out.String()
			if !strings.HasPrefix(got, enterScreen) || !strings.HasSuffix(got, LeaveScreen) {
				t.Errorf("the program wrote %q: want the screen taken first, given back last", got)
			}
			if !strings.Contains(got, mouseOn) || !strings.HasSuffix(got, mouseOff+ansi.ResetModeBracketedPaste+ansi.ShowCursor+ansi.ResetModeAltScreenSaveCursor) {
				t.Errorf("the program wrote %q: want the mouse reported while it runs and no longer after", got)
			}
			if !strings.Contains(got, "second") {
				t.Errorf("the frame of the message taken before the end is not written: %q", got)
			}
		})
	}
}
