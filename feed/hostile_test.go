package feed

import (
	"context"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Hostile servers (issue 11): servers that accept and stay silent, close
// every socket after init, change Socket.IO generation under the same URL,
// or send updates in shapes the client must not lose without a trace.

// sinkListener accepts connections and never writes a byte; it reads until
// the client goes and then closes its end, so that whatever piles up is the
// client's.
func sinkListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				io.Copy(io.Discard, c)
				c.Close()
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// openFDs counts the process's open file descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count open files: %v", err)
	}
	return len(entries)
}

// TestSilentServerLeaksNothing: every opening against a server that
// accepts and never answers times out, and leaves neither a socket nor a
// goroutine behind (the v4 client library dials without a handshake
// timeout: each retry used to leave one of each, parked in the dial).
func TestSilentServerLeaksNothing(t *testing.T) {
	openFDs(t)
	url := sinkListener(t)
	dir := Directory{Target: "5207", Token: "token"}
	for _, protocol := range []string{ProtocolV2, ProtocolV4} {
		t.Run(protocol, func(t *testing.T) {
			f := New(Config{URL: url, Protocol: protocol, Login: "x", Password: password("y"), Timeout: 100 * time.Millisecond})
			open := func() {
				t.Helper()
				var end sessionEnd
				if protocol == ProtocolV2 {
					end = f.streamV2(context.Background(), dir, func(Message) {})
				} else {
					end = f.streamV4(context.Background(), dir, func(Message) {})
				}
				if !strings.Contains(end.reason, "timeout") {
					t.Fatalf("session ended with %q, want a timeout", end.reason)
				}
			}
			open() // the client library starts its lazy process-wide goroutines
			goroutines, fds := settled(t, 0, 0)
			for range 20 {
				open()
			}
			if g, n := settled(t, goroutines, fds); g > goroutines || n > fds {
				t.Errorf("after 20 openings: %d goroutines (was %d), %d open files (was %d)", g, goroutines, n, fds)
			}
		})
	}
}

// settled polls the goroutine and open file counts until they are no more
// than the given ones (0: until they stop falling), for at most 5 s, and
// returns them.
func settled(t *testing.T, goroutines, fds int) (int, int) {
	t.Helper()
	g, n := runtime.NumGoroutine(), openFDs(t)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		if goroutines > 0 && g <= goroutines && n <= fds {
			break
		}
		time.Sleep(50 * time.Millisecond)
		g2, n2 := runtime.NumGoroutine(), openFDs(t)
		if goroutines == 0 && g2 >= g && n2 >= n {
			return g2, n2
		}
		g, n = g2, n2
	}
	return g, n
}
