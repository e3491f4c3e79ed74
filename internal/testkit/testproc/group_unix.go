//go:build unix

package testproc

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
)

// ownGroup has cmd start a process group of its own, dying with the test
// binary.
func ownGroup(cmd *exec.Cmd) {
	dieWithParent(cmd)
	cmd.SysProcAttr.Setpgid = true
}

// KillGroup kills the process group cmd leads: cmd and what it started.
// Once cmd was waited for, its pid may be another's: nothing is killed.
func KillGroup(cmd *exec.Cmd) {
	if cmd.Process == nil || cmd.Process.Pid <= 0 || errors.Is(cmd.Process.Signal(syscall.Signal(0)), os.ErrProcessDone) {
		return
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
