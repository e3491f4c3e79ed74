//go:build unix && !linux

package testproc

import "syscall"

// dieWithParent: this system has no parent-death signal; the cleanup
// alone kills the group.
func dieWithParent(*syscall.SysProcAttr) {}
