package config

import "fmt"

// Limits cap the distinct ids the board keeps, so that a server naming ids
// without end cannot grow its memory and its views without end: an event
// naming a new agent, queue or trunk beyond them is rejected, counted and
// shown on the Events tab. The directory's are always kept, and count.
type Limits struct {
	MaxAgents int `toml:"max_agents"` // default DefaultMaxAgents
	MaxQueues int `toml:"max_queues"` // default DefaultMaxQueues
	MaxTrunks int `toml:"max_trunks"` // default DefaultMaxTrunks
}

// The caps when the file sets none: four times the agents of a
// 5,000-agent center, ten times its 200 queues (the board's own defaults).
const (
	DefaultMaxAgents = 20_000
	DefaultMaxQueues = 2_000
	DefaultMaxTrunks = 2_000
)

// MaxIDs is the highest cap the configuration accepts for any kind of id.
const MaxIDs = 1_000_000

func defaultLimits() Limits {
	return Limits{MaxAgents: DefaultMaxAgents, MaxQueues: DefaultMaxQueues, MaxTrunks: DefaultMaxTrunks}
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
