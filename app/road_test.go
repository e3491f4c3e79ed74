package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"callboard/feed"
	"callboard/hub"
	"callboard/internal/testkit"
)

func TestACrashOnTheRoadEndsItWithTheReason(t *testing.T) {
	for name, source := range map[string]messageSource{
		"feed": func(ctx context.Context, out chan<- feed.Message) { panic("the feed fell over") },
		"board": func(ctx context.Context, out chan<- feed.Message) {
			out <- (*feed.Event)(nil) // the board cannot apply this
			<-ctx.Done()
		},
	} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			r := startRoad(ctx, cancel, source, hub.Config{})
			testkit.Receive(t, "the road's end", r.done)
			if ctx.Err() == nil {
				t.Error("the crash did not cancel the process's context (the screen would stay)")
			}
			if err := r.Err(); err == nil || !strings.Contains(err.Error(), "crashed") {
				t.Errorf("Err() = %v, want the crash", err)
			}
		})
	}
}

func TestTheRoadEndsWithItsSource(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := startRoad(ctx, cancel, func(ctx context.Context, out chan<- feed.Message) {
		out <- &feed.StatusMsg{State: feed.Live, At: time.Now()}
	}, hub.Config{})
	<-r.done
	if v := r.hub.Latest(); !v.FeedEnded || !v.Feed.Live() || r.Err() != nil {
		t.Errorf("ended %v, live %v, err %v", v.FeedEnded, v.Feed.Live(), r.Err())
	}
}
