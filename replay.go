package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"callboard/feed"
	"callboard/hub"
	"callboard/state"
	"callboard/tui"
)

func replayCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("callboard replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	speed := fs.String("speed", "1", "1, 10 or max: how fast the recorded time runs")
	snapshot := fs.Bool("snapshot", false, "print the snapshot JSON as of the end of the recording, instead of the board")
	configPath := fs.String("config", "", "configuration file for the board's rules (optional)")
	if err := fs.Parse(reorderFlags(args)); err != nil {
		return exitConfig
	}
	if fs.NArg() != 1 {
		return usageError(stderr, fmt.Errorf("replay takes one recording file"))
	}
	factor, ok := map[string]float64{"1": 1, "10": 10, "max": 0}[*speed]
	if !ok {
		return usageError(stderr, fmt.Errorf("--speed %q: want 1, 10 or max", *speed))
	}
	var opts state.Options
	if *configPath != "" {
		src, code := openSource(ctx, false, *configPath, false, stderr)
		if src == nil {
			return code
		}
		opts = src.board
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return usageError(stderr, err)
	}
	rec, err := feed.ReadRecording(f)
	f.Close()
	if err != nil {
		return usageError(stderr, fmt.Errorf("%s: %v", fs.Arg(0), err))
	}
	if *snapshot {
		snap, err := replaySnapshot(ctx, rec, opts)
		if err == nil {
			err = printJSON(stdout, snap)
		}
		if err != nil {
			complain(stderr, "callboard replay:", err)
			return exitFail
		}
		return exitOK
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	clock := newReplayClock(rec.Start, factor)
	r := startRoad(ctx, cancel, clock.source(rec), hub.Config{Options: opts, Start: rec.Start, Now: clock.now})
	views := r.hub.Subscribe()
	defer views.Close()
	title := "callboard — REPLAY of " + rec.Start.Local().Format("2006-01-02 15:04")
	err = tui.Run(ctx, tui.New(tui.Config{Title: title, Views: views.C, View: r.hub.Latest()}))
	cancel()
	<-r.done
	if crash := r.Err(); crash != nil {
		err = crash
	}
	if err != nil {
		complain(stderr, "callboard replay:", err)
		return exitFail
	}
	return exitOK
}

// replaySnapshot plays a recording as fast as it goes through the road, each
// message at its recorded time, and returns the board as of the
// recording's end: what the live snapshot that made the recording printed.
func replaySnapshot(ctx context.Context, rec *feed.Recording, opts state.Options) (state.Snapshot, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	clock := newReplayClock(rec.Start, 0)
	r := startRoad(ctx, cancel, clock.source(rec), hub.Config{Options: opts, Start: rec.Start, Now: clock.now})
	<-r.done
	if err := r.Err(); err != nil {
		return state.Snapshot{}, err
	}
	if err := ctx.Err(); err != nil {
		return state.Snapshot{}, err
	}
	return r.hub.Latest().Snapshot(), nil
}

// replayClock maps wall time to recorded time: the recording's start plus
// the time elapsed since the replay began, times the speed (0: as fast as
// possible, the clock following the messages).
type replayClock struct {
	mu      sync.Mutex
	start   time.Time // recorded
	began   time.Time // wall
	factor  float64
	current time.Time // recorded time reached, for factor 0
}

func newReplayClock(start time.Time, factor float64) *replayClock {
	return &replayClock{start: start, began: time.Now(), factor: factor, current: start}
}

func (c *replayClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.factor == 0 {
		return c.current
	}
	return c.start.Add(time.Duration(float64(time.Since(c.began)) * c.factor))
}

// source plays rec's messages on the clock; at the end the clock stands at
// the recording's end, where the last view is taken.
func (c *replayClock) source(rec *feed.Recording) messageSource {
	return func(ctx context.Context, out chan<- feed.Message) {
		c.play(ctx, rec.Messages, out)
		if c.factor == 0 && !rec.End.IsZero() && ctx.Err() == nil {
			c.mu.Lock()
			c.current = rec.End
			c.mu.Unlock()
		}
	}
}

// play sends each message when the clock reaches its recorded time.
func (c *replayClock) play(ctx context.Context, msgs []feed.Message, out chan<- feed.Message) {
	for _, m := range msgs {
		at := feed.MessageTime(m)
		if c.factor > 0 {
			if wait := time.Duration(float64(at.Sub(c.now())) / c.factor); wait > 0 {
				select {
				case <-time.After(wait):
				case <-ctx.Done():
					return
				}
			}
		} else {
			c.mu.Lock()
			if at.After(c.current) {
				c.current = at
			}
			c.mu.Unlock()
		}
		select {
		case out <- m:
		case <-ctx.Done():
			return
		}
	}
}

// reorderFlags moves flags after positional arguments to the front, so
// that `replay FILE --snapshot` works as `replay --snapshot FILE`.
func reorderFlags(args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i+1:]...)
			i = len(args)
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			if a == "--speed" || a == "-speed" || a == "--config" || a == "-config" {
				if i+1 < len(args) {
					flags = append(flags, args[i+1])
					i++
				}
			}
		default:
			rest = append(rest, a)
		}
	}
	return append(flags, rest...)
}
