package tui

import (
	"strings"
	"testing"

	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

func TestWaitForViewDeliversTheNewest(t *testing.T) {
	views := make(chan *state.View, 1)
	v := &state.View{Now: start}
	views <- v
	if got := waitForView(views)(); got != (viewMsg{v}) {
		t.Errorf("got %v, want the view", got)
	}
	close(views)
	if got := waitForView(views)(); got != (viewsEndedMsg{}) {
		t.Errorf("after the close: %v, want viewsEndedMsg", got)
	}
}

func TestWaitForViewBlocksUntilAViewComes(t *testing.T) {
	views := make(chan *state.View)
	got := make(chan any, 1)
	go func() { got <- waitForView(views)() }()
	select {
	case msg := <-got:
		t.Fatalf("returned %v before any view was sent", msg)
	default:
	}
	views <- &state.View{}
	if _, ok := (<-got).(viewMsg); !ok {
		t.Error("no view after one was sent")
	}
}

func TestUpdateShowsAViewAndWaitsAgain(t *testing.T) {
	views := make(chan *state.View, 1)
	m := New(Config{Views: views})
	m.tab = tabAgents
	tb := newTestBoard(t, state.Options{})
	tb.board.Handle(directory(), start)
	tb.board.Handle(feedtest.Event(start, feedScript[0]), start)
	m, cmd := update(t, m, sizeMsg(120, 30), tb.view())
	if cmd == nil {
		t.Fatal("no command to wait for the next view")
	}
	if len(m.view.Agents) != 4 || m.view.Feed.Events != 1 {
		t.Errorf("the model shows %d agents and %d events, want 4 and 1", len(m.view.Agents), m.view.Feed.Events)
	}

	ended := tb.board.View(start)
	ended.FeedEnded = true
	m, _ = update(t, m, viewMsg{ended})
	if w := m.waitView(); w != nil {
		t.Error("still waiting after the feed ended")
	}
	if v := m.View(); !strings.Contains(v, "feed stopped") || !strings.Contains(v, "Alice Martin") {
		t.Errorf("a stopped feed should say so and keep the board:\n%s", v)
	}
	m = New(Config{Views: views})
	m, _ = update(t, m, sizeMsg(120, 30), viewsEndedMsg{})
	if w := m.waitView(); w != nil || !strings.Contains(m.View(), "feed stopped") {
		t.Error("closed views: the board does not say the feed stopped")
	}
}
