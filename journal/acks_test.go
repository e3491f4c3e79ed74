package journal

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"callboard/feed"
	"callboard/hub"
	"callboard/internal/testkit"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// TestAnAcknowledgementSurvivesTheWriter: the engine raises Support's
// available_min (one agent of two available); its acknowledgement made on
// the writer's board is a line of the day at once; the writer left as a kill
// -9 leaves it (no end line, nothing closed), the day replayed by another
// process holds it, in its board; that process, which only reads the
// journal, cannot acknowledge, and says why. Stopped cleanly, the writer
// leaves a checkpoint that carries it to the next start.
func TestAnAcknowledgementSurvivesTheWriter(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { return t0.Add(time.Minute) }
	dir := filepath.Join(t.TempDir(), "acct")
	writer := OpenKeeper(KeeperConfig{Dir: dir, Location: time.UTC, Write: true, Now: now})
	if err := writer.CanAcknowledge(); err != nil {
		t.Fatalf("the writer may not acknowledge: %v", err)
	}
	opts := state.Options{Location: time.UTC, QueueLimits: state.QueueLimits{AvailableMin: 2}}
	hcfg := hub.Config{Options: opts, Now: now, Start: t0}
	writer.Attach(&hcfg)
	h := hub.New(hcfg)
	messages := make(chan feed.Message)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx, messages) }()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			<-done
			writer.Close()
		}
	}
	t.Cleanup(stop)
	sub := h.Subscribe()
	defer sub.Close()
	messages <- &feed.StatusMsg{State: feed.Live, At: t0}
	messages <- &feed.DirectoryMsg{At: t0, Directory: feed.Directory{
		Agents: []feed.Agent{{ID: "7", Name: "Zoé", Groups: []feed.Text{"10"}}, {ID: "8", Name: "Yann", Groups: []feed.Text{"10"}}},
		Groups: []feed.Named{{ID: "10", Name: "Support"}}}}
	messages <- feedtest.Login(t0.Add(time.Second), 1, 7)
	key := state.AlertKey{Rule: state.RuleAvailableMin, QueueID: "10"}
	// raised as the wait after going live ends (state.Options.AlertSettle)
	since := t0.Add(10 * time.Second)
	for raised := false; !raised; { // the engine's alert, to acknowledge
		raised = len(testkit.Receive(t, "a view", sub.C).Alerts) > 0
	}
	if err := h.Acknowledge(key, since, "anne"); err != nil {
		t.Fatal(err)
	}
	day := filepath.Join(dir, "2026-12-07.jsonl")
	testkit.Eventually(t, "the ack line in the day's file", func() bool {
		b, _ := os.ReadFile(day)
		return bytes.Contains(b, []byte(`"kind":"ack"`))
	})

	reader := OpenKeeper(KeeperConfig{Dir: dir, Location: time.UTC, Now: now})
	if err := reader.CanAcknowledge(); !errors.Is(err, ErrReadOnly) {
		t.Errorf("a reader may acknowledge: %v", err)
	}
	rcfg := hub.Config{Options: opts, Now: now, Start: t0.Add(time.Minute)}
	reader.Attach(&rcfg)
	again := hub.New(rcfg)
	ended := make(chan feed.Message)
	close(ended)
	if err := again.Run(context.Background(), ended); err != nil {
		t.Fatal(err)
	}
	want := state.Acknowledgement{AlertKey: key, Since: since, By: "anne", At: now()}
	if v := again.Latest(); len(v.Acks) != 1 || v.Acks[0] != want || len(v.Alerts) != 1 || v.Alerts[0].Acknowledged == nil || *v.Alerts[0].Acknowledged != want {
		t.Errorf("replayed, the board keeps %+v, its alerts %+v, want %+v", v.Acks, v.Alerts, want)
	}
	if err := again.Acknowledge(key, since, "bob"); !errors.Is(err, ErrReadOnly) {
		t.Errorf("the reader's hub acknowledges: %v", err)
	}

	// the writer stops cleanly, its checkpoint taken: the next start
	// resumes from it, the acknowledgement in its board
	stop()
	restarted := OpenKeeper(KeeperConfig{Dir: dir, Location: time.UTC, Write: true, Now: func() time.Time { return t0.Add(2 * time.Minute) }})
	defer restarted.Close()
	scfg := hub.Config{Options: opts, Now: now, Start: t0.Add(2 * time.Minute)}
	restarted.Attach(&scfg)
	resumed := hub.New(scfg)
	if err := resumed.Run(context.Background(), ended); err != nil {
		t.Fatal(err)
	}
	if v := resumed.Latest(); v.Journal.Checkpoint.IsZero() || len(v.Acks) != 1 || v.Acks[0] != want || len(v.Alerts) != 1 || v.Alerts[0].Acknowledged == nil {
		t.Errorf("resumed from checkpoint %v, the board keeps %+v, want %+v", v.Journal.Checkpoint, v.Acks, want)
	}
}
