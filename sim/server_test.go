package sim

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"callboard/internal/testkit"
)

// TestCloseLeavesNoGoroutine checks that none of the package's goroutines
// outlive Close, clients connected or not.
func TestCloseLeavesNoGoroutine(t *testing.T) {
	s, err := Start("127.0.0.1:0", Options{Seed: 9, Tick: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	target, token := login(t, s)
	c := dial(t, s, target, token)
	c.await(t, "some updates", func() bool { u, _, _ := c.snapshot(); return len(u) > 10 })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s.Close() // twice is fine
	var stacks string
	testkit.Eventually(t, "the end of the server's goroutines after Close", func() bool {
		buf := make([]byte, 1<<20)
		stacks = string(buf[:runtime.Stack(buf, true)])
		return !strings.Contains(stacks, "callboard/sim.(*Server)")
	}, func() string { return stacks })
}
