package state

import (
	"slices"
	"time"
)

// View is everything a consumer shows of a board at one moment: rows,
// totals, the feed's health, the day's span and the event log. Board.View
// builds it; nothing changes it afterwards, so one View may be shared by any
// number of goroutines (the screen, the snapshot, the metrics, viewers).
// Views share what is closed (the rows of the calls lost today, those of
// the intervals' queues): no reader may change a view's slices.
type View struct {
	Now  time.Time // when the view was taken
	AsOf time.Time // the moment its running figures are true at (Board.AsOf)

	Agents []AgentRow // by name
	Queues []QueueRow // by name
	Trunks []TrunkRow // by name
	Events []LogEntry // newest first
	Totals Totals
	Feed   FeedHealth
	Day    DaySpan
	Calls  Calls // who waits now, who was lost today
	// WaitingLastHour is the most calls waiting in each of the last
	// HistoryMinutes minutes the board was live, oldest first: at each
	// tick in the minute (the calls it leaves) and after each update of it
	// while time is let pass at least every second (as the hub does), so
	// that it does not depend on where the ticks fall.
	WaitingLastHour []int
	// Intervals are today's, from the counters' start to AsOf.
	Intervals []IntervalRow
	// Alerts are the rules raised now, newest first; AlertChanges the
	// last of their changes, oldest first, numbered by Seq (a bounded
	// ring: Board.Alerts, AlertChanges).
	Alerts       []Alert
	AlertChanges []AlertChange
	// Acks are the alerts' acknowledgements the board keeps (Board.Acks).
	Acks []Acknowledgement
	// RuleNotes are the keys of Options.QueueRules the board ignored or
	// found no queue for (Board.RuleNotes).
	RuleNotes []string
	// Report is every call and every agent's day; nil unless whoever runs
	// the board asked for it (Board.Report: it grows with the day).
	Report *Report

	// Scope is the scope this view was cut to (View.For); nil for the
	// whole center.
	Scope *ScopeShown

	// What a scoped view is cut from (View.For), shown by no reader: the
	// rows of the queues their rule hides, their figures in each of
	// Intervals, WaitingLastHour's minutes queue by queue, the default
	// thresholds (Options.Thresholds) and how the board shows caller
	// numbers (Options.CallerID).
	hidden          []QueueRow
	hiddenIntervals [][]IntervalQueue
	waitLogs        []minuteLog
	thresholds      Thresholds
	callerID        CallerDisplay

	// FeedEnded is set by whoever runs the board when its source of
	// messages has ended for good (a replay's last message, a stopped feed).
	FeedEnded bool
	// Journal is set by whoever runs the board: how the day is kept.
	Journal JournalHealth
	// Notify is set by whoever runs the board: how the alerts are sent out.
	Notify NotifyHealth
}

// JournalHealth says how the board's day is kept on disk (the journal of
// package journal), as whoever runs the board knows it.
type JournalHealth struct {
	On       bool   // a journal is kept or read
	Writing  bool   // this process writes it
	Problem  string // why it is not written, e.g. "not writing (disk full)"; outside text
	Dropped  int    // lines lost while not writing
	Replayed int    // messages replayed from it at start, those a checkpoint carries (Checkpoint) included
	Skipped  int    // lines of it that could not be read (torn or corrupt)
	// Checkpoint is the time of the journal's last line the checkpoint
	// the board started from covers; zero when it started from the day's
	// first line.
	Checkpoint time.Time
	// CheckpointsIgnored counts the checkpoints found but not loaded
	// (torn, corrupt, of another version or other rules, a link): the
	// day was replayed from further back instead.
	CheckpointsIgnored int
}

// View lets time pass to now (Tick) and returns the board as of then, its
// running figures frozen where the data froze while the feed is not live.
func (b *Board) View(now time.Time) *View {
	b.Tick(now)
	asOf := b.AsOf(now)
	waits := b.queueWaits(asOf) // once for the queues and the totals
	queues, hidden := b.queueRows(asOf, waits)
	intervals := b.Intervals(asOf)
	return &View{
		Now:    now,
		AsOf:   asOf,
		Agents: b.Agents(asOf),
		Queues: queues,
		Trunks: b.Trunks(),
		Events: b.Events(),
		Totals: b.totals(asOf, waits),
		Feed:   b.Feed(),
		Day:    b.Day(),
		Calls:  b.Calls(asOf),

		WaitingLastHour: b.waited.values(),

		Intervals: intervals,

		Alerts:       b.Alerts(),
		AlertChanges: b.AlertChanges(),
		Acks:         b.Acks(),
		RuleNotes:    b.ruleNotes,

		hidden:          hidden,
		hiddenIntervals: b.hiddenIntervals(intervals, len(hidden) > 0),
		waitLogs:        slices.Clone(b.waited.logs), // the newest's slices grow beyond what this view reads, never within
		thresholds:      b.opts.Thresholds,
		callerID:        b.opts.CallerID,
	}
}
