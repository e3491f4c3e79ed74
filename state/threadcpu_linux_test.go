package state

import (
	"syscall"
	"time"
)

// threadCPU is the CPU time the calling OS thread has used, and whether it
// could be read: on a machine shared with other work, what a benchmark
// costs, apart from the time it waits for a core.
func threadCPU() (time.Duration, bool) {
	const rusageThread = 1 // RUSAGE_THREAD
	var ru syscall.Rusage
	if syscall.Getrusage(rusageThread, &ru) != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
