package config

import (
	"fmt"
	"strings"
)

// Queue is what the file sets for one queue ([queues."<id>"], the id as
// the directory gives it, or the queue's name where no other queue bears
// it): its service rule, how it is shown, and its limits. A zero field
// takes the default: [service_level] for the rule, [alerts] for the
// limits.
type Queue struct {
	Name string `toml:"name"` // shown in place of the directory's name
	Hide bool   `toml:"hide"` // left off every screen and export

	SLThreshold  Duration `toml:"sl_threshold"`  // answered within it counts in the service level
	ShortAbandon Duration `toml:"short_abandon"` // abandoned sooner is not counted against it
	SLTarget     float64  `toml:"sl_target"`     // percent the service level should reach
	SLFormula    string   `toml:"sl_formula"`    // SLAnswered, SLOffered or SLAnsweredOnly

	QueueLimits
}

// QueueLimits are when a queue's figures raise an alert; zero is no limit.
type QueueLimits struct {
	WaitingMax     int      `toml:"waiting_max"`      // calls waiting above it
	LongestWaitMax Duration `toml:"longest_wait_max"` // the longest wait above it
	AvailableMin   int      `toml:"available_min"`    // agents available below it
	LoggedInMin    int      `toml:"logged_in_min"`    // agents logged in below it
	AbandonRateMax float64  `toml:"abandon_rate_max"` // percent of calls abandoned above it
}

// The service level's formulas (sl_formula): what the calls answered
// within the threshold are divided by.
const (
	// SLAnswered: answered + abandoned − abandoned sooner than
	// short_abandon (the default, the board's rule before it was a choice).
	SLAnswered = "answered"
	// SLOffered: every call offered to the queue.
	SLOffered = "offered"
	// SLAnsweredOnly: the calls answered.
	SLAnsweredOnly = "answered_only"
)

func validFormula(key, f string) error {
	switch f {
	case "", SLAnswered, SLOffered, SLAnsweredOnly:
		return nil
	}
	return fmt.Errorf("%s: %q: want %s, %s or %s", key, f, SLAnswered, SLOffered, SLAnsweredOnly)
}

func validPercent(key string, p float64) error {
	if p < 0 || p > 100 {
		return fmt.Errorf("%s: %v: want a percentage, from 0 to 100", key, p)
	}
	return nil
}

func (l QueueLimits) validate(table string) error {
	switch {
	case l.WaitingMax < 0:
		return fmt.Errorf("%s.waiting_max: %d cannot be negative", table, l.WaitingMax)
	case l.AvailableMin < 0:
		return fmt.Errorf("%s.available_min: %d cannot be negative", table, l.AvailableMin)
	case l.LoggedInMin < 0:
		return fmt.Errorf("%s.logged_in_min: %d cannot be negative", table, l.LoggedInMin)
	}
	return validPercent(table+".abandon_rate_max", l.AbandonRateMax)
}

func (q Queue) validate(table string) error {
	if err := validFormula(table+".sl_formula", q.SLFormula); err != nil {
		return err
	}
	if err := validPercent(table+".sl_target", q.SLTarget); err != nil {
		return err
	}
	if strings.TrimSpace(q.Name) == "" && q.Name != "" {
		return fmt.Errorf("%s.name: blank: leave it out to keep the directory's name", table)
	}
	return q.QueueLimits.validate(table)
}
