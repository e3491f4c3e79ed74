package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"callboard/state"
)

var (
	descNotifyFailures = prometheus.NewDesc("callboard_notify_failures_total", "Alerts whose sending out failed ([notify]), by channel: command (failed or killed at its timeout), webhook (still failing after its attempts).", []string{"channel"}, nil)
	descNotifySent     = prometheus.NewDesc("callboard_notify_sent_total", "Alerts raised or cleared sent out ([notify]) on every channel set.", nil, nil)
	descNotifyDropped  = prometheus.NewDesc("callboard_notify_dropped_total", "Alerts raised or cleared not sent because the sender fell behind: its queue was full, or the board had let them go before they were read.", nil, nil)

	notifyDescs = []*prometheus.Desc{descNotifyFailures, descNotifySent, descNotifyDropped}
)

// collectNotify gives the figures of the alerts this process sent out:
// absent when it has no sender ([notify] not set, no journal written);
// zero while another process writes the journal, and sends.
func collectNotify(n state.NotifyHealth, counter func(*prometheus.Desc, float64, ...string)) {
	if !n.On {
		return
	}
	counter(descNotifyFailures, float64(n.CommandFailures), "command")
	counter(descNotifyFailures, float64(n.WebhookFailures), "webhook")
	counter(descNotifySent, float64(n.Sent))
	counter(descNotifyDropped, float64(n.Dropped))
}
