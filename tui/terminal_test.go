//go:build unix

package tui

import (
	"fmt"
	"os"
	"syscall"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"callboard/internal/testkit"
)

// sizeShown is a model whose frame is the window's size as it was told.
type sizeShown struct{ width, height int }

func (s sizeShown) Init() tea.Cmd { return nil }

func (s sizeShown) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		s.width, s.height = msg.Width, msg.Height
	case tea.KeyMsg:
		if msg.String() == "q" {
			return s, tea.Quit
		}
	}
	return s, nil
}

func (s sizeShown) View() string { return fmt.Sprintf("size %dx%d", s.width, s.height) }

// TestAProgramOnATerminal runs a program on a pseudo-terminal: the
// terminal is in raw mode while it runs and in its modes again after; the
// program is told the terminal's size at its start and when it changes
// (SIGWINCH, raised by the test: the terminal is not the process's).
func TestAProgramOnATerminal(t *testing.T) {
	ptmx, tty := openTerminal(t, 80, 24)
	before := lflags(t, tty)
	shows := readTerminal(ptmx)

	p := NewProgram(sizeShown{}, tty, tty)
	done := make(chan error, 1)
	go func() { done <- p.Run() }()
	testkit.Eventually(t, "the terminal's size at the start", shows("size 80x24"))
	if modes := lflags(t, tty); modes&(unix.ICANON|unix.ECHO) != 0 {
		t.Errorf("the terminal is not in raw mode while the program runs: lflag %#x", modes)
	}
	pty.Setsize(ptmx, &pty.Winsize{Rows: 45, Cols: 160})
	syscall.Kill(os.Getpid(), syscall.SIGWINCH)
	testkit.Eventually(t, "the terminal's new size", shows("size 160x45"))

	ptmx.Write([]byte("q"))
	if err := testkit.Receive(t, "Run's return after q", done); err != nil {
		t.Errorf("Run = %v", err)
	}
	if after := lflags(t, tty); after != before {
		t.Errorf("the terminal's modes not restored: lflag %#x, was %#x", after, before)
	}
	testkit.Eventually(t, "the screen given back", shows(LeaveScreen))
}

// lflags are tty's line modes that raw mode turns off.
func lflags(t *testing.T, tty *os.File) uint32 {
	t.Helper()
	modes, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return modes.Lflag & (unix.ICANON | unix.ECHO | unix.ISIG)
}
