package state

import (
	"runtime"
	"slices"
	"testing"
	"time"
)

// bigDay is a 5,000-agent, 200-queue day from 07:00 to 20:00: ~150,000
// calls, ~25,000 abandoned.
func bigDay() *busyDay {
	from := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)
	return newBusyDay(1, busyDayShape{agents: 5000, queues: 200, from: from, to: from.Add(13 * time.Hour), callEvery: 310 * time.Millisecond, abandonOneIn: 6})
}

// cpu is threadCPU, 0 where it cannot be read.
func cpu() time.Duration {
	d, _ := threadCPU()
	return d
}

// keptLostView is b's view at now as Board.View made it when the views
// kept the rows of the calls lost today and nothing else: every
// interval's row made again (its queues' rows kept while unchanged, as
// they were), the calls waiting, in progress and stale counted again from
// every call.
func keptLostView(b *Board, now time.Time) *View {
	b.Tick(now)
	asOf := b.AsOf(now)
	queues, _ := queuesFromScratch(b, asOf)
	return &View{
		Now: now, AsOf: asOf,
		Agents: b.Agents(asOf), Queues: queues, Trunks: b.Trunks(), Events: b.Events(),
		Totals: totalsFromScratch(b, asOf), Feed: b.Feed(), Day: b.Day(),
		Calls:           Calls{Waiting: waitingFromScratch(b, asOf), Abandoned: b.views.lost.view(b)},
		WaitingLastHour: b.waited.values(),
		Intervals:       b.intervalRows(asOf, b.intervalQueues),
	}
}

// BenchmarkViewOldAndNew takes views of a big day at 08:00 and at 20:00,
// made from scratch (old: referenceView, every lost call's and interval's
// row made again, every call counted again), as Board.View made them when
// it kept the rows of the lost calls only (kept-lost: keptLostView), and
// as Board.View makes them (new), alternating one of each per iteration:
// old-ms, kept-lost-ms and new-ms are the medians of each, the -cpu-ms
// ones the medians of the CPU time they took (on Linux; on a machine
// shared with other work the wall time counts the waits for a core).
// Playing the day to 20:00 takes a while first.
func BenchmarkViewOldAndNew(b *testing.B) {
	d := bigDay()
	p := newPlayer(d, Options{Location: time.UTC})
	day := d.updates[0].at
	for _, point := range []struct {
		name    string
		at      time.Time
		reached bool // a lost caller is reached before each view: the kept rows are copied (not for old's)
	}{{"08h00", day.Add(time.Hour), false}, {"20h00", day.Add(13 * time.Hour), false}, {"20h00-a-caller-reached", day.Add(13 * time.Hour), true}} {
		at := point.at
		p.playTo(at)
		p.b.View(at) // the views' rows of the day so far made once
		b.Run(point.name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			ways := []struct {
				name      string
				view      func(*Board, time.Time) *View
				wall, cpu []time.Duration
			}{{name: "old", view: referenceView}, {name: "kept-lost", view: keptLostView}, {name: "new", view: (*Board).View}}
			for i := 0; b.Loop(); i++ {
				for k := range ways {
					w := &ways[(i+k)%len(ways)] // each first in turn
					// a caller reached before each view: each pays for it
					if point.reached {
						a := p.b.abandoned[(i*len(ways)+k)%len(p.b.abandoned)]
						a.reached = ReachedCalledBack
						p.b.views.lost.reachedChanged(a)
					}
					start, startCPU := time.Now(), cpu()
					_ = w.view(p.b, at)
					w.wall, w.cpu = append(w.wall, time.Since(start)), append(w.cpu, cpu()-startCPU)
				}
			}
			median := func(ds []time.Duration) float64 {
				slices.Sort(ds)
				return float64(ds[len(ds)/2]) / float64(time.Millisecond)
			}
			for _, w := range ways {
				b.ReportMetric(median(w.wall), w.name+"-ms")
				if _, ok := threadCPU(); ok {
					b.ReportMetric(median(w.cpu), w.name+"-cpu-ms")
				}
			}
			b.ReportMetric(float64(len(p.b.abandoned)), "lost-calls")
		})
	}
}
