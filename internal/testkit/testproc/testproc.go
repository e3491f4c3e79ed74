// Package testproc starts the processes a test runs (servers, the built
// binary) so that they end with the test: each in a process group of its
// own, killed whole by the test's cleanup, and on Linux killed by the
// kernel when the test binary dies without its cleanups (a panic in a
// goroutine, a -timeout). Only tests import it.
package testproc

import (
	"os/exec"
	"testing"
)

// Start starts cmd in a process group of its own and kills the group when
// t ends. The caller still waits for cmd.
func Start(t testing.TB, cmd *exec.Cmd) error {
	t.Helper()
	ownGroup(cmd)
	if err := cmd.Start(); err != nil {
		return err
	}
	t.Cleanup(func() { KillGroup(cmd) })
	return nil
}

// Session readies cmd, which a pty starts in a session of its own (whose
// group is its pid), to die with the test binary, and kills its group when
// t ends. Call it before starting cmd.
func Session(t testing.TB, cmd *exec.Cmd) {
	t.Helper()
	dieWithParent(cmd)
	t.Cleanup(func() { KillGroup(cmd) })
}
