//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package journal

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestAFifoIsNotADayFile: a day file planted as a fifo is refused, naming
// it, without the open waiting for a writer at its other end.
func TestAFifoIsNotADayFile(t *testing.T) {
	t.Parallel()
	c := testConfig(t, time.UTC)
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	day := filepath.Join(c.Dir, "2026-11-24.jsonl")
	if err := syscall.Mkfifo(day, 0o600); err != nil {
		t.Skip(err)
	}
	_, err := Open(c, time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	wantRefused(t, err, day, "not a regular file")
}

// TestHeldSaysWhetherAWriterHoldsTheJournal: Held is true while a writer
// holds the directory and false before and after, takes nothing (the
// writer that comes after it opens the directory) and makes nothing.
func TestHeldSaysWhetherAWriterHoldsTheJournal(t *testing.T) {
	t.Parallel()
	c := testConfig(t, time.UTC)
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	if Held(c.Dir) {
		t.Fatal("a missing directory is held")
	}
	if _, err := os.Stat(c.Dir); !os.IsNotExist(err) {
		t.Fatalf("Held made the directory: %v", err)
	}
	w := mustOpen(t, c, at)
	if !Held(c.Dir) {
		t.Fatal("a directory a writer holds is not held")
	}
	if err := w.Close(at.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if Held(c.Dir) {
		t.Fatal("a directory whose writer closed is held")
	}
	w = mustOpen(t, c, at.Add(2*time.Second)) // Held let its try go
	defer w.Close(at.Add(3 * time.Second))
	if !Held(c.Dir) {
		t.Fatal("a directory a second writer holds is not held")
	}
}

// TestAForkedChildDoesNotKeepTheLock: a process forked by a goroutine of
// this one while a writer is open has a copy of the lock's descriptor
// until it execs (a copy made by Dup here, the same open file). Closing
// the writer lets go of the lock all the same: the next Open takes it at
// once, as the next writer of a process that restarts its journal does
// while a parallel test, or a feed helper, starts a program.
func TestAForkedChildDoesNotKeepTheLock(t *testing.T) {
	t.Parallel()
	c := testConfig(t, time.UTC)
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	w := mustOpen(t, c, t0)
	forked, err := syscall.Dup(int(w.lock.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(forked)
	mustClose(t, w, t0.Add(time.Second))
	w, err = Open(c, t0.Add(time.Minute))
	if err != nil {
		t.Fatalf("Open after Close while a forked copy of the lock lives: %v", err)
	}
	mustClose(t, w, t0.Add(2*time.Minute))
}

// TestAnExecdChildHoldsNoJournalFile: a program started while a writer is
// open has none of the journal's files open (they are opened O_CLOEXEC):
// it neither holds the lock nor keeps a day file, and the writer that
// follows a Close takes the directory while the program still runs.
func TestAnExecdChildHoldsNoJournalFile(t *testing.T) {
	t.Parallel()
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip(err)
	}
	c := testConfig(t, time.UTC)
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	w := mustOpen(t, c, t0)
	child := exec.Command(sleep, "60")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { child.Process.Kill(); child.Wait() })
	fds := fmt.Sprintf("/proc/%d/fd", child.Process.Pid)
	if links, err := os.ReadDir(fds); err == nil {
		for _, l := range links {
			if to, err := os.Readlink(filepath.Join(fds, l.Name())); err == nil && strings.HasPrefix(to, c.Dir) {
				t.Errorf("the child holds %s (fd %s)", to, l.Name())
			}
		}
	}
	mustClose(t, w, t0.Add(time.Second))
	w, err = Open(c, t0.Add(time.Minute))
	if err != nil {
		t.Fatalf("Open after Close while a child started meanwhile runs: %v", err)
	}
	mustClose(t, w, t0.Add(2*time.Minute))
}
