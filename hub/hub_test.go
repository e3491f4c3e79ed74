package hub

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

var t0 = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// run starts h on messages and returns a function that waits for its end.
func run(t *testing.T, h *Hub, messages <-chan feed.Message) func() error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- h.Run(context.Background(), messages) }()
	return func() error { return testkit.Receive(t, "the hub's end", done) }
}

func TestEachMessageIsAppliedAtItsOwnTime(t *testing.T) {
	now := t0.Add(10 * time.Second) // the hub looks at its board ten seconds later
	h := New(Config{Options: state.Options{Location: time.UTC}, Now: func() time.Time { return now }, Start: t0})
	messages := make(chan feed.Message, 2)
	messages <- &feed.StatusMsg{State: feed.Live, At: t0}
	messages <- feedtest.Login(t0, 1, 7)
	close(messages)
	if err := run(t, h, messages)(); err != nil {
		t.Fatal(err)
	}
	v := h.Latest()
	if !v.FeedEnded || len(v.Agents) != 1 || v.Agents[0].InState != 10*time.Second {
		t.Errorf("ended %v, agents %+v: want one agent in state for 10s, as received", v.FeedEnded, v.Agents)
	}
}

func TestASlowSubscriberSkipsViewsAndHoldsNothingBack(t *testing.T) {
	h := New(Config{Options: state.Options{Location: time.UTC}, Now: func() time.Time { return t0 }, Start: t0, MinInterval: time.Nanosecond})
	stalled := h.Subscribe() // never read
	defer stalled.Close()
	reader := h.Subscribe()
	defer reader.Close()
	messages := make(chan feed.Message) // unbuffered: each send returns once the hub took it
	wait := run(t, h, messages)
	for i := range 1000 {
		messages <- feedtest.Login(t0, i+1, i+1)
	}
	close(messages)
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*Subscription{"stalled": stalled, "reader": reader} {
		var last *state.View
		for drained := false; !drained; {
			select {
			case v := <-s.C:
				last = v
			default:
				drained = true
			}
		}
		if last == nil || !last.FeedEnded || len(last.Agents) != 1000 {
			t.Errorf("%s: the last view it holds is not the final one", name)
		}
	}
	if h.subscribers() != 2 {
		t.Errorf("%d subscribers", h.subscribers())
	}
}

func TestViewsAreCoalesced(t *testing.T) {
	h := New(Config{Options: state.Options{Location: time.UTC}, Now: func() time.Time { return t0 }, Start: t0, MinInterval: time.Hour, TickInterval: time.Hour})
	first := h.Latest()
	messages := make(chan feed.Message)
	wait := run(t, h, messages)
	for i := range 100 {
		messages <- feedtest.Login(t0, i+1, i+1)
	}
	if h.Latest() != first {
		t.Error("a view was published before MinInterval passed")
	}
	close(messages)
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	if v := h.Latest(); v == first || len(v.Agents) != 100 {
		t.Error("the end of the messages published no final view")
	}
}

func TestMaxEventsStopsTheHub(t *testing.T) {
	h := New(Config{Options: state.Options{Location: time.UTC}, Now: func() time.Time { return t0 }, Start: t0, MaxEvents: 3})
	messages := make(chan feed.Message, 10)
	for i := range 10 {
		messages <- feedtest.Login(t0, i+1, i+1)
	}
	if err := run(t, h, messages)(); err != nil {
		t.Fatal(err)
	}
	if v := h.Latest(); len(v.Agents) != 3 || v.Feed.Events != 3 || !v.FeedEnded {
		t.Errorf("%d agents, %d events, ended %v: want 3, 3, true", len(v.Agents), v.Feed.Events, v.FeedEnded)
	}
}

// TestABatchIsAppliedUpdateByUpdate: each update of a batch at its own
// time, in order, and MaxEvents counts updates, not batches.
func TestABatchIsAppliedUpdateByUpdate(t *testing.T) {
	now := t0.Add(10 * time.Second)
	h := New(Config{Options: state.Options{Location: time.UTC}, Now: func() time.Time { return now }, Start: t0, MaxEvents: 4})
	messages := make(chan feed.Message, 3)
	messages <- &feed.StatusMsg{State: feed.Live, At: t0}
	messages <- &feed.Batch{Events: []*feed.Event{feedtest.Login(t0, 1, 1), feedtest.Login(t0.Add(4*time.Second), 2, 2), feedtest.Login(t0.Add(5*time.Second), 3, 3)}}
	messages <- &feed.Batch{Events: []*feed.Event{feedtest.Login(t0.Add(6*time.Second), 4, 4), feedtest.Login(t0.Add(7*time.Second), 5, 5)}}
	if err := run(t, h, messages)(); err != nil {
		t.Fatal(err)
	}
	v := h.Latest()
	if len(v.Agents) != 4 || v.Feed.Events != 4 || v.Feed.Gaps != 0 || !v.FeedEnded {
		t.Fatalf("%d agents, %d events, %d gaps, ended %v: want 4, 4, 0, true", len(v.Agents), v.Feed.Events, v.Feed.Gaps, v.FeedEnded)
	}
	for _, a := range v.Agents {
		if want := map[string]time.Duration{"1": 10 * time.Second, "2": 6 * time.Second, "3": 5 * time.Second, "4": 4 * time.Second}[a.ID]; a.InState != want {
			t.Errorf("agent %s in state for %v, want %v (applied at its own time)", a.ID, a.InState, want)
		}
	}
}

func TestAPanicEndsTheHubWithItsReason(t *testing.T) {
	h := New(Config{Start: t0})
	messages := make(chan feed.Message, 1)
	messages <- (*feed.Event)(nil)
	err := run(t, h, messages)()
	var pe *PanicError
	if !errors.As(err, &pe) || len(pe.Stack) == 0 {
		t.Errorf("Run: %v, want a PanicError", err)
	}
}

func TestContextEndsTheHub(t *testing.T) {
	h := New(Config{Start: t0})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx, make(chan feed.Message)) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run: %v", err)
	}
}

// recordingJournal keeps what it is given.
type recordingJournal struct {
	mu   sync.Mutex
	kept []feed.Message
}

func (j *recordingJournal) Record(m feed.Message) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.kept = append(j.kept, m)
}

func (j *recordingJournal) Health() state.JournalHealth {
	j.mu.Lock()
	defer j.mu.Unlock()
	return state.JournalHealth{On: true, Writing: true, Replayed: 2, Dropped: len(j.kept)}
}

// TestHistoryComesFirstAndIsNotJournaledAgain: the day kept before is
// applied before the live messages, at its own times; only the live
// messages go to the journal; the views say how the journal goes.
func TestHistoryComesFirstAndIsNotJournaledAgain(t *testing.T) {
	j := &recordingJournal{}
	history := func(apply func(feed.Message)) error {
		apply(&feed.StatusMsg{State: feed.Live, At: t0})
		apply(&feed.Batch{Events: []*feed.Event{feedtest.Login(t0, 1, 1), feedtest.Login(t0.Add(time.Second), 2, 2)}})
		return nil
	}
	h := New(Config{Options: state.Options{Location: time.UTC}, Start: t0.Add(50 * time.Second), Now: func() time.Time { return t0.Add(time.Minute) }, History: history, Journal: j})
	messages := make(chan feed.Message, 1)
	messages <- feedtest.Login(t0.Add(30*time.Second), 3, 3)
	close(messages)
	if err := run(t, h, messages)(); err != nil {
		t.Fatal(err)
	}
	v := h.Latest()
	if len(v.Agents) != 3 || v.Feed.Gaps != 0 || v.Feed.Events != 3 {
		t.Errorf("%d agents, %d events, %d gaps: want 3, 3, 0 (history then live, in order)", len(v.Agents), v.Feed.Events, v.Feed.Gaps)
	}
	if len(j.kept) != 1 || j.kept[0].(*feed.Event).Update.Seq != 3 {
		t.Errorf("journaled %v, want the live update alone", j.kept)
	}
	if !v.Day.Since.Equal(t0) {
		t.Errorf("counters since %v, want the history's first message, %v", v.Day.Since, t0)
	}
	if !v.Journal.On || v.Journal.Replayed != 2 || v.Journal.Dropped != 1 {
		t.Errorf("journal health %+v, want the journal's own", v.Journal)
	}
}

// subscribers is how many subscriptions are open.
func (h *Hub) subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}
