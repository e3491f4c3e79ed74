package tui

import "github.com/charmbracelet/bubbles/key"

// keyMap is every key the board and its tabs answer to, declared once.
type keyMap struct {
	Tabs     key.Binding // 1 to 8: the tab of that number
	Next     key.Binding
	Prev     key.Binding
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Home     key.Binding
	End      key.Binding
	Filter   key.Binding
	Keep     key.Binding
	Clear    key.Binding
	Sort     key.Binding
	Reverse  key.Binding
	Avail    key.Binding
	Paused   key.Binding
	OnCall   key.Binding
	Group    key.Binding
	CallBack key.Binding
	PerQueue key.Binding
	Help     key.Binding
	Wall     key.Binding
	Quit     key.Binding
	Detail   key.Binding // Events: the event under the cursor, whole
	Ack      key.Binding // Alerts: the alert under the cursor, acknowledged (acks.go)
	Reset    key.Binding // the start's tab, every sort and filter cleared (settings.go)
	// The rotating wall's (rotation.go), enabled when it has pages.
	Pause    key.Binding
	NextPage key.Binding
	PrevPage key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Tabs:     key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8"), key.WithHelp("1-8", "tab")),
		Next:     key.NewBinding(key.WithKeys("tab", "right"), key.WithHelp("tab/→", "next")),
		Prev:     key.NewBinding(key.WithKeys("shift+tab", "left"), key.WithHelp("⇧tab/←", "prev")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Home:     key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "top")),
		End:      key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "bottom")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Keep:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
		Clear:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filters")),
		Sort:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort column")),
		Reverse:  key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse sort")),
		Avail:    key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "agents available")),
		Paused:   key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "agents paused")),
		OnCall:   key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "agents on a call")),
		Group:    key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "next group")),
		CallBack: key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "to call back only")),
		PerQueue: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "each queue / totals")),
		Help:     key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("?/F1", "help")),
		Wall:     key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "wall mode")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Detail:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "event detail")),
		Ack:      key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "acknowledge alert")),
		Reset:    key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "reset all")),
		Pause:    key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "wall: pause/resume rotation")),
		NextPage: key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "wall: next page")),
		PrevPage: key.NewBinding(key.WithKeys("["), key.WithHelp("[", "wall: previous page")),
	}
}

// helpKeys is the help of the board and of its active tab.
type helpKeys struct {
	k    *keyMap
	own  []key.Binding // the active tab's own keys
	wall []key.Binding // the rotating wall's keys
}

// ShortHelp is the footer's help line. It names ? alone for the help:
// the footer is short of room, the help itself says F1.
func (h helpKeys) ShortHelp() []key.Binding {
	k := h.k
	help := k.Help
	help.SetHelp("?", help.Help().Desc)
	// the help first: where the footer is short, it stays
	return []key.Binding{help, k.Tabs, k.Filter, k.Sort, k.Wall, k.Quit}
}

// FullHelp is every binding of the board and the tab, grouped.
func (h helpKeys) FullHelp() [][]key.Binding {
	k := h.k
	groups := [][]key.Binding{
		{k.Tabs, k.Next, k.Prev, k.Wall, k.Help, k.Quit},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End},
		{k.Filter, k.Keep, k.Clear, k.Sort, k.Reverse, k.Reset},
	}
	if len(h.own) > 0 {
		groups = append(groups, h.own)
	}
	if len(h.wall) > 0 {
		groups = append(groups, h.wall)
	}
	return groups
}

// helpKeys gathers the help of the board and of its active tab.
func (m *Model) helpKeys() helpKeys {
	return helpKeys{k: m.keys, own: m.current().Keys(&m.shared), wall: m.wallKeys()}
}
