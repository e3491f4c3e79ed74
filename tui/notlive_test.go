package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// outage is a board that was live at start with the scripted morning,
// lost its feed two minutes later (the login then refused) and is looked
// at ten minutes after that.
func outage(t *testing.T, width, height int) (Model, *testBoard) {
	t.Helper()
	m, tb := scripted(t, state.Options{}, width, height)
	tb.clock = start.Add(2 * time.Minute)
	m = tb.send(m, &feed.StatusMsg{
		State: feed.Disconnected, Reason: "authentication refused: bad password (HTTP 401)", At: tb.clock, NextRetry: tb.clock.Add(12 * time.Minute),
	})
	tb.clock = tb.clock.Add(10 * time.Minute)
	return tb.send(m), tb
}

func TestNotLiveGoldens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {40, 12}} {
		for _, wall := range []bool{false, true} {
			m, _ := outage(t, size[0], size[1])
			m.wall = wall
			name := "overview"
			if wall {
				name = "wall"
			}
			t.Run(fmt.Sprintf("%s_%dx%d", name, size[0], size[1]), func(t *testing.T) {
				view := m.View()
				checkSize(t, view, size[0], size[1])
				if !strings.Contains(view, "NOT LIVE") && !saysNotLiveInBig(view) {
					t.Errorf("the %s does not say it is not live:\n%s", name, view)
				}
				if !strings.Contains(view, "disconnected") {
					t.Errorf("the header lost the state word:\n%s", view)
				}
				teatest.RequireEqualOutput(t, []byte(view))
			})
		}
	}
}

// saysNotLiveInBig reports whether view draws "NOT LIVE" in the wall's own
// letters, at any scale.
func saysNotLiveInBig(view string) bool {
	pixels, _ := wallPixels("NOT LIVE")
	for s := 1; s <= 4; s++ {
		big := bigText(pixels, s)
		if strings.Contains(view, big[0]) && strings.Contains(view, big[len(big)-1]) {
			return true
		}
	}
	return false
}

func checkSize(t *testing.T, view string, width, height int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != height {
		t.Errorf("%d lines, want %d", len(lines), height)
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w > width {
			t.Errorf("line %d is %d wide: %q", i, w, l)
		}
	}
}

func TestNotLiveSaysWhyAndSinceWhen(t *testing.T) {
	m, tb := outage(t, 100, 36)
	m.wall = true
	wall := m.View()
	for _, want := range []string{"authentication refused: bad password (HTTP 401)", "data from 15:19", "retry in 0:02:00"} {
		if !strings.Contains(wall, want) {
			t.Errorf("the wall does not say %q:\n%s", want, wall)
		}
	}
	if !saysNotLiveInBig(wall) {
		t.Errorf("the wall does not say NOT LIVE in big letters:\n%s", wall)
	}
	// The clocks stopped when the data froze: the call that waited 45 s
	// when the feed went down still shows 2:45, not 12:45.
	m.wall = false
	m, _ = update(t, m, keyRunes("3"))
	if v := m.View(); !strings.Contains(v, "0:02:45") || strings.Contains(v, "0:12:45") {
		t.Errorf("the longest wait went on ticking while not live:\n%s", v)
	}
	// Live again: the clocks move on.
	tb.clock = tb.clock.Add(time.Second)
	m = tb.send(m, &feed.StatusMsg{State: feed.Live, At: tb.clock})
	if v := m.View(); !strings.Contains(v, "0:12:46") || strings.Contains(v, "NOT LIVE") {
		t.Errorf("live again:\n%s", v)
	}
}

func TestFiguresAreUnknownBeforeAnyData(t *testing.T) {
	m := New(Config{})
	m, _ = update(t, m, sizeMsg(80, 24))
	for _, tl := range m.tiles() {
		if tl.value != noValue {
			t.Errorf("before any data %s shows %q, want %q", tl.label, tl.value, noValue)
		}
	}
	m.wall = true
	if v := m.View(); !strings.Contains(v, "no data yet") {
		t.Errorf("the wall does not say there is no data yet:\n%s", v)
	}
}

// TestFiguresAreUnknownUntilTheFirstUpdate: a server that accepts the login
// and sends the directory but no update (live and quiet, or refusing the
// init) has given no figure: every tile and every figure of the wall is
// "—", not a dimmed 0.
func TestFiguresAreUnknownUntilTheFirstUpdate(t *testing.T) {
	for _, status := range []*feed.StatusMsg{
		{State: feed.Live, Protocol: feed.ProtocolV4, At: start},
		{State: feed.Disconnected, Reason: "init refused: server closed the socket", At: start, NextRetry: start.Add(time.Minute)},
	} {
		tb := newTestBoard(t, state.Options{})
		m, _ := update(t, New(Config{}), sizeMsg(80, 24))
		m = tb.send(m, directory(), status)
		for _, tl := range m.tiles() {
			if tl.value != noValue {
				t.Errorf("%s, directory and no update: %s shows %q, want %q", status.State, tl.label, tl.value, noValue)
			}
		}
		for _, row := range tableRows(m, 0) {
			if name, figures, _ := strings.Cut(row, " "); strings.Trim(figures, noValue+" ") != "" {
				t.Errorf("%s, directory and no update: queue %s reads %q, want every figure %s", status.State, name, figures, noValue)
			}
		}
		m.wall = true
		for _, f := range m.wallFigures() {
			if f.value != noValue {
				t.Errorf("%s, directory and no update: the wall's %s shows %q, want %q", status.State, f.label, f.value, noValue)
			}
		}
		if status.State != feed.Live {
			if v := m.View(); !strings.Contains(v, "no data yet") {
				t.Errorf("the wall does not say there is no data yet:\n%s", v)
			}
			for _, wall := range []bool{false, true} {
				m.wall = wall
				t.Run(map[bool]string{false: "overview", true: "wall"}[wall], func(t *testing.T) {
					teatest.RequireEqualOutput(t, []byte(m.View()))
				})
			}
		}
		// the first update brings figures
		m = tb.send(m, feedtest.Event(start, `{"ts":1547651821,"elapse":0,"event":{"type_notification":"UI","event":"login","msg":{"supp":"","id_operator":1}}}`))
		for _, tl := range m.tiles() {
			if tl.label == "Logged in" && tl.value != "1" {
				t.Errorf("%s, after an update: Logged in %q, want 1", status.State, tl.value)
			}
		}
	}
}

func TestNotLiveFiguresAreDimmed(t *testing.T) {
	const faint = "\x1b[2;" // faint, with other attributes
	for _, live := range []bool{true, false} {
		m, tb := outage(t, 80, 24)
		m = repaint(m, termenv.ANSI)
		if live {
			m = tb.send(m, &feed.StatusMsg{State: feed.Live, At: tb.clock})
		}
		tiles := strings.Split(m.View(), "\n")[3]
		if got := strings.Contains(tiles, faint) || strings.Contains(tiles, ";2m"); got == live {
			t.Errorf("live %v: tile values faint %v: %q", live, got, tiles)
		}
	}
}

func TestHeaderKeepsTheStateWordAtFortyColumns(t *testing.T) {
	m, _ := outage(t, 40, 12)
	header := strings.Split(m.View(), "\n")[0]
	if !strings.HasPrefix(header, "● disconnected: authentication ref") || !strings.HasSuffix(header, "…") {
		t.Errorf("header at 40 columns: %q", header)
	}
	if strings.Contains(header, "15:29") {
		t.Errorf("the clock stayed before the state: %q", header)
	}
	// The whole reason is one key away.
	m, _ = update(t, m, keyRunes("6"))
	if v := strings.Join(strings.Fields(m.View()), " "); !strings.Contains(v, "bad password (HTTP 401)") {
		t.Errorf("the Events tab does not give the whole reason:\n%s", m.View())
	}
}

func TestDaySpanOnOverviewAndWall(t *testing.T) {
	m, tb := outage(t, 120, 30)
	m = tb.send(m, &feed.StatusMsg{State: feed.Live, At: tb.clock})
	want := "since 15:17 (start-up), Wed 16 Jan"
	if v := m.View(); !strings.Contains(v, want) {
		t.Errorf("the Overview does not say %q:\n%s", want, v)
	}
	m.wall = true
	if v := m.View(); !strings.Contains(v, want) {
		t.Errorf("the wall does not say %q:\n%s", want, v)
	}
	b := state.New(state.Options{Location: time.UTC}, start.Truncate(24*time.Hour))
	m = boardModel(b)
	m, _ = update(t, m, sizeMsg(120, 30))
	if v := m.View(); !strings.Contains(v, "today since 00:00, Wed 16 Jan") {
		t.Errorf("a board from midnight:\n%s", v)
	}
}

func TestStaleCallsAreShownApart(t *testing.T) {
	tb := newTestBoard(t, state.Options{})
	m, _ := update(t, New(Config{}), sizeMsg(120, 12))
	m = tb.send(m, []feed.Message{
		&feed.StatusMsg{State: feed.Live, At: start},
		directory(),
		feedtest.Event(start, `{"cpt":1,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":10,"id_call":"1"}}}`),
		&feed.StatusMsg{State: feed.Disconnected, At: start},
		&feed.StatusMsg{State: feed.Live, At: start.Add(time.Second)},
	}...)
	m, _ = update(t, m, keyRunes("3"))
	tb.clock = start.Add(time.Minute)
	m = tb.send(m)
	if v := m.View(); !strings.Contains(v, "Support (1 stale)") || !strings.Contains(v, "Support (1 stale)                 0             —") {
		t.Errorf("the stale call is not shown apart from the waiting ones:\n%s", v)
	}
}
