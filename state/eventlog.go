package state

import "time"

// LogEntry is one received update as the event log keeps it.
type LogEntry struct {
	At       time.Time
	Raw      []byte // as received; outside text, sanitise before display
	Kind     string
	Name     string
	Unknown  bool   // kept, but of a kind, name or status the board does not know
	Rejected string // why it could not be used; "" when it was applied
}

// eventLog is a ring of the most recent entries.
type eventLog struct {
	entries []LogEntry
	next    int
	full    bool
}

func newEventLog(size int) eventLog { return eventLog{entries: make([]LogEntry, size)} }

func (l *eventLog) add(e LogEntry) {
	if len(l.entries) == 0 {
		return
	}
	l.entries[l.next] = e
	l.next++
	if l.next == len(l.entries) {
		l.next, l.full = 0, true
	}
}

// Events returns the kept log entries, newest first.
func (b *Board) Events() []LogEntry {
	l := &b.log
	n := l.next
	if l.full {
		n = len(l.entries)
	}
	out := make([]LogEntry, 0, n)
	for i := 1; i <= n; i++ {
		out = append(out, l.entries[(l.next-i+len(l.entries))%len(l.entries)])
	}
	return out
}
