package app

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"callboard/hub"
	"callboard/state"
)

// The bounds of a scope's entries (a queue or a group, by id or name), as
// a command's --queues and --groups give them: a name is a label of the
// service's (128 characters as the metrics cut them), a scope a team's
// queues, not the account's hundreds.
const (
	MaxScopeEntries    = 100 // queues and groups, each list
	MaxScopeEntryChars = 128
)

// CheckScopeEntry says what is wrong with one entry of a scope, nil when
// nothing: empty, longer than MaxScopeEntryChars, not UTF-8, or holding a
// character the sanitiser removes (a control character, an escape, a bidi
// or invisible one), which could name a queue other than it shows.
func CheckScopeEntry(e string) error {
	switch {
	case e == "":
		return errors.New("an entry is empty (two commas in a row, or one at an end)")
	case utf8.RuneCountInString(e) > MaxScopeEntryChars:
		return fmt.Errorf("an entry is %d characters long, more than %d", utf8.RuneCountInString(e), MaxScopeEntryChars)
	case !utf8.ValidString(e):
		return fmt.Errorf("%q is not UTF-8", e)
	case state.Sanitize(e) != e:
		return fmt.Errorf("%q holds a control, invisible or bidi character", e)
	}
	return nil
}

// Subscribe subscribes to the session's views as its audience sees them
// (Options.Scope: the whole board when it has none), each of more then
// cutting what the one before made (a wall page within the scope).
func (s *Session) Subscribe(more ...state.Audience) *hub.Subscription {
	return s.Hub.Subscribe(s.audiences(more)...)
}

// Latest is the newest view as the session's audience sees it (Subscribe).
func (s *Session) Latest(more ...state.Audience) *state.View {
	return s.Hub.Latest(s.audiences(more)...)
}

func (s *Session) audiences(more []state.Audience) []state.Audience {
	if s.audience.Whole() {
		return more
	}
	return append([]state.Audience{s.audience}, more...)
}
