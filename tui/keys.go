package tui

import "github.com/charmbracelet/bubbles/key"

// keyMap is every key the board answers to, declared once.
type keyMap struct {
	Tabs     key.Binding // 1 to 5: the tab of that number
	Next     key.Binding
	Prev     key.Binding
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Home     key.Binding
	End      key.Binding
	Quit     key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Tabs:     key.NewBinding(key.WithKeys("1", "2", "3", "4", "5"), key.WithHelp("1-5", "tab")),
		Next:     key.NewBinding(key.WithKeys("tab", "right"), key.WithHelp("tab/→", "next")),
		Prev:     key.NewBinding(key.WithKeys("shift+tab", "left"), key.WithHelp("⇧tab/←", "prev")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Home:     key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home", "top")),
		End:      key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end", "bottom")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

// ShortHelp is the footer's help line.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Tabs, k.Next, k.Up, k.Down, k.PageDown, k.Quit}
}

// FullHelp is every binding, grouped.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Tabs, k.Next, k.Prev},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End},
		{k.Quit},
	}
}
