// Command callboard is a terminal wallboard for call centers that run on
// Axialys Voice Management: live agents, queues and trunks from the
// vendor's real-time notifications API.
//
//	callboard [--config FILE]             the board, on the configured service
//	callboard --demo                      the board, on a built-in simulator
//	callboard simulate --listen ADDR      the simulator alone
//	callboard snapshot | metrics | doctor | replay | report | serve
//
// The commands are in cli/, each a consumer of one application session
// (app/): the road from a source to the hub that owns the board, and the
// account's journal of the day.
package main

import (
	"os"
	"runtime"
	"runtime/debug"

	"callboard/cli"
)

func main() {
	// The board's heap is a few megabytes of long-lived state and a stream
	// of short-lived events: collecting at twice the live heap instead of
	// once costs a few megabytes and saves about a sixth of the CPU.
	debug.SetGCPercent(200)
	if os.Getenv("GOMAXPROCS") == "" && cli.OneStream(os.Args[1:]) {
		// One stream goes through one board: a second processor does no
		// work of its own, it only spins and wakes threads for the reads
		// (a fifth of the CPU of a flood, and no faster).
		runtime.GOMAXPROCS(1)
	}
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
