package state_test

import (
	"testing"
	"time"

	"callboard/internal/testkit/busyday"
	"callboard/state"
)

// BenchmarkBusyDayAt is the board of a busy day (with the day before)
// replayed up to 08:00 and to 20:00, as a restart replays it: what a view
// costs then (ms/view, a view a second as the hub takes one when idle),
// the heap left live (live-heap-MB), and the peaks of the replay up to
// then (peak-heap-MB, peak-RSS-MB) and its CPU time (replay-cpu-s). The day is busyday's, sized by
// CALLBOARD_BUSYDAY (see busyday.FromEnv):
//
//	CALLBOARD_BUSYDAY=big CALLBOARD_BUSYDAY_CACHE=/tmp/busyday go test ./state -run '^$' -bench BusyDayAt
func BenchmarkBusyDayAt(b *testing.B) {
	dir, _, _ := busyday.ForBenchmark(b, true)
	for _, hour := range []int{8, 20} {
		at := time.Date(busyday.Date.Year(), busyday.Date.Month(), busyday.Date.Day(), hour, 0, 0, 0, busyday.Location)
		b.Run(at.Format("15:04"), func(b *testing.B) {
			peaks := busyday.Watch()
			board, err := busyday.BoardAt(dir, busyday.Location, at, state.Options{})
			if err != nil {
				b.Fatal(err)
			}
			peak, live := peaks.Stop(), busyday.LiveHeapMB()
			now := at
			for b.Loop() {
				now = now.Add(time.Second)
				board.Tick(now)
				board.View(now)
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/view")
			b.ReportMetric(live, "live-heap-MB")
			b.ReportMetric(peak.HeapMB, "peak-heap-MB")
			b.ReportMetric(peak.RSSMB, "peak-RSS-MB")
			b.ReportMetric(peak.CPU.Seconds(), "replay-cpu-s")
		})
	}
}
