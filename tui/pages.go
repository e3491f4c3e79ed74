package tui

import (
	"strings"

	"callboard/state"
)

// Page is one page of the rotating wall: a scope's views (a hub
// subscription cut to the page's scope, within the viewer's), shown as the
// wall or as one of its tabs.
type Page struct {
	Name  string
	Tab   string // a tab's name; "" the wall
	Views <-chan *state.View
	View  *state.View // shown until the first of Views comes
}

// TabNames are the board's tabs by name, in order, as a page's Tab (and
// a start view) names them.
func TabNames() []string {
	tabs := newTabs()
	names := make([]string, len(tabs))
	for i, c := range tabs {
		names[i] = c.Title()
	}
	return names
}

// tabNamed is the place of the tab named name (its title, in any case),
// false when no tab has that name.
func tabNamed(name string) (tab, bool) {
	for i, n := range TabNames() {
		if strings.EqualFold(strings.TrimSpace(name), n) {
			return tab(i), true
		}
	}
	return 0, false
}

// IsTab reports whether name names one of the board's tabs (TabNames, in
// any case).
func IsTab(name string) bool {
	_, ok := tabNamed(name)
	return ok
}
