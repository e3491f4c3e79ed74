package app

import (
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
func BenchmarkRestartBusyDay(b *testing.B) { benchRestart(b, false) }

// BenchmarkRestartBusyDayWithYesterday is the restart with the day before
// in the journal too (a restart replays from its start).
func BenchmarkRestartBusyDayWithYesterday(b *testing.B) { benchRestart(b, true) }

func benchRestart(b *testing.B, yesterday bool) {
	dir, day, _ := busyday.ForBenchmark(b, yesterday)
	now := day.End.Add(time.Second / 2)
	peaks := busyday.Watch()
	var v *state.View
	for b.Loop() {
		var err error
		if v, err = busyday.Restart(dir, busyday.Location, now, state.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	peaks.Stop().Report(b)
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/restart")
	answered := 0
	for _, q := range v.Queues {
		answered += q.Answered
	}
	if answered < day.Answered*9/10 {
		b.Fatalf("the view after the restart has %d calls answered, the day %d", answered, day.Answered)
	}
}
