package app

import (
	"cmp"
	"os"
	"os/user"
	"time"

	"callboard/state"
)

// Acknowledger is how a viewer, by, acknowledges alerts on the session's
// board (tui.Config.Acknowledge): on its hub, for every reader of it, at
// the hub's clock, journaled when this process writes the journal; a
// process that only reads it, or beside its writer, cannot (the error
// says why). Nil without a board (no hub).
func (s *Session) Acknowledger(by string) func(key state.AlertKey, since time.Time) error {
	if s.Hub == nil {
		return nil
	}
	h := s.Hub
	return func(key state.AlertKey, since time.Time) error { return h.Acknowledge(key, since, by) }
}

// LocalUser is who acknowledges on the local board: the user's login
// name, else $USER (or $USERNAME), else "?"; the board keeps it sanitised
// and bounded (state.AckBy).
func LocalUser() string {
	name := ""
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	return cmp.Or(name, os.Getenv("USER"), os.Getenv("USERNAME"), "?")
}
