//go:build !linux

package state

import "time"

// threadCPU is not read outside Linux.
func threadCPU() (time.Duration, bool) { return 0, false }
