package state

import "time"

// HistoryMinutes is how many minutes View.WaitingLastHour covers.
const HistoryMinutes = 60

// minuteHistory keeps the highest value of each of the last
// HistoryMinutes minutes.
type minuteHistory struct {
	minutes []int     // oldest first
	last    time.Time // the minute of the newest sample
	ticked  time.Time // the newest time let pass (Board.Tick), live or not
}

// passed notes that time was let pass up to now.
func (h *minuteHistory) passed(now time.Time) {
	if now.After(h.ticked) {
		h.ticked = now
	}
}

// changed records v, a value changed at now between two ticks, when time
// was let pass within the second before: the minutes stay those the ticks
// saw (a board time never passed on records none), and in them every
// change counts, whether a tick fell on it or not.
func (h *minuteHistory) changed(now time.Time, v int) {
	if !h.ticked.IsZero() && now.Sub(h.ticked) < time.Second {
		h.record(now, v)
	}
}

func (h *minuteHistory) record(now time.Time, v int) {
	minute := now.Truncate(time.Minute)
	switch {
	case len(h.minutes) > 0 && minute.Equal(h.last):
		h.minutes[len(h.minutes)-1] = max(h.minutes[len(h.minutes)-1], v)
		return
	case len(h.minutes) > 0 && minute.Before(h.last):
		return // time went back (a message received before the last tick): its minute is kept
	case len(h.minutes) > 0:
		gap := int(min(minute.Sub(h.last)/time.Minute, HistoryMinutes)) - 1
		if gap == HistoryMinutes-1 {
			h.minutes = h.minutes[:0] // the samples kept are more than an hour old
		}
		for ; gap > 0; gap-- {
			h.minutes = append(h.minutes, 0) // minutes with no sample: nothing was seen
		}
	}
	h.minutes = append(h.minutes, v)
	if len(h.minutes) > HistoryMinutes {
		h.minutes = h.minutes[len(h.minutes)-HistoryMinutes:]
	}
	h.last = minute
}

// values are the minutes kept, oldest first, in a slice of their own.
func (h *minuteHistory) values() []int { return append([]int(nil), h.minutes...) }
