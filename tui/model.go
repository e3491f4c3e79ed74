package tui

import (
	"cmp"
	"io"
	"slices"
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
	// Views delivers the board's views, newest only (a hub subscription's
	// channel). Nil shows View and nothing more; a closed channel shows
	// "feed stopped".
	Views <-chan *state.View
	// View is shown until the first view comes; nil is an empty board.
	View *state.View
	// Bell, when set, gets a BEL each time a queue turns critical or an
	// agent goes past a limit.
	Bell io.Writer
	// Wall starts the board in wall mode.
	Wall bool
	// Renderer draws for the viewer's terminal (its colour profile and
	// background); nil is the process's own terminal. Every style of the
	// board is built from it.
	Renderer *lipgloss.Renderer
}

// Model is the board's Bubble Tea model. It renders the views it is given
// and keeps only what belongs to its viewer: tab, filter, sort, scroll,
// wall, help and size. It never changes a view.
type Model struct {
	views   <-chan *state.View
	title   string
	stopped bool // the views ended, or the feed behind them

	keys   keyMap
	help   help.Model
	styles *styles // built once, shared by the copies Bubble Tea makes of the model

	width, height int
	tab           tab
	tabs          [tabCount]tabView // the tabs, each a component with its viewer's state

	// from the latest view
	clock          time.Time
	agents         []state.AgentRow
	queues         []state.QueueRow
	trunks         []state.TrunkRow
	events         []state.LogEntry
	health         state.FeedHealth
	day            state.DaySpan
	journal        state.JournalHealth
	totals         state.Totals
	calls          state.Calls
	waitedLastHour []int // calls waiting, minute by minute (the view's)
	asOf           time.Time
	// the day by interval, and the Day tab's rows over it
	intervals  []state.IntervalRow
	dayRows    []dayRow
	chart      []string   // the Overview's chart of the day and the blank lines under it, drawn for the window
	chartDrawn chartInput // what it shows

	editing    bool // the filter is being typed
	filterFull bool // the filter holds MaxFilter characters: text typed is refused
	input      textinput.Model
	showHelp   bool
	wall       bool // the key figures in big digits, nothing else

	bell     io.Writer
	critical map[string]bool             // queues critical in the last view
	alerts   map[string]state.AgentAlert // agents past a limit in the last view, and which
	ring     bool                        // a queue turned critical or an agent went past a limit: ring once
}

// New returns the model for cfg.
func New(cfg Config) Model {
	m := Model{
		views:    cfg.Views,
		title:    sanitize(cfg.Title),
		bell:     cfg.Bell,
		wall:     cfg.Wall,
		critical: map[string]bool{},
		keys:     newKeyMap(),
		help:     help.New(),
		styles:   newStyles(cmp.Or(cfg.Renderer, lipgloss.DefaultRenderer())),
	}
	m.help.Styles = m.styles.helpStyles()
	m.input = newFilterInput(m.styles)
	for t := range m.tabs {
		m.tabs[t] = newTabView(tab(t), len(m.baseTables(tab(t))), m.keys.tabActions(tab(t)))
	}
	v := cfg.View
	if v == nil {
		v = &state.View{}
	}
	m.setView(v)
	return m
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
func (m Model) Init() tea.Cmd { return m.waitView() }

func (m Model) waitView() tea.Cmd {
	if m.views == nil || m.stopped {
		return nil
	}
	return waitForView(m.views)
}

// Update takes views, keys and resizes.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case viewMsg:
		m.setView(msg.view)
		return m, tea.Batch(m.waitView(), m.ringBell())
	case viewsEndedMsg:
		m.stopped = true
		return m, nil
	case tea.WindowSizeMsg:
		m.width, m.height = clampSize(msg.Width, msg.Height)
		// the filter scrolls within the footer, the counts beside it
		m.input.Width = max(m.width-filterCountsRoom, 1)
		m.clampAll()
		return m, nil
	case tea.KeyMsg:
		return m.updateKeys(msg)
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

// toggleState narrows the Agents tab to the agents in state s, or to all
// again.
func (m *Model) toggleState(s state.AgentState) {
	nw := &m.tabs[tabAgents].narrowing
	if nw.state == s {
		nw.state = ""
	} else {
		nw.state = s
	}
}

// nextGroup narrows the Agents tab to the next group, then to none.
func (m *Model) nextGroup() {
	nw := &m.tabs[tabAgents].narrowing
	groups := m.groups()
	i := slices.Index(groups, nw.group)
	switch {
	case nw.group == "" && len(groups) > 0:
		nw.group = groups[0]
	case i >= 0 && i+1 < len(groups):
		nw.group = groups[i+1]
	default:
		nw.group = ""
	}
}

// ringBell returns the command that rings the bell, if a queue turned
// critical or an agent went past a limit (one not past it, or past another,
// in the view before) since it last rang, and the board has one.
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

// setView makes v the view shown, and prepares its rows for this viewer.
func (m *Model) setView(v *state.View) {
	m.clock = v.Now
	m.health, m.day, m.journal = v.Feed, v.Day, v.Journal
	m.agents, m.queues, m.trunks, m.events, m.totals, m.calls = v.Agents, v.Queues, v.Trunks, v.Events, v.Totals, v.Calls
	m.stopped = m.stopped || v.FeedEnded
	m.asOf, m.intervals = v.AsOf, v.Intervals
	m.setDayRows()
	for _, q := range m.queues {
		critical := q.Levels.Worst == state.LevelCritical
		if critical && !m.critical[q.ID] {
			m.ring = true
		}
		m.critical[q.ID] = critical
	}
	alerts := map[string]state.AgentAlert{}
	for _, r := range m.agents {
		if r.Alert != state.AlertNone {
			if m.alerts[r.ID] != r.Alert {
				m.ring = true
			}
			alerts[r.ID] = r.Alert
		}
	}
	m.alerts = alerts
	m.waitedLastHour = v.WaitingLastHour
	m.narrow()
	m.clampAll()
}

// live reports whether the figures on screen are current.
func (m *Model) live() bool { return !m.stopped && m.health.Live() }

func (m *Model) moveCursor(by int) {
	m.tabs[m.tab].moveCursor(by)
}

// clampAll lays the tabs out again: the Overview's chart, then each tab
// gets its size, which keeps its cursor on a row and on screen.
func (m *Model) clampAll() {
	m.layoutChart()
	for t := range tabCount {
		m.tabs[t].SetSize(m.width, m.tableHeight(t))
	}
}

func (m *Model) rowCount(t tab) int {
	return m.tabs[t].rows()
}

// Lines around the table: header, tabs, footer; and the table's titles.
const (
	chromeLines = 3
	titleLines  = 1
)

// tableHeight is how many lines tab t has for its table: the window less
// the header, tabs and footer, and what the tab draws above its table.
func (m *Model) tableHeight(t tab) int {
	above := chromeLines
	if t == tabOverview {
		above += m.overviewLines() + len(m.chart)
	}
	if t == tabEvents {
		above += len(m.feedStatusLines())
	}
	return m.height - above
}

// visibleRows is how many rows of tab t's table with the cursor fit.
func (m *Model) visibleRows(t tab) int { return m.tabs[t].visibleRows() }
