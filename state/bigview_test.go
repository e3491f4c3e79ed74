package state

import (
	"testing"
	"time"
)

// bigDay is a 5,000-agent, 200-queue day from 07:00 to 20:00: ~150,000
// calls, ~25,000 abandoned.
func bigDay() *busyDay {
	from := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)
	return newBusyDay(1, busyDayShape{agents: 5000, queues: 200, from: from, to: from.Add(13 * time.Hour), callEvery: 310 * time.Millisecond, abandonOneIn: 6})
}

func BenchmarkViewBigDay(b *testing.B) {
	d := bigDay()
	p := newPlayer(d, Options{Location: time.UTC})
	for _, at := range []time.Time{d.updates[0].at.Add(time.Hour), d.updates[0].at.Add(13 * time.Hour)} {
		p.playTo(at)
		b.Run(at.Format("15h04"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = p.b.View(at)
			}
		})
	}
}
