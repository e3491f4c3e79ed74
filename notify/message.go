package notify

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"callboard/state"
)

// Message is the JSON document a change is sent as: on the command's
// standard input, in the webhook's POST. Its fields are a public interface
// (README, "Alerts out").
type Message struct {
	Event   string  `json:"event"` // "raised" or "cleared"
	Seq     uint64  `json:"seq"`   // the change's number in the board's day
	Rule    string  `json:"rule"`  // state.RuleWaitingMax…: the limit's key
	QueueID string  `json:"queue_id,omitempty"`
	AgentID string  `json:"agent_id,omitempty"`
	Subject string  `json:"subject"` // the queue's or agent's name
	Value   float64 `json:"value"`   // seconds for durations, percent for rates, else a count
	Limit   float64 `json:"limit"`   // in value's unit
	// Since is when the alert was raised, At when this change happened
	// (Since for a raise), in the display timezone.
	Since        time.Time    `json:"since"`
	At           time.Time    `json:"at"`
	Acknowledged *Acknowledge `json:"acknowledged"` // null when nobody has
	Board        string       `json:"board"`
	Account      string       `json:"account,omitempty"`
	// Text says the change in one line, for a chat as it is.
	Text string `json:"text"`
}

// Acknowledge is who acknowledged the alert, and when.
type Acknowledge struct {
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// message is c as it is sent.
func (s *Sender) message(c state.AlertChange) Message {
	a, loc := c.Alert, s.o.Location
	m := Message{
		Event: "cleared", Seq: c.Seq, Rule: a.Rule, QueueID: a.QueueID, AgentID: a.AgentID,
		Subject: state.Sanitize(a.Subject), Value: a.Value, Limit: a.Limit,
		Since: a.Since.In(loc), At: c.At.In(loc), Board: s.o.Board, Account: s.o.Account,
	}
	if c.Raised {
		m.Event = "raised"
	}
	if ack := a.Acknowledged; ack != nil {
		m.Acknowledged = &Acknowledge{By: state.Sanitize(ack.By), At: ack.At.In(loc)}
	}
	subject := m.Subject
	if subject == "" { // the id, outside text too
		subject = state.Sanitize(a.QueueID + a.AgentID)
	}
	m.Text = fmt.Sprintf("[%s] %s: %s %s (limit %s), %s at %s", m.Board, subject, a.Rule, figure(a.Rule, a.Value), figure(a.Rule, a.Limit), m.Event, m.At.Format("15:04:05"))
	return m
}

// figure is a rule's value as a person reads it: a duration for the
// durations, a percentage for the rates, else a count; to one decimal at
// most (33.3 %, not 33.33333333333333 %).
func figure(rule string, v float64) string {
	switch rule {
	case state.RuleLongestWaitMax, state.RulePauseMax, state.RuleCallMax, state.RuleRingingMax, state.RuleUnavailableMax:
		return time.Duration(v * float64(time.Second)).Round(time.Second).String()
	}
	s := strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
	if rule == state.RuleAbandonRateMax {
		s += " %"
	}
	return s
}
