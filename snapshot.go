package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
	"time"

	"callboard/feed"
	"callboard/hub"
	"callboard/journal"
	"callboard/record"
	"callboard/state"
)

// Exit codes of snapshot and doctor beyond the common ones: the login was
// refused (3), the feed never went live (4).
const (
	exitAuthRefused = 3
	exitNeverLive   = 4
)

func snapshotCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("callboard snapshot", "")
	configPath := fs.String("config", "", "configuration file (default $XDG_CONFIG_HOME/callboard/config.toml)")
	demo := fs.Bool("demo", false, "take the snapshot of a built-in simulator")
	wait := fs.Duration("wait", 2*time.Second, "how long to apply events once live")
	events := fs.Int("events", 0, "stop after this many events (0: no limit)")
	timeout := fs.Duration("timeout", 20*time.Second, "give up (exit 4) when not live within this")
	record := fs.String("record", "", "write a recording of what is received to this file (JSON lines; no password, no token)")
	noJournal := fs.Bool("no-journal", false, "do not read today's journal: the counters start now")
	if code, done := parseArgs(fs, args, false, stdout, stderr); done {
		return code
	}
	src, code := openSource(ctx, *demo, *configPath, true, stderr)
	if src == nil {
		return code
	}
	defer src.close()
	lim := snapshotLimits{wait: *wait, events: *events, connect: *timeout}
	if !*noJournal {
		lim.journal = openDayJournal(src, false, wallClock, stderr) // read only: the day so far
	}
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
	wait    time.Duration   // applying events, counted from the first live moment
	events  int             // stop after this many events; 0: no limit
	journal *journal.Keeper // the day so far, replayed first (nil: none)
	connect time.Duration   // give up if not live by then
	record  io.Writer       // when set, gets a recording of the run
}

type snapshotError struct {
	code int
	msg  string
}

func (e *snapshotError) Error() string { return e.msg }

// takeSnapshot runs the road from the feed and returns the snapshot of
// the board's view once the limits are reached.
func takeSnapshot(ctx context.Context, cfg feed.Config, opts state.Options, lim snapshotLimits, now func() time.Time) (state.Snapshot, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cfg.Now = now
	start := now()
	var rec *record.Recorder
	if lim.record != nil {
		rec = record.NewRecorder(lim.record, start)
		cfg.OnMessage = rec.Record
	}
	hcfg := hub.Config{Options: opts, Now: now, Start: start, MaxEvents: lim.events}
	if lim.journal != nil {
		lim.journal.Attach(&hcfg)
	}
	r := startRoad(ctx, cancel, fromFeed(cfg), hcfg)
	defer func() {
		cancel()
		<-r.done
	}()
	views := r.hub.Subscribe()
	defer views.Close()
	finish := func(v *state.View) (state.Snapshot, error) {
		snap := v.Snapshot()
		if rec != nil {
			cancel()
			<-r.done // the feed records nothing more
			if err := rec.Close(v.Now); err != nil {
				return snap, fmt.Errorf("recording: %w", err)
			}
		}
		return snap, nil
	}

	connect := time.NewTimer(lim.connect)
	defer connect.Stop()
	var stop <-chan time.Time
	live := false
	for {
		select {
		case <-ctx.Done():
			if err := r.Err(); err != nil {
				return state.Snapshot{}, err
			}
			return state.Snapshot{}, ctx.Err()
		case <-connect.C:
			if !live {
				h := r.hub.Latest().Feed
				why := h.LastError // why it went down last; else where it stands
				if why == "" {
					why = h.Reason
				}
				if why == "" {
					why = "no answer"
				}
				return state.Snapshot{}, &snapshotError{exitNeverLive, fmt.Sprintf("no live connection within %v: %s", lim.connect, why)}
			}
		case <-stop:
			return finish(r.hub.Latest())
		case v := <-views.C:
			switch {
			case v.Feed.Refused:
				return state.Snapshot{}, &snapshotError{exitAuthRefused, v.Feed.Reason}
			case v.Feed.Lasting && !live: // waiting would not mend it
				return state.Snapshot{}, &snapshotError{exitNeverLive, "no live connection: " + v.Feed.LastError}
			case v.FeedEnded: // the events asked for were applied
				return finish(v)
			case v.Feed.Live() && !live:
				live = true
				stop = time.After(lim.wait)
			}
		}
	}
}

// wallClock is time.Now without the monotonic reading, so that durations
// computed live and from a recording are the same.
func wallClock() time.Time { return time.Now().Round(0) }

// openRecording opens path for a new recording, private to its owner,
// never through a symbolic link: a file that is not there is created 0600
// (O_EXCL: nothing planted meanwhile is used); one that is there must be
// a regular file of this user with no other link, and it is emptied and
// made 0600 whatever its mode was (a recording holds full caller numbers).
// Anything else (a symbolic link, a directory, a FIFO, a device, another
// user's file, a hard link) is refused, untouched, with what it is.
func openRecording(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
	if err == nil {
		return f, nil
	}
	if !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("--record: %v", err)
	}
	// O_NONBLOCK: a FIFO without a reader fails at once instead of hanging
	f, err = os.OpenFile(path, os.O_WRONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	switch {
	case errors.Is(err, syscall.ELOOP):
		return nil, fmt.Errorf("--record: %s is a symbolic link: refused (a recording is never written through one)", path)
	case errors.Is(err, syscall.ENXIO), errors.Is(err, syscall.EISDIR):
		return nil, fmt.Errorf("--record: %s is not a regular file: refused", path)
	case err != nil:
		return nil, fmt.Errorf("--record: %v", err)
	}
	if err := ownRecording(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--record: %s %v: refused", path, err)
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, fmt.Errorf("--record: %v", err)
	}
	if err := f.Truncate(0); err != nil {
		f.Close()
		return nil, fmt.Errorf("--record: %v", err)
	}
	return f, nil
}

// ownRecording says why the file f opened cannot be a recording of this
// user's: not a regular file, another user's, or linked elsewhere too.
func ownRecording(f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	switch {
	case !st.Mode().IsRegular():
		return fmt.Errorf("is not a regular file (%v)", st.Mode().Type())
	case !ok:
		return errors.New("cannot be checked")
	case int(sys.Uid) != os.Geteuid():
		return fmt.Errorf("belongs to user %d, not to this one", sys.Uid)
	case sys.Nlink != 1:
		return fmt.Errorf("has %d hard links", sys.Nlink)
	}
	return nil
}
