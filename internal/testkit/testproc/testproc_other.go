//go:build !unix

package testproc

import "os/exec"

// ownGroup: this system has no process groups to kill whole.
func ownGroup(*exec.Cmd) {}

// dieWithParent: this system has no parent-death signal.
func dieWithParent(*exec.Cmd) {}

// KillGroup kills cmd.
func KillGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		cmd.Process.Kill()
	}
}
