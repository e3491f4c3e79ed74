package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"callboard/state"
)

// viewMsg carries the board's newest view.
type viewMsg struct{ view *state.View }

// viewsEndedMsg says the views' channel was closed: no view will come.
type viewsEndedMsg struct{}

// waitForView returns the command that waits for the next view. Update
// runs it again after each, so exactly one reader waits; the channel holds
// only the newest view, so a board busy drawing skips the ones it missed.
func waitForView(views <-chan *state.View) tea.Cmd {
	return func() tea.Msg {
		v, ok := <-views
		if !ok {
			return viewsEndedMsg{}
		}
		return viewMsg{v}
	}
}
