package journal_test

import (
	"os"
	"testing"

	"callboard/feed"
	"callboard/internal/testkit/busyday"
	"callboard/journal"
)

// BenchmarkBusyDayOnDisk says what a busy day takes on disk: MB/day (the
// day's file), bytes/line and updates/day. The day is busyday's, sized by
// CALLBOARD_BUSYDAY (see busyday.FromEnv):
//
//	CALLBOARD_BUSYDAY=big CALLBOARD_BUSYDAY_CACHE=/tmp/busyday go test ./journal -run '^$' -bench BusyDay -benchtime 1x
func BenchmarkBusyDayOnDisk(b *testing.B) {
	_, day, _ := busyday.ForBenchmark(b, false)
	var size int64
	for b.Loop() {
		fi, err := os.Stat(day.Paths[len(day.Paths)-1])
		if err != nil {
			b.Fatal(err)
		}
		size = fi.Size()
	}
	b.ReportMetric(float64(size)/1e6, "MB/day")
	b.ReportMetric(float64(size)/float64(day.Lines), "bytes/line")
	b.ReportMetric(float64(day.Updates), "updates/day")
	b.ReportMetric(float64(day.QueueCalls+day.TrunkCalls), "calls/day")
}

// BenchmarkBusyDayReplay reads the busy day through journal.Replay, as a
// restart reads it before applying it: s/replay, ns/line.
func BenchmarkBusyDayReplay(b *testing.B) {
	dir, day, _ := busyday.ForBenchmark(b, false)
	for b.Loop() {
		n := 0
		st, err := journal.Replay(dir, busyday.Location, busyday.Date, func(feed.Message) { n++ })
		if err != nil || st.Skipped != 0 || n < day.Updates {
			b.Fatalf("replayed %d messages, %+v, %v", n, st, err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/replay")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(day.Lines), "ns/line")
}
