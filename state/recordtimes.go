package state

import (
	"math"
	"time"
)

// A call record's four times are kept in 40 bytes instead of 96: each as
// its Unix nanoseconds and its zone's index in the board's zones (most
// boards meet one or two: the board's, UTC), so that the day's records
// (some 230,000 by the evening of a busy day) take 112 bytes each, not 176
// (TestCallRecordsAreSmall).
// A time read back is the instant and the location it was set with; its
// monotonic clock reading, if it had one, is not kept (as in a checkpoint).

// recordTime names one of a call record's times.
type recordTime int

const (
	timeEntered recordTime = iota
	timeAnswered
	timeEnded
	timeLost // when the call was last heard of, once the board lost sight of it
	recordTimeCount
)

// recordTimes are a call record's times. Its fields are the record's own
// (embedded), so that they pack with its flags.
type recordTimes struct {
	nanos [recordTimeCount]int64 // Unix nanoseconds, where zone is not 0
	// far holds all four times as they are once one could not be kept in
	// nanos and zone: an instant out of int64 nanoseconds' range (before
	// 1678, after 2262), or a location beyond the zones a board keeps.
	far *[recordTimeCount]time.Time
}

// maxZones bounds Board.zones: zone's index must fit in a byte.
const maxZones = math.MaxUint8

// nanoRange is the instants whose Unix nanoseconds fit in an int64.
var nanoRange = [2]time.Time{time.Unix(0, math.MinInt64), time.Unix(0, math.MaxInt64)}

// zoneOf is 1 + loc's index in b.zones, added when new; 0 when b.zones is
// full.
func (b *Board) zoneOf(loc *time.Location) uint8 {
	for i, z := range b.zones {
		if z == loc {
			return uint8(i + 1)
		}
	}
	if len(b.zones) >= maxZones {
		return 0
	}
	b.zones = append(b.zones, loc)
	return uint8(len(b.zones))
}

// setTime sets record r's time which to t.
func (b *Board) setTime(r *callRecord, which recordTime, t time.Time) {
	t = t.Round(0) // its monotonic reading, which no figure reads
	if r.far != nil {
		r.far[which] = t
		return
	}
	if t.IsZero() {
		r.nanos[which], r.zone[which] = 0, 0
		return
	}
	if z := b.zoneOf(t.Location()); z != 0 && !t.Before(nanoRange[0]) && !t.After(nanoRange[1]) {
		r.nanos[which], r.zone[which] = t.UnixNano(), z
		return
	}
	far := new([recordTimeCount]time.Time)
	for i := range far {
		far[i] = b.recordTime(r, recordTime(i))
	}
	far[which] = t
	r.far = far
}

// recordTime is record r's time which, zero when not set.
func (b *Board) recordTime(r *callRecord, which recordTime) time.Time {
	return r.time(which, b.zones)
}

// time is r's time which, zero when not set, its zone one of zones (the
// board's zones, or a copy of them).
func (r *callRecord) time(which recordTime, zones []*time.Location) time.Time {
	switch {
	case r.far != nil:
		return r.far[which]
	case r.zone[which] == 0:
		return time.Time{}
	}
	return time.Unix(0, r.nanos[which]).In(zones[r.zone[which]-1])
}

// hasTime reports whether record r's time which is set (not zero).
func (r *callRecord) hasTime(which recordTime) bool {
	if r.far != nil {
		return !r.far[which].IsZero()
	}
	return r.zone[which] != 0
}
