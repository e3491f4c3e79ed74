package state

import (
	"slices"
	"strconv"
	"strings"
)

// Scope is the part of the center one audience sees: queues and agent
// groups, each named by id or by name (an id wins over a name, as in the
// queue rules). The zero Scope is the whole center. In Axialys a queue is
// an agent group (queue events' id_queue are group ids): a scope that names
// only queues takes those groups' agents, one that names only groups takes
// those groups' queues (see the README's "Scopes").
type Scope struct {
	// Name is how the scope is shown ("Support"); "" names it from what it
	// matched.
	Name   string
	Queues []string
	Groups []string
}

// Whole reports whether the scope is the whole center.
func (s Scope) Whole() bool { return len(s.Queues) == 0 && len(s.Groups) == 0 }

// Audience is what one consumer of the board may see of it: a scope, and
// caller numbers shown no more than CallerID.
type Audience struct {
	Scope Scope
	// CallerID is how this audience sees caller numbers: "" as the board
	// shows them (Options.CallerID); one that hides more than the board's
	// is applied, one that would show more is not (an audience never sees
	// more than the board's own setting).
	CallerID CallerDisplay
}

// Whole reports whether the audience sees the board's views as they are.
func (a Audience) Whole() bool { return a.Scope.Whole() && a.CallerID == "" }

// Key is a text that two audiences share when, and only when, they see the
// same views: whoever makes views for many consumers makes one per key.
func (a Audience) Key() string {
	if a.Whole() {
		return ""
	}
	// each field written as its length and its text, each list as its
	// count: two audiences' keys are equal only when the audiences are,
	// whatever their texts hold
	var b strings.Builder
	field := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
	}
	field(string(a.CallerID))
	field(a.Scope.Name)
	for _, list := range [][]string{sortedSet(a.Scope.Queues), sortedSet(a.Scope.Groups)} {
		b.WriteString(strconv.Itoa(len(list)))
		b.WriteByte('#')
		for _, s := range list {
			field(s)
		}
	}
	return b.String()
}

func sortedSet(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// ScopeShown is what a scoped view says of its scope: its name and what
// it matched, for the header and whoever reads the view.
type ScopeShown struct {
	Name string
	// QueueIDs and GroupIDs are the ids the scope matched on the board.
	QueueIDs, GroupIDs []string
	// Unmatched are the scope's entries that matched no queue or group
	// the board knows (yet): shown, never silently ignored.
	Unmatched []string
	// WaitingLastHourUnavailable says View.WaitingLastHour is not known
	// for the scope (a view not made by a board's View): left nil, not
	// the center's.
	WaitingLastHourUnavailable bool
}

// For returns the view as audience a sees it: v itself when a sees the
// whole board; else a new view holding only what is in a's scope — its
// agents, queues, their calls, the events about them, the Day's intervals
// of those queues, the alerts on them — with its totals, service level and
// alerts computed over the scope (each queue under its own rule), and its
// caller numbers shown per a.CallerID. Nothing outside the scope is in it:
// the scoped view is what reaches the consumer, never the whole one. A
// scoped view may be cut again (a wall page within a viewer's scope).
func (v *View) For(a Audience) *View {
	if a.Whole() {
		return v
	}
	return v.scoped(a)
}
