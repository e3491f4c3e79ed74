package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"callboard/internal/testkit"
	"callboard/internal/testkit/simtest"
	"callboard/sim"
)

// blockedInWrite reports whether a thread of the process pid waits in a
// write(2): the board's output, once its terminal stopped reading.
func blockedInWrite(pid int) bool {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/syscall", pid))
	for _, task := range tasks {
		b, err := os.ReadFile(task)
		if err != nil {
			continue
		}
		nr, _, _ := strings.Cut(string(b), " ")
		if n, err := strconv.Atoi(nr); err == nil && n == unix.SYS_WRITE {
			return true
		}
	}
	return false
}

// TestAStalledTerminalStallsNeitherTheJournalNorTheEnd runs the board on
// the simulator in a pseudo-terminal whose other side stops reading (a
// frozen tmux server, a suspended terminal emulator): the board's drawing
// blocks, and still the feed goes on into the journal, and SIGTERM ends
// the program, its terminal modes restored, its journal's end line
// written.
func TestAStalledTerminalStallsNeitherTheJournalNorTheEnd(t *testing.T) {
	if _, err := os.Stat("/proc/self/task"); err != nil {
		t.Skip("no /proc to see the board's blocked write")
	}
	srv := simtest.Start(t, sim.Options{Seed: 5})
	cfg := writeConfig(t, srv.URL())
	journalDir := filepath.Join(filepath.Dir(cfg), "journal")
	cmd := exec.Command(testkit.Binary(t), "--config", cfg)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "CALLBOARD_TEST_PASSWORD="+sim.DefaultPassword)
	// the largest board there is: a redraw or two fill the terminal's buffer
	ptmx, tty, before := startOnTerminal(t, cmd, 500, 1000)
	out := newScreen(ptmx)
	var stalled atomic.Bool
	resume := make(chan struct{})
	go func() { // the terminal: it reads until stalled, then once resumed
		buf := make([]byte, 32<<10)
		for {
			if stalled.Load() {
				<-resume
			}
			n, err := ptmx.Read(buf)
			out.Write(buf[:n])
			if err != nil {
				return
			}
		}
	}()
	defer func() {
		if stalled.Load() {
			close(resume)
		}
	}()
	out.waitFor(t, "live")

	stalled.Store(true)
	testkit.Eventually(t, "the board's output to block", func() bool { return blockedInWrite(cmd.Process.Pid) })
	journaled := len(journalCpts(t, journalDir))
	testkit.Eventually(t, "the journal to grow while the terminal does not read", func() bool {
		return len(journalCpts(t, journalDir)) >= journaled+10
	}, func() string {
		return fmt.Sprintf("%d updates journaled, %d at the stall", len(journalCpts(t, journalDir)), journaled)
	})
	if !blockedInWrite(cmd.Process.Pid) {
		t.Fatal("the board's output no longer blocks: the test did not stall it")
	}

	cmd.Process.Signal(syscall.SIGTERM)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	if err := testkit.Receive(t, "the board's end after SIGTERM, its terminal not reading", exited); err != nil {
		t.Errorf("exit: %v", err)
	}
	if after := lineModes(t, tty); after != before {
		t.Errorf("terminal modes not restored: lflag %#x, was %#x", after, before)
	}
	if !journalEnds(t, journalDir) {
		t.Error("the journal has no end line")
	}
}

// journalEnds reports whether the last line of the day files below dir is
// an end line.
func journalEnds(t *testing.T, dir string) bool {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.jsonl"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if strings.Contains(lines[len(lines)-1], `"kind":"end"`) {
			return true
		}
	}
	return false
}
