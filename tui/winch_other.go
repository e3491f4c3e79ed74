//go:build !unix

package tui

import "os"

// sizeChanged is nil where no signal tells a terminal's size change: the
// size is read at the start only.
var sizeChanged os.Signal
