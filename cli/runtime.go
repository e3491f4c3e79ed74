package cli

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// TuneRuntime sets the runtime for the command of args, each setting
// unless getenv says the environment made it:
//   - the collector at twice the live heap (GOGC 200): the board's heap is
//     long-lived state and a stream of short-lived events, and collecting
//     at twice the live heap instead of once saves about a sixth of the
//     CPU of a flood; serve sets its own (tuneMemory);
//   - for the commands of one stream, a soft memory limit that keeps a big
//     center's board near its live heap (memoryLimitFor, kept after each
//     collection), unless GOGC or GOMEMLIMIT is set;
//   - one processor for the commands of one stream: a second does no work
//     of its own, it only spins and wakes threads for the reads (a fifth of
//     the CPU of a flood, and no faster).
func TuneRuntime(args []string, getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(200)
		if getenv("GOMEMLIMIT") == "" && OneStream(args) {
			afterEachCollection(func() { debug.SetMemoryLimit(memoryLimitFor(liveHeap())) })
		}
	}
	if getenv("GOMAXPROCS") == "" && OneStream(args) {
		runtime.GOMAXPROCS(1)
	}
}

// memoryFloor is the soft memory limit of a board whose live heap is
// small: up to a third of it, the heap grows to three times what is live
// (GOGC 200) as it would without a limit.
const memoryFloor = 128 << 20

// memoryLimitFor is the soft memory limit of a board whose heap holds
// live bytes after a collection: memoryFloor, or twice live when that is
// more. A busy center's board at 20:00 (some 50 MB live) is collected at
// 128 MiB instead of 150 MB; a board beyond 64 MB live is collected at
// twice its live heap (as at GOGC 100), never held under what it needs,
// where a fixed limit would have the collector run without end.
func memoryLimitFor(live uint64) int64 {
	return max(memoryFloor, 2*int64(min(live, 1<<61)))
}

// liveHeap is the heap's bytes found live by the last collection.
func liveHeap() uint64 {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return sample[0].Value.Uint64()
}

// afterEachCollection runs f on the finalizer goroutine after each
// collection of the process: it wakes nobody between collections.
func afterEachCollection(f func()) {
	f()
	runtime.SetFinalizer(&collectionSentinel{f: f}, collected)
}

// collectionSentinel is an object nothing refers to: each collection
// finds it unreachable and runs its finalizer, which sets itself again.
type collectionSentinel struct{ f func() }

func collected(s *collectionSentinel) {
	s.f()
	runtime.SetFinalizer(s, collected)
}
