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

	"callboard/cli"
)

func main() {
	cli.TuneRuntime(os.Args[1:], os.Getenv)
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
