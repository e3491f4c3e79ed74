package testkit

import (
	"io"
	"net"
	"sync"
	"testing"
)

// Listen accepts connections on a loopback port until the test ends and
// hands each to handle, in a goroutine of its own; at the end the
// listener and every connection it accepted are closed. It returns the
// listener's URL, http://127.0.0.1:port.
func Listen(t testing.TB, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			go handle(c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String()
}

// SilentListener accepts connections and never says a word: it holds them
// till the test ends.
func SilentListener(t testing.TB) string {
	t.Helper()
	return Listen(t, func(net.Conn) {})
}

// SinkListener accepts connections and never writes a byte; it reads until
// the client goes and then closes its end, so that whatever piles up is
// the client's.
func SinkListener(t testing.TB) string {
	t.Helper()
	return Listen(t, func(c net.Conn) {
		io.Copy(io.Discard, c)
		c.Close()
	})
}

// DroppingListener accepts connections and drops each: with a reset
// (SO_LINGER 0) or a plain close, at once or after reading what the client
// sent first.
func DroppingListener(t testing.TB, reset, readFirst bool) string {
	t.Helper()
	return Listen(t, func(c net.Conn) {
		if readFirst {
			c.Read(make([]byte, 4096))
		}
		if reset {
			c.(*net.TCPConn).SetLinger(0)
		}
		c.Close()
	})
}

// StoppedURL is the URL of a server that was listening and is no more:
// connections to it are refused. Its port stays taken until the test
// ends (reservePort), so that no listener of a test beside it is given it.
func StoppedURL(t testing.TB) string {
	t.Helper()
	return "http://" + reservePort(t)
}
