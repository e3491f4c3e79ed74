package tui

import (
	"context"
	"sync"
	"testing"
	"time"

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
	select {
	case <-out.written: // the program runs
	case <-time.After(5 * time.Second):
		t.Fatal("the program never drew")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after the context ended")
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
