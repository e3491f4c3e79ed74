package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/term"
	"github.com/muesli/cancelreader"
)

// FrameRate is the most frames a second a board draws. Its frames are
// drawn by the board's own writer (frameWriter), not Bubble Tea's
// renderer, whose ticker woke the process at this rate whatever it drew,
// each tick waking several of the process's threads (the runtime's timer
// and its sysmon). The writer writes a frame at once when the last one is
// a frame's time ago, else arms one timer for the rest of that time;
// nothing wakes it while the frame does not change. An idle board wakes
// ~18 times a second and serve with one viewer ~23 (84 and 126 with
// Bubble Tea's renderer at 20), and a key's echo is written at once: 1 ms
// at the median, locally and through serve and OpenSSH, where the ticker
// made it 28–32 ms (cli's BenchmarkIdleBoard and BenchmarkIdleServe;
// README, Figures). The cap holds under load, when views and keys come
// faster than it.
const FrameRate = 20

// killAfter is how long Run lets the program quit gracefully after ctx ends
// before it kills it.
const killAfter = 2 * time.Second

// Program is a board's Bubble Tea program on a terminal, drawn by the
// board's own frame writer: Bubble Tea runs without its renderer (which
// would wake the process FrameRate times a second for ever), and
// Program's Run takes and gives back the terminal around it.
type Program struct {
	program *tea.Program
	screen  *screen
}

// NewProgram makes the program of m, whose keys are read from in (nil:
// none) and frames written to out. When in is a terminal it is put in raw
// mode while the program runs, and read through a KeyReader as serve reads
// a viewer's keys; when out is one, its size is watched. opts are passed
// to tea.NewProgram after the board's own.
func NewProgram(m tea.Model, in io.Reader, out io.Writer, opts ...tea.ProgramOption) *Program {
	s := &screen{in: in, out: out, frames: newFrameWriter(out, wallClock{}, FrameRate)}
	keys := s.keys()
	own := []tea.ProgramOption{tea.WithoutRenderer(), tea.WithoutSignalHandler(), tea.WithInput(keys), tea.WithOutput(out)}
	p := tea.NewProgram(framedModel{inner: m, screen: s}, append(own, opts...)...)
	return &Program{program: p, screen: s}
}

// Run runs the program until it quits or is killed, the terminal taken
// before (the alternate screen, raw mode) and given back after, whatever
// ended it: a quit, a kill, a panic in Update or View (the terminal is
// given back before Bubble Tea reports the panic), an error.
func (p *Program) Run() error {
	if err := p.screen.begin(); err != nil {
		return err
	}
	defer p.screen.end()
	stopWatching := p.screen.watchSize(p.program)
	defer stopWatching()
	_, err := p.program.Run()
	return err
}

// Send hands msg to the program (see tea.Program.Send).
func (p *Program) Send(msg tea.Msg) { p.program.Send(msg) }

// Quit asks the program to end (see tea.Program.Quit).
func (p *Program) Quit() { p.program.Quit() }

// Kill ends the program at once (see tea.Program.Kill); Run still gives
// the terminal back.
func (p *Program) Kill() { p.program.Kill() }

// screen is the terminal a Program takes while it runs.
type screen struct {
	in     io.Reader
	out    io.Writer
	frames *frameWriter

	modes   *term.State // in's, before raw mode; nil: not a terminal
	endOnce sync.Once
	// endKeys ends the reading of the terminal's keys; nil: nothing to end
	endKeys func()
}

// keys is what the program reads its keys from. A terminal's keys are
// read through a KeyReader, as serve reads a viewer's: Bubble Tea, reading
// a terminal itself 256 bytes at a time, parses a mouse report cut at the
// end of a read as keys (a burst of the wheel's reports passes 256 bytes:
// "\x1b[<65;12;5M" cut after "\x1b[<65;1" gave alt+[ and the keys <65;1,
// then 2;5M: tabs 6, 5 and 2), where the KeyReader hands on whole reports
// (and keeps a report's start across its reads: a pseudo-terminal cuts
// its reads where it will, not at 4,096 bytes).
// The terminal is read through a reader that the screen's end cancels:
// Bubble Tea cannot cancel a read of a reader other than a file, and a
// read left waiting would take the next key typed after the board.
//
// On Windows the console is read by Bubble Tea itself: its keys are
// console events there, not bytes.
func (s *screen) keys() io.Reader {
	f, ok := s.in.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) || runtime.GOOS == "windows" {
		return s.in
	}
	r, err := cancelreader.NewReader(f)
	if err != nil {
		return s.in // read by Bubble Tea itself, as before
	}
	keys := &terminalKeys{r: r, reading: make(chan struct{}, 1)}
	s.endKeys = keys.end
	return NewKeyReader(keys)
}

// readEndWait is the longest the screen's end waits for the read of the
// terminal it cancelled to return.
const readEndWait = 500 * time.Millisecond

// terminalKeys reads a terminal's keys until end: then the read waiting,
// if any, returns, and what the reader holds (an epoll's descriptor, a
// pipe) is freed.
type terminalKeys struct {
	r       cancelreader.CancelReader
	reading chan struct{} // held while a read is made, and by end
	ended   bool
}

func (k *terminalKeys) Read(p []byte) (int, error) {
	k.reading <- struct{}{}
	defer func() { <-k.reading }()
	if k.ended {
		return 0, cancelreader.ErrCanceled
	}
	return k.r.Read(p)
}

// end cancels the read waiting and waits for it to return, readEndWait at
// most (a read the cancel did not end is left to the process's end),
// then frees the reader: nothing reads the terminal after the board.
func (k *terminalKeys) end() {
	k.r.Cancel()
	wait := time.NewTimer(readEndWait)
	defer wait.Stop()
	select {
	case k.reading <- struct{}{}:
		k.ended = true
		_ = k.r.Close()
		<-k.reading
	case <-wait.C:
	}
}

// begin puts in, if a terminal, in raw mode, and takes the screen.
func (s *screen) begin() error {
	if f, ok := s.in.(term.File); ok && term.IsTerminal(f.Fd()) {
		modes, err := term.MakeRaw(f.Fd())
		if err != nil {
			return fmt.Errorf("error entering raw mode: %w", err)
		}
		s.modes = modes
	}
	s.frames.start()
	return nil
}

// end gives the terminal back: the last frame drawn, the main screen, the
// cursor, in's modes. Only its first call does it.
func (s *screen) end() {
	s.endOnce.Do(func() {
		s.frames.stop()
		if s.endKeys != nil {
			s.endKeys()
		}
		if s.modes != nil {
			_ = term.Restore(s.in.(term.File).Fd(), s.modes)
		}
	})
}

// watchSize tells p out's size, now and at each change, when out is a
// terminal (an ssh session's size is told by its server), until the
// function it returns is called.
func (s *screen) watchSize(p *tea.Program) (stop func()) {
	f, ok := s.out.(term.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return func() {}
	}
	changed := make(chan os.Signal, 1)
	if sizeChanged != nil {
		signal.Notify(changed, sizeChanged)
	}
	done := make(chan struct{})
	go func() {
		for {
			if w, h, err := term.GetSize(f.Fd()); err == nil {
				p.Send(tea.WindowSizeMsg{Width: w, Height: h})
			}
			select {
			case <-done:
				return
			case <-changed:
			}
		}
	}()
	return func() {
		signal.Stop(changed)
		close(done)
	}
}

// framedModel runs the board's model and draws its frames with the
// screen's writer: its view after Init and after each Update. Its own
// View is empty, for Bubble Tea's renderer is none.
type framedModel struct {
	inner  tea.Model
	screen *screen
}

func (m framedModel) Init() tea.Cmd {
	defer m.endOnPanic()
	cmd := m.inner.Init()
	m.screen.frames.draw(m.inner.View())
	return cmd
}

func (m framedModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	defer m.endOnPanic()
	if size, ok := msg.(tea.WindowSizeMsg); ok {
		m.screen.frames.resize(size.Width, size.Height)
	}
	var cmd tea.Cmd
	m.inner, cmd = m.inner.Update(msg)
	if q, ok := msg.(interface{ offScreen() bool }); ok && q.offScreen() {
		return m, cmd // nothing on screen changed (rotation.go)
	}
	m.screen.frames.draw(m.inner.View())
	return m, cmd
}

func (m framedModel) View() string { return "" }

// endOnPanic gives the terminal back when the board panics, then panics
// again for Bubble Tea to report it, on a terminal that shows it.
func (m framedModel) endOnPanic() {
	if r := recover(); r != nil {
		m.screen.end()
		panic(r)
	}
}

// Run runs m full screen on the process's terminal (its standard input,
// or /dev/tty when that is no terminal, and its standard output) until
// the user quits or ctx ends, then restores the terminal. When ctx ends
// the program is asked to quit, and killed if it has not within two
// seconds; the terminal is restored either way.
//
// Signals are the caller's to handle: cancel ctx on them. Bubble Tea's own
// handler is off, because it sends to the event loop without watching for
// the loop's end, and deadlocks the shutdown when a signal and a quit race.
//
// Run returns nil when the user quit or ctx ended it, else the program's
// error (no terminal, a panic in Update or View, …).
func Run(ctx context.Context, m Model) error {
	in, err := terminalInput()
	if err != nil {
		return err
	}
	if in != os.Stdin {
		defer in.Close()
	}
	return run(ctx, NewProgram(m, in, os.Stdout))
}

// terminalInput is the terminal the keys are read from: the standard
// input, or /dev/tty when that is no terminal (the input piped), as Bubble
// Tea does.
func terminalInput() (*os.File, error) {
	if term.IsTerminal(os.Stdin.Fd()) {
		return os.Stdin, nil
	}
	f, err := os.Open("/dev/tty")
	if err != nil {
		return nil, fmt.Errorf("could not open a new TTY: %w", err)
	}
	return f, nil
}

// run runs p until it ends or ctx does (see Run).
func run(ctx context.Context, p *Program) error {
	done := make(chan struct{})
	go stopOnDone(ctx, p, done)
	err := p.Run()
	close(done)
	if ctx.Err() != nil && errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrProgramPanic) {
		return nil
	}
	return err
}

// stopOnDone ends p when ctx ends, unless done closes first.
func stopOnDone(ctx context.Context, p *Program, done <-chan struct{}) {
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
