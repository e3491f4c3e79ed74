package state

import (
	"fmt"
	"strings"
	"time"
)

// NotifyHealth says how the alerts are sent out of the board ([notify],
// package notify), as whoever runs the board knows it: the hub sets it in
// every view, as it sets JournalHealth.
type NotifyHealth struct {
	On      bool // [notify] names a command or a webhook
	Sending bool // this process sends: it writes the journal (one sender per journal)
	Sent    int  // changes delivered, by every channel that is set
	// Failures are the deliveries that failed, by channel ("command",
	// "webhook"): a command that failed or passed its deadline, a webhook
	// that still failed after its retries.
	CommandFailures int
	WebhookFailures int
	// Dropped are the changes not sent because the sender fell behind:
	// its queue was full (a command or a webhook slower than the alerts
	// come), or the board's ring of changes had let them go before it
	// read them.
	Dropped int
	// Held are the changes not sent by the rules of [notify]: cooldown,
	// quiet hours, rules left out.
	Held int
	// LastFailure is the last failed delivery, said ("webhook: HTTP 503
	// after 4 attempts"), at LastFailureAt; outside text.
	LastFailure   string
	LastFailureAt time.Time
}

// Line is what the Events tab says of the alerts sent out: "" when
// [notify] is not set.
func (h NotifyHealth) Line(loc *time.Location) string {
	if !h.On {
		return ""
	}
	if !h.Sending {
		return "notify: not sending (another process writes the journal, or none is kept)"
	}
	parts := []string{fmt.Sprintf("notify: %d sent", h.Sent)}
	if f := h.CommandFailures + h.WebhookFailures; f > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", f))
	}
	if h.Dropped > 0 {
		parts = append(parts, fmt.Sprintf("%d dropped", h.Dropped))
	}
	if h.Held > 0 {
		parts = append(parts, fmt.Sprintf("%d held", h.Held))
	}
	line := strings.Join(parts, " · ")
	if h.LastFailure != "" {
		line += " · last failure " + h.LastFailureAt.In(loc).Format("15:04:05") + ": " + Sanitize(h.LastFailure)
	}
	return line
}
