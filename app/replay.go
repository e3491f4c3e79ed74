package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"callboard/feed"
	"callboard/hub"
	"callboard/journal"
	"callboard/state"
)

// replayFile is a recording, or a journal's day file, read as it is played
// (a day of a busy center is a million lines: never loaded whole) through
// journal.Reader: lines that cannot be read (a journal's torn last line)
// or that are misdated (journal.Reader says which) are skipped and counted.
type replayFile struct {
	f     io.Closer
	r     *journal.Reader
	first feed.Message // read ahead to learn where the recording starts; nil when none
	err   error        // what ended the reading before the end, if anything
	// ck is the checkpoint r reads after (its board the one the lines
	// before it make), nil when r reads from the first line; ignored
	// counts the checkpoints refused.
	ck      *journal.Checkpoint
	ignored int
}

// openReplay opens the recording at path; a journal's day file (by its
// name) is read as a day of loc, the writer's zone ([display] timezone of
// --config; nil without: the day anywhere on Earth). Played to its end
// (toEnd), a day file of a known zone is read from the newest checkpoint
// beside it that holds its lines alone, under opts (journal.FileCheckpoint):
// the same board at the end, sooner.
func openReplay(path string, loc *time.Location, toEnd bool, opts state.Options) (*replayFile, error) {
	ignored := 0
	if toEnd && loc != nil {
		ck, r, n, err := journal.FileCheckpoint(path, loc, opts)
		if err != nil {
			return nil, err
		}
		if ck != nil {
			rec, err := newReplay(r)
			if err != nil {
				r.Close()
				return nil, err
			}
			rec.ck, rec.ignored = ck, n
			return rec, nil
		}
		ignored = n
	}
	rec, err := openFile(path, loc)
	if err != nil {
		return nil, err
	}
	rec.ignored = ignored
	return rec, nil
}

// openFile opens the recording at path, read from its first line.
func openFile(path string, loc *time.Location) (*replayFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	rec, err := newReplay(journal.ReadFile(f, path, loc))
	if err != nil {
		f.Close()
		return nil, err
	}
	rec.f = f
	return rec, nil
}

// newReplay reads r up to its first message.
func newReplay(r *journal.Reader) (*replayFile, error) {
	rec := &replayFile{r: r}
	m, err := rec.r.Next()
	switch {
	case err == io.EOF:
	case err != nil:
		return nil, err
	default:
		rec.first = m
	}
	return rec, nil
}

// next is the next message; false at the end, or when reading failed (err).
func (rec *replayFile) next() (feed.Message, bool) {
	if m := rec.first; m != nil {
		rec.first = nil
		return m, true
	}
	m, err := rec.r.Next()
	if err != nil {
		if err != io.EOF {
			rec.err = err
		}
		return nil, false
	}
	return m, true
}

func (rec *replayFile) close() {
	if rec.f != nil {
		rec.f.Close()
	}
	rec.r.Close()
}

// ignoredCheckpoints adds to said, what a reading skipped, that n
// checkpoints could not be read and the reading went back to from.
func ignoredCheckpoints(said string, n int, from string) string {
	if n == 0 {
		return said
	}
	return strings.TrimPrefix(said+fmt.Sprintf("; %d checkpoints could not be read (torn or corrupt), %s", n, from), "; ")
}

// skippedLines says what r skipped, for stderr; "" when nothing.
func skippedLines(r *journal.Reader) string {
	said := ""
	switch n, misdated := r.Skipped(), r.Misdated(); {
	case n == 0:
	case misdated == 0:
		said = fmt.Sprintf("%d lines could not be read (torn or corrupt), skipped", n)
	default:
		said = fmt.Sprintf("%d lines skipped: %d torn or corrupt, %d misdated (outside the file's day, or out of order)", n, n-misdated, misdated)
	}
	damage := ""
	switch n, first := r.Damaged(); {
	case n == 1:
		damage = first.Error()
	case n > 1:
		damage = fmt.Sprintf("%d compressed files damaged, the first %v", n, first)
	}
	switch {
	case said == "":
		said = damage
	case damage != "":
		said += "; " + damage
	}
	return said
}

// startReplay plays rec through a new road on a clock of its own, at
// factor times the recorded speed (0: as fast as it goes, the clock
// following the messages), each message at its recorded time. toEnd plays
// it for the board as of the recording's end (replay --snapshot): what the
// live snapshot that made the recording printed.
func startReplay(ctx context.Context, cancel context.CancelFunc, rec *replayFile, opts state.Options, factor float64, toEnd bool) *road {
	if toEnd {
		factor = 0
	}
	start := rec.r.Start()
	clock := newReplayClock(start, factor)
	hcfg := hub.Config{Options: opts, Start: start, Now: clock.now, FollowMessages: factor == 0}
	if ck := rec.ck; ck != nil {
		hcfg.Resume = func(state.Options) (*state.Board, time.Time, bool) { return ck.Board, ck.Ticked, true }
	}
	if toEnd {
		// as fast as it goes, the recorded time runs fast: time passes a
		// recorded second at a time, as the live board lets it each second
		// when idle
		hcfg.MinInterval = time.Second
		hcfg.LastViewOnly = true // only the last is printed
	}
	return startRoad(ctx, cancel, clock.source(rec), hcfg)
}

// played waits for the replay of rec on r to end, and returns the board's
// last view, or what stopped it before the recording's end.
func played(ctx context.Context, r *road, rec *replayFile) (*state.View, error) {
	<-r.done
	if err := r.Err(); err != nil {
		return nil, err
	}
	if rec.err != nil {
		return nil, rec.err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return r.hub.Latest(), nil
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
	// since and after are the wall clock (time.Since, time.After); tests
	// put their own.
	since func(time.Time) time.Duration
	after func(time.Duration) <-chan time.Time
}

func newReplayClock(start time.Time, factor float64) *replayClock {
	return &replayClock{start: start, began: time.Now(), factor: factor, current: start, since: time.Since, after: time.After}
}

func (c *replayClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.factor == 0 {
		return c.current
	}
	return c.start.Add(time.Duration(float64(c.since(c.began)) * c.factor))
}

// source plays rec's messages on the clock; at the end the clock stands at
// the recording's end, where the last view is taken.
func (c *replayClock) source(rec *replayFile) messageSource {
	return func(ctx context.Context, out chan<- feed.Message) {
		c.play(ctx, rec.next, out)
		if end := rec.r.End(); c.factor == 0 && !end.IsZero() && ctx.Err() == nil {
			c.mu.Lock()
			c.current = end
			c.mu.Unlock()
		}
	}
}

// play sends each message next gives when the clock reaches its recorded
// time.
func (c *replayClock) play(ctx context.Context, next func() (feed.Message, bool), out chan<- feed.Message) {
	for m, ok := next(); ok; m, ok = next() {
		at := feed.MessageTime(m)
		if c.factor > 0 {
			if wait := time.Duration(float64(at.Sub(c.now())) / c.factor); wait > 0 {
				select {
				case <-c.after(wait):
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
