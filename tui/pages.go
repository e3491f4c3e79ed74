package tui

import "callboard/state"

// Page is one page of the rotating wall: a scope's views (a hub
// subscription cut to the page's scope, within the viewer's), shown as the
// wall or as one of its tabs.
type Page struct {
	Name  string
	Tab   string // a tab's name; "" the wall
	Views <-chan *state.View
	View  *state.View // shown until the first of Views comes
}
