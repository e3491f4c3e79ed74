package notify

import (
	"testing"

	"callboard/config"
	"callboard/state"
)

// TestTheTextSaysAnIdWithoutASubjectSanitised: an alert whose subject has
// no name says its id, which comes from outside too: no escape reaches a
// chat or a terminal.
func TestTheTextSaysAnIdWithoutASubjectSanitised(t *testing.T) {
	s := newSender(t, Options{Config: config.Notify{Command: []string{"true"}}, Location: paris, Board: "callboard"})
	c := state.AlertChange{Seq: 1, At: at("09:00:00"), Raised: true, Alert: state.Alert{
		AlertKey: state.AlertKey{Rule: state.RulePauseMax, AgentID: "7\x1b]0;pwned\a\u202e"}, Value: 900, Limit: 600, Since: at("09:00:00")}}
	m := s.message(c)
	if want := "[callboard] 7: pause_max 15m0s (limit 10m0s), raised at 09:00:00"; m.Text != want {
		t.Errorf("text = %q, want %q", m.Text, want)
	}
}

// TestARateIsSaidToOneDecimal: an abandon rate of one call in three reads
// 33.3 %, a whole one without decimals.
func TestARateIsSaidToOneDecimal(t *testing.T) {
	for _, tc := range []struct {
		rule string
		v    float64
		want string
	}{
		{state.RuleAbandonRateMax, 100.0 / 3, "33.3 %"},
		{state.RuleAbandonRateMax, 200.0 / 3, "66.7 %"},
		{state.RuleAbandonRateMax, 20, "20 %"},
		{state.RuleWaitingMax, 3, "3"},
		{state.RuleLongestWaitMax, 90.4, "1m30s"},
	} {
		if got := figure(tc.rule, tc.v); got != tc.want {
			t.Errorf("figure(%s, %v) = %q, want %q", tc.rule, tc.v, got, tc.want)
		}
	}
}
