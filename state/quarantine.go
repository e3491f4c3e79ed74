package state

import (
	"time"

	"callboard/feed"
)

// FeedMark is the feed's counters at a moment, taken before a message is
// applied, for Quarantine to go back to should its application panic.
type FeedMark struct{ feed FeedHealth }

// FeedMark returns the feed's counters as they are.
func (b *Board) FeedMark() FeedMark { return FeedMark{b.feed} }

// Quarantine counts m, whose application at now panicked with the message
// panicked, as rejected (reason feed.ReasonQuarantined, detail the panic's
// message) and shows it so in the event log, so that the board goes on
// without it. The feed's counters go back to mark, taken before, then an
// update is counted as any rejected update is (in the events received and
// in the cpt sequence): as the journal's line for it, which says it was
// rejected (Quarantine sets its Err), counts it when it is read back.
//
// What the update changed elsewhere before the panic is not undone: the
// reducer touches what the update names (an agent, a queue, a trunk, a
// call, and the day's counters for them), the rest of the board is as it
// was, and those come right with the next updates about them.
func (b *Board) Quarantine(m feed.Message, now time.Time, mark FeedMark, panicked string) {
	b.feed = mark.feed
	defer b.rebuildIndexes() // the counts and deadlines of the calls as the panic left them
	// the intervals' rows as the panic left them: an agent's period may be
	// closed without its next begun, a change the views would not see
	b.views.intervals = keptIntervals{}
	err := &feed.DecodeError{Reason: feed.ReasonQuarantined, Detail: panicked}
	if ev, ok := m.(*feed.Event); ok {
		ev.Err = err
		b.Apply(ev, now)
		return
	}
	kind := "message"
	switch m.(type) {
	case *feed.DirectoryMsg:
		kind = "directory"
	case *feed.StatusMsg:
		kind = "status"
	}
	b.feed.Rejected++
	b.feed.RejectedBy[err.Reason]++
	b.log.add(LogEntry{At: now, Kind: kind, Rejected: err.Error()})
}
