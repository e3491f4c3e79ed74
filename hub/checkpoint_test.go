package hub

import (
	"bytes"
	"io"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// TestTheBoardIsCheckpointedEveryFewMinutesOfItsTimeAndAtTheEnd: the hub
// hands its board's checkpoint, after the message journaled, each time
// CheckpointEvery of the messages' time has passed, and when it ends; a
// hub that resumes from the last one shows what this one showed.
func TestTheBoardIsCheckpointedEveryFewMinutesOfItsTimeAndAtTheEnd(t *testing.T) {
	opts := state.Options{Location: time.UTC}
	type taken struct {
		journaled int // messages journaled when it was taken
		board     []byte
		ticked    time.Time
	}
	var takes []taken
	journaled := 0
	cfg := Config{Options: opts, Now: func() time.Time { return t0.Add(time.Hour) }, Start: t0, MinInterval: time.Hour, TickInterval: time.Hour,
		CheckpointEvery: 10 * time.Minute, Journal: countingJournal{&journaled},
		Checkpoint: func(take func() io.WriterTo, ticked time.Time) {
			var buf bytes.Buffer
			if _, err := take().WriteTo(&buf); err != nil {
				t.Fatal(err)
			}
			takes = append(takes, taken{journaled, buf.Bytes(), ticked})
		}}
	h := New(cfg)
	messages := make(chan feed.Message, 60)
	messages <- &feed.StatusMsg{State: feed.Live, At: t0}
	for i := range 59 { // an agent logs in each minute
		messages <- feedtest.Login(t0.Add(time.Duration(i+1)*time.Minute), i+1, i+1)
	}
	close(messages)
	if err := run(t, h, messages)(); err != nil {
		t.Fatal(err)
	}
	var at []int
	for _, c := range takes {
		at = append(at, c.journaled)
	}
	if want := []int{11, 21, 31, 41, 51, 60}; !slices.Equal(at, want) {
		t.Fatalf("checkpoints after %v messages journaled, want %v", at, want)
	}
	last := takes[len(takes)-1]
	b, err := state.LoadCheckpoint(bytes.NewReader(last.board), opts)
	if err != nil {
		t.Fatal(err)
	}
	if !last.ticked.Equal(t0.Add(59 * time.Minute)) {
		t.Errorf("ticked at %v, want the last message's time", last.ticked)
	}
	resumed := New(Config{Options: opts, Now: cfg.Now, Start: t0,
		Resume: func(state.Options) (*state.Board, time.Time, bool) { return b, last.ticked, true }})
	closed := make(chan feed.Message)
	close(closed)
	if err := run(t, resumed, closed)(); err != nil {
		t.Fatal(err)
	}
	if got, want := resumed.Latest().Snapshot(), h.Latest().Snapshot(); len(got.Agents) != 59 || got.Totals != want.Totals {
		t.Errorf("resumed: %d agents, %+v; want 59, %+v", len(got.Agents), got.Totals, want.Totals)
	}
}

// countingJournal counts the messages journaled.
type countingJournal struct{ n *int }

func (j countingJournal) Record(m feed.Message) {
	for range feed.Unbatched(m) {
		*j.n++
	}
}

func (countingJournal) Health() state.JournalHealth { return state.JournalHealth{} }

// TestTheHubGoesOnWhileItsCheckpointIsWritten: the hub hands a copy of its
// board to Checkpoint and does not wait for it to be written: while the
// writer holds it unwritten, the hub applies the next messages and
// publishes their views; written later, while the hub applies more (the
// race detector watching), it is the board as it was when taken.
func TestTheHubGoesOnWhileItsCheckpointIsWritten(t *testing.T) {
	opts := state.Options{Location: time.UTC}
	var clock atomic.Int64 // a millisecond passes each time the hub looks
	taken := make(chan io.WriterTo, 10)
	h := New(Config{Options: opts, Start: t0, MinInterval: time.Nanosecond, CheckpointEvery: 10 * time.Minute,
		Now:        func() time.Time { return t0.Add(time.Hour + time.Duration(clock.Add(1))*time.Millisecond) },
		Checkpoint: func(take func() io.WriterTo, _ time.Time) { taken <- take() }})
	messages := make(chan feed.Message) // each message sent is one the hub took
	end := run(t, h, messages)
	messages <- &feed.StatusMsg{State: feed.Live, At: t0}
	login := func(i int) { messages <- feedtest.Login(t0.Add(time.Duration(i)*time.Minute), i, i) }
	for i := 1; i <= 10; i++ {
		login(i)
	}
	copied := testkit.Receive(t, "the checkpoint after 10 minutes", taken)

	release, written := make(chan struct{}), make(chan []byte)
	go func() { // the journal's writer, held
		<-release
		var buf bytes.Buffer
		if _, err := copied.WriteTo(&buf); err != nil {
			t.Error(err)
		}
		written <- buf.Bytes()
	}()
	for i := 11; i <= 15; i++ {
		login(i)
	}
	testkit.Eventually(t, "the view of 15 agents published", func() bool { return len(h.Latest().Agents) == 15 })
	close(release)
	for i := 16; i <= 19; i++ {
		login(i)
	}
	board := testkit.Receive(t, "the checkpoint written", written)
	close(messages)
	if err := end(); err != nil {
		t.Fatal(err)
	}
	b, err := state.LoadCheckpoint(bytes.NewReader(board), opts)
	if err != nil {
		t.Fatal(err)
	}
	if v := b.View(t0.Add(time.Hour)); len(v.Agents) != 10 {
		t.Errorf("the checkpoint holds %d agents, want the 10 of the board when it was taken", len(v.Agents))
	}
}
