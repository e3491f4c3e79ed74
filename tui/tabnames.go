package tui

// TabNames are the names of the board's tabs, in the board's order: what
// Config.Start (beside "wall") and a wall page's tab name.
func TabNames() []string {
	tabs := newTabs()
	names := make([]string, len(tabs))
	for i, c := range tabs {
		names[i] = c.Title()
	}
	return names
}
