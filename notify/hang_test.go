package notify

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"callboard/config"
	"callboard/feed"
	"callboard/hub"
	"callboard/internal/testkit"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// writing is a journal this process writes, for the hub's views.
type writing struct{}

func (writing) Record(feed.Message) {}
func (writing) Health() state.JournalHealth {
	return state.JournalHealth{On: true, Writing: true}
}

// TestAHangingCommandNeverDelaysTheBoard: while the command hangs on the
// first alert, the hub goes on taking messages and publishing views, the
// sender goes on reading them (the alerts behind find the queue full and
// are counted dropped, shown in the hub's views); at its deadline the
// command is killed with the child it started, and counted failed.
func TestAHangingCommandNeverDelaysTheBoard(t *testing.T) {
	dir := t.TempDir()
	script, pids := filepath.Join(dir, "hang.sh"), filepath.Join(dir, "pids")
	os.WriteFile(script, []byte("#!/bin/sh\nsleep 1000 &\necho $$ $! >\""+pids+"\"\nwait\n"), 0o755)
	expire := make(chan struct{})
	deadline := func(ctx context.Context, _ time.Duration) (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancelCause(ctx)
		go func() {
			select {
			case <-expire:
				cancel(context.DeadlineExceeded)
			case <-ctx.Done():
			}
		}()
		return ctx, func() { cancel(context.Canceled) }
	}
	s := newSender(t, Options{Config: config.Notify{Command: []string{script}, Timeout: config.Duration{Duration: 10 * time.Second}},
		QueueSize: 2, Deadline: deadline})

	h := hub.New(hub.Config{Options: state.Options{Location: time.UTC}, MinInterval: time.Nanosecond, TickInterval: 10 * time.Millisecond, Journal: writing{}, Notify: s.Health})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	messages := make(chan feed.Message) // unbuffered: a send returns once the hub took it
	go h.Run(ctx, messages)
	// The alerts' engine is another step: each view the sender reads has
	// one more alert raised than the one before.
	sub := h.Subscribe()
	defer sub.Close()
	views := make(chan *state.View)
	var read atomic.Int64
	go func() {
		var changes []state.AlertChange
		for {
			select {
			case <-ctx.Done():
				return
			case v := <-sub.C:
				if !v.Journal.On {
					continue
				}
				w := *v
				w.AlertChanges = changes
				views <- &w
				read.Add(1)
				n := uint64(len(changes) + 1)
				changes = append(changes, state.AlertChange{Seq: n, At: v.Now, Raised: true,
					Alert: state.Alert{AlertKey: state.AlertKey{Rule: state.RulePauseMax, AgentID: strconv.Itoa(int(n))}, Since: v.Now}})
			}
		}
	}()
	go s.Run(ctx, views)

	testkit.Eventually(t, "the command started and hangs", func() bool { b, _ := os.ReadFile(pids); return len(strings.Fields(string(b))) == 2 })
	now := time.Now().UTC()
	for i := range 50 {
		messages <- feedtest.Login(now, i+1, i+1)
	}
	testkit.Eventually(t, "the board's views with every agent read by the sender, its drops shown in them", func() bool {
		v := h.Latest()
		return len(v.Agents) == 50 && read.Load() > 3 && v.Notify.Dropped > 0
	}, func() string {
		return "latest: " + strconv.Itoa(len(h.Latest().Agents)) + " agents, notify " + h.Latest().Notify.Line(time.UTC)
	})
	if h := s.Health(); h.CommandFailures != 0 || h.Sent != 0 {
		t.Errorf("health = %+v while the command hangs", h)
	}

	close(expire)
	fields := strings.Fields(func() string { b, _ := os.ReadFile(pids); return string(b) }())
	for _, f := range fields {
		pid, _ := strconv.Atoi(f)
		if !testkit.Gone(pid) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Errorf("pid %d outlived the command's deadline", pid)
		}
	}
	testkit.Eventually(t, "the hung command counted failed", func() bool { return s.Health().CommandFailures >= 1 })
	if f := s.Health().LastFailure; !strings.HasPrefix(f, "command: did not finish within 10s: killed") {
		t.Errorf("last failure %q", f)
	}
}
