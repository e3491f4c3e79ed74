//go:build unix

package tui

import (
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/creack/pty"
	"github.com/muesli/termenv"

	"callboard/internal/testkit"
)

// TestMouseOnALocalTerminal runs a board on a pseudo-terminal, as `callboard`
// runs on its own: the mouse is asked for, a burst of 50 turns of the
// wheel and a click in one write reach the board as the mouse (Bubble Tea
// reading the terminal itself cut the burst at 256 bytes into keys), the
// mouse is no longer asked for at the end, and no read of the terminal is
// left waiting to take the next key typed.
func TestMouseOnALocalTerminal(t *testing.T) {
	ptmx, tty := openTerminal(t, 80, 24)
	shows := readTerminal(ptmx)

	board := bigBoard(t, 300)
	newModel := func() Model { return New(Config{View: board.View(start), Renderer: renderer(termenv.Ascii)}) }
	var frame string
	pr := probe{inner: newModel(), sized: make(chan struct{}), once: &sync.Once{}, frame: &frame}
	p := NewProgram(pr, tty, tty)
	done := make(chan error, 1)
	go func() { done <- p.Run() }()
	testkit.Receive(t, "the program taking the terminal's size", pr.sized) // and the terminal, raw
	testkit.Eventually(t, "the mouse asked for", shows(mouseOn))

	input := "2" + wheelBurst(50, 10, 8) + sgrClick(10, 5) + wheelBurst(10, 10, 8)
	if len(input) <= 256 {
		t.Fatalf("the burst is %d bytes: not past a read of Bubble Tea's", len(input))
	}
	ptmx.WriteString(input)
	ptmx.WriteString(endOfInput)
	if err := testkit.Receive(t, "Run's return", done); err != nil {
		t.Fatalf("Run = %v", err)
	}
	want, _ := update(t, newModel(), sizeMsg(80, 24), keyRunes("2"))
	want, _ = update(t, want, repeat(wheelDown(10, 8), 50)...)
	want, _ = update(t, want, clickAt(10, 5), release(10, 5))
	want, _ = update(t, want, repeat(wheelDown(10, 8), 10)...)
	if frame != want.View() {
		t.Errorf("the board after the bytes:\n%s\nwant, after the same mouse as messages:\n%s", frame, want.View())
	}
	testkit.Eventually(t, "the screen given back, the mouse no longer asked for", shows(LeaveScreen))

	// Nothing of the board reads the terminal any more: a key typed after
	// it is the next reader's (the shell's).
	testkit.Eventually(t, "no read of the terminal left waiting", func() bool {
		buf := make([]byte, 1<<20)
		return !strings.Contains(string(buf[:runtime.Stack(buf, true)]), "(*KeyReader).Read")
	})
}

// openTerminal opens a pseudo-terminal of width × height, closed at the
// test's end: the test's side (ptmx) and the program's (tty).
func openTerminal(t *testing.T, width, height uint16) (ptmx, tty *os.File) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skip("no pseudo-terminal:", err)
	}
	t.Cleanup(func() {
		ptmx.Close()
		tty.Close()
	})
	pty.Setsize(ptmx, &pty.Winsize{Rows: height, Cols: width})
	return ptmx, tty
}

// readTerminal reads what the program writes to its terminal until ptmx
// closes; shows(text) is a condition for testkit.Eventually: text was
// written.
func readTerminal(ptmx *os.File) (shows func(text string) func() bool) {
	var mu sync.Mutex
	var written strings.Builder
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			mu.Lock()
			written.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return func(text string) func() bool {
		return func() bool {
			mu.Lock()
			defer mu.Unlock()
			return strings.Contains(written.String(), text)
		}
	}
}
