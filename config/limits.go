package config

import (
	"fmt"

	"callboard/state"
)

// Limits cap the distinct ids the board keeps, so that a server naming ids
// without end cannot grow its memory and its views without end: an event
// naming a new agent, queue or trunk beyond them is rejected, counted and
// shown on the Events tab. The directory's are always kept, and count.
type Limits struct {
	MaxAgents int `toml:"max_agents"` // default state.DefaultMaxAgents
	MaxQueues int `toml:"max_queues"` // default state.DefaultMaxQueues
	MaxTrunks int `toml:"max_trunks"` // default state.DefaultMaxTrunks
}

// MaxIDs is the highest cap the configuration accepts for any kind of id.
const MaxIDs = 1_000_000

func defaultLimits() Limits {
	return Limits{MaxAgents: state.DefaultMaxAgents, MaxQueues: state.DefaultMaxQueues, MaxTrunks: state.DefaultMaxTrunks}
}

func (l Limits) validate() error {
	for _, c := range []struct {
		key, what string
		n         int
	}{{"max_agents", "agent", l.MaxAgents}, {"max_queues", "queue", l.MaxQueues}, {"max_trunks", "trunk", l.MaxTrunks}} {
		if c.n < 1 || c.n > MaxIDs {
			return fmt.Errorf("limits.%s: %d: want 1 to %d (distinct %s ids kept)", c.key, c.n, MaxIDs, c.what)
		}
	}
	return nil
}
