package tui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"callboard/state"
)

// The rotating wall (Config.Pages). In wall mode the board shows one page
// at a time, each for RotateEvery, then the next, in turn: a page is a
// scope's wall, or one of the board's tabs over that scope's view. The
// board keeps every page's latest view, shown or not (one reader per
// page's channel), so that it knows each page's alerts.
//
// When an alert rises on a page (the page's view holds an alert nobody
// acknowledged), the rotation goes to that page and stays there, pinned,
// until the alert clears or is acknowledged; then it goes on from there.
// Several pages pinned: the page of the oldest alert first (a page with a
// scope before the whole center's when they share it, then the first in
// order). The viewer may pause the rotation (it then stays on its page,
// alert or not, the bar naming the alert and its page) and step pages; a
// step away from a pinned page pauses the rotation (the viewer took the
// wall over; resuming goes back to the pinned page).
//
// Time comes in rotateTick messages, each carrying its time: the board
// decides from the time its page came on the wall. The board asks for one
// a second (rotation.tick); tests give their own.

// rotation is the rotating wall's state.
type rotation struct {
	pages []page
	every time.Duration
	at    int       // the page on the wall
	since time.Time // when it came on the wall (a tick's time); zero until the first tick
	now   time.Time // the last tick's time; zero before any
	// paused: the viewer holds the page on the wall
	paused bool
	// pinned is the page an alert pins (1 + its index), 0 none
	pinned int
	// shown is the view the board shows: 1 + a page's index, 0 the
	// board's own (own)
	shown int
	own   *state.View // the board's own latest view (Config.Views)
	// tick asks for the next tick; nil asks for none (a test's board)
	tick func() tea.Cmd
	// settled are the alerts a page's view said were acknowledged or
	// cleared, each with the time of that view: the pages' views of one
	// publish come one by one, and a page whose view is not newer than
	// that still holds it is not pinned by it (settled.go).
	settled map[state.AlertKey]settledAlert
}

// page is one page as the board keeps it.
type page struct {
	name  string
	tab   tab  // the tab shown, when isTab
	isTab bool // a tab of the page's view; else its wall
	views <-chan *state.View
	view  *state.View
}

// rotateTick is a moment of the rotating wall's time.
type rotateTick struct {
	at     time.Time
	unseen *bool // set by the board when the tick changed nothing on screen
}

// pageViewMsg is a page's newest view; pageEndedMsg says a page's
// channel was closed.
type (
	pageViewMsg struct {
		page   int
		view   *state.View
		unseen *bool // as rotateTick's
	}
	pageEndedMsg struct{ page int }
)

// offScreen reports that the board found the message changed nothing on
// screen (a page's view while another is shown, a tick that turned no
// page): the frame writer draws no frame for it (framedModel), so that a
// board's pages cost no drawing while unseen.
func (t rotateTick) offScreen() bool  { return t.unseen != nil && *t.unseen }
func (p pageViewMsg) offScreen() bool { return p.unseen != nil && *p.unseen }

// rotateTickEvery is how often the board asks for a tick: a page stays
// on the wall between RotateEvery and a tick more.
const rotateTickEvery = time.Second

// wallTick is the tick of the board's clock.
func wallTick() tea.Cmd {
	return tea.Tick(rotateTickEvery, func(t time.Time) tea.Msg { return rotateTick{at: t, unseen: new(bool)} })
}

// DefaultRotateEvery is how long a page stays on the wall when the
// configuration does not say (config.DefaultRotateEvery's twin).
const DefaultRotateEvery = 30 * time.Second

// newRotation is the rotation of cfg's pages; own is the board's first
// view.
func newRotation(cfg Config, own *state.View) rotation {
	r := rotation{own: own, every: cfg.RotateEvery}
	if r.every <= 0 {
		r.every = DefaultRotateEvery
	}
	for i, p := range cfg.Pages {
		pg := page{name: strings.TrimSpace(sanitize(p.Name)), views: p.Views, view: p.View}
		if p.Tab != "" {
			pg.tab, pg.isTab = tabNamed(p.Tab)
		}
		if pg.name == "" {
			pg.name = "page " + strconv.Itoa(i+1)
		}
		if pg.view == nil {
			pg.view = own
		}
		r.pages = append(r.pages, pg)
	}
	if len(r.pages) > 0 {
		r.tick = wallTick
	}
	return r
}

// startPages sets the rotating wall up from cfg, its keys enabled only
// when it has pages.
func (m *Model) startPages(cfg Config) {
	m.rot = newRotation(cfg, m.view)
	on := len(m.rot.pages) > 0
	m.keys.Pause.SetEnabled(on)
	m.keys.NextPage.SetEnabled(on)
	m.keys.PrevPage.SetEnabled(on)
	m.rotate()
}

// initPages waits for each page's views, and asks for the first tick.
func (r *rotation) init() tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(r.pages)+1)
	for i := range r.pages {
		cmds = append(cmds, r.waitPage(i))
	}
	if r.tick != nil {
		cmds = append(cmds, r.tick())
	}
	return tea.Batch(cmds...)
}

// waitPage waits for page i's next view.
func (r *rotation) waitPage(i int) tea.Cmd {
	views := r.pages[i].views
	if views == nil {
		return nil
	}
	return func() tea.Msg {
		v, ok := <-views
		if !ok {
			return pageEndedMsg{page: i}
		}
		return pageViewMsg{page: i, view: v, unseen: new(bool)}
	}
}

// updatePages takes a tick or a page's view.
func (m Model) updatePages(msg tea.Msg) (tea.Model, tea.Cmd) {
	r := &m.rot
	shown, bar := r.shown, m.shownBar()
	var cmd tea.Cmd
	var unseen *bool
	switch msg := msg.(type) {
	case rotateTick:
		r.now, unseen = msg.at, msg.unseen
		if r.since.IsZero() || r.since.After(r.now) {
			r.since = r.now
		}
		if r.tick != nil {
			cmd = r.tick()
		}
	case pageViewMsg:
		r.settle(msg.page, msg.view)
		r.pages[msg.page].view, unseen = msg.view, msg.unseen
		cmd = r.waitPage(msg.page)
		if r.shown == msg.page+1 {
			m.show(msg.view)
			shown = -1 // seen
		}
	case pageEndedMsg:
		r.pages[msg.page].views = nil
	}
	m.rotate()
	if unseen != nil {
		*unseen = r.shown == shown && m.shownBar() == bar
	}
	return m, cmd
}

// shownBar is the page's bar while the wall shows a page, "" else.
func (m *Model) shownBar() string {
	if m.rot.shown == 0 {
		return ""
	}
	return m.pageBar()
}

// rotate moves the wall on: to the page an alert pins, else to the next
// page once the page shown has had its time; then shows what the wall
// should.
func (m *Model) rotate() {
	r := &m.rot
	if len(r.pages) == 0 {
		return
	}
	pin := r.pinTarget()
	switch {
	case r.paused:
	case pin > 0:
		if r.at != pin-1 {
			r.at, r.since = pin-1, r.now
		}
	case r.pinned > 0:
		r.since = r.now // released: the page gets a whole turn from now
	case m.wall && !r.now.IsZero() && r.now.Sub(r.since) >= r.every:
		// (off the wall the rotation keeps its place: no page's time runs)
		r.at, r.since = (r.at+1)%len(r.pages), r.now
	}
	r.pinned = pin
	m.followWall()
}

// pinTarget is the page an alert pins (1 + its index), 0 none: the page
// whose view holds the oldest alert nobody acknowledged; among pages that
// share it, one with a scope before the whole center's, then the first.
func (r *rotation) pinTarget() int {
	best, oldest, scoped := 0, time.Time{}, false
	for i := range r.pages {
		a := r.pages[i].risen(r.settled)
		if a == nil {
			continue
		}
		s := r.pages[i].view.Scope != nil
		if best == 0 || a.Since.Before(oldest) || a.Since.Equal(oldest) && s && !scoped {
			best, oldest, scoped = i+1, a.Since, s
		}
	}
	return best
}

// risen is the page's oldest alert nobody acknowledged, nil when none;
// an alert settled by a view at least as new as the page's is not.
func (p *page) risen(settled map[state.AlertKey]settledAlert) *state.Alert {
	if p.view == nil {
		return nil
	}
	var oldest *state.Alert
	for i := range p.view.Alerts {
		a := &p.view.Alerts[i]
		if a.Acknowledged == nil && !isSettled(settled, a, p.view.Now) && (oldest == nil || a.Since.Before(oldest.Since)) {
			oldest = a
		}
	}
	return oldest
}

// followWall shows the view the board should: on the wall with pages the
// page's, else the board's own. A wall coming back gives its page a whole
// turn.
func (m *Model) followWall() {
	r := &m.rot
	want := 0
	if m.wall && len(r.pages) > 0 {
		want = r.at + 1
	}
	if want == r.shown {
		return
	}
	if r.shown == 0 {
		r.since = r.now
	}
	r.shown = want
	if want == 0 {
		m.show(r.own)
		return
	}
	m.show(r.pages[want-1].view)
}

// pageKey does what a key of the rotating wall means: pause or resume,
// the next or the previous page. It reports whether k was one.
func (m *Model) pageKey(k tea.KeyMsg) bool {
	r, ks := &m.rot, m.keys
	n := len(r.pages)
	switch {
	case key.Matches(k, ks.Pause):
		r.paused = !r.paused
		r.since = r.now
	case key.Matches(k, ks.NextPage, ks.PrevPage):
		step := 1
		if key.Matches(k, ks.PrevPage) {
			step = n - 1
		}
		if r.pinned > 0 {
			r.paused = true // taken over: resuming goes back to the pinned page
		}
		r.at, r.since = (r.at+step)%n, r.now
	default:
		return false
	}
	m.rotate()
	return true
}

// pageTab is the tab the wall's page shows, false when the wall shows
// no tab.
func (m *Model) pageTab() (tab, bool) {
	r := &m.rot
	if r.shown == 0 {
		return 0, false
	}
	p := &r.pages[r.shown-1]
	return p.tab, p.isTab
}

// wallKeys are the rotating wall's keys, for the help.
func (m *Model) wallKeys() []key.Binding {
	if len(m.rot.pages) == 0 {
		return nil
	}
	ks := m.keys
	return []key.Binding{ks.Pause, ks.NextPage, ks.PrevPage}
}

// pageView draws the rotating wall below the header: the page's bar,
// then the page, the wall's figures or its tab, in height lines.
func (m Model) pageView(b *strings.Builder, height int) {
	b.WriteString(m.pageBar())
	height--
	t, ok := m.pageTab()
	if !ok {
		if height > 0 {
			b.WriteByte('\n')
			b.WriteString(m.wallView(height))
		}
		return
	}
	// the page's tab: its table, and the line saying what it shows
	m.tab = t
	b.WriteByte('\n')
	m.current().View(&m.shared, b, height-1)
	notes, _ := m.fitNotes(m.listNotes(), m.width)
	b.WriteString(spread("", notes, m.width))
}

// pageBar names the page on the wall and its place ("Support · 2/4"), and
// says the rotation's state: rotating, paused, or pinned by an alert
// ("pinned: longest wait on Support"), the alert first when short.
func (m *Model) pageBar() string {
	r, st := &m.rot, m.styles
	n := len(r.pages)
	place := " · " + strconv.Itoa(r.at+1) + "/" + strconv.Itoa(n)
	name := r.pages[r.at].name
	var state string
	style := st.dim
	switch {
	case r.paused && r.pinned > 0:
		p := &r.pages[r.pinned-1]
		state, style = "paused · alert: "+alertWords(p.risen(r.settled)), st.warn
		if r.pinned-1 != r.at {
			state += " (" + strconv.Itoa(r.pinned) + "/" + strconv.Itoa(n) + ")"
		}
	case r.paused:
		state, style = "paused", st.warn
	case r.pinned > 0:
		state, style = "pinned: "+alertWords(r.pages[r.pinned-1].risen(r.settled)), st.critical
	default:
		state = "rotating"
	}
	// the name gives way first, down to a few letters, then the state
	room := m.width - ansi.StringWidth(place) - 2 - ansi.StringWidth(state)
	name = ansi.Truncate(name, max(room, min(ansi.StringWidth(name), 8)), "…")
	left := st.title.Render(name) + st.dim.Render(place)
	right := style.Render(ansi.Truncate(state, max(m.width-ansi.StringWidth(name+place)-2, 0), "…"))
	return spread(left, right, m.width)
}

// alertWords names an alert for the page's bar: "longest wait on Support".
func alertWords(a *state.Alert) string {
	if a == nil {
		return ""
	}
	return strings.ToLower(alertRuleText(a.Rule)) + " on " + sanitize(a.Subject)
}
