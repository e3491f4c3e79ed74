//go:build !unix

package testproc

import (
	"os/exec"
	"testing"
)

// Start starts cmd and kills it when t ends: this system has no process
// groups to kill whole.
func Start(t testing.TB, cmd *exec.Cmd) error {
	t.Helper()
	if err := cmd.Start(); err != nil {
		return err
	}
	t.Cleanup(func() { KillGroup(cmd) })
	return nil
}

// Session kills cmd when t ends.
func Session(t testing.TB, cmd *exec.Cmd) {
	t.Helper()
	t.Cleanup(func() { KillGroup(cmd) })
}

// KillGroup kills cmd.
func KillGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		cmd.Process.Kill()
	}
}
