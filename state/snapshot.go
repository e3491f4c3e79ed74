package state

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"
)

// Snapshot is the board as `callboard snapshot` prints it. Its JSON shape
// is a public interface (README, "callboard snapshot"): add fields, never
// rename or retype them. Ids are always strings; durations are whole
// seconds; undefined ratios are null.
type Snapshot struct {
	GeneratedAt time.Time         `json:"generated_at"`
	Since       time.Time         `json:"since"`
	Feed        SnapshotFeed      `json:"feed"`
	Totals      SnapshotTotal     `json:"totals"`
	Agents      []SnapAgent       `json:"agents"`
	Queues      []SnapQueue       `json:"queues"`
	Trunks      []SnapTrunk       `json:"trunks"`
	Calls       SnapCalls         `json:"calls"`
	Intervals   []SnapDayInterval `json:"intervals"`
	Alerts      []SnapAlert       `json:"alerts"` // snapshot_alerts.go
	// QueueRuleNotes are the keys of [queues."…"] ignored (a name two
	// queues bear) or naming no queue (View.RuleNotes).
	QueueRuleNotes []string `json:"queue_rule_notes"`
	// Scope is the scope the view was cut to (View.Scope); absent for the
	// whole center.
	Scope *SnapScope `json:"scope,omitempty"`
}

// SnapScope is a scoped snapshot's scope: its name, the queue and group
// ids it matched, its entries that matched nothing.
type SnapScope struct {
	Name      string   `json:"name"`
	QueueIDs  []string `json:"queue_ids"`
	GroupIDs  []string `json:"group_ids"`
	Unmatched []string `json:"unmatched"`
}

// SnapDayInterval is one interval of the day (see state's Intervals): the
// calls in total and per queue with calls in it, and the mean agents
// logged in, reachable and paused over it (over its part so far, for the
// current one).
type SnapDayInterval struct {
	Start           time.Time           `json:"start"`
	LengthS         int64               `json:"length_s"`
	AgentsLoggedIn  float64             `json:"agents_logged_in"`
	AgentsReachable float64             `json:"agents_reachable"`
	AgentsPaused    float64             `json:"agents_paused"`
	Total           SnapIntervalCalls   `json:"total"`
	Queues          []SnapIntervalQueue `json:"queues"`
}

// SnapIntervalCalls are calls in an interval.
type SnapIntervalCalls struct {
	Offered          int      `json:"offered"`
	Answered         int      `json:"answered"`
	Abandoned        int      `json:"abandoned"`
	ShortAbandoned   int      `json:"short_abandoned"`
	AnsweredWithinSL int      `json:"answered_within_sl"`
	SLCalls          int      `json:"sl_calls"` // what answered_within_sl is divided by (the total: its queues' summed)
	ServiceLevelPct  *float64 `json:"service_level_pct"`
	ASAS             *float64 `json:"asa_s"`
	LongestWaitS     int64    `json:"longest_wait_s"`
}

// SnapIntervalQueue is a queue's calls in an interval, its service level
// by its rule's formula, beside its target.
type SnapIntervalQueue struct {
	QueueID     string   `json:"queue_id"`
	SLTargetPct *float64 `json:"sl_target_pct"` // null when the queue has none
	SLFormula   string   `json:"sl_formula"`
	SnapIntervalCalls
}

// SnapCalls are the calls behind the counts: those waiting now (by queue
// id, then position) and those lost today (oldest first).
type SnapCalls struct {
	Waiting   []SnapWaiting   `json:"waiting"`
	Abandoned []SnapAbandoned `json:"abandoned"`
}

// SnapWaiting is a call waiting in a queue; position 1 waited longest.
type SnapWaiting struct {
	ID       string    `json:"id"`
	QueueID  string    `json:"queue_id"`
	Caller   string    `json:"caller"`
	Entered  time.Time `json:"entered"`
	WaitedS  int64     `json:"waited_s"`
	Position int       `json:"position"`
}

// SnapAbandoned is a call lost today; reached is "answered_later",
// "called_back", "withheld" (no number to call back) or null (still to
// call back).
type SnapAbandoned struct {
	ID      string    `json:"id"`
	QueueID string    `json:"queue_id"`
	Caller  string    `json:"caller"`
	Entered time.Time `json:"entered"`
	Ended   time.Time `json:"ended"`
	WaitedS int64     `json:"waited_s"`
	Short   bool      `json:"short"`
	Reached *Reached  `json:"reached"`
}

// SnapshotFeed is the stream's health.
type SnapshotFeed struct {
	State       string     `json:"state"`
	Protocol    string     `json:"protocol"`
	Events      int        `json:"events"`
	Rejected    int        `json:"rejected"`
	Gaps        int        `json:"gaps"`
	LastEventAt *time.Time `json:"last_event_at"`
	// NotLiveToday are today's stretches without a live feed after it had
	// been live (outages, and the time callboard was not running, from its
	// journal): what happened then was not seen. to is null while it lasts.
	NotLiveToday []SnapInterval `json:"not_live_today"`
	Journal      SnapJournal    `json:"journal"`
}

// SnapInterval is a stretch of time; To is nil while it goes on.
type SnapInterval struct {
	From time.Time  `json:"from"`
	To   *time.Time `json:"to"`
}

// SnapJournal says how the day is kept: on, writing (false: another
// process writes it, or it cannot be written, see problem), lines dropped
// while not writing, messages replayed at start, lines skipped unread,
// checkpoints found at start but ignored (torn, corrupt: the day replayed
// from further back; absent when none).
type SnapJournal struct {
	On                 bool   `json:"on"`
	Writing            bool   `json:"writing"`
	Problem            string `json:"problem,omitempty"`
	Dropped            int    `json:"dropped"`
	Replayed           int    `json:"replayed"`
	Skipped            int    `json:"skipped"`
	CheckpointsIgnored int    `json:"checkpoints_ignored,omitempty"`
}

// SnapshotTotal holds the board-wide figures.
type SnapshotTotal struct {
	AgentsAvailable   int      `json:"agents_available"`
	AgentsRinging     int      `json:"agents_ringing"`
	AgentsCalling     int      `json:"agents_calling"`
	AgentsOnCall      int      `json:"agents_on_call"`
	AgentsPaused      int      `json:"agents_paused"`
	AgentsUnavailable int      `json:"agents_unavailable"`
	AgentsLoggedOut   int      `json:"agents_logged_out"`
	AgentsUnknown     int      `json:"agents_unknown"`
	AgentsOther       int      `json:"agents_other"`
	CallsWaiting      int      `json:"calls_waiting"`
	LongestWaitS      int64    `json:"longest_wait_s"`
	Answered          int      `json:"answered"`
	Abandoned         int      `json:"abandoned"`
	ServiceLevelPct   *float64 `json:"service_level_pct"`
	ASAS              *float64 `json:"asa_s"`
	AgentsOverLimit   *int     `json:"agents_over_limit"` // null when no limit is set: nothing is checked
	// AnsweredBeforeStart counts today's calls first seen already answered:
	// in no other figure.
	AnsweredBeforeStart int `json:"answered_before_start"`
	// The service level is the queues' answered_within_sl summed ÷ their
	// sl_calls summed, each queue's under its own rule, hidden queues in.
	AnsweredWithinSL int      `json:"answered_within_sl"`
	SLCalls          int      `json:"sl_calls"`
	SLTargetPct      *float64 `json:"sl_target_pct"` // the queues' target when they all have the same, else null
	HiddenQueues     int      `json:"hidden_queues"` // queues hidden by their rule: not in queues, counted here
}

// SnapAgent is one agent.
type SnapAgent struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"` // "" when the directory does not list it
	Groups      []string   `json:"groups"`
	State       AgentState `json:"state"`
	Status      string     `json:"status"`
	PauseReason string     `json:"pause_reason"`
	StateSinceS int64      `json:"state_since_s"`
	Stale       bool       `json:"stale"` // state from before the last outage, not refreshed since
	Alert       AgentAlert `json:"alert"` // the limit it is past: "", "pause", "call", "ringing" or "unavailable"
	Call        *SnapCall  `json:"call"`
	Today       SnapToday  `json:"today"`
}

// SnapCall is an agent's current call.
type SnapCall struct {
	ID       string `json:"id"`
	Caller   string `json:"caller"`
	QueueID  string `json:"queue_id"`
	Recorded bool   `json:"recorded"`
}

// SnapToday is an agent's totals for the day.
type SnapToday struct {
	Answered int   `json:"answered"` // inbound queue calls
	Outbound int   `json:"outbound"` // calls placed and answered
	OnCallS  int64 `json:"on_call_s"`
	PausedS  int64 `json:"paused_s"`
}

// SnapQueue is one queue.
type SnapQueue struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	Waiting         int      `json:"waiting"`
	LongestWaitS    int64    `json:"longest_wait_s"`
	InProgress      int      `json:"in_progress"`
	Answered        int      `json:"answered"`
	Abandoned       int      `json:"abandoned"`
	ShortAbandoned  int      `json:"short_abandoned"`
	ServiceLevelPct *float64 `json:"service_level_pct"`
	ASAS            *float64 `json:"asa_s"`
	AgentsLoggedIn  int      `json:"agents_logged_in"`
	AgentsAvailable int      `json:"agents_available"`
	AgentsOnCall    int      `json:"agents_on_call"`
	AgentsPaused    int      `json:"agents_paused"`
	StaleCalls      int      `json:"stale_calls"` // left out of the counts: not mentioned again after a reconnect
	// AnsweredBeforeStart counts today's calls first seen already answered:
	// in no other figure.
	AnsweredBeforeStart int `json:"answered_before_start"`
	// The queue's rule and its service level's terms:
	// service_level_pct = answered_within_sl ÷ sl_calls, as sl_formula says.
	SLThresholdS     int64    `json:"sl_threshold_s"`
	ShortAbandonS    int64    `json:"short_abandon_s"`
	SLTargetPct      *float64 `json:"sl_target_pct"` // null when the queue has none
	SLFormula        string   `json:"sl_formula"`
	AnsweredWithinSL int      `json:"answered_within_sl"`
	SLCalls          int      `json:"sl_calls"`
	SLLevel          string   `json:"sl_level"` // ok, warn or critical, against the target
}

// SnapTrunk is one trunk.
type SnapTrunk struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Ringing    int    `json:"ringing"`
	Connected  int    `json:"connected"`
	Total      int    `json:"total"`
	Answered   int    `json:"answered"`
	Missed     int    `json:"missed"`
	StaleCalls int    `json:"stale_calls"` // left out of the counts: not mentioned again after a reconnect
	// AnsweredBeforeStart counts today's calls first seen connected: in no
	// other figure.
	AnsweredBeforeStart int `json:"answered_before_start"`
}

// Snapshot returns the board as of now (see View), rows ordered by id.
func (b *Board) Snapshot(now time.Time) Snapshot { return b.View(now).Snapshot() }

// Snapshot is the view as `callboard snapshot` prints it, rows ordered by
// id: the same figures and durations as every other reader of the view.
func (v *View) Snapshot() Snapshot {
	f := v.Feed
	s := Snapshot{
		GeneratedAt: v.Now.UTC().Truncate(time.Second),
		Since:       v.Day.Since.UTC().Truncate(time.Second),
		Feed:        SnapshotFeed{State: f.State.String(), Protocol: f.Protocol, Events: f.Events, Rejected: f.Rejected, Gaps: f.Gaps},
		Agents:      []SnapAgent{},
		Queues:      []SnapQueue{},
		Trunks:      []SnapTrunk{},
		Alerts:      snapAlerts(v.Alerts),
	}
	if !f.LastEventAt.IsZero() {
		t := f.LastEventAt.UTC().Truncate(time.Second)
		s.Feed.LastEventAt = &t
	}
	s.Feed.NotLiveToday = []SnapInterval{}
	for _, in := range v.Day.NotLive {
		si := SnapInterval{From: in.From.UTC().Truncate(time.Second)}
		if !in.To.IsZero() {
			to := in.To.UTC().Truncate(time.Second)
			si.To = &to
		}
		s.Feed.NotLiveToday = append(s.Feed.NotLiveToday, si)
	}
	j := v.Journal
	s.Feed.Journal = SnapJournal{On: j.On, Writing: j.Writing, Problem: Sanitize(j.Problem), Dropped: j.Dropped, Replayed: j.Replayed, Skipped: j.Skipped, CheckpointsIgnored: j.CheckpointsIgnored}
	s.Totals = v.Totals.Snap()
	for _, r := range v.Agents {
		a := SnapAgent{
			ID: r.ID, Name: r.Name, Groups: r.Groups, State: r.State, Status: r.Status,
			PauseReason: r.PauseReason, StateSinceS: seconds(r.InState), Stale: r.Stale, Alert: r.Alert,
			Today: SnapToday{Answered: r.Today.Answered, Outbound: r.Today.Outbound, OnCallS: seconds(r.Today.OnCall), PausedS: seconds(r.Today.Paused)},
		}
		if r.Placeholder {
			a.Name = ""
		}
		if a.Groups == nil {
			a.Groups = []string{}
		}
		if c := r.Call; c != nil {
			a.Call = &SnapCall{ID: c.ID, Caller: c.Caller, QueueID: c.QueueID, Recorded: c.Recorded}
		}
		s.Agents = append(s.Agents, a)
	}
	for _, r := range v.Queues {
		s.Queues = append(s.Queues, r.Snap())
	}
	for _, r := range v.Trunks {
		s.Trunks = append(s.Trunks, r.Snap())
	}
	slices.SortFunc(s.Agents, func(x, y SnapAgent) int { return compareIDs(x.ID, y.ID) })
	slices.SortFunc(s.Queues, func(x, y SnapQueue) int { return compareIDs(x.ID, y.ID) })
	slices.SortFunc(s.Trunks, func(x, y SnapTrunk) int { return compareIDs(x.ID, y.ID) })
	s.Calls = SnapCalls{Waiting: []SnapWaiting{}, Abandoned: []SnapAbandoned{}}
	for _, c := range v.Calls.Waiting {
		s.Calls.Waiting = append(s.Calls.Waiting, SnapWaiting{ID: c.ID, QueueID: c.QueueID, Caller: c.Caller,
			Entered: c.Entered.UTC().Truncate(time.Second), WaitedS: seconds(c.Waited), Position: c.Position})
	}
	slices.SortStableFunc(s.Calls.Waiting, func(x, y SnapWaiting) int {
		if c := compareIDs(x.QueueID, y.QueueID); c != 0 {
			return c
		}
		return x.Position - y.Position
	})
	for _, c := range v.Calls.Abandoned {
		a := SnapAbandoned{ID: c.ID, QueueID: c.QueueID, Caller: c.Caller, Entered: c.Entered.UTC().Truncate(time.Second),
			Ended: c.Ended.UTC().Truncate(time.Second), WaitedS: seconds(c.Waited), Short: c.Short}
		if c.Reached != ReachedNot {
			reached := c.Reached
			a.Reached = &reached
		}
		s.Calls.Abandoned = append(s.Calls.Abandoned, a)
	}
	s.Intervals = []SnapDayInterval{}
	for _, in := range v.Intervals {
		si := SnapDayInterval{
			Start: in.Start.UTC(), LengthS: seconds(in.Length),
			AgentsLoggedIn: round2(in.AgentsLoggedIn), AgentsReachable: round2(in.AgentsReachable), AgentsPaused: round2(in.AgentsPaused),
			Total: snapIntervalCalls(in.Total), Queues: []SnapIntervalQueue{},
		}
		for _, q := range in.Queues {
			si.Queues = append(si.Queues, SnapIntervalQueue{QueueID: q.QueueID, SLTargetPct: target(q.Rule.Target), SLFormula: q.Rule.Formula,
				SnapIntervalCalls: snapIntervalCalls(q.IntervalFigures)})
		}
		slices.SortFunc(si.Queues, func(x, y SnapIntervalQueue) int { return compareIDs(x.QueueID, y.QueueID) })
		s.Intervals = append(s.Intervals, si)
	}
	s.QueueRuleNotes = append([]string{}, v.RuleNotes...)
	if sc := v.Scope; sc != nil {
		s.Scope = &SnapScope{Name: sc.Name, QueueIDs: append([]string{}, sc.QueueIDs...), GroupIDs: append([]string{}, sc.GroupIDs...),
			Unmatched: append([]string{}, sc.Unmatched...)}
	}
	return s
}

// Snap is the totals as a snapshot shows them.
func (t *Totals) Snap() SnapshotTotal {
	return SnapshotTotal{
		AgentsAvailable: t.Agents[Available], AgentsRinging: t.Agents[Ringing], AgentsCalling: t.Agents[Calling],
		AgentsOnCall: t.Agents[OnCall], AgentsPaused: t.Agents[Paused], AgentsUnavailable: t.Agents[Unavailable],
		AgentsLoggedOut: t.Agents[LoggedOut], AgentsUnknown: t.Agents[Unknown], AgentsOther: t.Agents[Other],
		CallsWaiting: t.CallsWaiting, LongestWaitS: seconds(t.LongestWait),
		Answered: t.Answered, Abandoned: t.Abandoned,
		ServiceLevelPct: percent(t.ServiceLevel, t.HasServiceLevel), ASAS: asa(t.ASA, t.Answered),
		AgentsOverLimit: t.overLimit(), AnsweredBeforeStart: t.AnsweredBeforeStart,
		AnsweredWithinSL: t.AnsweredInSL, SLCalls: t.SLCalls, SLTargetPct: target(t.SLTarget), HiddenQueues: t.HiddenQueues,
	}
}

// target is a service level's target as the snapshot gives it: null when
// none.
func target(pct float64) *float64 {
	if pct <= 0 {
		return nil
	}
	return &pct
}

// overLimit is OverLimit, nil when no limit is set.
func (t *Totals) overLimit() *int {
	if !t.LimitsSet {
		return nil
	}
	n := t.OverLimit
	return &n
}

// Snap is the queue as a snapshot shows it (name "" for a placeholder).
func (r *QueueRow) Snap() SnapQueue {
	q := SnapQueue{
		ID: r.ID, Name: r.Name, Waiting: r.Waiting, LongestWaitS: seconds(r.LongestWait), InProgress: r.InProgress,
		Answered: r.Answered, Abandoned: r.Abandoned, ShortAbandoned: r.ShortAbandoned,
		ServiceLevelPct: percent(r.ServiceLevel, r.HasServiceLevel), ASAS: asa(r.ASA, r.Answered),
		AgentsLoggedIn: r.AgentsLoggedIn, AgentsAvailable: r.AgentsAvailable, AgentsOnCall: r.AgentsOnCall, AgentsPaused: r.AgentsPaused,
		StaleCalls: r.StaleCalls, AnsweredBeforeStart: r.AnsweredBeforeStart,
		SLThresholdS: seconds(r.Rule.Threshold), ShortAbandonS: seconds(r.Rule.ShortAbandon), SLTargetPct: target(r.Rule.Target),
		SLFormula: r.Rule.Formula, AnsweredWithinSL: r.AnsweredInSL, SLCalls: r.SLCalls, SLLevel: r.Levels.ServiceLevel.String(),
	}
	if r.Placeholder && r.Rule.Name == "" {
		q.Name = ""
	}
	return q
}

// Snap is the trunk as a snapshot shows it (name "" for a placeholder).
func (r *TrunkRow) Snap() SnapTrunk {
	tr := SnapTrunk{ID: r.ID, Name: r.Name, Ringing: r.Ringing, Connected: r.Connected, Total: r.Total, Answered: r.Answered, Missed: r.Missed, StaleCalls: r.StaleCalls, AnsweredBeforeStart: r.AnsweredBeforeStart}
	if r.Placeholder {
		tr.Name = ""
	}
	return tr
}

func snapIntervalCalls(f IntervalFigures) SnapIntervalCalls {
	return SnapIntervalCalls{
		Offered: f.Offered, Answered: f.Answered, Abandoned: f.Abandoned, ShortAbandoned: f.ShortAbandoned,
		AnsweredWithinSL: f.AnsweredInSL, SLCalls: f.SLCalls, ServiceLevelPct: percent(f.ServiceLevel, f.HasServiceLevel),
		ASAS: asa(f.ASA, f.Answered), LongestWaitS: seconds(f.LongestWait),
	}
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// compareIDs orders ids numerically when both are integers, else as text.
func compareIDs(x, y string) int {
	xn, yn := isInteger(x), isInteger(y)
	switch {
	case xn && yn:
		xneg, yneg := strings.HasPrefix(x, "-"), strings.HasPrefix(y, "-")
		if xneg != yneg {
			if xneg {
				return -1
			}
			return 1
		}
		c := cmp.Or(cmp.Compare(len(x), len(y)), strings.Compare(x, y))
		if xneg {
			return -c
		}
		return c
	case xn:
		return -1
	case yn:
		return 1
	}
	return strings.Compare(x, y)
}

func isInteger(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func seconds(d time.Duration) int64 { return int64(max(d, 0) / time.Second) }

func percent(v float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	r := math.Round(v*10) / 10
	return &r
}

func asa(d time.Duration, answered int) *float64 {
	if answered == 0 {
		return nil
	}
	r := math.Round(d.Seconds()*10) / 10
	return &r
}
