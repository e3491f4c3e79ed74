package state

import (
	"time"

	"callboard/feed"
)

// Live reports whether the stream is live: figures are current.
func (h *FeedHealth) Live() bool { return h.State == feed.Live }

// HasData reports whether anything has arrived from the service yet: the
// directory or an event. Before that every figure is unknown, not zero.
func (h *FeedHealth) HasData() bool {
	return !h.Directory.IsZero() || !h.LastEventAt.IsZero()
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
}

// Day says since when today's counters count.
func (b *Board) Day() DaySpan {
	since := b.since.In(b.opts.Location)
	return DaySpan{Since: since, FromMidnight: since.Equal(startOfDay(since, b.opts.Location))}
}
