package state

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"callboard/feed"
)

// BenchmarkViewAtDefaultCaps is a board full to the default caps (20,000
// agents, 2,000 queues, 2,000 trunks met by id, each queue and trunk with
// a call that came and went, each agent by a logout): the heap it holds
// after a collection (heap-MB) and a view of it a second, as the hub takes
// one when nothing happens (cpu-ms/view: the CPU time of the goroutine's
// thread per view, on Linux). The README's figures for a board at its caps
// are these.
func BenchmarkViewAtDefaultCaps(b *testing.B) {
	const agents, queues, trunks = 20_000, 2_000, 2_000
	before := heapAfterGC()
	board, now := liveBoard(), t0
	apply := func(kind feed.Kind, name string, msg feed.Msg) {
		board.Apply(&feed.Event{Received: now, Update: feed.Update{Kind: kind, Name: name, Msg: msg}}, now)
	}
	for i := range agents {
		now = t0.Add(time.Duration(i) * time.Minute / agents)
		id := feed.Text(fmt.Sprint(i))
		if i < queues {
			apply(feed.KindQueue, "insert_call", feed.Msg{Queue: "q" + id, Call: id})
			apply(feed.KindQueue, "delete_call", feed.Msg{Queue: "q" + id, Call: id})
		}
		if i < trunks {
			apply(feed.KindTrunk, "insert_call", feed.Msg{Trunk: "t" + id, Call: id})
			apply(feed.KindTrunk, "delete_call", feed.Msg{Trunk: "t" + id, Call: id})
		}
		apply(feed.KindUI, "logout", feed.Msg{Operator: "a" + id})
	}
	board.View(now)
	heap := heapAfterGC() - before
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	b.ResetTimer()
	start := cpu()
	for b.Loop() {
		now = now.Add(time.Second)
		board.View(now)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/view")
	b.ReportMetric(float64((cpu()-start).Microseconds())/1e3/float64(b.N), "cpu-ms/view")
	b.ReportMetric(float64(heap)/1e6, "heap-MB")
	runtime.KeepAlive(board)
}

// liveBoard is a board in UTC whose feed is live at t0.
func liveBoard() *Board {
	board := New(Options{Location: time.UTC}, t0)
	board.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	return board
}

// heapAfterGC is the heap in use after a collection.
func heapAfterGC() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
