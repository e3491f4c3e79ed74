package state

import (
	"time"

	"callboard/feed"
)

// Live reports whether the stream is live: figures are current.
func (h *FeedHealth) Live() bool { return h.State == feed.Live }

// HasData reports whether an update has arrived yet (live, or read back
// from the journal). Before that every figure is unknown, not zero: the
// directory alone names agents and queues, it says nothing of their state
// (a server that accepts the login, then refuses the init or stays quiet).
func (h *FeedHealth) HasData() bool {
	return !h.LastEventAt.IsZero()
}

// AsOf is the moment the board's running figures (time in state, waits)
// are true at: now while the feed is live; while it is not, the moment it
// stopped being live, so that clocks stop when the data froze instead of
// ticking on over calls that may have ended.
func (b *Board) AsOf(now time.Time) time.Time {
	if b.feed.State != feed.Live && !b.feed.DownSince.IsZero() && b.feed.DownSince.Before(now) {
		return b.feed.DownSince
	}
	return now
}

// DaySpan is the stretch of today that the counters cover.
type DaySpan struct {
	Since        time.Time // in the day's timezone
	FromMidnight bool      // since the day began; else since the board started
	// NotLive are today's stretches without a live feed once it had been
	// live (outages, and the time callboard was not running as its journal
	// shows), in order, clipped to today, in the day's timezone; the last
	// one's To is zero while it goes on. What happened then was not seen.
	NotLive []Interval
}

// Interval is a stretch of time.
type Interval struct {
	From, To time.Time
}

// Day says since when today's counters count, and which parts of today
// the board did not see.
func (b *Board) Day() DaySpan {
	loc := b.opts.Location
	since := b.since.In(loc)
	span := DaySpan{Since: since, FromMidnight: since.Equal(startOfDay(since, loc))}
	for _, o := range b.outages {
		if !o.To.IsZero() && !o.To.After(b.since) {
			continue
		}
		in := Interval{From: maxTime(o.From, b.since).In(loc)}
		if !o.To.IsZero() {
			in.To = o.To.In(loc)
		}
		span.NotLive = append(span.NotLive, in)
	}
	return span
}
