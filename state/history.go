package state

import (
	"slices"
	"strings"
	"time"
)

// HistoryMinutes is how many minutes View.WaitingLastHour covers.
const HistoryMinutes = 60

// minuteHistory keeps the highest value of each of the last
// HistoryMinutes minutes.
type minuteHistory struct {
	minutes []int     // oldest first
	last    time.Time // the minute of the newest sample
	ticked  time.Time // the newest time let pass (Board.Tick), live or not
	// logs are the minutes' samples queue by queue (logs[i] is
	// minutes[i]'s): what a scoped view's last hour is replayed from
	// (minuteLog.cut, most).
	logs []minuteLog
}

// queueCount is a queue's calls waiting.
type queueCount struct {
	queue string
	n     int
}

// minuteLog is what a minute's samples saw queue by queue: each sample
// the queues whose calls waiting changed since the one before, with their
// count then (the minute's first, every queue with calls waiting), so
// that the most calls waiting in any set of queues at a sample of the
// minute can be replayed (cut, most).
type minuteLog struct {
	counts []queueCount // the samples' changes, one sample after another
	ends   []int32      // ends[i] is the end of sample i in counts
}

// most is the most calls waiting in its queues at a sample of log l.
func (l *minuteLog) most() int {
	now := map[string]int{}
	sum, most, from := 0, 0, 0
	for _, end := range l.ends {
		for _, c := range l.counts[from:end] {
			sum += c.n - now[c.queue]
			now[c.queue] = c.n
		}
		most, from = max(most, sum), int(end)
	}
	return most
}

// sampler gives minuteHistory a sample of the queues: log appends to l
// the queues' counts, all of them when all (a minute's first sample),
// else those changed since the last sample logged.
type sampler func(l *minuteLog, all bool)

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
func (h *minuteHistory) changed(now time.Time, v int, sample sampler) {
	if !h.ticked.IsZero() && now.Sub(h.ticked) < time.Second {
		h.record(now, v, sample)
	}
}

// record records v, the value at now, and the queues' sample (sample, nil
// for none) in its minute.
func (h *minuteHistory) record(now time.Time, v int, sample sampler) {
	minute := now.Truncate(time.Minute)
	switch {
	case len(h.minutes) > 0 && minute.Equal(h.last):
		h.minutes[len(h.minutes)-1] = max(h.minutes[len(h.minutes)-1], v)
		h.log(sample, false)
		return
	case len(h.minutes) > 0 && minute.Before(h.last):
		return // time went back (a message received before the last tick): its minute is kept
	case len(h.minutes) > 0:
		gap := int(min(minute.Sub(h.last)/time.Minute, HistoryMinutes)) - 1
		if gap == HistoryMinutes-1 {
			h.minutes, h.logs = h.minutes[:0], h.logs[:0] // the samples kept are more than an hour old
		}
		for ; gap > 0; gap-- {
			h.minutes = append(h.minutes, 0) // minutes with no sample: nothing was seen
			h.logs = append(h.logs, minuteLog{})
		}
	}
	h.minutes = append(h.minutes, v)
	h.logs = append(h.logs, minuteLog{})
	h.log(sample, true)
	if len(h.minutes) > HistoryMinutes {
		h.minutes = h.minutes[len(h.minutes)-HistoryMinutes:]
		h.logs = h.logs[len(h.logs)-HistoryMinutes:]
	}
	h.last = minute
}

// log logs a sample in the newest minute's log: the queues' counts, all of
// them when all.
func (h *minuteHistory) log(sample sampler, all bool) {
	if sample == nil || len(h.logs) == 0 {
		return
	}
	l := &h.logs[len(h.logs)-1]
	from := len(l.counts)
	sample(l, all)
	if all || len(l.counts) > from { // a sample that changed nothing has the value of the one before
		l.ends = append(l.ends, int32(len(l.counts)))
	}
}

// cut is log l with the counts of the queues in holds only.
func (l *minuteLog) cut(in func(queue string) bool) minuteLog {
	var out minuteLog
	from := 0
	for _, end := range l.ends {
		for _, c := range l.counts[from:end] {
			if in(c.queue) {
				out.counts = append(out.counts, c)
			}
		}
		out.ends = append(out.ends, int32(len(out.counts)))
		from = int(end)
	}
	return out
}

// values are the minutes kept, oldest first, in a slice of their own.
func (h *minuteHistory) values() []int { return append([]int(nil), h.minutes...) }

// waitChangedKept is how many queues' changes Board.waitChanged may have
// held and still be cleared for the next sample rather than made anew.
const waitChangedKept = 64

// waitChangedIn notes that queue id's calls waiting changed.
func (b *Board) waitChangedIn(id string) {
	if b.waitChanged == nil {
		b.waitChanged = map[string]bool{}
	}
	b.waitChanged[id] = true
}

// sampleQueues is the board's sampler (minuteHistory.log): every queue
// with calls waiting for a minute's first sample; else those whose calls
// waiting changed since the last sample logged, every queue's after their
// counts were made again (a queue gone counts none).
func (b *Board) sampleQueues(l *minuteLog, all bool) {
	from := len(l.counts)
	switch {
	case all:
		for id, q := range b.queues {
			if q.waiting > 0 {
				l.counts = append(l.counts, queueCount{id, q.waiting})
			}
		}
	case b.waitAll:
		for id, q := range b.queues {
			l.counts = append(l.counts, queueCount{id, q.waiting})
		}
		for id := range b.waitChanged {
			if b.queues[id] == nil {
				l.counts = append(l.counts, queueCount{id, 0})
			}
		}
	default:
		for id := range b.waitChanged {
			n := 0
			if q := b.queues[id]; q != nil {
				n = q.waiting
			}
			l.counts = append(l.counts, queueCount{id, n})
		}
	}
	slices.SortFunc(l.counts[from:], func(x, y queueCount) int { return strings.Compare(x.queue, y.queue) })
	if len(b.waitChanged) > waitChangedKept {
		b.waitChanged = nil // a cleared map keeps its size, and every range over it walks it
	} else {
		clear(b.waitChanged)
	}
	b.waitAll = false
}
