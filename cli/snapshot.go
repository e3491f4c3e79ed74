package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"callboard/app"
	"callboard/state"
)

// snapshotCommand prints the board once as JSON, after applying events
// for a while once live: for scripts.
func snapshotCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("callboard snapshot", "")
	demo := fs.Bool("demo", false, "take the snapshot of a built-in simulator, with the configuration's rules but not its connection")
	wait := fs.Duration("wait", 2*time.Second, "how long to apply events once live")
	events := fs.Int("events", 0, "stop after this many events (0: no limit)")
	timeout := fs.Duration("timeout", 20*time.Second, "give up (exit 4) when not live within this")
	session := newSessionFlags(fs, app.ReadJournal, true) // read only: the day so far
	scope := newScopeFlags(fs, "the snapshot")
	if err := parseArgs(fs, args, false, stdout, stderr); err != nil {
		return err
	}
	o := session.options(stderr)
	o.Demo, o.Now = *demo, app.WallClock
	var err error
	if o.Scope, err = scope.scope(); err != nil {
		return err
	}
	snap, err := takeSnapshot(ctx, o, snapshotLimits{wait: *wait, events: *events, connect: *timeout})
	if err != nil {
		return err
	}
	return printJSON(stdout, snap)
}

type snapshotLimits struct {
	wait    time.Duration // applying events, counted from the first live moment
	events  int           // stop after this many events; 0: no limit
	connect time.Duration // give up if not live by then
}

// takeSnapshot opens the session o describes (its clock o.Now) and returns
// the snapshot of the board's view once the limits are reached. A login
// refused ends it with exit 3, a feed never live with exit 4.
func takeSnapshot(ctx context.Context, o app.Options, lim snapshotLimits) (state.Snapshot, error) {
	o.MaxEvents = lim.events
	s, err := openSession(ctx, o)
	if err != nil {
		return state.Snapshot{}, err
	}
	defer s.Close()
	ctx = s.Context()
	views := s.Subscribe()
	defer views.Close()
	finish := func(v *state.View) (state.Snapshot, error) {
		// the feed records nothing more; the recording ends at the view's time
		return v.Snapshot(), s.EndRecording(v.Now)
	}

	connect := time.NewTimer(lim.connect)
	defer connect.Stop()
	var stop <-chan time.Time
	live := false
	for {
		select {
		case <-ctx.Done():
			if err := s.Err(); err != nil {
				return state.Snapshot{}, err
			}
			return state.Snapshot{}, ctx.Err()
		case <-connect.C:
			if !live {
				// why this run's feed went down last, else where it stands:
				// not the journal's day read into the board
				why, _ := s.NeverLive()
				if why == "" {
					why = "no answer"
				}
				return state.Snapshot{}, &exitError{Code: exitNeverLive, Err: fmt.Errorf("no live connection within %s (--timeout): %s", setting(lim.connect), why)}
			}
		case <-stop:
			return finish(s.Latest())
		case v := <-views.C:
			switch {
			case v.Feed.Refused:
				return state.Snapshot{}, &exitError{Code: exitAuthRefused, Err: errors.New(v.Feed.Reason)}
			case v.Feed.Lasting && !live: // waiting would not mend it
				return state.Snapshot{}, &exitError{Code: exitNeverLive, Err: errors.New("no live connection: " + v.Feed.LastError)}
			case v.FeedEnded: // the events asked for were applied
				return finish(v)
			case v.Feed.Live() && !live:
				live = true
				stop = time.After(lim.wait)
			}
		}
	}
}
