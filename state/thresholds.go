package state

import "time"

// Level is how worried a figure should make a supervisor.
type Level int

// Levels, from calm to alarm.
const (
	LevelOK Level = iota
	LevelWarn
	LevelCritical
)

func (l Level) String() string {
	switch l {
	case LevelWarn:
		return "warn"
	case LevelCritical:
		return "critical"
	}
	return "ok"
}

// Thresholds are the warn and critical levels of a queue's figures. A zero
// field is no threshold. Calls waiting and longest wait alarm when they
// reach the level; service level alarms when it falls to it or below.
type Thresholds struct {
	WaitingWarn, WaitingCritical           int
	LongestWaitWarn, LongestWaitCritical   time.Duration
	ServiceLevelWarn, ServiceLevelCritical float64 // percent
}

// QueueLevels are the levels of a queue's figures, and the worst of them.
type QueueLevels struct {
	Waiting, LongestWait, ServiceLevel, Worst Level
}

// thresholdsFor returns the thresholds of a queue: its own when set, else
// the default.
func (o *Options) thresholdsFor(queueID string) Thresholds {
	if t, ok := o.QueueThresholds[queueID]; ok {
		return t
	}
	return o.Thresholds
}

// levels are the levels of a queue's figures; its service level's against
// its target (percent, 0 for none) as ruleLevel says.
func (t Thresholds) levels(waiting int, longest time.Duration, sl float64, hasSL bool, target float64) QueueLevels {
	var l QueueLevels
	l.Waiting = above(float64(waiting), float64(t.WaitingWarn), float64(t.WaitingCritical))
	l.LongestWait = above(float64(longest), float64(t.LongestWaitWarn), float64(t.LongestWaitCritical))
	if hasSL {
		l.ServiceLevel = ruleLevel(sl, target, t)
	}
	l.Worst = max(l.Waiting, l.LongestWait, l.ServiceLevel)
	return l
}

func above(v, warn, critical float64) Level {
	switch {
	case critical > 0 && v >= critical:
		return LevelCritical
	case warn > 0 && v >= warn:
		return LevelWarn
	}
	return LevelOK
}

func below(v, warn, critical float64) Level {
	switch {
	case critical > 0 && v <= critical:
		return LevelCritical
	case warn > 0 && v <= warn:
		return LevelWarn
	}
	return LevelOK
}
