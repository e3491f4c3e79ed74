package tui

import (
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"callboard/state"
)

// criticalBoard has a queue past its critical thresholds.
func criticalBoard(t *testing.T) Model {
	t.Helper()
	opts := state.Options{Location: time.UTC, Thresholds: state.Thresholds{WaitingWarn: 1, WaitingCritical: 1}}
	m, _ := scripted(t, opts, 120, 30)
	m, _ = update(t, m, keyRunes("3"), keyRunes("j"))
	return m
}

func TestLevelsAreMarkedWithoutColour(t *testing.T) {
	m := criticalBoard(t) // the tests draw without colour, as NO_COLOR
	v := m.View()
	if !strings.Contains(v, "!! 1       0:00:45") {
		t.Errorf("a critical figure has no marker without colour:\n%s", v)
	}
	m, _ = update(t, m, keyRunes("1"))
	if v := m.View(); !strings.Contains(v, " 1 !!") {
		t.Errorf("a critical tile has no marker:\n%s", v)
	}
	m.wall = true
	if v := m.View(); !strings.Contains(v, "!! WAITING !!") {
		t.Errorf("a critical wall figure has no marker:\n%s", v)
	}
}

// TestTheCursorRowKeepsItsColours: the cursor's row is highlighted, a
// background of its own with 256 colours, in reverse video with 16, and
// keeps the red of its critical figure; marked › alone without colours.
func TestTheCursorRowKeepsItsColours(t *testing.T) {
	for _, tc := range []struct {
		profile   termenv.Profile
		highlight string // the SGR parameter of the highlight
		red       string // the critical figure's, with it
	}{
		{termenv.ANSI, "7", "\x1b[1;7;31m"},
		{termenv.ANSI256, "48;5;236", "\x1b[1;31;48;5;236m"},
	} {
		m := repaint(criticalBoard(t), tc.profile)
		var cursor string
		for _, l := range strings.Split(m.View(), "\n") {
			if strings.HasPrefix(ansi.Strip(l), "›") {
				cursor = l
			}
		}
		if !strings.Contains(ansi.Strip(cursor), "Support") {
			t.Fatalf("%v: the cursor is not on Support: %q", tc.profile, cursor)
		}
		if !strings.Contains(cursor, tc.red) {
			t.Errorf("%v: the cursor row lost the red of its critical figure, want %q in %q", tc.profile, tc.red, cursor)
		}
		if !strings.Contains(cursor, "\x1b[1;"+tc.highlight+"mSupport") || !strings.Contains(cursor, "\x1b[1;"+tc.highlight+"m  ") {
			t.Errorf("%v: the cursor row, its gaps included, is not bold and highlighted (%s): %q", tc.profile, tc.highlight, cursor)
		}
	}
	m := criticalBoard(t) // without colour
	if v := m.View(); !strings.Contains(v, "› Support") || strings.Contains(v, "\x1b[") {
		t.Errorf("without colour the cursor row is not marked, or has escapes:\n%s", v)
	}
}

func TestHelpHasNoFixedGreys(t *testing.T) {
	m := New(Config{Renderer: renderer(termenv.TrueColor)})
	m, _ = update(t, m, sizeMsg(120, 30))
	footer := m.footerView()
	m, _ = update(t, m, keyRunes("?"))
	for _, text := range []string{footer, m.View()} {
		if strings.Contains(text, "38;2;") || strings.Contains(text, "38;5;") {
			t.Errorf("fixed colours in the help: %q", text)
		}
	}
}

func TestSortArrowSurvivesACutTitle(t *testing.T) {
	m := criticalBoard(t)
	m, _ = update(t, m, sizeMsg(40, 12), keyRunes("s"), keyRunes("s"))
	title := strings.Split(m.View(), "\n")[2]
	if !strings.Contains(title, "↓") {
		t.Errorf("the sort arrow is gone when the title is cut: %q", title)
	}
}

func TestHiddenColumnsAreAnnounced(t *testing.T) {
	m := criticalBoard(t)
	if v := m.View(); strings.Contains(v, "hidden") {
		t.Errorf("at 120 columns nothing is hidden:\n%s", v)
	}
	m, _ = update(t, m, sizeMsg(80, 24))
	if footer := m.footerView(); !strings.Contains(footer, "hidden: ASA") {
		t.Errorf("at 80 columns one column (ASA) is hidden, named in the footer: %q", footer)
	}
}

func TestDurationsShareOneFormat(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0:00:00", 65 * time.Second: "0:01:05", 2*time.Hour + 34*time.Minute + 27*time.Second: "2:34:27", 30 * time.Hour: "30:00:00",
	} {
		if got := state.Clock(d); got != want {
			t.Errorf("state.Clock(%v) = %q, want %q", d, got, want)
		}
	}
}

// renderer draws with colour profile p, whatever the terminal running the
// tests.
func renderer(p termenv.Profile) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(p)
	return r
}

// repaint gives m the styles of a terminal with colour profile p.
func repaint(m Model, p termenv.Profile) Model {
	m.styles = newStyles(renderer(p))
	m.help.Styles = m.styles.helpStyles()
	return m
}

func TestEachViewerHasTheColoursOfItsOwnTerminal(t *testing.T) {
	views := scriptedFeed(t)
	v := <-views
	colour := New(Config{View: v, Renderer: renderer(termenv.ANSI256)})
	plain := New(Config{View: v, Renderer: renderer(termenv.Ascii)})
	colour, _ = update(t, colour, sizeMsg(100, 20))
	plain, _ = update(t, plain, sizeMsg(100, 20))
	if c := colour.View(); !strings.Contains(c, "\x1b[") {
		t.Error("the viewer on a colour terminal has no colour")
	}
	if p := plain.View(); strings.Contains(p, "\x1b[") {
		t.Errorf("the viewer on a terminal without colour got escape sequences: %q", p)
	}
}

// TestTheFilterIsDrawnForTheViewersTerminal: the filter's cursor takes the
// viewer's colour profile, not the process's (a server without a
// terminal, whose default renderer draws no escape sequences).
func TestTheFilterIsDrawnForTheViewersTerminal(t *testing.T) {
	if lipgloss.DefaultRenderer().ColorProfile() != termenv.Ascii {
		t.Skip("the process's own renderer has colours: nothing to tell apart")
	}
	views := scriptedFeed(t)
	v := <-views
	m := New(Config{View: v, Renderer: renderer(termenv.ANSI256)})
	m, _ = update(t, m, sizeMsg(100, 20))
	m = keys(t, m, "/", "S")
	lines := strings.Split(m.View(), "\n")
	if footer := lines[len(lines)-1]; !strings.Contains(footer, "/S") || !strings.Contains(footer, "\x1b[7m") {
		t.Errorf("the filter line %q has no cursor drawn for the viewer's terminal", footer)
	}
}

// TestTheFilterHasACursorWithoutColours: with no colours nor video
// attributes an underscore stands for the cursor, and a filter longer than
// the footer shows the part where the cursor is.
func TestTheFilterHasACursorWithoutColours(t *testing.T) {
	views := scriptedFeed(t)
	v := <-views
	footer := func(m Model) string {
		lines := strings.Split(m.View(), "\n")
		return lines[len(lines)-1]
	}
	m := New(Config{View: v, Renderer: renderer(termenv.Ascii)})
	m, _ = update(t, m, sizeMsg(80, 20))
	m = keys(t, m, "/", "M", "a")
	if f := footer(m); !strings.HasPrefix(f, "/Ma_ ") {
		t.Errorf("the filter line %q has no cursor", f)
	}
	m, _ = update(t, m, tea.KeyMsg{Type: tea.KeyLeft})
	if f := footer(m); !strings.HasPrefix(f, "/M_a ") {
		t.Errorf("after ←, the filter line %q", f)
	}
	m, _ = update(t, New(Config{View: v, Renderer: renderer(termenv.Ascii)}), sizeMsg(40, 12))
	m = keys(t, m, "/")
	for _, r := range "abcdefghijklmnopqrstuvwxyz0123456789" {
		m = keys(t, m, string(r))
	}
	if f := footer(m); !strings.Contains(f, "789_") || lipgloss.Width(f) > 40 {
		t.Errorf("a long filter at 40 columns: %q, want its end and the cursor in sight", f)
	}
	// in colour, the input scrolls alike
	m, _ = update(t, New(Config{View: v, Renderer: renderer(termenv.ANSI256)}), sizeMsg(40, 12))
	m = keys(t, m, "/")
	for _, r := range "abcdefghijklmnopqrstuvwxyz0123456789" {
		m = keys(t, m, string(r))
	}
	if f := footer(m); !strings.Contains(ansi.Strip(f), "789") || lipgloss.Width(f) > 40 {
		t.Errorf("a long filter at 40 columns, in colour: %q, want its end in sight", f)
	}
}
