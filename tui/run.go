package tui

import (
	"context"
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// FrameRate is the most frames a second a board draws (Bubble Tea's
// renderer, tea.WithFPS). The renderer writes a frame only when the
// board's text changed, but its ticker wakes the process at this rate
// whatever it draws, and each tick wakes several of the process's threads
// (the runtime's timer and its sysmon): Bubble Tea's own 60 kept an idle
// board at ~220 context switches a second. At 20 a key's echo waits 25 ms
// for the next frame on average: 32 ms at the median, locally and through
// serve and OpenSSH, where 10 and 15 came near or past 50 ms (cli's
// BenchmarkIdleBoard and BenchmarkIdleServe; README, Figures).
const FrameRate = 20

// killAfter is how long Run lets the program quit gracefully after ctx ends
// before it kills it.
const killAfter = 2 * time.Second

// Run runs m full screen until the user quits or ctx ends, then restores the
// terminal. When ctx ends the program is asked to quit, and killed if it has
// not within two seconds; tea restores the terminal either way. opts are
// passed to tea.NewProgram after the board's own (the alternate screen).
//
// Signals are the caller's to handle: cancel ctx on them. Bubble Tea's own
// handler is off, because it sends to the event loop without watching for
// the loop's end, and deadlocks the shutdown when a signal and a quit race.
//
// Run returns nil when the user quit or ctx ended it, else the program's
// error (no terminal, a panic in Update or View, …).
func Run(ctx context.Context, m Model, opts ...tea.ProgramOption) error {
	own := []tea.ProgramOption{tea.WithAltScreen(), tea.WithoutSignalHandler(), tea.WithFPS(FrameRate)}
	p := tea.NewProgram(m, append(own, opts...)...)
	done := make(chan struct{})
	go stopOnDone(ctx, p, done)
	_, err := p.Run()
	close(done)
	if ctx.Err() != nil && errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrProgramPanic) {
		return nil
	}
	return err
}

// stopOnDone ends p when ctx ends, unless done closes first.
func stopOnDone(ctx context.Context, p *tea.Program, done <-chan struct{}) {
	defer func() {
		if recover() != nil {
			p.Kill()
		}
	}()
	select {
	case <-done:
		return
	case <-ctx.Done():
	}
	// Quit waits for the event loop to take the message; it returns once
	// the program has ended, whichever way.
	go func() {
		defer func() { _ = recover() }() // the timer below still kills p
		p.Quit()
	}()
	t := time.NewTimer(killAfter)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		p.Kill()
	}
}
