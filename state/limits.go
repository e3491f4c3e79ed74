package state

import "time"

// Limits are how long an agent may stay in a state before it is flagged;
// zero is no limit.
type Limits struct {
	Pause        map[string]time.Duration // per pause, by its label or its id (the label first)
	PauseDefault time.Duration            // pauses not in Pause
	Call         time.Duration            // on a call or calling out
	Ringing      time.Duration
	Unavailable  time.Duration
}

// set reports whether any limit is set.
func (l *Limits) set() bool {
	return len(l.Pause) > 0 || l.PauseDefault > 0 || l.Call > 0 || l.Ringing > 0 || l.Unavailable > 0
}

// AgentAlert names the limit an agent is past, "" when none.
type AgentAlert string

// Agent alerts.
const (
	AlertNone        AgentAlert = ""
	AlertPause       AgentAlert = "pause"
	AlertCall        AgentAlert = "call"
	AlertRinging     AgentAlert = "ringing"
	AlertUnavailable AgentAlert = "unavailable"
)

// limitOf is the rule and the limit of an agent in state s (0 when
// none): the pause limit goes by the pause's label, then its id, then the
// default.
func (l *Limits) limitOf(s AgentState, pauseLabel, pauseID string) (string, time.Duration) {
	switch s {
	case Paused:
		limit, ok := l.Pause[pauseLabel]
		if !ok {
			if limit, ok = l.Pause[pauseID]; !ok {
				limit = l.PauseDefault
			}
		}
		return RulePauseMax, limit
	case OnCall, Calling:
		return RuleCallMax, l.Call
	case Ringing:
		return RuleRingingMax, l.Ringing
	case Unavailable:
		return RuleUnavailableMax, l.Unavailable
	}
	return "", 0
}

// agentAlerts are the AgentAlert of each agent rule.
var agentAlerts = map[string]AgentAlert{RulePauseMax: AlertPause, RuleCallMax: AlertCall, RuleRingingMax: AlertRinging, RuleUnavailableMax: AlertUnavailable}

// alert is the limit an agent in state s for inState is past (limitOf).
func (l *Limits) alert(s AgentState, inState time.Duration, pauseLabel, pauseID string) AgentAlert {
	if rule, limit := l.limitOf(s, pauseLabel, pauseID); limit > 0 && inState > limit {
		return agentAlerts[rule]
	}
	return AlertNone
}
