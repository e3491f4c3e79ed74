package feed

import (
	"sync"
	"testing"
	"time"

	"callboard/internal/testkit"
)

// collector keeps what a batcher sends, and signals each send.
type collector struct {
	mu   sync.Mutex
	got  []Message
	sent chan struct{}
}

func newCollector() *collector { return &collector{sent: make(chan struct{}, 1024)} }

func (c *collector) send(m Message) {
	c.mu.Lock()
	c.got = append(c.got, m)
	c.mu.Unlock()
	c.sent <- struct{}{}
}

func (c *collector) messages() []Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Message(nil), c.got...)
}

func seqEvent(seq int64) *Event { return &Event{Update: Update{Seq: seq, HasSeq: true}} }

// TestBatchesKeepTheOrder: updates wait for their batch; any other message
// sends the batch before it; a full batch goes at once.
func TestBatchesKeepTheOrder(t *testing.T) {
	t.Parallel()
	c := newCollector()
	b := newBatcher(time.Hour, c.send) // the timer never fires here
	defer b.close()
	b.deliver(seqEvent(1))
	b.deliver(seqEvent(2))
	if n := len(c.messages()); n != 0 {
		t.Fatalf("%d messages sent before the batch is due", n)
	}
	status := &StatusMsg{State: Live}
	b.deliver(status)
	got := c.messages()
	if len(got) != 2 {
		t.Fatalf("sent %v, want the batch of 2 updates then the status", got)
	}
	if batch, ok := got[0].(*Batch); !ok || len(batch.Events) != 2 || batch.Events[0].Update.Seq != 1 || batch.Events[1].Update.Seq != 2 {
		t.Errorf("first message %#v, want the batch of updates 1 and 2", got[0])
	}
	if got[1] != status {
		t.Errorf("second message %#v, want the status", got[1])
	}
	for i := range maxBatch {
		b.deliver(seqEvent(int64(10 + i)))
	}
	got = c.messages()
	if len(got) != 3 || len(got[2].(*Batch).Events) != maxBatch {
		t.Errorf("after %d updates: %d messages, want a full batch sent at once", maxBatch, len(got))
	}
	b.deliver(seqEvent(1000))
	b.flush()
	if got = c.messages(); len(got) != 4 || got[3].(*Event).Update.Seq != 1000 {
		t.Errorf("a lone update is sent alone, not as a batch of one: %#v", got[len(got)-1])
	}
}

// TestABatchGoesAfterItsDelay: with nothing else happening, the timer sends
// the batch.
func TestABatchGoesAfterItsDelay(t *testing.T) {
	t.Parallel()
	c := newCollector()
	b := newBatcher(time.Millisecond, c.send)
	defer b.close()
	b.deliver(seqEvent(1))
	b.deliver(seqEvent(2))
	testkit.Receive(t, "the batch", c.sent)
	if got := c.messages(); len(got) != 1 || len(got[0].(*Batch).Events) != 2 {
		t.Errorf("sent %#v, want one batch of 2", got)
	}
}

// TestClosingSendsWhatIsPending: the updates of a session go before its
// end; nothing goes after.
func TestClosingSendsWhatIsPending(t *testing.T) {
	t.Parallel()
	c := newCollector()
	b := newBatcher(time.Hour, c.send)
	b.deliver(seqEvent(1))
	b.close()
	b.deliver(seqEvent(2))
	b.deliver(&StatusMsg{State: Live})
	b.flush()
	if got := c.messages(); len(got) != 1 || got[0].(*Event).Update.Seq != 1 {
		t.Errorf("sent %#v, want update 1 alone", got)
	}
}

// TestNoBatchesWithoutPace: a negative pace sends every update alone.
func TestNoBatchesWithoutPace(t *testing.T) {
	t.Parallel()
	c := newCollector()
	b := newBatcher(-1, c.send)
	defer b.close()
	b.deliver(seqEvent(1))
	b.deliver(seqEvent(2))
	if got := c.messages(); len(got) != 2 {
		t.Errorf("sent %#v, want two updates at once", got)
	}
}

// TestUnbatchedTakesABatchApart: a batch's events one at a time, in order,
// until the loop stops; any other message alone.
func TestUnbatchedTakesABatchApart(t *testing.T) {
	t.Parallel()
	evs := []*Event{{Raw: []byte("1")}, {Raw: []byte("2")}, {Raw: []byte("3")}}
	var got []Message
	for m := range Unbatched(&Batch{Events: evs}) {
		got = append(got, m)
	}
	if len(got) != 3 || got[0] != evs[0] || got[1] != evs[1] || got[2] != evs[2] {
		t.Errorf("a batch of 3 gave %v", got)
	}
	n := 0
	for range Unbatched(&Batch{Events: evs}) {
		if n++; n == 2 {
			break
		}
	}
	if n != 2 {
		t.Errorf("a loop stopped at the second event ran %d times", n)
	}
	st := &StatusMsg{State: Live}
	got = nil
	for m := range Unbatched(st) {
		got = append(got, m)
	}
	if len(got) != 1 || got[0] != st {
		t.Errorf("a status gave %v, want itself", got)
	}
	for m := range Unbatched(&Batch{}) {
		t.Errorf("an empty batch gave %v", m)
	}
}
