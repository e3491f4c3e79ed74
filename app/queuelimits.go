package app

import (
	"callboard/config"
	"callboard/state"
)

// queueLimits are the queues' alert limits as cfg sets them: [alerts]'s
// for every queue, and those of [queues."<id>"] (by id, or by a name no
// other queue bears: the board resolves it against the directory), their
// zero fields taking [alerts]'s. A table without limits is left out: the
// board knows it from the rules (Options.QueueRules), and a queue keyed by
// its id takes its id's table, with or without limits, never its name's.
func queueLimits(cfg *config.Config) (state.QueueLimits, map[string]state.QueueLimits) {
	of := make(map[string]state.QueueLimits, len(cfg.Queues))
	for key, q := range cfg.Queues {
		if l := stateQueueLimits(q.QueueLimits); l != (state.QueueLimits{}) {
			of[key] = l
		}
	}
	return stateQueueLimits(cfg.Alerts.QueueLimits), of
}

func stateQueueLimits(l config.QueueLimits) state.QueueLimits {
	return state.QueueLimits{WaitingMax: l.WaitingMax, LongestWaitMax: l.LongestWaitMax.Duration,
		AvailableMin: l.AvailableMin, LoggedInMin: l.LoggedInMin, AbandonRateMax: l.AbandonRateMax}
}
