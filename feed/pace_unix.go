//go:build unix

package feed

import "syscall"

const canSetRcvLowat = true

func setRcvLowat(fd uintptr, bytes int) {
	syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVLOWAT, bytes)
}
