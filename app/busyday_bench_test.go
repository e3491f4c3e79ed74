package app

import (
	"fmt"
	"testing"
	"time"

	"callboard/internal/testkit/busyday"
	"callboard/state"
)

// The restart of a headless board at the end of a busy day: the
// journal's keeper gives the day kept to a hub, timed until the hub's
// first view (the day's figures). The day is busyday's, sized by
// CALLBOARD_BUSYDAY (see busyday.FromEnv); s/restart and the peaks are
// the README's figures (cpu-s/op, the CPU time of the process, says how
// much of the time was the machine's other load):
//
//	CALLBOARD_BUSYDAY=big CALLBOARD_BUSYDAY_CACHE=/tmp/busyday go test ./app -run '^$' -bench BusyDay -benchtime 1x
func BenchmarkRestartBusyDay(b *testing.B) { benchRestart(b, false, false) }

// BenchmarkRestartBusyDayWithYesterday is the restart with the day before
// in the journal too (a restart replays from its start).
func BenchmarkRestartBusyDayWithYesterday(b *testing.B) { benchRestart(b, true, false) }

// BenchmarkRestartBusyDayFromCheckpointAlone is the restart from the
// checkpoint of the day's stop, the day before in the journal, alone in
// its process: with -benchtime 1x, the peaks of a restarted process.
func BenchmarkRestartBusyDayFromCheckpointAlone(b *testing.B) { benchRestart(b, true, true) }

func benchRestart(b *testing.B, yesterday, checkpoints bool) {
	dir, day, _ := busyday.ForBenchmarkOf(b, yesterday, checkpoints)
	now := day.End.Add(time.Second / 2)
	peaks := busyday.Watch()
	var v *state.View
	for b.Loop() {
		var err error
		if v, err = busyday.Restart(dir, busyday.Location, now, busyday.CheckpointOptions(busyday.Location)); err != nil {
			b.Fatal(err)
		}
	}
	peaks.Stop().Report(b)
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/restart")
	if checkpoints != !v.Journal.Checkpoint.IsZero() || v.Journal.CheckpointsIgnored > 0 {
		b.Fatalf("restarted from %+v", v.Journal)
	}
	if answered := answeredOf(v); answered < day.Answered*9/10 {
		b.Fatalf("the view after the restart has %d calls answered, the day %d", answered, day.Answered)
	}
}

// BenchmarkRestartBusyDayFromCheckpoint is the restart at the end of the
// busy day from the checkpoint callboard took as it stopped, beside the
// restart from the day's first line (the same day files, no checkpoint),
// run in turn (busyday.Alternate): ckpt-* and whole-* are the medians of
// each. The day before is in the journal under /yesterday.
//
//	CALLBOARD_BUSYDAY=big CALLBOARD_BUSYDAY_CACHE=/tmp/busyday go test ./app -run '^$' -bench RestartBusyDayFromCheckpoint -benchtime 1x
func BenchmarkRestartBusyDayFromCheckpoint(b *testing.B) {
	for _, yesterday := range []bool{false, true} {
		b.Run(fmt.Sprintf("yesterday=%v", yesterday), func(b *testing.B) {
			ck, day, _ := busyday.ForBenchmarkOf(b, yesterday, true)
			whole, _, _ := busyday.ForBenchmarkOf(b, yesterday, false)
			now := day.End.Add(time.Second / 2)
			opts := busyday.CheckpointOptions(busyday.Location)
			var fromCk, fromStart *state.View
			restart := func(dir string, v **state.View) func() error {
				return func() (err error) {
					*v, err = busyday.Restart(dir, busyday.Location, now, opts)
					return err
				}
			}
			for b.Loop() {
				busyday.Alternate(b, busyday.Rounds,
					busyday.Way{Name: "ckpt", Run: restart(ck, &fromCk)},
					busyday.Way{Name: "whole", Run: restart(whole, &fromStart)})
			}
			if j := fromCk.Journal; j.Checkpoint.IsZero() || j.CheckpointsIgnored > 0 || !fromStart.Journal.Checkpoint.IsZero() {
				b.Fatalf("restarted from %+v, the whole day from %+v", j, fromStart.Journal)
			}
			if a, w := answeredOf(fromCk), answeredOf(fromStart); a != w || a < day.Answered*9/10 {
				b.Fatalf("%d calls answered from the checkpoint, %d from the start, the day %d", a, w, day.Answered)
			}
		})
	}
}

func answeredOf(v *state.View) int {
	n := 0
	for _, q := range v.Queues {
		n += q.Answered
	}
	return n
}
