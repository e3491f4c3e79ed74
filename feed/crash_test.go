package feed

import (
	"context"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"callboard/internal/testkit"
	"callboard/internal/testkit/simtest"
	"callboard/sim"
)

// TestAPanicOnTheFeedsGoroutinesReachesRun: a panic while an update is
// decoded, on the connection's reading goroutine, is raised again by Run,
// whose caller recovers it (the road ends the process through it, its
// terminal restored), in both generations.
func TestAPanicOnTheFeedsGoroutinesReachesRun(t *testing.T) {
	for _, protocol := range []string{ProtocolV4, ProtocolV2} {
		t.Run(protocol, func(t *testing.T) {
			t.Parallel()
			s := simtest.Start(t, sim.Options{Seed: 7, AllowEIO3: true})
			var armed atomic.Bool
			now := func() time.Time {
				if armed.Load() {
					pc, _, _, _ := runtime.Caller(1)
					if fn := runtime.FuncForPC(pc); fn != nil && strings.HasSuffix(fn.Name(), ").event") {
						panic("a bug in the decoder")
					}
				}
				return time.Now()
			}
			f := New(Config{URL: s.URL(), Login: sim.DefaultLogin, Password: password(sim.DefaultPassword), Protocol: protocol, Timeout: 5 * time.Second, Now: now})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			out := make(chan Message, 1024)
			crashed := make(chan any, 1)
			go func() {
				defer func() { crashed <- recover() }()
				f.Run(ctx, out)
			}()
			next[*Event](t, out)
			armed.Store(true)
			go func() { // Run's goroutine must not block on a full channel
				for range out {
				}
			}()
			if p := testkit.Receive(t, "Run's end with the decoder's panic", crashed); p != "a bug in the decoder" {
				t.Errorf("Run ended with %v, want the decoder's panic", p)
			}
		})
	}
}
