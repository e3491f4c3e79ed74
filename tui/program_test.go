package tui

import (
	"io"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"callboard/feed"
	"callboard/internal/testkit"
	"callboard/state"
)

// Program-level tests: bytes as a terminal sends them, through a real
// Program (Bubble Tea's input parsing, the KeyReader as serve uses it, the
// board's frame writer), and the screen a terminal would show at the end.

// endOfInput is the key a played input ends with: the probe takes it as
// "every byte before was handled" and quits. F12 is no key of the board.
const endOfInput = "\x1b[24~"

// played is how a board ended after an input: the screen a terminal shows
// once the frame writer wrote its frames (cells), and the board's last
// frame with its escapes (its colours).
type played struct {
	screen string
	frame  string
}

// probe runs the board inside the program: it says when the window's size
// was taken, and at endOfInput keeps the board's frame and quits.
type probe struct {
	inner tea.Model
	sized chan struct{}
	once  *sync.Once
	frame *string
}

func (p probe) Init() tea.Cmd { return p.inner.Init() }

func (p probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyF12 {
		*p.frame = p.inner.View()
		return p, tea.Quit
	}
	var cmd tea.Cmd
	p.inner, cmd = p.inner.Update(msg)
	if _, ok := msg.(tea.WindowSizeMsg); ok {
		p.once.Do(func() { close(p.sized) })
	}
	return p, cmd
}

func (p probe) View() string { return p.inner.View() }

// lockedBuffer is the terminal's side of the program's output.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *lockedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// playBoard runs m in a Program on a width×height terminal: the window's
// size first, then input typed as a terminal sends it, each string one
// write (a burst), then endOfInput. It returns the end: the screen and the
// last frame.
func playBoard(t *testing.T, m tea.Model, width, height int, input ...string) played {
	t.Helper()
	keys, typing := io.Pipe()
	out := &lockedBuffer{}
	var frame string
	pr := probe{inner: m, sized: make(chan struct{}), once: &sync.Once{}, frame: &frame}
	p := NewProgram(pr, NewKeyReader(keys), out)
	ran := make(chan error, 1)
	go func() { ran <- p.Run() }()
	p.Send(tea.WindowSizeMsg{Width: width, Height: height})
	testkit.Receive(t, "the program taking the window's size", pr.sized)
	for _, s := range append(input, endOfInput) {
		if _, err := typing.Write([]byte(s)); err != nil {
			t.Fatalf("typing %q: %v", s, err)
		}
	}
	if err := testkit.Receive(t, "the program's end", ran); err != nil {
		t.Fatalf("the program ended with %v", err)
	}
	_ = typing.Close()
	screen := newCells(width, height)
	screen.feed(t, out.String())
	return played{screen: screen.text(), frame: frame}
}

// goldenProfiles are the terminals a program-level golden is drawn on:
// colour (256) and none (NO_COLOR, or a terminal without colours).
var goldenProfiles = []struct {
	name    string
	profile termenv.Profile
}{{"colour", termenv.ANSI256}, {"plain", termenv.Ascii}}

// goldenSizes are the windows a program-level golden is drawn in: the
// standard terminal and the smallest the board draws itself in.
var goldenSizes = []struct {
	name          string
	width, height int
}{{"80x24", 80, 24}, {"40x12", 40, 12}}

// playGoldens plays input on the board newModel makes for a renderer, in
// every golden size and profile, and compares each end with its golden:
// the screen without colour, the last frame with its escapes in colour
// (testdata/<test>/<size>_<profile>.golden; go test -update rewrites
// them).
func playGoldens(t *testing.T, newModel func(*lipgloss.Renderer) tea.Model, input ...string) {
	t.Helper()
	for _, size := range goldenSizes {
		for _, pr := range goldenProfiles {
			t.Run(size.name+"_"+pr.name, func(t *testing.T) {
				end := playBoard(t, newModel(renderer(pr.profile)), size.width, size.height, input...)
				got := end.screen
				if pr.profile != termenv.Ascii {
					got = end.frame
				}
				teatest.RequireEqualOutput(t, []byte(got))
			})
		}
	}
}

// scriptedBoard makes the board of the scripted morning (scriptedMessages)
// for a renderer, as playGoldens asks.
func scriptedBoard(t *testing.T) func(*lipgloss.Renderer) tea.Model {
	return scriptedBoardOf(t, state.Options{})
}

// scriptedBoardOf is scriptedBoard on a board of opts.
func scriptedBoardOf(t *testing.T, opts state.Options) func(*lipgloss.Renderer) tea.Model {
	tb := newTestBoard(t, opts)
	for _, msg := range scriptedMessages(t) {
		tb.board.Handle(msg, feed.MessageTime(msg))
	}
	v := tb.board.View(start)
	return func(r *lipgloss.Renderer) tea.Model {
		return New(Config{Title: "callboard — demo", View: v, Renderer: r})
	}
}

func TestPlayedBytesReachTheBoard(t *testing.T) {
	newModel := scriptedBoard(t)
	end := playBoard(t, newModel(renderer(termenv.Ascii)), 80, 24, "2", "/Bo", "\r")
	if !strings.Contains(end.screen, "Bob Durand") || strings.Contains(end.screen, "Alice Martin") {
		t.Errorf("after 2 and /Bo⏎ the screen shows\n%s\nwant the Agents tab narrowed to Bob", end.screen)
	}
	if !strings.Contains(end.frame, "Bob Durand") {
		t.Errorf("the last frame is\n%s\nwant the board's", end.frame)
	}
	playGoldens(t, newModel, "2", "/Bo", "\r")
}
