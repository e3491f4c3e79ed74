package journal_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// BenchmarkBusyDayCompressed compresses the busy day's file as the
// journal does once the day has closed: MB/day compressed, the ratio, and
// the CPU and peaks of the compression.
//
//	CALLBOARD_BUSYDAY=big CALLBOARD_BUSYDAY_CACHE=/tmp/busyday go test ./journal -run '^$' -bench BusyDayCompressed -benchtime 1x
func BenchmarkBusyDayCompressed(b *testing.B) {
	_, day, _ := busyday.ForBenchmark(b, false)
	src := day.Paths[len(day.Paths)-1]
	name := filepath.Base(src)
	plain, err := os.Stat(src)
	if err != nil {
		b.Fatal(err)
	}
	var compressed int64
	var peak busyday.Peak
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		data, err := os.ReadFile(src)
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			b.Fatal(err)
		}
		data = nil
		b.StartTimer()
		peaks := busyday.Watch()
		if err := journal.CompressDay(dir, strings.TrimSuffix(name, ".jsonl")); err != nil {
			b.Fatal(err)
		}
		peak = peaks.Stop()
		fi, err := os.Stat(filepath.Join(dir, name+".zst"))
		if err != nil {
			b.Fatal(err)
		}
		compressed = fi.Size()
	}
	peak.Report(b)
	b.ReportMetric(float64(compressed)/1e6, "MB/day")
	b.ReportMetric(float64(plain.Size())/float64(compressed), "times-smaller")
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

// BenchmarkBusyDayCheckpointAt20 is what the checkpoint of the busy
// day's board at 20:00 (the day before in the journal, replayed as a
// restart replays it) costs: the board's state copied on the hub's
// goroutine (copy-ms, all the hub waits for), the copy encoded (encode-ms,
// on the journal writer's goroutine), its size (MB), the journal's writer
// writing it beside the day file (write-ms: written whole, fsynced,
// renamed, the directory fsynced, as Close writes it, with its end line),
// and loading it again (load-ms, what a restart then pays).
//
//	CALLBOARD_BUSYDAY=big CALLBOARD_BUSYDAY_CACHE=/tmp/busyday go test ./journal -run '^$' -bench BusyDayCheckpointAt20 -benchtime 5x
func BenchmarkBusyDayCheckpointAt20(b *testing.B) {
	dir, _, _ := busyday.ForBenchmark(b, true)
	at := time.Date(busyday.Date.Year(), busyday.Date.Month(), busyday.Date.Day(), 20, 0, 0, 0, busyday.Location)
	opts := busyday.CheckpointOptions(busyday.Location)
	board, err := busyday.BoardAt(dir, busyday.Location, at, opts)
	if err != nil {
		b.Fatal(err)
	}
	out := b.TempDir()
	var copying, encode, write, load time.Duration
	var size int
	for b.Loop() {
		b.StopTimer()
		w, err := journal.Open(journal.Config{Dir: out, Location: busyday.Location}, at)
		if err != nil {
			b.Fatal(err)
		}
		w.Record(feed.NotRunning(at))
		b.StartTimer()
		began := time.Now()
		taken := board.CopyForCheckpoint()
		copying += time.Since(began)
		began = time.Now()
		var buf bytes.Buffer
		if _, err := taken.WriteTo(&buf); err != nil {
			b.Fatal(err)
		}
		encode += time.Since(began)
		size = buf.Len()
		began = time.Now()
		w.Checkpoint(buf.Bytes(), at, nil)
		if err := w.Close(at); err != nil {
			b.Fatal(err)
		}
		write += time.Since(began)
		began = time.Now()
		day := at.Format(time.DateOnly)
		if ck, ignored := journal.NewestCheckpoint(out, day, day, opts); ck == nil || ignored > 0 {
			b.Fatalf("the checkpoint written is not read back (%d ignored)", ignored)
		}
		load += time.Since(began)
	}
	n := float64(b.N)
	b.ReportMetric(float64(copying.Microseconds())/1e3/n, "copy-ms")
	b.ReportMetric(float64(encode.Microseconds())/1e3/n, "encode-ms")
	b.ReportMetric(float64(write.Microseconds())/1e3/n, "write-ms")
	b.ReportMetric(float64(load.Microseconds())/1e3/n, "load-ms")
	b.ReportMetric(float64(size)/1e6, "MB")
}
