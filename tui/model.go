package tui

import (
	"cmp"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"callboard/state"
)

// Config is what a board needs.
type Config struct {
	// Title heads the screen, e.g. "callboard — demo".
	Title string
	// Account names the account the board reads (the login), said after
	// the title when the header has room; "" for none.
	Account string
	// Views delivers the board's views, newest only (a hub subscription's
	// channel). Nil shows View and nothing more; a closed channel shows
	// "feed stopped".
	Views <-chan *state.View
	// View is shown until the first view comes; nil is an empty board.
	View *state.View
	// Bell, when set, gets a BEL each time a queue turns critical or an
	// alert is raised (an agent past a limit among them), unless
	// acknowledged.
	Bell io.Writer
	// Wall starts the board in wall mode.
	Wall bool
	// Acknowledge, when set, acknowledges an alert (its key, raised at
	// since) for every viewer of the board, on behalf of this viewer, or
	// says why it cannot (another process writes the journal); it returns
	// at once, the view after shows it. Nil: this board cannot acknowledge
	// (a replay), and the help says so.
	Acknowledge func(key state.AlertKey, since time.Time) error
	// Renderer draws for the viewer's terminal (its colour profile and
	// background, see SetBackground); nil is the process's own terminal,
	// its background as COLORFGBG says. Every style of the board is built
	// from it.
	Renderer *lipgloss.Renderer

	// Viewer names who watches (an ssh viewer's name), shown in the
	// header; "" none.
	Viewer string
	// Start is the view the board starts on when Settings says none, and
	// the one the reset key goes back to: a tab's title (any case) or
	// "wall"; "" (or a name no tab has) the Overview.
	Start string
	// Settings are the viewer's remembered settings, restored at start;
	// nil none. SaveSettings, when set, is given them each time the keys
	// or the mouse change them, and the zero Settings (nothing remembered)
	// at the reset key; it is called on the board's goroutine and must
	// return at once.
	Settings     *Settings
	SaveSettings func(Settings)
	// Pages are the rotating wall's pages (none: the wall shows Views),
	// each shown for RotateEvery.
	Pages       []Page
	RotateEvery time.Duration
}

// Model is the board's Bubble Tea model. It renders the views it is given
// and keeps only what belongs to its viewer: the tab shown (each tab keeps
// its filter, sort and scroll), wall, help and size. It never changes a
// view.
type Model struct {
	shared  // the view, size, styles and keys, passed to the tabs
	views   <-chan *state.View
	title   string
	account string
	viewer  string // Config.Viewer, sanitised: the header says it

	help help.Model
	// The tabs in the board's order: the number key of each is its place.
	// The copies Bubble Tea makes of the model share them: it uses the
	// newest only.
	tabs []component
	tab  tab // the one shown

	editing    bool // the filter is being typed
	filterFull bool // the filter holds MaxFilter characters: text typed is refused
	input      textinput.Model
	showHelp   bool
	helpOffset int  // the first line of the help on screen, when it scrolls
	wall       bool // the key figures in big digits, nothing else
	// a key of the burst being handled changed what the tab's own filters
	// or esc let through: its rows are narrowed again
	narrowAgain bool

	bell     io.Writer
	critical map[string]bool              // queues critical in the last view
	alerts   map[state.AlertKey]time.Time // alerts active in the last view, and since when
	ring     bool                         // a queue turned critical or an alert was raised: ring once

	remember remembered // the viewer's settings (settings.go)
	rot      rotation   // the rotating wall's pages (rotation.go)
}

// tab is the place of a tab in the board's order, from 0.
type tab int

// newTabs are the board's tabs, in order: the key of each is its place,
// from 1.
func newTabs() []component {
	return []component{newOverviewTab(), newAgentsTab(), newQueuesTab(), newCallsTab(), newTrunksTab(), newEventsTab(), newDayTab(), newAlertsTab()}
}

// New returns the model for cfg.
func New(cfg Config) Model {
	keys := newKeyMap()
	v := cfg.View
	if v == nil {
		v = &state.View{}
	}
	m := Model{
		shared: shared{
			view:   v,
			styles: newStyles(cmp.Or(cfg.Renderer, ownRenderer())),
			keys:   &keys,
		},
		views:    cfg.Views,
		title:    sanitize(cfg.Title),
		account:  strings.TrimSpace(sanitize(cfg.Account)),
		viewer:   strings.TrimSpace(sanitize(cfg.Viewer)),
		bell:     cfg.Bell,
		wall:     cfg.Wall,
		critical: map[string]bool{},
		help:     help.New(),
		tabs:     newTabs(),
	}
	m.setAcknowledge(cfg.Acknowledge)
	m.help.Styles = m.styles.helpStyles()
	m.input = newFilterInput(m.styles)
	m.restoreSettings(cfg)
	m.setView(v)
	m.startPages(cfg)
	return m
}

// ownRenderer draws for the process's own terminal, its background as its
// COLORFGBG says: the terminal is not asked (see SetBackground).
func ownRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(os.Stdout)
	SetBackground(r, os.Getenv("COLORFGBG"))
	return r
}

// MaxFilter is the most characters the filter holds; more typed or pasted
// are refused, and the footer says the filter is full.
const MaxFilter = 64

// newFilterInput is the filter's text input, drawn with the viewer's
// styles (bubbles' own take the process's terminal, not the viewer's).
func newFilterInput(st *styles) textinput.Model {
	in := textinput.New()
	in.PromptStyle, in.TextStyle = st.plain, st.plain
	in.PlaceholderStyle, in.CompletionStyle = st.dim, st.dim
	in.Cursor.Style, in.Cursor.TextStyle = st.plain, st.plain
	in.Prompt = "/"
	in.CharLimit = MaxFilter
	// ctrl+v would read the clipboard of the machine callboard runs on,
	// not the viewer's: a paste comes from the viewer's terminal.
	in.KeyMap.Paste.SetEnabled(false)
	return in
}

// Init starts waiting for views.
func (m Model) Init() tea.Cmd { return tea.Batch(m.waitView(), m.rot.init()) }

func (m Model) waitView() tea.Cmd {
	if m.views == nil || m.stopped {
		return nil
	}
	return waitForView(m.views)
}

// Update takes views, keys, the mouse and resizes.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case viewMsg:
		m.setView(msg.view)
		return m, tea.Batch(m.waitView(), m.ringBell())
	case viewsEndedMsg:
		m.stopped = true
		return m, nil
	case rotateTick, pageViewMsg, pageEndedMsg:
		return m.updatePages(msg)
	case tea.WindowSizeMsg:
		m.width, m.height = clampSize(msg.Width, msg.Height)
		// the filter scrolls within the footer, the counts beside it
		m.input.Width = max(m.width-filterCountsRoom, 1)
		m.clampAll()
		return m, nil
	case tea.KeyMsg:
		return m.updateKeys(msg)
	case tea.MouseMsg:
		return m.updateMouse(msg)
	}
	return m, nil
}

// The largest window the board lays out for. A viewer's terminal says its
// size itself (over ssh, two 32-bit numbers of its own choosing), and every
// line, table, wall and chart is made to that measure: beyond this the
// board is drawn at this size, in the window's top left corner.
const (
	MaxWidth  = 1000
	MaxHeight = 500
)

// clampSize is the size the board lays out for in a window of width×height
// as its terminal tells it: each within 0 and its maximum. It is the one
// place a window's size comes in.
func clampSize(width, height int) (int, int) {
	return min(max(width, 0), MaxWidth), min(max(height, 0), MaxHeight)
}

// ringBell returns the command that rings the bell, if a queue turned
// critical or an alert not acknowledged was raised (one not in the view
// before, or raised again since) since it last rang, and the board has one.
func (m *Model) ringBell() tea.Cmd {
	if !m.ring {
		return nil
	}
	m.ring = false
	if m.bell == nil {
		return nil
	}
	w := m.bell
	return func() tea.Msg {
		w.Write([]byte{'\a'})
		return nil
	}
}

// setView takes the board's own view (Config.Views): the bell follows
// it, and it is shown unless the wall shows a page (rotation.go).
func (m *Model) setView(v *state.View) {
	m.stopped = m.stopped || v.FeedEnded
	m.rot.own = v
	if m.rot.shown == 0 {
		m.show(v)
	}
	// by index: a row is too big to copy for each viewer at each view
	for i := range v.Queues {
		q := &v.Queues[i]
		critical := q.Levels.Worst == state.LevelCritical
		if critical && !m.critical[q.ID] {
			m.ring = true
		}
		m.critical[q.ID] = critical
	}
	// once per alert raised (an agent past a limit among them), unless
	// acknowledged already
	alerts := make(map[state.AlertKey]time.Time, len(v.Alerts))
	for i := range v.Alerts {
		a := &v.Alerts[i]
		if since, ok := m.alerts[a.AlertKey]; (!ok || !since.Equal(a.Since)) && a.Acknowledged == nil {
			m.ring = true
		}
		alerts[a.AlertKey] = a.Since
	}
	m.alerts = alerts
}

// show makes v the view shown, and prepares its rows for this viewer.
func (m *Model) show(v *state.View) {
	m.view = v
	for _, c := range m.tabs {
		c.setView(&m.shared)
	}
	m.narrow()
	m.clampAll()
}

// current is the tab shown.
func (m *Model) current() component { return m.tabs[m.tab] }

// clampAll lays the tabs out again: what the tab shown draws only while
// seen, then each tab gets its size, which keeps its cursor on a row and
// on screen.
func (m *Model) clampAll() {
	if !m.wall && !m.showHelp {
		m.current().onScreen(&m.shared)
	} else if t, ok := m.pageTab(); ok {
		m.tabs[t].onScreen(&m.shared)
	}
	for _, c := range m.tabs {
		c.SetSize(&m.shared, m.width, m.height-chromeLines)
	}
}

// Lines around the table: header, tabs, footer; and the table's titles.
const (
	chromeLines = 3
	titleLines  = 1
)
