package state

import (
	"math"
	"time"
)

// SnapAlert is an active alert (View.Alerts), newest first: its rule, its
// subject (queue_id or agent_id), the figure now and its limit (whole
// seconds for durations, percent for the abandon rate, counts else), when
// it was raised, and who acknowledged it when (null while nobody has).
type SnapAlert struct {
	Rule         string          `json:"rule"`
	QueueID      string          `json:"queue_id,omitempty"`
	AgentID      string          `json:"agent_id,omitempty"`
	Value        float64         `json:"value"`
	Limit        float64         `json:"limit"`
	Since        time.Time       `json:"since"`
	Acknowledged *SnapAckOfAlert `json:"acknowledged"`
}

// SnapAckOfAlert is who acknowledged an alert, and when.
type SnapAckOfAlert struct {
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// durationRules are the rules whose figures are durations (in seconds).
var durationRules = map[string]bool{RuleLongestWaitMax: true, RulePauseMax: true, RuleCallMax: true, RuleRingingMax: true, RuleUnavailableMax: true}

// snapAlerts are the view's alerts in its snapshot, never null.
func snapAlerts(alerts []Alert) []SnapAlert {
	out := make([]SnapAlert, 0, len(alerts))
	for _, a := range alerts {
		s := SnapAlert{Rule: a.Rule, QueueID: a.QueueID, AgentID: a.AgentID, Value: round2(a.Value), Limit: round2(a.Limit), Since: a.Since.UTC().Truncate(time.Second)}
		if durationRules[a.Rule] {
			s.Value, s.Limit = math.Floor(a.Value), math.Floor(a.Limit)
		}
		if k := a.Acknowledged; k != nil {
			s.Acknowledged = &SnapAckOfAlert{By: Sanitize(k.By), At: k.At.UTC().Truncate(time.Second)}
		}
		out = append(out, s)
	}
	return out
}
