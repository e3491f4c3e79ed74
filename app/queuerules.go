package app

import (
	"callboard/config"
	"callboard/state"
)

// queueRules are the queues' rules of [queues."<id>"] (the key an id or a
// name, as the file has it: the board resolves names against its
// directory), what the file leaves out taken from [service_level].
func queueRules(queues map[string]config.Queue) map[string]state.QueueRule {
	if len(queues) == 0 {
		return nil
	}
	rules := make(map[string]state.QueueRule, len(queues))
	for key, q := range queues {
		rules[key] = state.QueueRule{
			Threshold: q.SLThreshold.Duration, ShortAbandon: q.ShortAbandon.Duration,
			Target: q.SLTarget, Formula: q.SLFormula, Name: q.Name, Hide: q.Hide,
		}
	}
	return rules
}
