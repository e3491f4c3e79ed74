package state

import (
	"fmt"
	"reflect"
	"testing"
	"time"
	"unsafe"
)

// TestCallRecordsAreSmall: a call record, kept for every call of the day,
// fits the allocator's 112-byte class (it took 176 with its times as
// time.Time).
func TestCallRecordsAreSmall(t *testing.T) {
	if size := unsafe.Sizeof(callRecord{}); size > 112 {
		t.Errorf("a call record takes %d bytes, want at most 112", size)
	}
}

// TestRecordTimesReadBackAsTheyWereSet: each of a record's times reads back
// as the time.Time it was set to, field by field (its instant and its
// location), whatever its zone (UTC, the board's, Local, others, more of
// them than a board keeps) or its date (beyond int64 nanoseconds' range),
// the others kept as they were; the zero time too. Only a monotonic clock
// reading is not kept.
func TestRecordTimesReadBackAsTheyWereSet(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.FixedZone("CET", 3600)
	}
	b := New(Options{Location: paris}, t0)
	base := time.Date(2026, 3, 2, 9, 30, 15, 123456789, time.UTC)
	times := []time.Time{
		{}, base, base.In(paris), base.In(time.Local), time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC),
		time.Date(1600, 1, 1, 0, 0, 0, 1, time.UTC), time.Date(2300, 12, 31, 23, 59, 59, 999, paris),
		time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC), time.Unix(0, 1<<62).In(paris),
	}
	var zones []time.Time
	for i := range 300 { // more zones than a board keeps
		zones = append(zones, base.Add(time.Duration(i)*time.Minute).In(time.FixedZone(fmt.Sprint("Z", i), (i%24)*3600)))
	}
	for _, seq := range [][]time.Time{append(times, time.Now()), append(zones, time.Now())} { // a monotonic reading aside
		r := &callRecord{}
		want := [recordTimeCount]time.Time{}
		for i, tm := range seq {
			which := recordTime(i % int(recordTimeCount))
			b.setTime(r, which, tm)
			want[which] = tm.Round(0)
			for w := range recordTimeCount {
				got := b.recordTime(r, w)
				if !reflect.DeepEqual(got, want[w]) || got.Location() != want[w].Location() {
					t.Fatalf("after setting %v (#%d) as time %d: time %d reads %v (%v), want %v (%v)", tm, i, which, w, got, got.Location(), want[w], want[w].Location())
				}
				if r.hasTime(w) == want[w].IsZero() {
					t.Fatalf("time %d: hasTime %v for %v", w, r.hasTime(w), want[w])
				}
			}
		}
		if r.far == nil {
			t.Errorf("the times did not reach past what is kept compactly")
		}
	}
	if len(b.zones) != maxZones {
		t.Errorf("%d zones kept, want %d", len(b.zones), maxZones)
	}
	compact := &callRecord{}
	b2 := New(Options{Location: paris}, t0)
	b2.setTime(compact, timeEntered, base.In(paris))
	b2.setTime(compact, timeEnded, base)
	if compact.far != nil || len(b2.zones) != 2 {
		t.Errorf("two times of two zones: far %v, %d zones, want them kept compactly in 2", compact.far != nil, len(b2.zones))
	}
}
