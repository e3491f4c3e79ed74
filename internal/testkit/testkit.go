// Package testkit is what the tests of every package share: waits that
// poll without bounding the machine's speed (Eventually, Receive,
// WaitStreaming), fake listeners (Listen, SilentListener,
// DroppingListener, StoppedURL), and the built callboard binary (Binary).
// A deadline in it is Patience, long enough that only a hang reaches it:
// no test depends on how fast the machine is.
//
// It imports no package of the program, so that the tests of any of them,
// feed and sim included, can use it. Below it, the rest of the one test
// kit: feedtest builds the events tests feed to a board from the vendor's
// JSON, simtest starts the simulator, nodepeer runs the official Node
// Socket.IO servers as an Axialys stand-in, testproc starts the processes
// a test runs so that they end with it, vendorexamples reads the
// vendor's documented examples, and busyday writes a generated day of a
// big center in the journal's format for benchmarks. Only tests import them
// (TestOnlyTestsImportTheKit says so).
package testkit

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Patience is how long a wait of the kit waits before failing the test:
// long enough that only a hang reaches it on a loaded machine, short
// enough to fail with a reason well before go test's own timeout.
const Patience = time.Minute

// Eventually polls cond until it holds and fails the test, naming what it
// waited for, when it still does not after Patience; instead, when given,
// say what there is instead.
func Eventually(t testing.TB, what string, cond func() bool, instead ...func() string) {
	t.Helper()
	deadline := time.Now().Add(Patience)
	for pause := time.Millisecond; !cond(); pause = min(2*pause, 20*time.Millisecond) {
		if time.Now().After(deadline) {
			got := []string{fmt.Sprintf("waited %v for %s", Patience, what)}
			for _, f := range instead {
				got = append(got, f())
			}
			t.Fatal(strings.Join(got, "\n"))
		}
		time.Sleep(pause)
	}
}

// Receive waits for a value on ch, or its close (a done channel's
// signal), and returns what it received; it fails the test, naming what it
// waited for, when neither comes within Patience.
func Receive[T any](t testing.TB, what string, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(Patience):
		t.Fatalf("waited %v for %s", Patience, what)
	}
	panic("unreachable")
}

// WaitStreaming waits until streaming, a server's count of the clients
// whose init it accepted and that are connected now, says n.
func WaitStreaming(t testing.TB, n int, streaming func() int) {
	t.Helper()
	Eventually(t, fmt.Sprintf("%d streaming clients", n), func() bool { return streaming() == n },
		func() string { return fmt.Sprintf("%d streaming", streaming()) })
}
