package metrics

import (
	"testing"
	"time"

	"callboard/state"
)

// TestTheAlertsSentOutAreCounted: callboard_notify_failures_total by
// channel, with the alerts sent and dropped, once this process has a
// sender; absent without one.
func TestTheAlertsSentOutAreCounted(t *testing.T) {
	b := state.New(state.Options{Location: time.UTC}, t0)
	e := New()
	e.Update(b.View(t0))
	if _, ok := value(scrape(t, e.Handler()), "callboard_notify_failures_total", map[string]string{"channel": "command"}); ok {
		t.Error("callboard_notify_failures_total shown without [notify]")
	}
	v := b.View(t0)
	v.Notify = state.NotifyHealth{On: true, Sending: true, Sent: 7, CommandFailures: 2, WebhookFailures: 3, Dropped: 4}
	e.Update(v)
	got := scrape(t, e.Handler())
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"callboard_notify_failures_total", map[string]string{"channel": "command"}, 2},
		{"callboard_notify_failures_total", map[string]string{"channel": "webhook"}, 3},
		{"callboard_notify_sent_total", nil, 7},
		{"callboard_notify_dropped_total", nil, 4},
	} {
		if n, ok := value(got, c.name, c.labels); !ok || n != c.want {
			t.Errorf("%s%v = %v (%v), want %v", c.name, c.labels, n, ok, c.want)
		}
	}
}
