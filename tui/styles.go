package tui

import (
	"strconv"
	"strings"

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

// palette is the colour of each role on one kind of background.
//
// Red says a critical level and nothing else (a figure past its critical
// threshold, the feed not live): an agent unavailable is blue, logged out
// faint. On a dark background the colours are the 16 ANSI ones, so the
// terminal's own theme decides the shades; on a light one, darker shades
// of the 256 colours, as a terminal's yellow and cyan wash out on white
// (a terminal of 16 colours gets the nearest of its own). No fixed grey:
// muted text is faint.
type palette struct {
	ok, warn, critical          lipgloss.Color
	onCall, paused, unavailable lipgloss.Color
	active                      lipgloss.Color // the active tab
	abandoned                   lipgloss.Color // the chart's abandoned calls
	cursor                      lipgloss.Color // the cursor row's background (256 colours and more)
}

var (
	darkPalette = palette{
		ok: "2", warn: "3", critical: "1",
		onCall: "6", paused: "5", unavailable: "12",
		active: "4", abandoned: "5", cursor: "236",
	}
	lightPalette = palette{
		ok: "28", warn: "130", critical: "160",
		onCall: "30", paused: "127", unavailable: "25",
		active: "25", abandoned: "127", cursor: "254",
	}
)

// SetBackground tells r whether the terminal's background is light from
// colorfgbg, the COLORFGBG variable some terminals set ("fg;bg", or
// "fg;default;bg": "0;15" is black on white), so that the board picks its
// light palette there. The terminal is never asked (a query some terminals
// never answer, the keys typed meanwhile lost to it): without COLORFGBG
// the background is taken for dark.
func SetBackground(r *lipgloss.Renderer, colorfgbg string) {
	r.SetHasDarkBackground(!lightBackground(colorfgbg))
}

// lightBackground reports whether COLORFGBG names a light background
// colour: its last field, one of the 16 ANSI colours, as light as the
// xterm palette draws it.
func lightBackground(colorfgbg string) bool {
	fields := strings.Split(colorfgbg, ";")
	n, err := strconv.Atoi(strings.TrimSpace(fields[len(fields)-1]))
	if len(fields) < 2 || err != nil || n < 0 || n > 15 {
		return false
	}
	_, _, l := termenv.ConvertToRGB(termenv.ANSIColor(n)).Hsl()
	return l >= 0.5
}

// newStyles builds every style of a board from r, the renderer of the
// terminal it draws on: its colour profile and background decide, so each
// ssh viewer gets colours for its own terminal, not the server's.
func newStyles(r *lipgloss.Renderer) *styles {
	plain := r.NewStyle()
	p := darkPalette
	if !r.HasDarkBackground() {
		p = lightPalette
	}
	// The cursor's row: bold on a background of its own where the
	// terminal has 256 colours, its cells keeping their own colours over
	// it; in reverse video with 16 (whose greys may be the background
	// itself), a figure's colour then the colour of its block; the marker
	// › alone without colours.
	selected := plain.Bold(true)
	switch r.ColorProfile() {
	case termenv.ANSI:
		selected = selected.Reverse(true)
	case termenv.ANSI256, termenv.TrueColor:
		selected = selected.Background(p.cursor)
	}
	return &styles{
		colourless:  r.ColorProfile() == termenv.Ascii,
		plain:       plain,
		title:       plain.Bold(true),
		live:        plain.Foreground(p.ok).Bold(true),
		connecting:  plain.Foreground(p.warn).Bold(true),
		down:        plain.Foreground(p.critical).Bold(true),
		dim:         plain.Faint(true),
		warn:        plain.Foreground(p.warn),
		tab:         plain,
		activeTab:   plain.Bold(true).Foreground(p.active),
		tableHeader: plain.Bold(true),
		selected:    selected,
		critical:    plain.Foreground(p.critical).Bold(true),
		tileLabel:   plain.Faint(true),
		tileValue:   plain.Bold(true),

		chartAnswered:  plain.Foreground(p.ok),
		chartAbandoned: plain.Foreground(p.abandoned),
		chartReachable: plain.Foreground(p.onCall),
		agentState: map[state.AgentState]lipgloss.Style{
			state.Available:   plain.Foreground(p.ok),
			state.Ringing:     plain.Foreground(p.warn),
			state.Calling:     plain.Foreground(p.warn),
			state.OnCall:      plain.Foreground(p.onCall),
			state.Paused:      plain.Foreground(p.paused),
			state.LoggedOut:   plain.Faint(true),
			state.Unavailable: plain.Foreground(p.unavailable),
			state.Other:       plain.Foreground(p.unavailable),
			state.Unknown:     plain.Faint(true),
		},
	}
}
