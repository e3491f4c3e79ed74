package feed

import (
	"iter"
	"sync"
	"time"
)

// Batch is updates delivered together, in the order they arrived: in a
// flood the board takes them a batch per channel send, not one each.
// Every other message is delivered alone, after the updates before it.
type Batch struct {
	Events []*Event
}

func (*Batch) feedMessage() {}

// Unbatched is m as messages one at a time: a Batch's events in order,
// any other message itself.
func Unbatched(m Message) iter.Seq[Message] {
	return func(yield func(Message) bool) {
		b, ok := m.(*Batch)
		if !ok {
			yield(m)
			return
		}
		for _, ev := range b.Events {
			if !yield(ev) {
				return
			}
		}
	}
}

// maxBatch bounds a batch: a flood still reaches the board in steady steps.
const maxBatch = 512

// batcher gathers a session's updates into batches: the first update of a
// batch arms a timer of delay; the batch goes when the timer fires, when it
// is full, or before any other message. Delivery may block (the board is
// behind): the session's reading then waits, and the server's sending
// with it.
type batcher struct {
	mu      sync.Mutex
	send    func(Message)
	delay   time.Duration
	pending []*Event
	timer   *time.Timer
	closed  bool
}

func newBatcher(delay time.Duration, send func(Message)) *batcher {
	b := &batcher{send: send, delay: delay}
	if delay > 0 {
		b.timer = time.AfterFunc(time.Hour, b.flush)
		b.timer.Stop()
	}
	return b
}

// deliver sends m, or keeps it for the batch when it is an update.
func (b *batcher) deliver(m Message) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	if ev, ok := m.(*Event); ok && b.timer != nil {
		b.pending = append(b.pending, ev)
		switch len(b.pending) {
		case maxBatch:
			b.flushLocked()
		case 1:
			b.timer.Reset(b.delay)
		}
		return
	}
	b.flushLocked()
	b.send(m)
}

func (b *batcher) flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.closed {
		b.flushLocked()
	}
}

func (b *batcher) flushLocked() {
	switch len(b.pending) {
	case 0:
		return
	case 1:
		b.send(b.pending[0])
	default:
		b.send(&Batch{Events: b.pending})
	}
	b.pending = nil // the batch is the receiver's now
	if b.timer != nil {
		b.timer.Stop()
	}
}

// close delivers what is pending; nothing is delivered after it.
func (b *batcher) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.flushLocked()
	b.closed = true
	if b.timer != nil {
		b.timer.Stop()
	}
}
