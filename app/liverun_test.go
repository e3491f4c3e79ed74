package app

import (
	"testing"
	"time"

	"callboard/feed"
)

// TestNeverLiveIsThisRunsFeed: a session's NeverLive follows its own
// feed's statuses: where it stands until a disconnection, then that
// disconnection's reason, kept while it connects again; never once live,
// whatever came after. The hook keeps the one already there.
func TestNeverLiveIsThisRunsFeed(t *testing.T) {
	var fc feed.Config
	recorded := 0
	fc.OnMessage = func(feed.Message) { recorded++ }
	s := &Session{run: watchRun(&fc)}
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	check := func(wantWhy string, wantNever bool) {
		t.Helper()
		if why, never := s.NeverLive(); why != wantWhy || never != wantNever {
			t.Errorf("NeverLive %q, %v; want %q, %v", why, never, wantWhy, wantNever)
		}
	}
	check("not connected yet", true)
	for _, step := range []struct {
		st        feed.StatusMsg
		why       string
		neverLive bool
	}{
		{feed.StatusMsg{State: feed.Connecting, Reason: "authenticating"}, "authenticating", true},
		{feed.StatusMsg{State: feed.Disconnected, Reason: "connection refused by 127.0.0.1:9"}, "connection refused by 127.0.0.1:9", true},
		{feed.StatusMsg{State: feed.Connecting, Reason: "connecting"}, "connection refused by 127.0.0.1:9", true},
		{feed.StatusMsg{State: feed.Connecting, Reason: feed.ReasonAwaitingUpdate}, "connection refused by 127.0.0.1:9", true},
		{feed.StatusMsg{State: feed.Live}, "", false},
		{feed.StatusMsg{State: feed.Disconnected, Reason: "connection reset by 127.0.0.1:9"}, "", false},
	} {
		step.st.At = at
		fc.OnMessage(&step.st)
		check(step.why, step.neverLive)
	}
	if recorded != 6 {
		t.Errorf("the hook already there got %d messages, want 6", recorded)
	}
	if why, never := (&Session{}).NeverLive(); never || why != "" {
		t.Errorf("a session without a feed of its own: NeverLive %q, %v", why, never)
	}
}
