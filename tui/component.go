package tui

import "github.com/charmbracelet/bubbles/key"

// tabView is one tab of the board as a component, as in soft-serve's
// pkg/ui: it keeps what its viewer made of it (the narrowing, the rows shown
// and in which order, the scroll), knows its size and its own keys, and the
// root model composes the tabs, routes keys to the active one and gathers
// the help from it. The rows themselves come from the view every tab shares.
type tabView struct {
	id        tab
	narrowing narrowing
	order     []int // rows shown, by index into the view's rows
	scroll    scroll
	width     int
	height    int // lines for its table, titles included
}

func newTabView(id tab) tabView {
	return tabView{id: id, narrowing: narrowing{sortCol: -1}}
}

// SetSize gives the tab its part of the screen: width columns, height lines
// for its table (titles included).
func (c *tabView) SetSize(width, height int) {
	c.width, c.height = width, max(height, 0)
	c.scroll.clamp(len(c.order), c.visibleRows())
}

// visibleRows is how many rows of the table fit.
func (c *tabView) visibleRows() int { return max(c.height-titleLines, 1) }

// keys are the keys of the tab's own, besides the board's.
func (c *tabView) keys(k *keyMap) []key.Binding { return k.tabKeys(c.id) }
