package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"callboard/feed"
	"callboard/hub"
	"callboard/journal"
	"callboard/state"
)

// ReportDay is the report of date's day (a date at noon UTC) from the
// session's journal, on its board's rules, its calls made as they are
// read (see reportDayOnRead), as the session's audience sees it: the day
// is played whole, then cut to the scope. A session without a journal
// directory has none to read.
func (s *Session) ReportDay(ctx context.Context, date time.Time, now func() time.Time) (*state.View, string, error) {
	if s.JournalDir == "" {
		return nil, "", errors.New("no journal directory to read")
	}
	v, skipped, err := reportDayOnRead(ctx, s.JournalDir, date, s.Board, now)
	if v != nil {
		v = v.For(s.audience)
	}
	return v, skipped, err
}

// reportDay is reportDayOnRead with the report's calls made, held in its
// Calls.
func reportDay(ctx context.Context, dir string, date time.Time, opts state.Options, now func() time.Time) (*state.View, string, error) {
	v, skipped, err := reportDayOnRead(ctx, dir, date, opts, now)
	if v != nil && v.Report != nil {
		r := v.Report.Held()
		v.Report = &r
	}
	return v, skipped, err
}

// reportDayOnRead plays the journal in dir of date's day (a date at noon
// UTC) through the road as fast as it goes, the board's clock following
// the recorded times, and returns the last view (with the day's report,
// its calls made as they are read: state.Board.ReportOnRead) and what the
// reading skipped ("" when nothing). It reads the day files
// through journal.Day, as a restart does: what is misdated is skipped.
//
// It reads as the board does: from the start of the day before when the
// journal has it (state that crossed midnight comes right, and the
// counters roll into the day at its midnight), else from where the day's
// file starts. The view is as of the end of the day's file, or for today
// as of now (as of its end line when the last process that wrote it has
// stopped: nothing is known after it). For a day before today, its calls
// still going on at midnight are followed into the next day's file, when
// the journal has it, to their end or that day's noon (CallTTL after its
// midnight), and the view made final for them (state.Settle).
func reportDayOnRead(ctx context.Context, dir string, date time.Time, opts state.Options, now func() time.Time) (*state.View, string, error) {
	loc := opts.Location
	if loc == nil {
		loc = time.Local
	}
	day, err := journal.OpenDay(dir, loc, date.Format(time.DateOnly))
	if err != nil {
		return nil, "", err
	}
	days, err := day.Read()
	if err != nil {
		return nil, "", err
	}
	head, err := newReplay(days) // where the day's file starts: the view is never taken before
	if err != nil {
		days.Close()
		return nil, "", fmt.Errorf("%s: %v", day.Path(), err)
	}
	begins := head.r.Start()
	days.Close()
	today := now().In(loc).Format(time.DateOnly) == day.Date()
	v, skipped, err := playDays(ctx, day, time.Time{}, func() time.Time {
		if !today {
			return begins
		}
		return now()
	}, opts, today)
	if err != nil {
		return nil, skipped, err
	}
	if today {
		return v, skipped, nil
	}
	next, err := day.Next()
	if err != nil {
		return nil, skipped, err
	}
	if next == nil {
		return v, skipped, nil // no day after: the calls of the day are as its end left them
	}
	// the calls still going on at midnight, followed into the next day
	y, m, d := date.AddDate(0, 0, 1).Date()
	bound := time.Date(y, m, d, 0, 0, 0, 0, loc).Add(state.CallTTL)
	later, _, err := playDays(ctx, next, bound, func() time.Time { return time.Time{} }, opts, false)
	if err != nil {
		return nil, skipped, fmt.Errorf("following the day's calls into %s: %v", next.Path(), err)
	}
	state.Settle(v, later.Report.Carried, opts)
	return v, skipped, nil
}

// playDays plays day, chained (journal.Day.ReadChained), through the road
// as fast as it goes, the board's clock following the recorded times, and
// returns the last view (with its Report) and what the reading skipped.
// It starts from the board of the newest valid checkpoint the journal
// keeps of those days, before bound, and plays the lines after it
// (journal.Day.ReadChainedFromCheckpoint): the same figures, sooner.
// With bound not zero, nothing recorded from bound on is played. end is
// where the clock is taken after the last message (when later); today
// says day is today: its end line, if any, tells the process that wrote
// it stopped.
func playDays(ctx context.Context, day *journal.Day, bound time.Time, end func() time.Time, opts state.Options, today bool) (*state.View, string, error) {
	days, ck, ignored, err := day.ReadChainedFromCheckpoint(opts, bound)
	if err != nil {
		return nil, "", err
	}
	defer days.Close()
	rec, err := newReplay(days)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %v", day.Path(), err)
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	clock := newReplayClock(rec.r.Start(), 0)
	play := clock.source(rec)
	if !bound.IsZero() {
		play = func(ctx context.Context, out chan<- feed.Message) {
			clock.play(ctx, func() (feed.Message, bool) {
				m, ok := rec.next()
				if ok && !feed.MessageTime(m).Before(bound) {
					clock.reach(bound) // what goes on still goes on there
					return nil, false
				}
				return m, ok
			}, out)
		}
	}
	source := func(ctx context.Context, out chan<- feed.Message) {
		play(ctx, out)
		if today {
			if stopped := rec.r.End(); !stopped.IsZero() {
				select {
				case out <- feed.NotRunning(stopped):
				case <-ctx.Done():
					return
				}
			}
		}
		clock.reach(end())
	}
	// time passes a recorded second at a time, as replay --snapshot and the
	// live board let it; only the last view is made
	cfg := hub.Config{Options: opts, Start: rec.r.Start(), Now: clock.now, MinInterval: time.Second, Report: true, ReportOnRead: true, FollowMessages: true, LastViewOnly: true}
	if ck != nil {
		cfg.Resume = func(state.Options) (*state.Board, time.Time, bool) { return ck.Board, ck.Ticked, true }
	}
	r := startRoad(ctx, cancel, source, cfg)
	<-r.done
	skipped := ignoredCheckpoints(skippedLines(rec.r), ignored, "the day read from further back")
	switch v := r.hub.Latest(); {
	case r.Err() != nil:
		return nil, skipped, r.Err()
	case rec.err != nil:
		return nil, skipped, fmt.Errorf("%s: %v", day.Dir(), rec.err)
	case ctx.Err() != nil:
		return nil, skipped, ctx.Err()
	case !v.FeedEnded || v.Report == nil:
		return nil, skipped, errors.New("the journal was not played to its end")
	default:
		return v, skipped, nil
	}
}

// reach moves a clock that follows its messages on to t, if t is later.
func (c *replayClock) reach(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.current) {
		c.current = t
	}
}
