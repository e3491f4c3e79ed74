package state

import (
	"testing"
	"time"

	"callboard/feed"
)

// BenchmarkApplyWithAlerts5000Agents measures applying an update to a
// board of 5,000 agents in 200 queues with every alert rule set: the
// alerts evaluated before and after it.
func BenchmarkApplyWithAlerts5000Agents(b *testing.B) {
	for _, c := range []struct {
		name string
		opts Options
	}{{"none", Options{}}, {"all", alertOptions(time.UTC)}} {
		b.Run(c.name, func(b *testing.B) {
			board, now := bigBoard()
			board.opts.Limits, board.opts.QueueLimits = c.opts.Limits, c.opts.QueueLimits
			board.limitsSet = board.opts.Limits.set()
			board.initAlerts()
			payloads := benchPayloads()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				p := payloads[i%len(payloads)]
				u, err := feed.Decode(p)
				now = now.Add(time.Millisecond)
				board.Apply(&feed.Event{Raw: p, Update: u, Err: err}, now)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
