package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"callboard/state"
)

// maxAlertSeries bounds the series of callboard_alert_active on a page:
// the newest alerts are shown one by one, all of them counted by rule in
// callboard_alerts_active (a board past its caps of agents and queues
// could otherwise make a page of 30,000 series).
const maxAlertSeries = 500

var (
	descAlertActive  = prometheus.NewDesc("callboard_alert_active", "1 for each alert active now (the newest 500), by rule and subject: queue_id for the queues' rules, agent_id for the agents' (the other empty).", []string{"rule", "queue_id", "agent_id"}, nil)
	descAlertsActive = prometheus.NewDesc("callboard_alerts_active", "Alerts active now, by rule.", []string{"rule"}, nil)
)

// alertRules are every rule, each counted on a page with alerts' limits.
var alertRules = []string{state.RuleWaitingMax, state.RuleLongestWaitMax, state.RuleAvailableMin, state.RuleLoggedInMin, state.RuleAbandonRateMax,
	state.RulePauseMax, state.RuleCallMax, state.RuleRingingMax, state.RuleUnavailableMax}

// collectAlerts writes the view's alerts with gauge: the queues' ids as
// queueLabel gave them to the queues' series, the agents' by agentIDs.
func collectAlerts(v *state.View, gauge func(*prometheus.Desc, float64, ...string), queueLabel map[string]string, agentIDs *labeller) {
	count := make(map[string]int, len(alertRules))
	for i, a := range v.Alerts {
		count[a.Rule]++
		if i >= maxAlertSeries {
			continue
		}
		queue, agent := "", ""
		switch {
		case a.QueueID != "":
			if queue = queueLabel[a.QueueID]; queue == "" {
				queue = label(a.QueueID) // a queue gone from the view since (none can be)
			}
		default:
			agent = agentIDs.label(a.AgentID)
		}
		gauge(descAlertActive, 1, a.Rule, queue, agent)
	}
	for _, rule := range alertRules {
		gauge(descAlertsActive, float64(count[rule]), rule)
	}
}
