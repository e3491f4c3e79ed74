package cli

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"callboard/internal/testkit"
	"callboard/internal/testkit/testproc"
)

var testSignals = []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT}

// screen collects what the program writes to its terminal, and answers
// the terminal's side of the queries a real terminal answers (the
// background colour, the cursor position): left unanswered, termenv waits
// five seconds for them.
type screen struct {
	mu       sync.Mutex
	buf      bytes.Buffer
	answered map[string]int // query → how many were answered
	term     io.Writer      // the terminal's side, where answers go
	changed  chan struct{}  // a send after each write, dropped when full
}

func newScreen(term io.Writer) *screen {
	return &screen{answered: map[string]int{}, term: term, changed: make(chan struct{}, 1)}
}

// terminalAnswers are the replies of a dark xterm to the queries it gets.
var terminalAnswers = map[string]string{
	"\x1b]11;?": "\x1b]11;rgb:0000/0000/0000\x1b\\",
	"\x1b[6n":   "\x1b[1;1R",
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	s.buf.Write(p)
	for q, a := range terminalAnswers {
		for n := strings.Count(s.buf.String(), q); s.answered[q] < n; s.answered[q]++ {
			io.WriteString(s.term, a)
		}
	}
	s.mu.Unlock()
	select {
	case s.changed <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// waitFor waits until text shows on the screen.
func (s *screen) waitFor(t testing.TB, text string) {
	t.Helper()
	s.waitSince(t, 0, text)
}

// waitSince waits until text shows in what the screen got after offset.
func (s *screen) waitSince(t testing.TB, offset int, text string) {
	t.Helper()
	deadline := time.NewTimer(testkit.Patience)
	defer deadline.Stop()
	for !strings.Contains(s.String()[offset:], text) {
		select {
		case <-s.changed:
		case <-deadline.C:
			t.Fatalf("waited %v for %q; the screen got:\n%q", testkit.Patience, text, tail(s.String(), 2000))
		}
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// terminal is a program in a pseudo-terminal of its own session, as a
// person's terminal runs it: what it writes goes to screen.
type terminal struct {
	cmd       *exec.Cmd
	ptmx, tty *os.File
	screen    *screen
	copied    chan struct{} // closed once the terminal's output is all read (tty closed, the program ended)
}

// startInTerminal runs bin with args in a terminal of cols×rows, TERM
// xterm-256color, until the test ends.
func startInTerminal(t testing.TB, cols, rows uint16, bin string, args ...string) *terminal {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "CALLBOARD_TEST_PASSWORD=pw")
	ptmx, tty, _ := startOnTerminal(t, cmd, rows, cols)
	term := &terminal{cmd: cmd, ptmx: ptmx, tty: tty, screen: newScreen(ptmx), copied: make(chan struct{})}
	go func() {
		defer close(term.copied)
		io.Copy(term.screen, ptmx)
	}()
	return term
}

// startOnTerminal starts cmd in a session of its own whose controlling
// terminal is a new pseudo-terminal of rows×cols, and returns its two
// sides, closed at the test's end; it skips the test where there is no
// pseudo-terminal, and the terminal's line modes before cmd started
// (lineModes).
func startOnTerminal(t testing.TB, cmd *exec.Cmd, rows, cols uint16) (ptmx, tty *os.File, before uint32) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skip("no pseudo-terminal:", err)
	}
	t.Cleanup(func() { ptmx.Close(); tty.Close() })
	pty.Setsize(ptmx, &pty.Winsize{Rows: rows, Cols: cols})
	before = lineModes(t, tty)
	// A state directory of its own, unless cmd names one: a board
	// remembers its viewer's settings there, which would be the next
	// test's board's start.
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	if !slices.ContainsFunc(cmd.Env, func(v string) bool {
		return strings.HasPrefix(v, "XDG_STATE_HOME=") && v != "XDG_STATE_HOME="+os.Getenv("XDG_STATE_HOME")
	}) {
		cmd.Env = append(cmd.Env, "XDG_STATE_HOME="+t.TempDir())
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	testproc.Session(t, cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return ptmx, tty, before
}

// lineModes are the modes of tty that a full-screen program turns off and
// must turn on again: canonical input, echo, signals.
func lineModes(t testing.TB, tty *os.File) uint32 {
	t.Helper()
	modes, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return modes.Lflag & (unix.ICANON | unix.ECHO | unix.ISIG)
}

// TestSignalsEndTheBoardCleanly runs the demo board in a pseudo-terminal,
// sends it a signal, and checks that it exits 0 with the terminal as it
// found it: cooked mode back, main screen back, cursor shown. SIGINT,
// SIGTERM and SIGQUIT are the ones engine.io-client-go swallows once.
func TestSignalsEndTheBoardCleanly(t *testing.T) {
	bin := testkit.Binary(t)
	for _, sig := range testSignals {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(bin, "--demo")
			cmd.Env = append(os.Environ(), "TERM=xterm-256color")
			ptmx, tty, before := startOnTerminal(t, cmd, 45, 160)
			out := newScreen(ptmx)
			copied := make(chan struct{})
			go func() {
				defer close(copied)
				io.Copy(out, ptmx)
			}()
			out.waitFor(t, "live")
			out.waitFor(t, "Queues")

			signalled := time.Now()
			cmd.Process.Signal(sig)
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case err := <-exited:
				t.Logf("exited %v after %v", time.Since(signalled), sig)
				if err != nil {
					t.Errorf("exit after %v: %v\n%q", sig, err, tail(out.String(), 500))
				}
			case <-time.After(testkit.Patience):
				cmd.Process.Signal(syscall.SIGABRT) // the runtime prints every goroutine, and exits
				testkit.Receive(t, "the board's end after SIGABRT", exited)
				tty.Close()
				<-copied
				t.Fatalf("still running %v after %v:\n%s", testkit.Patience, sig, tail(out.String(), 20000))
			}
			if after := lineModes(t, tty); after != before {
				t.Errorf("terminal modes not restored: lflag %#x, was %#x", after, before)
			}
			tty.Close() // the last holder of the terminal: the copy reads to the end
			<-copied
			screen := out.String()
			last := strings.LastIndex(screen, "\x1b[?1049h")
			if last < 0 || !strings.Contains(screen[last:], "\x1b[?1049l") {
				t.Errorf("the alternate screen was not left: %q", tail(screen, 300))
			}
			if !strings.Contains(screen[max(last, 0):], "\x1b[?25h") {
				t.Errorf("the cursor was not shown again: %q", tail(screen, 300))
			}
		})
	}
}
