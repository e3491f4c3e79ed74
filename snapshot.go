package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"callboard/feed"
	"callboard/state"
)

// Exit codes of snapshot (and, later, doctor).
const (
	exitAuthRefused = 3
	exitNeverLive   = 4
)

func snapshotCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("callboard snapshot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "configuration file (default $XDG_CONFIG_HOME/callboard/config.toml)")
	demo := fs.Bool("demo", false, "take the snapshot of a built-in simulator")
	wait := fs.Duration("wait", 2*time.Second, "how long to apply events once live")
	events := fs.Int("events", 0, "stop after this many events (0: no limit)")
	timeout := fs.Duration("timeout", 20*time.Second, "give up (exit 4) when not live within this")
	record := fs.String("record", "", "write a recording of what is received to this file (JSON lines; no password, no token)")
	if err := fs.Parse(args); err != nil {
		return exitConfig
	}
	if fs.NArg() > 0 {
		return usageError(stderr, fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	src, code := openSource(*demo, *configPath, stderr)
	if src == nil {
		return code
	}
	defer src.close()
	lim := snapshotLimits{wait: *wait, events: *events, connect: *timeout}
	if *record != "" {
		f, err := openRecording(*record)
		if err != nil {
			return usageError(stderr, err)
		}
		defer f.Close()
		lim.record = f
	}
	snap, err := takeSnapshot(ctx, src.feed, src.board, lim, wallClock)
	if err != nil {
		complain(stderr, "callboard snapshot:", err)
		var se *snapshotError
		if errors.As(err, &se) {
			return se.code
		}
		return exitFail
	}
	if err := printJSON(stdout, snap); err != nil {
		complain(stderr, "callboard snapshot:", err)
		return exitFail
	}
	return exitOK
}

type snapshotLimits struct {
	wait    time.Duration // applying events, counted from the first live moment
	events  int           // stop after this many events; 0: no limit
	connect time.Duration // give up if not live by then
	record  io.Writer     // when set, gets a recording of the run
}

type snapshotError struct {
	code int
	msg  string
}

func (e *snapshotError) Error() string { return e.msg }

// takeSnapshot runs the feed, applies what it delivers to a board, and
// returns the board's snapshot once the limits are reached.
func takeSnapshot(ctx context.Context, cfg feed.Config, opts state.Options, lim snapshotLimits, now func() time.Time) (state.Snapshot, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cfg.Now = now
	start := now()
	board := state.New(opts, start)
	var rec *feed.Recorder
	if lim.record != nil {
		rec = feed.NewRecorder(lim.record, start)
		cfg.Recorder = rec
	}
	finish := func() (state.Snapshot, error) {
		end := now()
		snap := board.Snapshot(end)
		if rec != nil {
			cancel()
			if err := rec.Close(end); err != nil {
				return snap, fmt.Errorf("recording: %w", err)
			}
		}
		return snap, nil
	}
	messages := make(chan feed.Message, 4096)
	done := make(chan struct{})
	go func() {
		defer close(done)
		feed.New(cfg).Run(ctx, messages)
	}()
	defer func() {
		cancel()
		<-done
	}()

	connect := time.NewTimer(lim.connect)
	defer connect.Stop()
	var stop <-chan time.Time
	live, applied := false, 0
	lastReason := "no answer"
	for {
		select {
		case <-ctx.Done():
			return state.Snapshot{}, ctx.Err()
		case <-connect.C:
			if !live {
				return state.Snapshot{}, &snapshotError{exitNeverLive, fmt.Sprintf("no live connection within %v: %s", lim.connect, lastReason)}
			}
		case <-stop:
			return finish()
		case m := <-messages:
			board.Handle(m, feed.MessageTime(m))
			switch m := m.(type) {
			case *feed.StatusMsg:
				if m.Refused {
					return state.Snapshot{}, &snapshotError{exitAuthRefused, m.Reason}
				}
				if m.State == feed.Disconnected && m.Reason != "" {
					lastReason = m.Reason // why it is not live; "authenticating" and the like say nothing
				}
				if m.State == feed.Live && !live {
					live = true
					stop = time.After(lim.wait)
				}
			case *feed.Event:
				applied++
				if lim.events > 0 && applied >= lim.events {
					return finish()
				}
			}
		}
	}
}

// wallClock is time.Now without the monotonic reading, so that durations
// computed live and from a recording are the same.
func wallClock() time.Time { return time.Now().Round(0) }

// openRecording creates (or empties) a recording file, private to its owner.
func openRecording(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("--record: %v", err)
	}
	return f, nil
}
