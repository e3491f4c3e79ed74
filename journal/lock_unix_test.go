//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package journal

import (
	"os"
	"path/filepath"
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
