//go:build unix && !linux

package testproc

import (
	"os/exec"
	"syscall"
)

// dieWithParent: this system has no parent-death signal; the cleanup
// alone kills the group.
func dieWithParent(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
}
