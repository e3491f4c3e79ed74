//go:build unix

package tui

import (
	"os"
	"syscall"
)

// sizeChanged is the signal a terminal's size change sends.
var sizeChanged os.Signal = syscall.SIGWINCH
