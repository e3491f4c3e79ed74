//go:build unix

// Package testproc starts the processes a test runs (servers, the built
// binary) so that they end with the test: each in a process group of its
// own, killed whole by the test's cleanup, and on Linux killed by the
// kernel when the test binary dies without its cleanups (a panic in a
// parallel test, a -timeout). Only tests import it.
package testproc

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// Start starts cmd in a process group of its own and kills the group when
// t ends. The caller still waits for cmd.
func Start(t testing.TB, cmd *exec.Cmd) error {
	t.Helper()
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	dieWithParent(cmd.SysProcAttr)
	if err := cmd.Start(); err != nil {
		return err
	}
	t.Cleanup(func() { KillGroup(cmd) })
	return nil
}

// Session readies cmd, which a pty starts in a session of its own (whose
// group is its pid), to die with the test binary, and kills its group when
// t ends. Call it before pty.Start.
func Session(t testing.TB, cmd *exec.Cmd) {
	t.Helper()
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	dieWithParent(cmd.SysProcAttr)
	t.Cleanup(func() { KillGroup(cmd) })
}

// KillGroup kills the process group cmd leads: cmd and what it started.
// Once cmd was waited for, its pid may be another's: nothing is killed.
func KillGroup(cmd *exec.Cmd) {
	if cmd.Process == nil || cmd.Process.Pid <= 0 || errors.Is(cmd.Process.Signal(syscall.Signal(0)), os.ErrProcessDone) {
		return
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
