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

// scratchView is b's view at now as Board.View made it before the views
// kept the rows of the calls lost today: every one made again, its caller
// masked again (the intervals are made as they were).
func scratchView(b *Board, now time.Time) *View {
	v := b.View(now)
	v.Calls.Abandoned = abandonedFromScratch(b)
	return v
}

// BenchmarkViewOldAndNew takes views of a big day at 08:00 and at 20:00,
// made from scratch (old) and as Board.View makes them (new), alternating
// one of each per iteration: old-ms and new-ms are the medians of each,
// old-cpu-ms and new-cpu-ms the medians of the CPU time they took (on
// Linux; on a machine shared with other work the wall time counts the
// waits for a core). Playing the day to 20:00 takes a while first.
func BenchmarkViewOldAndNew(b *testing.B) {
	d := bigDay()
	p := newPlayer(d, Options{Location: time.UTC})
	day := d.updates[0].at
	for _, point := range []struct {
		name    string
		at      time.Time
		reached bool // a lost caller is reached before each view: the kept rows are copied
	}{{"08h00", day.Add(time.Hour), false}, {"20h00", day.Add(13 * time.Hour), false}, {"20h00-a-caller-reached", day.Add(13 * time.Hour), true}} {
		at := point.at
		p.playTo(at)
		p.b.View(at) // the views' rows of the day so far made once
		b.Run(point.name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			var old, now, oldCPU, nowCPU []time.Duration
			for i := 0; b.Loop(); i++ {
				if point.reached {
					a := p.b.abandoned[i%len(p.b.abandoned)]
					a.reached = ReachedCalledBack
					p.b.views.lost.reachedChanged(a)
				}
				start, startCPU := time.Now(), cpu()
				_ = scratchView(p.b, at)
				mid, midCPU := time.Now(), cpu()
				_ = p.b.View(at)
				end, endCPU := time.Now(), cpu()
				old, now = append(old, mid.Sub(start)), append(now, end.Sub(mid))
				oldCPU, nowCPU = append(oldCPU, midCPU-startCPU), append(nowCPU, endCPU-midCPU)
			}
			median := func(ds []time.Duration) float64 {
				slices.Sort(ds)
				return float64(ds[len(ds)/2]) / float64(time.Millisecond)
			}
			b.ReportMetric(median(old), "old-ms")
			b.ReportMetric(median(now), "new-ms")
			if _, ok := threadCPU(); ok {
				b.ReportMetric(median(oldCPU), "old-cpu-ms")
				b.ReportMetric(median(nowCPU), "new-cpu-ms")
			}
			b.ReportMetric(float64(len(p.b.abandoned)), "lost-calls")
		})
	}
}
