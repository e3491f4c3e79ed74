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

// alert is the limit an agent in state s for inState is past: the pause
// limit goes by the pause's label, then its id, then the default.
func (l *Limits) alert(s AgentState, inState time.Duration, pauseLabel, pauseID string) AgentAlert {
	over := func(limit time.Duration) bool { return limit > 0 && inState > limit }
	switch s {
	case Paused:
		limit, ok := l.Pause[pauseLabel]
		if !ok {
			if limit, ok = l.Pause[pauseID]; !ok {
				limit = l.PauseDefault
			}
		}
		if over(limit) {
			return AlertPause
		}
	case OnCall, Calling:
		if over(l.Call) {
			return AlertCall
		}
	case Ringing:
		if over(l.Ringing) {
			return AlertRinging
		}
	case Unavailable:
		if over(l.Unavailable) {
			return AlertUnavailable
		}
	}
	return AlertNone
}
