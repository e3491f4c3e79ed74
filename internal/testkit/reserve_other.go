//go:build !unix

package testkit

import (
	"net"
	"testing"
)

// reservePort is a loopback address whose listener was closed: a
// connection to it is refused, until another listener is given the port.
func reservePort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
