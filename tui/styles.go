package tui

import (
	"github.com/charmbracelet/lipgloss"

	"callboard/state"
)

// styles holds every style the board uses. Build it once with newStyles.
type styles struct {
	title       lipgloss.Style
	live        lipgloss.Style
	connecting  lipgloss.Style
	down        lipgloss.Style
	dim         lipgloss.Style
	warn        lipgloss.Style
	tab         lipgloss.Style
	activeTab   lipgloss.Style
	tableHeader lipgloss.Style
	selected    lipgloss.Style
	agentState  map[state.AgentState]lipgloss.Style
	critical    lipgloss.Style
	tileLabel   lipgloss.Style
	tileValue   lipgloss.Style
}

// level returns the style of a figure at level l: nil (plain) when calm.
func (st *styles) level(l state.Level) *lipgloss.Style {
	switch l {
	case state.LevelWarn:
		return &st.warn
	case state.LevelCritical:
		return &st.critical
	}
	return nil
}

// The 16 ANSI colours, so the terminal's own theme decides the shades.
const (
	red     = lipgloss.Color("1")
	green   = lipgloss.Color("2")
	yellow  = lipgloss.Color("3")
	blue    = lipgloss.Color("4")
	magenta = lipgloss.Color("5")
	cyan    = lipgloss.Color("6")
	grey    = lipgloss.Color("8")
)

func newStyles() styles {
	plain := lipgloss.NewStyle()
	return styles{
		title:       plain.Bold(true),
		live:        plain.Foreground(green).Bold(true),
		connecting:  plain.Foreground(yellow).Bold(true),
		down:        plain.Foreground(red).Bold(true),
		dim:         plain.Faint(true),
		warn:        plain.Foreground(yellow),
		tab:         plain.Foreground(grey),
		activeTab:   plain.Bold(true).Foreground(blue),
		tableHeader: plain.Bold(true),
		selected:    plain.Reverse(true),
		critical:    plain.Foreground(red).Bold(true),
		tileLabel:   plain.Foreground(grey),
		tileValue:   plain.Bold(true),
		agentState: map[state.AgentState]lipgloss.Style{
			state.Available:   plain.Foreground(green),
			state.Ringing:     plain.Foreground(yellow),
			state.Calling:     plain.Foreground(yellow),
			state.OnCall:      plain.Foreground(cyan),
			state.Paused:      plain.Foreground(magenta),
			state.LoggedOut:   plain.Foreground(grey),
			state.Unavailable: plain.Foreground(red),
			state.Other:       plain.Foreground(red),
			state.Unknown:     plain.Faint(true),
		},
	}
}
