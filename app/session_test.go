package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callboard/internal/testkit"
	"callboard/record"
)

// TestTheSessionEndsWithinOneDeadline: Stop, EndRecording and Close of a
// session all end by the one deadline set when it started ending: a second
// call does not start another.
func TestTheSessionEndsWithinOneDeadline(t *testing.T) {
	s, err := Open(context.Background(), Options{Demo: true, Record: filepath.Join(t.TempDir(), "rec.jsonl")})
	if err != nil {
		t.Fatal(err)
	}
	first := s.Ending()
	s.Stop()
	if err := s.EndRecording(s.now()); err != nil {
		t.Error(err)
	}
	s.Close()
	if again := s.Ending(); !again.Equal(first) {
		t.Errorf("the end deadline moved from %v to %v", first, again)
	}
}

// stuckWriter takes nothing: a disk that does not answer.
type stuckWriter struct{ release chan struct{} }

func (w stuckWriter) Write(p []byte) (int, error) { <-w.release; return len(p), nil }

// TestARecordingOnAHungDiskEndsAtTheDeadline: the end line of a
// recording whose disk does not answer is given up at the session's
// deadline (here already passed), said as lost, rather than holding the
// process's end.
func TestARecordingOnAHungDiskEndsAtTheDeadline(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "rec")
	if err != nil {
		t.Fatal(err)
	}
	w := stuckWriter{make(chan struct{})}
	defer close(w.release)
	start := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	r := &recording{rec: record.NewRecorder(w, start), file: f}
	ended := make(chan error, 1)
	go func() { ended <- r.end(start.Add(time.Minute), time.Now()) }()
	if err := testkit.Receive(t, "the recording's end at its deadline", ended); err == nil || !strings.Contains(err.Error(), "does not answer") {
		t.Errorf("end on a hung disk: %v", err)
	}
}
