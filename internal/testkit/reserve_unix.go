//go:build unix

package testkit

import (
	"fmt"
	"syscall"
	"testing"
)

// reservePort is a loopback address, 127.0.0.1:port, whose port is bound
// by a socket that does not listen, until the test ends: a connection to
// it is refused, and no listener is given the port meanwhile (a listener
// closed to free its port left it to the next that asked for one: a test
// beside it was given it, and "refused" became "reset").
func reservePort(t testing.TB) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("127.0.0.1:%d", sa.(*syscall.SockaddrInet4).Port)
}
