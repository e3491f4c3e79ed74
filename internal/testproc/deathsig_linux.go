package testproc

import "syscall"

// dieWithParent has the kernel kill the process when the test binary dies.
func dieWithParent(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
