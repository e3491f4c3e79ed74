package state

import "time"

// The alert rules: the queue and staffing limits (QueueLimits) and the
// agent limits (Limits). A rule's name is the configuration key that sets
// its limit.
const (
	RuleWaitingMax     = "waiting_max"      // a queue's calls waiting above its limit
	RuleLongestWaitMax = "longest_wait_max" // a queue's longest wait above its limit
	RuleAvailableMin   = "available_min"    // a queue's agents available below its limit
	RuleLoggedInMin    = "logged_in_min"    // a queue's agents logged in below its limit
	RuleAbandonRateMax = "abandon_rate_max" // a queue's abandon rate above its limit
	RulePauseMax       = "pause_max"        // an agent paused past its limit
	RuleCallMax        = "call_max"         // an agent on a call past its limit
	RuleRingingMax     = "ringing_max"      // an agent ringing past its limit
	RuleUnavailableMax = "unavailable_max"  // an agent unavailable past its limit
)

// AlertKey names what an alert is about: a rule and its subject, a queue
// (QueueID) or an agent (AgentID), ids as the feed gives them.
type AlertKey struct {
	Rule    string
	QueueID string
	AgentID string
}

// Alert is one rule raised for its subject, from Since until it clears.
// An alert is derived from the board: a board that replays the same day
// raises and clears the same alerts at the same times.
type Alert struct {
	AlertKey
	Subject string    // the queue's or agent's name as shown (sanitised)
	Value   float64   // the figure now (seconds for durations, percent for rates)
	Limit   float64   // in Value's unit
	Since   time.Time // when it was raised
	// Acknowledged is who quieted it and when, nil while nobody has: an
	// acknowledged alert stays listed, without a bell, until it clears.
	Acknowledged *Acknowledgement
}

// Acknowledgement is a viewer quieting an alert: it holds for the alert
// raised at Since only (one raised again later is not acknowledged).
type Acknowledgement struct {
	AlertKey
	Since time.Time // the acknowledged alert's
	By    string    // the ssh key's name or the local user (sanitised)
	At    time.Time
}

// AlertChange is an alert raised or cleared, numbered in the order the
// board made them (Seq, from 1, never reused in a board's day and its
// replays), so that whoever sends them out can tell the new ones from
// those it has seen.
type AlertChange struct {
	Seq    uint64
	At     time.Time
	Raised bool // else cleared
	Alert  Alert
}
