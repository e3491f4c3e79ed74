package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"callboard/state"
)

// helpStyles are the key help's styles, built from the board's so that the
// help reads on light and dark backgrounds alike.
func (st *styles) helpStyles() help.Styles {
	return help.Styles{
		ShortKey:       st.title,
		ShortDesc:      st.plain,
		ShortSeparator: st.dim,
		Ellipsis:       st.dim,
		FullKey:        st.title,
		FullDesc:       st.plain,
		FullSeparator:  st.dim,
	}
}

// styles holds every style the board uses. Build it once with newStyles.
type styles struct {
	colourless  bool // the terminal shows no colour nor video attribute (NO_COLOR)
	plain       lipgloss.Style
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
	// the bars of the Overview's chart of the day
	chartAnswered, chartAbandoned, chartReachable lipgloss.Style
}

// level is how a figure at level l is told apart, wherever it is drawn:
// its style, nil (plain) when calm, and a marker that says it without
// colour, "" when calm.
func (st *styles) level(l state.Level) (style *lipgloss.Style, marker string) {
	switch l {
	case state.LevelWarn:
		return &st.warn, "▲"
	case state.LevelCritical:
		return &st.critical, "!!"
	}
	return nil, ""
}

// The 16 ANSI colours, so the terminal's own theme decides the shades; no
// fixed grey, which is unreadable on one background or the other: muted
// text is faint.
const (
	red     = lipgloss.Color("1")
	green   = lipgloss.Color("2")
	yellow  = lipgloss.Color("3")
	blue    = lipgloss.Color("4")
	magenta = lipgloss.Color("5")
	cyan    = lipgloss.Color("6")
)

// newStyles builds every style of a board from r, the renderer of the
// terminal it draws on: its colour profile and background decide, so each
// ssh viewer gets colours for its own terminal, not the server's.
func newStyles(r *lipgloss.Renderer) *styles {
	plain := r.NewStyle()
	return &styles{
		colourless:  r.ColorProfile() == termenv.Ascii,
		plain:       plain,
		title:       plain.Bold(true),
		live:        plain.Foreground(green).Bold(true),
		connecting:  plain.Foreground(yellow).Bold(true),
		down:        plain.Foreground(red).Bold(true),
		dim:         plain.Faint(true),
		warn:        plain.Foreground(yellow),
		tab:         plain,
		activeTab:   plain.Bold(true).Foreground(blue),
		tableHeader: plain.Bold(true),
		selected:    plain.Bold(true),
		critical:    plain.Foreground(red).Bold(true),
		tileLabel:   plain.Faint(true),
		tileValue:   plain.Bold(true),

		chartAnswered:  plain.Foreground(green),
		chartAbandoned: plain.Foreground(red),
		chartReachable: plain.Foreground(cyan),
		agentState: map[state.AgentState]lipgloss.Style{
			state.Available:   plain.Foreground(green),
			state.Ringing:     plain.Foreground(yellow),
			state.Calling:     plain.Foreground(yellow),
			state.OnCall:      plain.Foreground(cyan),
			state.Paused:      plain.Foreground(magenta),
			state.LoggedOut:   plain.Faint(true),
			state.Unavailable: plain.Foreground(red),
			state.Other:       plain.Foreground(red),
			state.Unknown:     plain.Faint(true),
		},
	}
}
