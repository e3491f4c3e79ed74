package tui

import (
	"callboard/internal/testkit"
	"context"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func TestRunEndsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &firstWrite{written: make(chan struct{})}
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, boardModel(bigBoard(t, 10)),
			tea.WithInput(nil), tea.WithOutput(out), tea.WithoutSignalHandler())
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
