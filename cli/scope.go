package cli

import (
	"flag"
	"fmt"
	"strings"

	"callboard/app"
	"callboard/state"
)

// scopeFlags are --queues and --groups, a command's scope: what of the
// center its board, snapshot, report or metrics show (a tmux pane per
// team). Each takes ids or names, comma-separated, and may be repeated.
type scopeFlags struct {
	queues, groups scopeList
}

// newScopeFlags adds --queues and --groups to fs; what shows is named by
// what (the board, the snapshot…).
func newScopeFlags(fs *flag.FlagSet, what string) *scopeFlags {
	f := &scopeFlags{}
	fs.Var(&f.queues, "queues", "show only these queues in "+what+", and their groups' agents: a comma-separated `LIST` of ids or names (repeatable)")
	fs.Var(&f.groups, "groups", "show only these agent groups in "+what+", and their queues: a comma-separated `LIST` of ids or names (repeatable)")
	return f
}

// scope is the scope the flags give, the zero Scope (the whole center)
// without them, or the usage error of the first bad entry given.
func (f *scopeFlags) scope() (state.Scope, error) {
	for _, l := range []struct {
		name string
		list *scopeList
	}{{"queues", &f.queues}, {"groups", &f.groups}} {
		if l.list.err != nil {
			return state.Scope{}, usageError(fmt.Errorf("--%s: %v", l.name, l.list.err))
		}
	}
	return state.Scope{Queues: f.queues.entries, Groups: f.groups.entries}, nil
}

// scopeList is the entries of one of the scope's flags, each checked as
// it is given (app.CheckScopeEntry). A bad one is kept as err, said by
// scope: the flag package's own error would repeat the whole value, of
// any length.
type scopeList struct {
	entries []string
	err     error
}

func (l *scopeList) String() string { return strings.Join(l.entries, ",") }

// Set takes one occurrence of the flag: entries separated by commas,
// spaces around them trimmed.
func (l *scopeList) Set(text string) error {
	for e := range strings.SplitSeq(text, ",") {
		if l.err != nil {
			break
		}
		e = strings.TrimSpace(e)
		switch err := app.CheckScopeEntry(e); {
		case err != nil:
			l.err = err
		case len(l.entries) == app.MaxScopeEntries:
			l.err = fmt.Errorf("more than %d entries", app.MaxScopeEntries)
		default:
			l.entries = append(l.entries, e)
		}
	}
	return nil
}
