package tui

import (
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"callboard/feed"
	"callboard/state"
)

// The board's chrome: the header, the help, the Overview's tiles in a
// small window, the one duration format and the colours.

// refusedReason is a refused connection's reason as the feed words it: the
// address it names is where the connection went.
const refusedReason = "authentication: connection refused by callcenter.example.com:8443"

// secondBoard is what a second board on the same account says of the
// journal: the first one writes it.
const secondBoard = "not writing (another process writes it, pid 123456)"

// chromeView is the scripted morning as of ten minutes after its start,
// the feed refused since two minutes in when refused is set, with the
// journal's problem when not "".
func chromeView(t testing.TB, opts state.Options, refused bool, journal string) *state.View {
	tb := newTestBoard(t, opts)
	for _, msg := range scriptedMessages(t) {
		tb.board.Handle(msg, feed.MessageTime(msg))
	}
	if refused {
		at := start.Add(2 * time.Minute)
		tb.board.Handle(&feed.StatusMsg{State: feed.Disconnected, Reason: refusedReason, At: at, NextRetry: at.Add(10 * time.Minute)}, at)
	}
	v := tb.board.View(start.Add(10 * time.Minute))
	if journal != "" {
		v.Journal = state.JournalHealth{On: true, Problem: journal}
	}
	return v
}

// chromeModel is a board on v, with its title and account, width×height.
func chromeModel(t testing.TB, v *state.View, account string, width, height int) Model {
	m := New(Config{Title: "callboard", Account: account, View: v, Renderer: renderer(termenv.Ascii)})
	m, _ = update(t, m, sizeMsg(width, height))
	return m
}

func headerOf(m Model) string { return strings.SplitN(m.View(), "\n", 2)[0] }

func TestTheHeaderKeepsWhereARefusedConnectionWent(t *testing.T) {
	m := chromeModel(t, chromeView(t, state.Options{}, true, ""), "sup@acme", 80, 24)
	h := headerOf(m)
	// the next try goes before the address does
	for _, want := range []string{"● disconnected: authenticatio… callcenter.example.com:8443", "data frozen 0:08:00"} {
		if !strings.Contains(h, want) {
			t.Errorf("at 80 columns the header %q lost %q", h, want)
		}
	}
	if lipgloss.Width(h) > 80 || !strings.Contains(h, "…") {
		t.Errorf("the header %q is not the reason cut to 80 columns", h)
	}
	// wide enough, the whole reason
	m, _ = update(t, m, sizeMsg(160, 24))
	if h := headerOf(m); !strings.Contains(h, refusedReason+" — data frozen") {
		t.Errorf("at 160 columns the header %q cuts the reason", h)
	}
	m, _ = update(t, m, sizeMsg(100, 24))
	if h := headerOf(m); !strings.Contains(h, "… callcenter.example.com:8443 — data frozen 0:08:00 — retry in 0:02:00") {
		t.Errorf("at 100 columns the header %q", h)
	}
	// too narrow for the address beside the data's age, the age stays
	m, _ = update(t, m, sizeMsg(60, 24))
	if h := headerOf(m); !strings.Contains(h, "● disconnected: auth") || !strings.HasSuffix(h, "— data frozen 0:08:00") || lipgloss.Width(h) > 60 {
		t.Errorf("at 60 columns the header %q", h)
	}
}

func TestKeepAddress(t *testing.T) {
	for _, tc := range []struct {
		s     string
		width int
		want  string
	}{
		{"connection refused by db.example.com:443", 80, "connection refused by db.example.com:443"},
		{"connection refused by db.example.com:443", 30, "connection… db.example.com:443"},
		{"no answer from 10.0.0.7:8443 within 10s (timeout)", 30, "no answer from 10.0.0.7:8443 …"},
		{"connection reset by [2001:db8::1]:443", 30, "connection … [2001:db8::1]:443"},
		{"connection reset by [2001:db8::1]:443", 24, "connection reset by [20…"}, // too short for the address and some of what precedes
		{"data from 15:04, nothing else to say here", 20, "data from 15:04, no…"}, // a time is no address
		{"refused by a-very-long-host-name.example.com:443", 20, "refused by a-very-l…"},
	} {
		got, _ := keepAddress(tc.s, tc.width)
		if got != tc.want || ansi.StringWidth(got) > tc.width {
			t.Errorf("keepAddress(%q, %d) = %q, want %q", tc.s, tc.width, got, tc.want)
		}
	}
}

// TestASecondBoardKeepsItsClock: the journal's note of a board that cannot
// write it (another board on the account does) takes what the clock
// leaves, shortened.
func TestASecondBoardKeepsItsClock(t *testing.T) {
	v := chromeView(t, state.Options{}, false, secondBoard)
	clock := v.Now.Format("15:04:05")
	for _, width := range []int{40, 60, 80, 100} {
		h := headerOf(chromeModel(t, v, "", width, 24))
		if !strings.Contains(h, "● live") || !strings.HasSuffix(h, clock) || !strings.Contains(h, "journal: not") || lipgloss.Width(h) > width {
			t.Errorf("at %d columns the header is %q: want the state, the journal's note and the clock", width, h)
		}
	}
	if h := headerOf(chromeModel(t, v, "", 160, 24)); !strings.Contains(h, "journal: "+secondBoard) {
		t.Errorf("at 160 columns the journal's note is cut: %q", h)
	}
}

func TestTheHeaderNamesTheAccount(t *testing.T) {
	v := chromeView(t, state.Options{}, false, "")
	h := headerOf(chromeModel(t, v, "sup\x1b[31m@acme\u202e", 100, 24))
	if !strings.HasPrefix(h, "callboard · sup@acme  ● live v4") {
		t.Errorf("the header %q does not name the account (sanitised) after the title", h)
	}
	// where there is no room, the account goes first: the state and the clock stay
	h = headerOf(chromeModel(t, v, "a-rather-long-supervisor-login@acme", 60, 24))
	if strings.Contains(h, "supervisor") || !strings.Contains(h, "● live") || !strings.HasSuffix(h, v.Now.Format("15:04:05")) {
		t.Errorf("at 60 columns the header %q", h)
	}
}

// mixedDuration finds a duration written another way than h:mm:ss: 3m05s,
// 41s, 2h05m.
var mixedDuration = regexp.MustCompile(`\b\d+[hms](\d\d[ms])?\b`)

func TestOneDurationFormat(t *testing.T) {
	m := chromeModel(t, chromeView(t, state.Options{}, true, ""), "", 200, 40)
	for _, k := range []string{"1", "6", "w"} {
		m, _ = update(t, m, keyRunes(k))
		v := m.View()
		if d := mixedDuration.FindString(v); d != "" {
			t.Errorf("after %q the screen writes a duration as %q:\n%s", k, d, v)
		}
		if !strings.Contains(v, "retry in 0:02:00") {
			t.Errorf("after %q the screen has no retry in h:mm:ss:\n%s", k, v)
		}
	}
	m = chromeModel(t, chromeView(t, state.Options{}, false, ""), "", 120, 24)
	if h := headerOf(m); !strings.Contains(h, "last event 0:10:00 ago") {
		t.Errorf("the header %q does not say the last event's age in h:mm:ss", h)
	}
}

// helpScreens opens the help on tab and scrolls it to its end, returning
// every screen seen.
func helpScreens(t *testing.T, m Model, tab string) []string {
	m, _ = update(t, m, keyRunes(tab), keyRunes("?"))
	screens := []string{m.View()}
	for range 50 {
		before := m.helpOffset
		m, _ = update(t, m, keyRunes("j"))
		if m.helpOffset == before {
			return screens
		}
		screens = append(screens, m.View())
	}
	t.Fatalf("the help of tab %s scrolls for ever", tab)
	return nil
}

func TestTheHelpShowsEveryKeyWhole(t *testing.T) {
	for _, size := range goldenSizes {
		for tb := range tabCount {
			m := chromeModel(t, chromeView(t, state.Options{}, false, ""), "", size.width, size.height)
			screens := helpScreens(t, m, string(rune('1'+tb)))
			var seen []string
			for _, s := range screens {
				checkSize(t, s, size.width, size.height)
				lines := strings.Split(s, "\n")
				seen = append(seen, lines[2:len(lines)-1]...) // the help, between the tab bar and the footer
			}
			help := strings.Join(seen, "\n")
			m, _ = update(t, m, keyRunes(string(rune('1'+tb))))
			for _, g := range m.helpKeys().FullHelp() {
				for _, b := range g {
					h := b.Help()
					whole := regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(h.Key) + ` +` + regexp.QuoteMeta(h.Desc) + `(\s|$)`)
					if !whole.MatchString(help) {
						t.Errorf("%s, tab %v: the help does not show %q %q whole:\n%s", size.name, tab(tb), h.Key, h.Desc, help)
					}
				}
			}
			if scrolls := len(screens) > 1; scrolls != strings.Contains(screens[0], "j/k pgup/pgdn scroll") {
				t.Errorf("%s, tab %v: the help scrolls: %v, but its first screen says otherwise:\n%s", size.name, tab(tb), scrolls, screens[0])
			}
		}
	}
	// at 40x12 the help does not fit: it says so and scrolls back up
	m := chromeModel(t, chromeView(t, state.Options{}, false, ""), "", 40, 12)
	m, _ = update(t, m, keyRunes("?"), tea.KeyMsg{Type: tea.KeyPgDown}, tea.KeyMsg{Type: tea.KeyPgDown})
	if m.helpOffset == 0 {
		t.Error("pgdn does not scroll the help")
	}
	m, _ = update(t, m, keyRunes("k"), tea.KeyMsg{Type: tea.KeyHome})
	if m.helpOffset != 0 || !strings.Contains(m.View(), "1–8 of") {
		t.Errorf("home does not bring the help back to its top:\n%s", m.View())
	}
	m, _ = update(t, m, keyRunes("?"), keyRunes("?"))
	if m.helpOffset != 0 {
		t.Error("the help opens again where it was left, not at its top")
	}
}

func TestTheOverviewKeepsTheTilesThatMatterAt40x12(t *testing.T) {
	m := chromeModel(t, chromeView(t, state.Options{}, false, ""), "", 40, 12)
	v := m.View()
	checkSize(t, v, 40, 12)
	for _, want := range []string{" Waiting ", " Longest wait ", " Available ", " On call ", "not shown (7): Paused, Abandoned, Serv…", "› Sales", "Support"} {
		if !strings.Contains(v, want) {
			t.Errorf("at 40x12 the Overview lost %q:\n%s", want, v)
		}
	}
	// not live, the warning stays with them
	m = chromeModel(t, chromeView(t, state.Options{}, true, ""), "", 40, 12)
	if v := m.View(); !strings.Contains(v, " Waiting ") || !strings.Contains(v, "NOT LIVE") || !strings.Contains(v, "not shown (7)") {
		t.Errorf("at 40x12, not live, the Overview:\n%s", v)
	}
	// too low for a tile: the figures not shown are said
	m = chromeModel(t, chromeView(t, state.Options{}, false, ""), "", 40, 8)
	if v := m.View(); !strings.Contains(v, "not shown (11): Waiting") {
		t.Errorf("at 40x8 the Overview drops its tiles silently:\n%s", v)
	}
}

func TestAFigurePastAThresholdIsShownFirst(t *testing.T) {
	tiles := []tile{
		{label: "Waiting"}, {label: "Longest wait"}, {label: "Available"}, {label: "On call"},
		{label: "Over limit", level: state.LevelCritical}, {label: "Service level", level: state.LevelWarn}, {label: "ASA"},
	}
	shown, left := chooseTiles(tiles, 4)
	var got []string
	for _, ts := range [][]tile{shown, left} {
		for _, t := range ts {
			got = append(got, t.label)
		}
		got = append(got, "|")
	}
	want := "Waiting Longest wait Over limit Service level | Available On call ASA |"
	if strings.Join(got, " ") != want {
		t.Errorf("chose %q, want %q", strings.Join(got, " "), want)
	}
	for _, f := range (&shared{view: &state.View{}}).figures() {
		if !strings.Contains(strings.Join(tileImportance, "|"), f.label) {
			t.Errorf("the tile %q has no rank of importance", f.label)
		}
	}
}

func TestColourRoles(t *testing.T) {
	for _, bg := range []string{"", "0;15"} {
		r := renderer(termenv.ANSI256)
		SetBackground(r, bg)
		st := newStyles(r)
		critical := st.critical.GetForeground()
		for s, style := range st.agentState {
			if style.GetForeground() == critical {
				t.Errorf("COLORFGBG %q: the agent state %s is drawn in the critical red", bg, s)
			}
		}
		for name, style := range map[string]lipgloss.Style{"warn": st.warn, "chart's abandoned": st.chartAbandoned, "selected": st.selected} {
			if style.GetForeground() == critical {
				t.Errorf("COLORFGBG %q: %s is drawn in the critical red", bg, name)
			}
		}
		if st.agentState[state.Unavailable].GetForeground() == st.agentState[state.LoggedOut].GetForeground() {
			t.Errorf("COLORFGBG %q: unavailable is not told from logged out", bg)
		}
	}
}

func TestCOLORFGBGPicksThePalette(t *testing.T) {
	for _, tc := range []struct {
		colorfgbg string
		light     bool
	}{
		{"0;15", true}, {"0;7", true}, {"0;default;15", true}, {"15;0", false}, {"7;default;0", false},
		{"", false}, {"15", false}, {"0;x", false}, {"0;255", false}, {"0;8", true},
	} {
		if got := lightBackground(tc.colorfgbg); got != tc.light {
			t.Errorf("COLORFGBG=%q: light %v, want %v", tc.colorfgbg, got, tc.light)
		}
	}
	warn := func(colorfgbg string) string {
		r := renderer(termenv.ANSI256)
		SetBackground(r, colorfgbg)
		return newStyles(r).warn.Render("x")
	}
	if dark, light := warn("15;0"), warn("0;15"); dark != "\x1b[33mx\x1b[0m" || light != "\x1b[38;5;130mx\x1b[0m" {
		t.Errorf("warn on dark %q, on light %q: want the terminal's yellow and a darker shade", dark, light)
	}
}

// TestNoColourHasNoEscape: with NO_COLOR set, whatever the terminal, the
// board draws no escape sequence, and says its levels, its state and its
// cursor in text.
func TestNoColourHasNoEscape(t *testing.T) {
	env := sessionEnvironment{"TERM=xterm-256color", "COLORTERM=truecolor", "NO_COLOR=1", "COLORFGBG=0;15"}
	r := lipgloss.NewRenderer(io.Discard, termenv.WithEnvironment(env), termenv.WithUnsafe())
	opts := state.Options{Thresholds: state.Thresholds{WaitingWarn: 1, WaitingCritical: 1}}
	m := New(Config{Title: "callboard", Account: "sup", View: chromeView(t, opts, true, secondBoard), Renderer: r})
	m, _ = update(t, m, sizeMsg(120, 30))
	for _, k := range []string{"1", "2", "3", "6", "?", "?", "w"} {
		m, _ = update(t, m, keyRunes(k))
		if v := m.View(); strings.Contains(v, "\x1b") {
			t.Errorf("after %q, with NO_COLOR: %q", k, v)
		}
	}
	m, _ = update(t, m, keyRunes("w"), keyRunes("3"))
	if v := m.View(); !strings.Contains(v, "› Sales") || !strings.Contains(v, "!! 1") || !strings.Contains(v, "● disconnected") {
		t.Errorf("with NO_COLOR the cursor, a critical level or the state is not said:\n%s", v)
	}
}

type sessionEnvironment []string

func (e sessionEnvironment) Environ() []string { return e }
func (e sessionEnvironment) Getenv(k string) string {
	for _, kv := range e {
		if key, v, _ := strings.Cut(kv, "="); key == k {
			return v
		}
	}
	return ""
}

// chromeBoard makes, for a renderer, the board of the scripted morning
// with its queues' thresholds, refused since two minutes in when refused
// is set, its journal's problem journal.
func chromeBoard(t *testing.T, refused bool, journal string) func(*lipgloss.Renderer) tea.Model {
	opts := state.Options{Thresholds: state.Thresholds{WaitingWarn: 1, WaitingCritical: 2}}
	v := chromeView(t, opts, refused, journal)
	return func(r *lipgloss.Renderer) tea.Model {
		return New(Config{Title: "callboard", Account: "sup@acme", View: v, Renderer: r})
	}
}

// TestChromeGoldens: the header, the help, the Overview's tiles and the
// colours, through a real program at 80x24 and 40x12, with and without
// colour, and in colour on a light background.
func TestChromeGoldens(t *testing.T) {
	for _, tc := range []struct {
		name    string
		refused bool
		journal string
		input   []string
	}{
		{"overview_refused", true, secondBoard, nil},
		{"overview_live", false, secondBoard, nil},
		{"account", false, "", []string{"2"}},
		{"agents", false, secondBoard, []string{"2", "j"}},
		{"queues", false, secondBoard, []string{"3"}},
		{"help_day", false, secondBoard, []string{"7", "?"}},
		{"help_scrolled", false, secondBoard, []string{"2?", "jjj"}},
		{"events", true, secondBoard, []string{"6"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			newModel := chromeBoard(t, tc.refused, tc.journal)
			playGoldens(t, newModel, tc.input...)
			playLightGoldens(t, newModel, tc.input...)
		})
	}
}

// playLightGoldens is playGoldens in colour on a light background
// (COLORFGBG=0;15): testdata/<test>/<size>_colour_light.golden.
func playLightGoldens(t *testing.T, newModel func(*lipgloss.Renderer) tea.Model, input ...string) {
	t.Helper()
	for _, size := range goldenSizes {
		t.Run(size.name+"_colour_light", func(t *testing.T) {
			r := renderer(termenv.ANSI256)
			SetBackground(r, "0;15")
			end := playBoard(t, newModel(r), size.width, size.height, input...)
			teatest.RequireEqualOutput(t, []byte(end.frame))
		})
	}
}
