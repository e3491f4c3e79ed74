package feed

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// ReasonNoUpdateAfterInit is the disconnection reason of a session that
// connected and sent init, sent it again Config.ReinitAfter later, and had
// still no update Config.Timeout after that. Run reconnects on its backoff,
// which grows while this goes on, and names how many connections in a row
// ended so (SilentReason).
const ReasonNoUpdateAfterInit = "no update after init"

// SilentReason is the disconnection reason after n connections in a row
// ended with ReasonNoUpdateAfterInit.
func SilentReason(n int) string {
	if n <= 1 {
		return ReasonNoUpdateAfterInit
	}
	return fmt.Sprintf("%s, %d connections in a row", ReasonNoUpdateAfterInit, n)
}

// initWatch follows the init of a session that has had no update yet:
// after Config.ReinitAfter without an update it sends init again (once),
// and when the session has still had none Config.Timeout later it gives
// the session up. A session that had an update is never given up here:
// a quiet hour on a live board is no fault.
type initWatch struct {
	stopped atomic.Bool
	mu      sync.Mutex
	timer   *time.Timer
}

// watchInit starts the watch of an init just sent: resend sends it again,
// silent ends the session. Both run on a timer's goroutine; stop keeps
// them from running, unless one is under way already.
func (f *Feed) watchInit(tracker *initTracker, resend, silent func()) *initWatch {
	w := &initWatch{}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.timer = time.AfterFunc(f.cfg.ReinitAfter, func() {
		if w.stopped.Load() || tracker.wasHealthy() {
			return
		}
		resend()
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.stopped.Load() {
			return
		}
		w.timer = time.AfterFunc(f.cfg.Timeout, func() {
			if !w.stopped.Load() && !tracker.wasHealthy() {
				silent()
			}
		})
	})
	return w
}

// stop ends the watch; a nil watch is stopped already.
func (w *initWatch) stop() {
	if w == nil {
		return
	}
	w.stopped.Store(true)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.timer.Stop()
}
