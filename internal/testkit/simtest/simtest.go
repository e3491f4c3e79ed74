// Package simtest starts the Go simulator of the Axialys service for a
// test and waits on it. Only tests import it; it is beside testkit, which
// imports no package of the program, because it imports sim (whose own
// tests cannot use it).
package simtest

import (
	"testing"

	"callboard/internal/testkit"
	"callboard/sim"
)

// Start starts a simulator with opts on a free loopback port; the test's
// cleanup closes it.
func Start(t testing.TB, opts sim.Options) *sim.Server {
	t.Helper()
	s, err := sim.Start("127.0.0.1:0", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// WaitStreaming waits until s streams to n clients (connected, their init
// accepted).
func WaitStreaming(t testing.TB, s *sim.Server, n int) {
	t.Helper()
	testkit.WaitStreaming(t, n, func() int { return s.Stats().Streaming })
}
