package tui

import "callboard/state"

// sanitize is the one cleaner of outside text before it reaches the
// terminal (see state.Sanitize).
var sanitize = state.Sanitize
