package app

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"callboard/feed"
	"callboard/hub"
)

// road is a process's one road from a source of feed messages (the
// service, the demo simulator, a recording played back) to the hub that
// owns the board and publishes its views to every reader.
type road struct {
	hub  *hub.Hub
	done chan struct{} // closed once the source and the hub have both ended

	mu  sync.Mutex
	err error // the crash of the source or of the board, if any
}

// messageSource sends feed messages on out until ctx ends or it has no
// more.
type messageSource func(ctx context.Context, out chan<- feed.Message)

// fromFeed is the live service (or the demo simulator) as a source.
func fromFeed(cfg feed.Config) messageSource {
	return func(ctx context.Context, out chan<- feed.Message) { feed.New(cfg).Run(ctx, out) }
}

// startRoad runs source into a new hub of cfg until ctx ends. A crash of
// either cancels ctx (cancel is its cancel function) and is kept for Err,
// so that the caller can restore the terminal before saying why.
func startRoad(ctx context.Context, cancel context.CancelFunc, source messageSource, cfg hub.Config) *road {
	r := &road{hub: hub.New(cfg), done: make(chan struct{})}
	messages := make(chan feed.Message, 4096)
	sourceDone := make(chan struct{})
	go func() {
		defer close(sourceDone)
		defer close(messages) // no more messages: the hub publishes the last view and ends
		defer func() {
			if p := recover(); p != nil {
				r.fail(fmt.Errorf("the feed crashed: %v", p))
				cancel()
			}
		}()
		source(ctx, messages)
	}()
	go func() {
		defer close(r.done)
		err := r.hub.Run(ctx, messages)
		if pe := (*hub.PanicError)(nil); errors.As(err, &pe) {
			r.fail(pe)
			cancel()
		}
		<-sourceDone
	}()
	return r
}

func (r *road) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err == nil {
		r.err = err
	}
}

// Err is the crash that ended the road, if one did.
func (r *road) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}
