package tui

import (
	"io"
	"slices"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"callboard/feed"
	"callboard/state"
)

// Config is what a board needs.
type Config struct {
	// Title heads the screen, e.g. "callboard — demo".
	Title string
	// Messages delivers the feed's messages. Nil shows the board as it is; a
	// closed channel shows "feed stopped".
	Messages <-chan feed.Message
	// Board is the state to show and update. Nil creates one with Options.
	Board   *state.Board
	Options state.Options
	// Now is the clock; nil means time.Now. Tests pass a fixed one.
	Now func() time.Time
	// MaxBatch caps the feed messages applied in one update; 0 means
	// DefaultMaxBatch.
	MaxBatch int
	// Bell, when set, gets a BEL each time a queue turns critical.
	Bell io.Writer
	// Wall starts the board in wall mode.
	Wall bool
}

// Model is the board's Bubble Tea model. It owns the board: only Update
// mutates it, View renders the rows Update prepared.
type Model struct {
	board    *state.Board
	feed     <-chan feed.Message
	now      func() time.Time
	title    string
	maxBatch int
	stopped  bool // the feed channel was closed
	pending  bool // a refreshMsg is on its way

	keys   keyMap
	help   help.Model
	styles styles

	width, height int
	tab           tab
	scroll        [tabCount]scroll

	// prepared by refresh, at clock
	clock  time.Time
	agents []state.AgentRow
	queues []state.QueueRow
	trunks []state.TrunkRow
	events []state.LogEntry
	health state.FeedHealth
	day    state.DaySpan
	totals state.Totals
	waited history // calls waiting, minute by minute

	narrowed    [tabCount]narrowing
	order       [tabCount][]int // rows shown, by index into agents, queues…
	stateFilter state.AgentState
	group       string // group id the Agents tab is narrowed to
	editing     bool   // the filter is being typed
	input       textinput.Model
	showHelp    bool
	wall        bool // the key figures in big digits, nothing else

	bell     io.Writer
	critical map[string]bool // queues critical at the last refresh
	ring     bool            // a queue turned critical: ring once
}

// New returns the model for cfg.
func New(cfg Config) Model {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = DefaultMaxBatch
	}
	now := cfg.Now()
	if cfg.Board == nil {
		cfg.Board = state.New(cfg.Options, now)
	}
	m := Model{
		board:    cfg.Board,
		feed:     cfg.Messages,
		now:      cfg.Now,
		title:    sanitize(cfg.Title),
		maxBatch: cfg.MaxBatch,
		bell:     cfg.Bell,
		input:    newFilterInput(),
		wall:     cfg.Wall,
		critical: map[string]bool{},
		keys:     newKeyMap(),
		help:     help.New(),
		styles:   newStyles(),
	}
	m.help.Styles = m.styles.helpStyles()
	for t := range m.narrowed {
		m.narrowed[t].sortCol = -1
	}
	m.refresh(now)
	return m
}

func newFilterInput() textinput.Model {
	in := textinput.New()
	in.Prompt = "/"
	in.CharLimit = 64
	// ctrl+v would read the clipboard of the machine callboard runs on,
	// not the viewer's: a paste comes from the viewer's terminal.
	in.KeyMap.Paste.SetEnabled(false)
	return in
}

// Init starts the feed reader and the clock.
func (m Model) Init() tea.Cmd {
	return tea.Batch(m.waitFeed(), tick())
}

func (m Model) waitFeed() tea.Cmd {
	if m.feed == nil || m.stopped {
		return nil
	}
	return waitForFeed(m.feed, m.maxBatch)
}

// Update applies feed batches and ticks to the board, and handles keys and
// resizes.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case feedBatchMsg:
		now := m.now()
		for _, fm := range msg.msgs {
			m.board.Handle(fm, now)
		}
		m.stopped = m.stopped || msg.closed
		cmd := tea.Batch(m.waitFeed(), m.changed(now))
		return m, cmd
	case refreshMsg:
		m.pending = false
		m.refresh(m.now())
		return m, m.ringBell()
	case tickMsg:
		now := m.now()
		m.board.Tick(now)
		m.refresh(now)
		return m, tea.Batch(tick(), m.ringBell())
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.clampAll()
		return m, nil
	case tea.KeyMsg:
		return m.updateKeys(msg)
	}
	return m, nil
}

func (m *Model) toggleState(s state.AgentState) {
	if m.stateFilter == s {
		m.stateFilter = ""
	} else {
		m.stateFilter = s
	}
}

// nextGroup narrows the Agents tab to the next group, then to none.
func (m *Model) nextGroup() {
	groups := m.groups()
	i := slices.Index(groups, m.group)
	switch {
	case m.group == "" && len(groups) > 0:
		m.group = groups[0]
	case i >= 0 && i+1 < len(groups):
		m.group = groups[i+1]
	default:
		m.group = ""
	}
}

// changed refreshes the rows after the board changed at now, or, when the
// last refresh is too recent, has one come later.
func (m *Model) changed(now time.Time) tea.Cmd {
	if m.pending {
		return nil
	}
	since := now.Sub(m.clock)
	if since >= refreshEvery {
		m.refresh(now)
		return nil
	}
	m.pending = true
	wait := refreshEvery - max(since, 0)
	return tea.Tick(wait, func(time.Time) tea.Msg { return refreshMsg{} })
}

// ringBell returns the command that rings the bell, if a queue turned
// critical since it last rang and the board has one.
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

// refresh prepares the rows View shows, as of now.
func (m *Model) refresh(now time.Time) {
	m.clock = now
	m.health = m.board.Feed()
	m.day = m.board.Day()
	// While not live, running clocks stop where the data froze.
	asOf := m.board.AsOf(now)
	m.agents = m.board.Agents(asOf)
	m.queues = m.board.Queues(asOf)
	m.trunks = m.board.Trunks()
	m.events = m.board.Events()
	m.totals = m.board.Totals(asOf)
	for _, q := range m.queues {
		critical := q.Levels.Worst == state.LevelCritical
		if critical && !m.critical[q.ID] {
			m.ring = true
		}
		m.critical[q.ID] = critical
	}
	if m.live() {
		m.waited.record(now, m.totals.CallsWaiting)
	}
	m.narrow()
	m.clampAll()
}

// live reports whether the figures on screen are current.
func (m *Model) live() bool { return !m.stopped && m.health.Live() }

func (m *Model) moveCursor(by int) {
	sc := &m.scroll[m.tab]
	sc.cursor += by
	sc.clamp(m.rowCount(m.tab), m.visibleRows(m.tab))
}

func (m *Model) clampAll() {
	for t := range tabCount {
		m.scroll[t].clamp(m.rowCount(t), m.visibleRows(t))
	}
}

func (m *Model) rowCount(t tab) int {
	return len(m.order[t])
}

// Lines around the table: header, tabs, footer; and the table's titles.
const (
	chromeLines = 3
	titleLines  = 1
)

// visibleRows is how many table rows fit the window.
func (m *Model) visibleRows(t tab) int {
	above := chromeLines + titleLines
	if t == tabOverview {
		above += m.overviewLines()
	}
	if t == tabEvents {
		above += len(m.feedStatusLines())
	}
	return max(m.height-above, 1)
}
