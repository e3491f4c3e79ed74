package tui

import (
	"time"

	"callboard/state"
)

// shared is the context the board shares with its tabs: the view shown,
// the window's size, the styles built once from the viewer's renderer and
// the keys. The root model keeps it and passes it to the tab it calls.
type shared struct {
	view    *state.View // the view shown, as the hub published it: never changed
	stopped bool        // the views ended, or the feed behind them

	styles *styles // built once, shared by the copies Bubble Tea makes of the model
	keys   *keyMap

	width, height int

	// ack acknowledges an alert (Config.Acknowledge), nil when this board
	// cannot; ackNote is what became of the last asked (acks.go), ackAsked
	// the alert asked while no view says it acknowledged
	ack      func(key state.AlertKey, since time.Time) error
	ackNote  string
	ackAsked *state.Alert
}

// live reports whether the figures on screen are current.
func (sh *shared) live() bool { return !sh.stopped && sh.view.Feed.Live() }

// location is the day's timezone, as the board keeps it.
func (sh *shared) location() *time.Location {
	if loc := sh.view.Day.Since.Location(); loc != nil {
		return loc
	}
	return time.Local
}
