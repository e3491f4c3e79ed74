package state

import (
	"strings"
	"time"

	"callboard/feed"
)

// LogEntry is one received update as the event log keeps it. Events
// returns it with its caller numbers shown per Options.CallerID (see
// privacy.go): in Raw and in Rejected, as everywhere else.
type LogEntry struct {
	At       time.Time
	Raw      []byte // as received, caller numbers treated; outside text, sanitise before display
	Kind     string
	Name     string
	Unknown  bool   // kept, but of a kind, name or status the board does not know
	Rejected string // why it could not be used; "" when it was applied
	// AgentID and QueueID are the agent and the queue the entry is about,
	// as the update named them (id_operator, id_queue; an acknowledgement's
	// alert's), "" when none: a scoped view keeps the entries about what
	// is in its scope only (View.For).
	AgentID, QueueID string
}

// aboutOf are the agent and the queue update u is about (LogEntry's
// AgentID and QueueID): those an operator, ui, queue or pushcall update
// names; none for a trunk's (a routing, in no scope) or an unknown kind's.
func (b *Board) aboutOf(u *feed.Update) (agent, queue string) {
	switch u.Kind {
	case feed.KindOperator, feed.KindUI, feed.KindQueue, feed.KindPushCall:
	default:
		return "", ""
	}
	// the board's own strings for the ids it knows (no copy per update),
	// else copies: never slices of the update
	if a := b.agents[string(u.Msg.Operator)]; a != nil {
		agent = a.id
	} else {
		agent = strings.Clone(string(u.Msg.Operator))
	}
	if q := b.queues[string(u.Msg.Queue)]; q != nil {
		queue = q.id
	} else {
		queue = strings.Clone(string(u.Msg.Queue))
	}
	if queue == "0" {
		queue = ""
	}
	return agent, queue
}

// eventLog is a ring of the most recent entries. Entries are kept as they
// came and have their caller numbers treated the first time Events returns
// them, so that the cost stays off the ingest path and is paid once, only
// for the entries someone looks at.
type eventLog struct {
	entries []LogEntry
	private []bool // entries[i] has had its caller numbers treated
	next    int
	full    bool
}

func newEventLog(size int) eventLog {
	return eventLog{entries: make([]LogEntry, size), private: make([]bool, size)}
}

func (l *eventLog) add(e LogEntry) {
	if len(l.entries) == 0 {
		return
	}
	l.entries[l.next], l.private[l.next] = e, false
	l.next++
	if l.next == len(l.entries) {
		l.next, l.full = 0, true
	}
}

// Events returns the kept log entries, newest first, their caller numbers
// shown per Options.CallerID.
func (b *Board) Events() []LogEntry {
	l := &b.log
	n := l.next
	if l.full {
		n = len(l.entries)
	}
	out := make([]LogEntry, 0, n)
	for i := 1; i <= n; i++ {
		j := (l.next - i + len(l.entries)) % len(l.entries)
		if !l.private[j] {
			l.entries[j], l.private[j] = b.privateEntry(l.entries[j]), true
		}
		out = append(out, l.entries[j])
	}
	return out
}
