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
