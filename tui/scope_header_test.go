package tui

import (
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"callboard/feed"
	"callboard/state"
)

// scriptedView is the view of the scripted morning, as audience a sees it.
func scriptedView(t *testing.T, a state.Audience) *state.View {
	tb := newTestBoard(t, state.Options{})
	for _, msg := range scriptedMessages(t) {
		tb.board.Handle(msg, feed.MessageTime(msg))
	}
	return tb.board.View(start).For(a)
}

var supportScope = state.Audience{Scope: state.Scope{Name: "Support", Queues: []string{"10"}}}

// withUnmatched is v saying two of its scope's entries matched nothing.
func withUnmatched(v *state.View) *state.View {
	w := *v
	w.Scope = &state.ScopeShown{Name: "Support", QueueIDs: []string{"10"}, Unmatched: []string{"Compta", "999"}}
	return &w
}

// TestTheHeaderSaysTheViewerAndTheScope: a scoped board says its scope
// and its viewer in the header, at the standard size and the smallest,
// on its tabs and on the wall.
func TestTheHeaderSaysTheViewerAndTheScope(t *testing.T) {
	scoped := scriptedView(t, supportScope)
	board := func(v *state.View, viewer string) func(*lipgloss.Renderer) tea.Model {
		return func(r *lipgloss.Renderer) tea.Model {
			return New(Config{Title: "callboard — demo", Account: "sup@acme", Viewer: viewer, View: v, Renderer: r})
		}
	}
	t.Run("agents", func(t *testing.T) { playGoldens(t, board(scoped, "support-lead\x1b[2J"), "2") })
	t.Run("unmatched", func(t *testing.T) { playGoldens(t, board(withUnmatched(scoped), "support-lead"), "2") })
	t.Run("wall", func(t *testing.T) { playGoldens(t, board(withUnmatched(scoped), ""), "w") })
}

// TestTheScopeStaysInTheHeaderAtEveryWidth: from the smallest window up,
// the header of a scoped board says "scope: " and its unmatched count, and
// the connection's state word; the viewer is said where there is room,
// sanitised; what gives way first is the rest.
func TestTheScopeStaysInTheHeaderAtEveryWidth(t *testing.T) {
	v := withUnmatched(scriptedView(t, supportScope))
	down := *v
	down.Feed.State = feed.Disconnected
	down.Feed.Reason = "connection refused by axialys.example.com:443 after a very long explanation of what happened"
	for _, view := range []*state.View{v, &down} {
		m := New(Config{Title: "callboard — demo", Account: "sup@acme", Viewer: "support\u202e-lead", View: view, Renderer: renderer(termenv.Ascii)})
		for width := minWidth; width <= 200; width++ {
			m.width, m.height = width, 24
			h := m.headerView()
			if w := ansi.StringWidth(h); w > width {
				t.Errorf("at %d columns the header is %d wide: %q", width, w, h)
			}
			if !strings.HasPrefix(h, "scope: Support") && !strings.Contains(h, "scope: Sup") {
				t.Errorf("at %d columns the header does not say the scope: %q", width, h)
			}
			if !strings.Contains(h, "(2?)") && !strings.Contains(h, "(2 unmatched)") {
				t.Errorf("at %d columns the header does not count the unmatched entries: %q", width, h)
			}
			if !strings.Contains(h, "● live") && !strings.Contains(h, "● disconnected") {
				t.Errorf("at %d columns the header lost the state word: %q", width, h)
			}
			if strings.Contains(h, "\u202e") {
				t.Errorf("the viewer's name is not sanitised: %q", h)
			}
		}
		m.width = 160
		if h := m.headerView(); view == v && !strings.Contains(h, "support-lead") {
			t.Errorf("at 160 columns the header does not name the viewer: %q", h)
		}
	}
	// the whole center says no scope
	m := New(Config{View: scriptedView(t, state.Audience{}), Renderer: renderer(termenv.Ascii)})
	m.width, m.height = 80, 24
	if h := m.headerView(); strings.Contains(h, "scope") {
		t.Errorf("the whole center's header says a scope: %q", h)
	}
}

// TestAScopedBoardSaysWhyItHasNoTrunk: a scoped view holds no trunk (a
// trunk is a routing, not a queue): its Trunks tab says so, where the
// whole center's says none came yet.
func TestAScopedBoardSaysWhyItHasNoTrunk(t *testing.T) {
	for _, c := range []struct {
		view *state.View
		want string
	}{
		{scriptedView(t, supportScope), "no trunks in a scope"},
		{&state.View{}, "no trunks yet"},
	} {
		m := New(Config{View: c.view, Renderer: renderer(termenv.Ascii)})
		m.width, m.height = 100, 24
		m.tab, _ = tabNamed("Trunks")
		if got := m.View(); !strings.Contains(got, c.want) {
			t.Errorf("the Trunks tab of %v does not say %q:\n%s", c.view.Scope, c.want, got)
		}
	}
}

// TestAScopedEventsTabSaysItsCountsAreTheFeeds: the Events tab's counts
// are the feed's, the whole center's; above a scope's events they say so,
// where the whole center's board says them plainly.
func TestAScopedEventsTabSaysItsCountsAreTheFeeds(t *testing.T) {
	for _, c := range []struct {
		view   *state.View
		scoped bool
	}{{scriptedView(t, supportScope), true}, {scriptedView(t, state.Audience{}), false}} {
		m := New(Config{View: c.view, Renderer: renderer(termenv.Ascii)})
		m.width, m.height = 100, 24
		m.tab, _ = tabNamed("Events")
		got := m.View()
		if said := strings.Contains(got, "whole feed: "+strconv.Itoa(c.view.Feed.Events)+" events"); said != c.scoped {
			t.Errorf("scoped %v: the counts say they are the whole feed's: %v\n%s", c.scoped, said, got)
		}
	}
}
