package hub

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/record"
	"callboard/state"
)

// lineJournal keeps the lines a journal would write for what it is given.
type lineJournal struct {
	mu    sync.Mutex
	lines record.Appender
	data  []byte
}

func newLineJournal(start time.Time) *lineJournal {
	return &lineJournal{data: record.AppendMark(nil, record.MarkStart, start)}
}

func (j *lineJournal) Record(m feed.Message) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.data = j.lines.Append(j.data, m)
}

func (j *lineJournal) Health() state.JournalHealth { return state.JournalHealth{On: true} }

// crasher makes the reducer panic on an update whose payload holds
// "crash", when it is about to be applied as an update; it counts those.
type crasher struct{ applied int }

func (c *crasher) beforeApply(m feed.Message) {
	if ev, ok := m.(*feed.Event); ok && ev.Err == nil && bytes.Contains(ev.Raw, []byte("crash")) {
		c.applied++
		var agents []int
		_ = agents[len(ev.Raw)] // index out of range, as a reducer's bug would
	}
}

// crashDay is a live feed whose second update crashes the reducer.
func crashDay(t *testing.T) []feed.Message {
	return []feed.Message{
		&feed.StatusMsg{State: feed.Live, At: t0},
		feedtest.Login(t0.Add(time.Second), 1, 1),
		feedtest.Event(t0.Add(2*time.Second), `{"cpt":2,"crash":1,"event":{"type_notification":"UI","event":"login","msg":{"id_operator":2}}}`),
		&feed.Batch{Events: []*feed.Event{feedtest.Login(t0.Add(3*time.Second), 3, 3)}},
	}
}

// checkQuarantined: the crashing update is counted rejected with the
// panic's message, in the sequence, not applied; the others are.
func checkQuarantined(t *testing.T, v *state.View) {
	t.Helper()
	if v.Feed.Events != 3 || v.Feed.Rejected != 1 || v.Feed.RejectedBy[feed.ReasonQuarantined] != 1 || v.Feed.Gaps != 0 {
		t.Errorf("%d events, %d rejected (%v), %d gaps: want 3, 1 (%q), 0", v.Feed.Events, v.Feed.Rejected, v.Feed.RejectedBy, v.Feed.Gaps, feed.ReasonQuarantined)
	}
	var ids []string
	for _, a := range v.Agents {
		ids = append(ids, a.ID)
	}
	if strings.Join(ids, ",") != "1,3" {
		t.Errorf("agents %v: want 1 and 3, not the crashing update's", ids)
	}
	found := false
	for _, e := range v.Events {
		if e.Rejected != "" {
			found = true
			if !strings.HasPrefix(e.Rejected, "made the board crash: runtime error: index out of range") || !bytes.Contains(e.Raw, []byte(`"crash":1`)) {
				t.Errorf("the Events tab says %q of %s", e.Rejected, e.Raw)
			}
		}
	}
	if !found {
		t.Errorf("the Events tab shows no rejection: %+v", v.Events)
	}
}

// TestAnUpdateThatCrashesTheBoardIsQuarantined: live, an update whose
// application panics is rejected with the panic's message and the board
// goes on; its journal line says so, and a restart that replays the
// journal does not apply it again (nor crash), and has the same board.
func TestAnUpdateThatCrashesTheBoardIsQuarantined(t *testing.T) {
	opts := state.Options{Location: time.UTC}
	end := t0.Add(time.Minute)
	j := newLineJournal(t0)
	live := &crasher{}
	h := New(Config{Options: opts, Start: t0, Now: func() time.Time { return end }, Journal: j})
	h.beforeApply = live.beforeApply
	runAll(t, h, crashDay(t)...)
	checkQuarantined(t, h.Latest())
	if live.applied != 1 {
		t.Errorf("the crashing update was applied %d times live", live.applied)
	}
	if !bytes.Contains(j.data, []byte(`"rejected":"runtime error: index out of range`)) {
		t.Errorf("the journal does not say the update was rejected:\n%s", j.data)
	}

	restarted := &crasher{}
	h = New(Config{Options: opts, Start: end, Now: func() time.Time { return end }, History: replay(t, j.data)})
	h.beforeApply = restarted.beforeApply
	runAll(t, h)
	checkQuarantined(t, h.Latest())
	if restarted.applied != 0 {
		t.Errorf("the restart applied the quarantined update %d times", restarted.applied)
	}
}

// TestAnOlderJournalsCrashingLineIsQuarantinedAtReplay: a journal written
// before quarantine holds the crashing update as a plain update: replaying
// it quarantines it too, and the board goes on.
func TestAnOlderJournalsCrashingLineIsQuarantinedAtReplay(t *testing.T) {
	data := record.AppendMark(nil, record.MarkStart, t0)
	for _, m := range crashDay(t) {
		data = record.Append(data, m)
	}
	end := t0.Add(time.Minute)
	c := &crasher{}
	h := New(Config{Options: state.Options{Location: time.UTC}, Start: end, Now: func() time.Time { return end }, History: replay(t, data)})
	h.beforeApply = c.beforeApply
	runAll(t, h)
	checkQuarantined(t, h.Latest())
}

// runAll runs h on msgs until they end, and fails the test if it ends
// otherwise.
func runAll(t *testing.T, h *Hub, msgs ...feed.Message) {
	t.Helper()
	messages := make(chan feed.Message, len(msgs))
	for _, m := range msgs {
		messages <- m
	}
	close(messages)
	if err := run(t, h, messages)(); err != nil {
		t.Fatalf("the hub ended with %v", err)
	}
}

// replay is a History that reads a journal's lines.
func replay(t *testing.T, data []byte) func(apply func(feed.Message)) error {
	return func(apply func(feed.Message)) error {
		r := record.NewReader(bytes.NewReader(data), false)
		for {
			m, err := r.Next()
			if err != nil {
				if err.Error() == "EOF" {
					return nil
				}
				t.Errorf("reading the journal back: %v", err)
				return err
			}
			apply(m)
		}
	}
}

// TestADirectoryThatCrashesTheBoardIsQuarantined: a login's directory
// whose application panics is counted rejected and named on the Events
// tab; the updates after it are applied.
func TestADirectoryThatCrashesTheBoardIsQuarantined(t *testing.T) {
	end := t0.Add(time.Minute)
	h := New(Config{Options: state.Options{Location: time.UTC}, Start: t0, Now: func() time.Time { return end }})
	h.beforeApply = func(m feed.Message) {
		if _, ok := m.(*feed.DirectoryMsg); ok {
			panic("a directory too odd")
		}
	}
	runAll(t, h,
		&feed.DirectoryMsg{At: t0, Directory: feed.Directory{Agents: []feed.Agent{{ID: "1", Name: "Alice"}}}},
		&feed.StatusMsg{State: feed.Live, At: t0},
		feedtest.Login(t0.Add(time.Second), 1, 1))
	v := h.Latest()
	if v.Feed.Rejected != 1 || v.Feed.Events != 1 || len(v.Agents) != 1 || v.Feed.State != feed.Live {
		t.Errorf("%d rejected, %d events, agents %+v, %v: want 1, 1, one agent, live", v.Feed.Rejected, v.Feed.Events, v.Agents, v.Feed.State)
	}
	if n := len(v.Events); n != 2 || v.Events[1].Kind != "directory" || v.Events[1].Rejected != "made the board crash: a directory too odd" {
		t.Errorf("the Events tab has %+v", v.Events)
	}
}
