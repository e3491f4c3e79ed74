package tui

import (
	"strings"
	"testing"
	"time"

	"callboard/feed"
)

func pending(n int, closed bool) chan feed.Message {
	ch := make(chan feed.Message, n)
	for range n {
		ch <- &feed.StatusMsg{State: feed.Live}
	}
	if closed {
		close(ch)
	}
	return ch
}

func TestWaitForFeedDrainsEverythingPendingIntoOneBatch(t *testing.T) {
	msg := waitForFeed(pending(500, false), DefaultMaxBatch)()
	b, ok := msg.(feedBatchMsg)
	if !ok {
		t.Fatalf("got %T, want feedBatchMsg", msg)
	}
	if len(b.msgs) != 500 || b.closed {
		t.Errorf("got %d messages (closed %v), want 500 in one open batch", len(b.msgs), b.closed)
	}
}

func TestWaitForFeedCapsTheBatch(t *testing.T) {
	ch := pending(10, false)
	cmd := waitForFeed(ch, 4)
	for _, want := range []int{4, 4, 2} {
		if b := cmd().(feedBatchMsg); len(b.msgs) != want {
			t.Errorf("batch of %d, want %d", len(b.msgs), want)
		}
	}
}

func TestWaitForFeedReportsTheClose(t *testing.T) {
	ch := pending(3, true)
	cmd := waitForFeed(ch, DefaultMaxBatch)
	if b := cmd().(feedBatchMsg); len(b.msgs) != 3 || !b.closed {
		t.Errorf("got %d messages (closed %v), want 3 and closed", len(b.msgs), b.closed)
	}
	if b := cmd().(feedBatchMsg); len(b.msgs) != 0 || !b.closed {
		t.Errorf("got %d messages (closed %v), want none and closed", len(b.msgs), b.closed)
	}
}

func TestWaitForFeedBlocksUntilAMessageComes(t *testing.T) {
	ch := make(chan feed.Message, 1)
	got := make(chan feedBatchMsg)
	go func() { got <- waitForFeed(ch, DefaultMaxBatch)().(feedBatchMsg) }()
	select {
	case b := <-got:
		t.Fatalf("returned %d messages before any was sent", len(b.msgs))
	default:
	}
	ch <- &feed.StatusMsg{}
	if b := <-got; len(b.msgs) != 1 {
		t.Errorf("got %d messages, want 1", len(b.msgs))
	}
}

func TestUpdateAppliesABatchAndWaitsAgain(t *testing.T) {
	ch := make(chan feed.Message)
	m := New(Config{Messages: ch, Now: fixedClock})
	m.tab = tabAgents
	batch := feedBatchMsg{msgs: []feed.Message{directory(), event(t, feedScript[0])}}
	m, cmd := update(t, m, sizeMsg(120, 30), batch)
	if cmd == nil {
		t.Fatal("no command to wait for the next batch")
	}
	m, _ = update(t, m, refreshMsg{})
	if len(m.agents) != 4 || m.health.Events != 1 {
		t.Errorf("board has %d agents and %d events, want 4 and 1", len(m.agents), m.health.Events)
	}

	m, _ = update(t, m, feedBatchMsg{closed: true})
	if w := m.waitFeed(); w != nil {
		t.Error("still waiting on a closed feed")
	}
	if v := m.View(); !strings.Contains(v, "feed stopped") || !strings.Contains(v, "Alice Martin") {
		t.Errorf("a stopped feed should say so and keep the board:\n%s", v)
	}
}

func TestFeedRefreshesAreSpacedOut(t *testing.T) {
	clock := start
	m := New(Config{Messages: make(chan feed.Message), Now: func() time.Time { return clock }})
	one := func(raw string) feedBatchMsg { return feedBatchMsg{msgs: []feed.Message{event(t, raw)}} }

	clock = clock.Add(time.Second)
	m, _ = update(t, m, one(feedScript[0]))
	if m.health.Events != 1 || m.pending {
		t.Fatalf("a batch after a quiet second should show at once (events %d, pending %v)", m.health.Events, m.pending)
	}
	clock = clock.Add(10 * time.Millisecond)
	m, _ = update(t, m, one(feedScript[2]))
	m, _ = update(t, m, one(feedScript[4]))
	if m.health.Events != 1 || !m.pending {
		t.Fatalf("batches within %v of a refresh should wait for one (events %d, pending %v)", refreshEvery, m.health.Events, m.pending)
	}
	m, _ = update(t, m, refreshMsg{})
	if m.health.Events != 3 || m.pending || len(m.agents) != 3 {
		t.Errorf("after the refresh: events %d, agents %d, pending %v", m.health.Events, len(m.agents), m.pending)
	}
}
