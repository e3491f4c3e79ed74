package sim

import (
	"bufio"
	"context"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"callboard/internal/testkit"
)

func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, w := io.Pipe()
	done := make(chan error)
	go func() {
		done <- Run(ctx, "127.0.0.1:0", Options{Login: "sup", Password: "hunter2"}, w)
	}()
	line, err := bufio.NewReader(r).ReadString('\n') // printed once it listens
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(line, "http://127.0.0.1:") || !strings.Contains(line, "sup") || strings.Contains(line, "hunter2") {
		t.Errorf("Run printed %q", line)
	}
}

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
