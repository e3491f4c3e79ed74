package app

import (
	"sync"

	"callboard/feed"
)

// liveRun is what a session's own feed said of itself this run: whether
// it was ever live, and if not why. The board's feed health cannot say
// it: a journal's day replayed into the board brings the statuses of the
// runs that wrote it (live, then an outage or a stop).
type liveRun struct {
	mu        sync.Mutex
	live      bool
	lastError string // the reason of this run's last disconnection
	reason    string // where this run's feed stands now
}

// watchRun follows the statuses of the feed of fc, which it hooks (after
// any OnMessage already there, the recorder's).
func watchRun(fc *feed.Config) *liveRun {
	r := &liveRun{}
	next := fc.OnMessage
	fc.OnMessage = func(m feed.Message) {
		if next != nil {
			next(m)
		}
		if st, ok := m.(*feed.StatusMsg); ok {
			r.status(st)
		}
	}
	return r
}

func (r *liveRun) status(st *feed.StatusMsg) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.live = r.live || st.State == feed.Live
	r.reason = st.Reason
	if st.State == feed.Disconnected && st.Reason != "" {
		r.lastError = st.Reason
	}
}

// NeverLive says whether the session's own feed was never live this run,
// whatever a journal replayed into its board holds, and why: the reason
// of its last disconnection, else where it stands ("connecting",
// "connected, waiting for the first update"). False once it has been
// live, and for a session without a feed of its own (a replay, Offline).
func (s *Session) NeverLive() (why string, never bool) {
	r := s.run
	if r == nil {
		return "", false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.live:
		return "", false
	case r.lastError != "":
		return r.lastError, true
	case r.reason != "":
		return r.reason, true
	}
	return "not connected yet", true
}
