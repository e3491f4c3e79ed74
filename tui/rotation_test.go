package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"callboard/feed"
	"callboard/state"
)

// The rotating wall: time is the ticks the tests give (rotateTick, each
// with its time), never the clock's.

const rotateEvery = 30 * time.Second

// morning is the scripted morning's view.
func morning(t testing.TB) *state.View { return morningOf(t, state.Options{}) }

// morningOf is the scripted morning's view on a board of opts.
func morningOf(t testing.TB, opts state.Options) *state.View {
	tb := newTestBoard(t, opts)
	for _, msg := range scriptedMessages(t) {
		tb.board.Handle(msg, feed.MessageTime(msg))
	}
	return tb.board.View(start)
}

// pageOf is v as a page of the scope named name sees it, with alerts: a
// view made by hand (the board's own cut is View.For's to test).
func pageOf(v *state.View, name string, alerts ...state.Alert) *state.View {
	p := *v
	if name != "" {
		p.Scope = &state.ScopeShown{Name: name}
	}
	p.Alerts = alerts
	return &p
}

// alertOn is an alert of rule on the queue named subject, raised at since.
func alertOn(rule, subject string, since time.Time) state.Alert {
	return state.Alert{AlertKey: state.AlertKey{Rule: rule, QueueID: subject}, Subject: subject, Value: 300, Limit: 120, Since: since}
}

// rotatingWall is the wall of four pages (the whole center, Support,
// Sales, the Calls tab) on the morning, every rotateEvery, at width×height,
// its clock's first tick at start (width 0: not sized yet). It asks for
// no tick of its own.
func rotatingWall(t testing.TB, v *state.View, width, height int) Model {
	return rotatingWallOn(t, v, nil, width, height)
}

// rotatingWallOn is rotatingWall drawn by r.
func rotatingWallOn(t testing.TB, v *state.View, r *lipgloss.Renderer, width, height int) Model {
	m := New(Config{Title: "callboard — demo", View: v, Wall: true, RotateEvery: rotateEvery, Renderer: r, Pages: []Page{
		{Name: "Center", View: pageOf(v, "")},
		{Name: "Support", View: pageOf(v, "Support")},
		{Name: "Sales", View: pageOf(v, "Sales")},
		{Name: "Calls", Tab: "calls", View: pageOf(v, "")},
	}})
	m.rot.tick = nil
	m, _ = update(t, m, rotateTick{at: start})
	if width > 0 {
		m, _ = update(t, m, sizeMsg(width, height))
	}
	return m
}

// tick gives m its clock at start+d.
func tick(t *testing.T, m Model, d time.Duration) Model {
	t.Helper()
	m, _ = update(t, m, rotateTick{at: start.Add(d)})
	return m
}

// pageViewOf gives m page i's new view.
func pageViewOf(t *testing.T, m Model, i int, v *state.View) Model {
	t.Helper()
	m, _ = update(t, m, pageViewMsg{page: i, view: v})
	return m
}

// wallBar is the page's bar, the line under the header.
func wallBar(m Model) string { return screenLines(m)[1] }

// onPage fails unless the wall shows page n (from 1) and its bar says
// want.
func onPage(t *testing.T, m Model, n int, want string) {
	t.Helper()
	if m.rot.at != n-1 || m.rot.shown != n || m.view != m.rot.pages[n-1].view {
		t.Fatalf("the wall is on page %d (showing %d), want %d", m.rot.at+1, m.rot.shown, n)
	}
	if bar := wallBar(m); !strings.Contains(bar, want) {
		t.Fatalf("the page's bar is %q, want %q in it", bar, want)
	}
}

func TestTheWallTurnsItsPageAtRotateEveryNotBefore(t *testing.T) {
	m := rotatingWall(t, morning(t), 80, 24)
	onPage(t, m, 1, "Center · 1/4")
	if bar := wallBar(m); !strings.Contains(bar, "rotating") {
		t.Errorf("the bar does not say the wall rotates: %q", bar)
	}
	m = tick(t, m, rotateEvery-time.Second)
	onPage(t, m, 1, "Center · 1/4")
	m = tick(t, m, rotateEvery)
	onPage(t, m, 2, "Support · 2/4")
	m = tick(t, m, 2*rotateEvery-time.Millisecond)
	onPage(t, m, 2, "Support · 2/4")
	m = tick(t, m, 2*rotateEvery)
	onPage(t, m, 3, "Sales · 3/4")
	m = tick(t, m, 3*rotateEvery)
	onPage(t, m, 4, "Calls · 4/4")
	m = tick(t, m, 4*rotateEvery)
	onPage(t, m, 1, "Center · 1/4")
}

func TestTheRotatingWallShowsEachPagesOwnViewAndTab(t *testing.T) {
	v := morning(t)
	m := rotatingWall(t, v, 80, 24)
	if !strings.Contains(m.View(), "WAITING") {
		t.Fatalf("the first page is not the wall:\n%s", m.View())
	}
	m = keys(t, m, "[") // back to the Calls tab's page
	onPage(t, m, 4, "Calls · 4/4")
	if screen := strings.Join(screenLines(m), "\n"); !strings.Contains(screen, "Waiting") || strings.Contains(screen, "WAITING") {
		t.Fatalf("the Calls page shows\n%s", screen)
	}
	if m.tab != tabOverview {
		t.Errorf("the Calls page changed the board's own tab to %s", m.tab)
	}
	// a page's new view is shown while it is on the wall, kept while not
	support := pageOf(v, "Support")
	m = pageViewOf(t, m, 1, support)
	if m.rot.pages[1].view != support || m.view == support {
		t.Fatalf("page 2's view is not kept, or shown on page 4")
	}
	m = keys(t, m, "]", "]")
	onPage(t, m, 2, "Support · 2/4")
	if m.view != support {
		t.Errorf("page 2 shows an older view")
	}
	// w leaves the wall for the board's own view, and comes back to the page
	m = keys(t, m, "w")
	if m.wall || m.view != v || m.rot.shown != 0 {
		t.Fatalf("w: wall %v, the board's own view shown %v", m.wall, m.view == v)
	}
	m = keys(t, m, "w")
	onPage(t, m, 2, "Support · 2/4")
}

func TestPausedRotationStaysAndResumes(t *testing.T) {
	m := rotatingWall(t, morning(t), 80, 24)
	m = tick(t, m, 10*time.Second)
	m = keys(t, m, " ")
	onPage(t, m, 1, "paused")
	m = tick(t, m, 10*rotateEvery)
	onPage(t, m, 1, "paused")
	m = keys(t, m, " ") // resumed at 10×: the page gets a whole turn from there
	onPage(t, m, 1, "rotating")
	m = tick(t, m, 11*rotateEvery-time.Second)
	onPage(t, m, 1, "rotating")
	m = tick(t, m, 11*rotateEvery)
	onPage(t, m, 2, "rotating")
}

func TestStepKeysTurnThePagesEitherWay(t *testing.T) {
	m := rotatingWall(t, morning(t), 80, 24)
	m = tick(t, m, 20*time.Second)
	m = keys(t, m, "]")
	onPage(t, m, 2, "Support · 2/4")
	m = tick(t, m, rotateEvery) // the step gave page 2 a whole turn from 0:20
	onPage(t, m, 2, "rotating")
	m = keys(t, m, "[", "[")
	onPage(t, m, 4, "Calls · 4/4")
	m = keys(t, m, "]") // at 0:30, the last tick's time
	onPage(t, m, 1, "Center · 1/4")
	m = tick(t, m, 2*rotateEvery-time.Second)
	onPage(t, m, 1, "Center · 1/4")
	m = tick(t, m, 2*rotateEvery)
	onPage(t, m, 2, "rotating")
	// on the board, not the wall, the keys turn nothing
	m = keys(t, m, "w", "]", " ")
	if m.rot.at != 1 || m.rot.paused {
		t.Errorf("] and space on the board turned the wall: page %d, paused %v", m.rot.at+1, m.rot.paused)
	}
}

func TestAnAlertPinsItsPageUntilItClears(t *testing.T) {
	v := morning(t)
	m := rotatingWall(t, v, 80, 24)
	m = tick(t, m, 5*time.Second)
	wait := alertOn(state.RuleLongestWaitMax, "Sales", start.Add(5*time.Second))
	m = pageViewOf(t, m, 2, pageOf(v, "Sales", wait))
	onPage(t, m, 3, "pinned: longest wait on Sales")
	m = tick(t, m, 20*rotateEvery)
	onPage(t, m, 3, "pinned: longest wait on Sales")
	// cleared at 10:05: rotation resumes there, the page getting a whole turn
	m = pageViewOf(t, m, 2, pageOf(v, "Sales"))
	onPage(t, m, 3, "rotating")
	m = tick(t, m, 21*rotateEvery-time.Second)
	onPage(t, m, 3, "rotating")
	m = tick(t, m, 21*rotateEvery)
	onPage(t, m, 4, "Calls · 4/4")
}

func TestAnAcknowledgedAlertReleasesItsPage(t *testing.T) {
	v := morning(t)
	m := rotatingWall(t, v, 80, 24)
	wait := alertOn(state.RuleLongestWaitMax, "Sales", start)
	m = pageViewOf(t, m, 2, pageOf(v, "Sales", wait))
	m = tick(t, m, 5*rotateEvery)
	onPage(t, m, 3, "pinned: longest wait on Sales")
	acked := wait
	acked.Acknowledged = &state.Acknowledgement{AlertKey: wait.AlertKey, Since: wait.Since, By: "léa", At: start.Add(5 * rotateEvery)}
	m = pageViewOf(t, m, 2, pageOf(v, "Sales", acked))
	onPage(t, m, 3, "rotating")
	m = tick(t, m, 6*rotateEvery)
	onPage(t, m, 4, "rotating")
	// raised again later: a new alert, which pins again
	again := alertOn(state.RuleLongestWaitMax, "Sales", start.Add(6*rotateEvery))
	m = pageViewOf(t, m, 2, pageOf(v, "Sales", again))
	onPage(t, m, 3, "pinned")
}

func TestSeveralPinnedPagesTheOldestAlertFirst(t *testing.T) {
	v := morning(t)
	m := rotatingWall(t, v, 80, 24)
	sales := alertOn(state.RuleWaitingMax, "Sales", start.Add(2*time.Minute))
	support := alertOn(state.RuleAvailableMin, "Support", start.Add(time.Minute))
	m = pageViewOf(t, m, 2, pageOf(v, "Sales", sales))
	onPage(t, m, 3, "pinned: calls waiting on Sales")
	// the whole center's page holds Support's alert too: Support's page
	// shows it
	m = pageViewOf(t, m, 0, pageOf(v, "", support, sales))
	onPage(t, m, 1, "pinned: available on Support")
	m = pageViewOf(t, m, 1, pageOf(v, "Support", support))
	onPage(t, m, 2, "pinned: available on Support")
	m = pageViewOf(t, m, 1, pageOf(v, "Support"))
	m = pageViewOf(t, m, 0, pageOf(v, "", sales))
	onPage(t, m, 3, "pinned: calls waiting on Sales")
}

func TestAPausedWallStaysButNamesTheAlert(t *testing.T) {
	v := morning(t)
	m := rotatingWall(t, v, 80, 24)
	m = keys(t, m, " ")
	m = pageViewOf(t, m, 2, pageOf(v, "Sales", alertOn(state.RuleLongestWaitMax, "Sales", start)))
	onPage(t, m, 1, "paused · alert: longest wait on Sales (3/4)")
	m = keys(t, m, " ")
	onPage(t, m, 3, "pinned: longest wait on Sales")
	// a step away from the pinned page pauses: the viewer took the wall
	m = keys(t, m, "]")
	onPage(t, m, 4, "paused · alert")
	m = tick(t, m, 10*rotateEvery)
	onPage(t, m, 4, "paused")
	m = keys(t, m, " ")
	onPage(t, m, 3, "pinned")
}

func TestTheWallsKeysAreInTheHelpOnlyWithPages(t *testing.T) {
	m := rotatingWall(t, morning(t), 100, 40)
	m = keys(t, m, "?")
	help := strings.Join(screenLines(m), "\n")
	for _, want := range []string{"space", "pause/resume rotation", "next page", "previous page"} {
		if !strings.Contains(help, want) {
			t.Errorf("the help lacks %q:\n%s", want, help)
		}
	}
	plain := New(Config{View: morning(t)})
	plain, _ = update(t, plain, sizeMsg(100, 40))
	plain = keys(t, plain, "?")
	if help := strings.Join(screenLines(plain), "\n"); strings.Contains(help, "next page") {
		t.Errorf("a wall without pages has page keys in its help:\n%s", help)
	}
}

func TestThePageBarFitsEveryWidth(t *testing.T) {
	v := morning(t)
	m := rotatingWall(t, v, 80, 24)
	m = pageViewOf(t, m, 2, pageOf(v, "Sales", alertOn(state.RuleLongestWaitMax, "Sales", start)))
	for w := minWidth; w <= 80; w++ {
		m, _ = update(t, m, sizeMsg(w, 12))
		for i, l := range strings.Split(m.View(), "\n") {
			if lipgloss.Width(l) > w {
				t.Fatalf("at %d columns line %d is %d wide: %q", w, i, lipgloss.Width(l), l)
			}
		}
	}
}

func TestTabNames(t *testing.T) {
	for _, name := range []string{"Overview", "calls", " ALERTS "} {
		if !IsTab(name) {
			t.Errorf("%q is no tab", name)
		}
	}
	if IsTab("wall") || IsTab("Cals") {
		t.Errorf("wall or Cals taken for a tab")
	}
}

// rotatingWallBoard is the rotating wall for playGoldens: on page 2 after
// ], or pinned by an alert on page 3.
func rotatingWallBoard(t *testing.T, pinned bool) func(*lipgloss.Renderer) tea.Model {
	v := morning(t)
	return func(r *lipgloss.Renderer) tea.Model {
		m := rotatingWallOn(t, v, r, 0, 0) // sized by the program
		if pinned {
			m = pageViewOf(t, m, 2, pageOf(v, "Sales", alertOn(state.RuleLongestWaitMax, "Sales", start)))
		}
		return m
	}
}

// TestRotatingWallGoldens: a page of the rotating wall, stepped to with ],
// at 80x24 and 40x12, with and without colour, through a program.
func TestRotatingWallGoldens(t *testing.T) {
	playGoldens(t, rotatingWallBoard(t, false), "]")
}

// TestPinnedWallGoldens: the wall pinned by an alert on page 3.
func TestPinnedWallGoldens(t *testing.T) {
	playGoldens(t, rotatingWallBoard(t, true))
}

// TestARotatingWallPlayed: the keys typed through a program step and
// pause the wall.
func TestARotatingWallPlayed(t *testing.T) {
	end := playBoard(t, rotatingWallBoard(t, false)(renderer(termenv.Ascii)), 80, 24, "]", "]", " ")
	if !strings.Contains(end.screen, "Sales · 3/4") || !strings.Contains(end.screen, "paused") {
		t.Errorf("after ] ] space the wall shows\n%s", end.screen)
	}
}

// TestUnseenPagesDrawNoFrame: a page's view while another is on the wall,
// or on the board, and a tick that turns nothing, change nothing on
// screen, and say so (the frame writer then draws no frame); the shown
// page's view, a tick that turns the page and a view that pins do not.
func TestUnseenPagesDrawNoFrame(t *testing.T) {
	v := morning(t)
	m := rotatingWall(t, v, 80, 24)
	offScreen := func(msg interface{ offScreen() bool }) bool {
		t.Helper()
		m, _ = update(t, m, msg.(tea.Msg))
		return msg.offScreen()
	}
	if !offScreen(pageViewMsg{page: 2, view: pageOf(v, "Sales"), unseen: new(bool)}) {
		t.Error("page 3's view, page 1 on the wall, is drawn")
	}
	if offScreen(pageViewMsg{page: 0, view: pageOf(v, ""), unseen: new(bool)}) {
		t.Error("page 1's view, on the wall, is not drawn")
	}
	if !offScreen(rotateTick{at: start.Add(time.Second), unseen: new(bool)}) {
		t.Error("a tick that turns no page is drawn")
	}
	if offScreen(rotateTick{at: start.Add(rotateEvery), unseen: new(bool)}) {
		t.Error("the tick that turns the page is not drawn")
	}
	if offScreen(pageViewMsg{page: 2, view: pageOf(v, "Sales", alertOn(state.RuleWaitingMax, "Sales", start)), unseen: new(bool)}) {
		t.Error("the view that pins page 3 is not drawn")
	}
	m = keys(t, m, "w") // the board: no page shown
	if !offScreen(pageViewMsg{page: 1, view: pageOf(v, "Support"), unseen: new(bool)}) {
		t.Error("a page's view on the board is drawn")
	}
}

// scopedPages are the morning's views cut to the whole center, Support
// (group 10) and Sales (group 11) by the board's own derivation
// (View.For), under opts.
func scopedPages(t *testing.T, opts state.Options) []*state.View {
	v := morningOf(t, opts)
	return []*state.View{
		v,
		v.For(state.Audience{Scope: state.Scope{Name: "Support", Groups: []string{"10"}}}),
		v.For(state.Audience{Scope: state.Scope{Name: "Sales", Groups: []string{"11"}}}),
	}
}

// TestAnAlertPinsThePageOfItsScope: on views cut by the board's own
// derivation, Chloé's lunch past its limit (she is in Sales only) is on
// the Sales page and the whole center's, not Support's: the wall pins
// Sales; acknowledged, it lets the wall turn again.
func TestAnAlertPinsThePageOfItsScope(t *testing.T) {
	quiet := scopedPages(t, state.Options{})
	m := New(Config{Title: "callboard — demo", View: quiet[0], Wall: true, RotateEvery: rotateEvery, Pages: []Page{
		{Name: "Center", View: quiet[0]}, {Name: "Support", View: quiet[1]}, {Name: "Sales", View: quiet[2]},
	}})
	m.rot.tick = nil
	m, _ = update(t, m, sizeMsg(80, 24), rotateTick{at: start})
	onPage(t, m, 1, "rotating")

	lunch := scopedPages(t, state.Options{Limits: state.Limits{Pause: map[string]time.Duration{"Lunch": 5 * time.Minute}}, AlertSettle: -1})
	if len(lunch[0].Alerts) != 1 || len(lunch[1].Alerts) != 0 || len(lunch[2].Alerts) != 1 {
		t.Fatalf("alerts: center %d, Support %d, Sales %d; want 1, 0, 1", len(lunch[0].Alerts), len(lunch[1].Alerts), len(lunch[2].Alerts))
	}
	m = pageViewOf(t, m, 1, lunch[1])
	onPage(t, m, 1, "rotating")
	m = pageViewOf(t, m, 0, lunch[0])
	onPage(t, m, 1, "pinned: paused on Chloé Petit")
	m = pageViewOf(t, m, 2, lunch[2])
	onPage(t, m, 3, "pinned: paused on Chloé Petit")

	m = pageViewOf(t, m, 0, acknowledgedAll(lunch[0]))
	m = pageViewOf(t, m, 2, acknowledgedAll(lunch[2]))
	onPage(t, m, 3, "rotating")
	m = tick(t, m, rotateEvery)
	onPage(t, m, 1, "Center · 1/3")
}

// TestRotatingWallTabPageGoldens: a page that shows a tab (Calls), stepped
// back to with [.
func TestRotatingWallTabPageGoldens(t *testing.T) {
	playGoldens(t, rotatingWallBoard(t, false), "[")
}
