package state

import (
	"syscall"
	"time"
	"unsafe"
)

// threadCPU is the CPU time the calling OS thread has used, and whether it
// could be read: on a machine shared with other work, what a benchmark
// costs, apart from the time it waits for a core. It is the scheduler's
// own count, to the nanosecond (CLOCK_THREAD_CPUTIME_ID): getrusage's
// RUSAGE_THREAD counts in ticks of the clock, too coarse for a view that
// takes a fraction of a millisecond.
func threadCPU() (time.Duration, bool) {
	const clockThreadCPUTime = 3 // CLOCK_THREAD_CPUTIME_ID
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0, false
	}
	return time.Duration(ts.Nano()), true
}
