package busyday

import (
	"context"
	"errors"
	"io"
	"time"

	"callboard/feed"
	"callboard/hub"
	"callboard/journal"
	"callboard/state"
)

// Restart is a board started at now on the journal in dir, as a restart
// starts: the journal's keeper gives its History (from the start of the
// day before now) to a hub, and the first view the hub publishes after it
// is the day's figures, returned.
func Restart(dir string, loc *time.Location, now time.Time, opts state.Options) (*state.View, error) {
	opts.Location = loc
	clock := func() time.Time { return now }
	keeper := journal.OpenKeeper(journal.KeeperConfig{Dir: dir, Location: loc, Now: clock})
	defer keeper.Close()
	cfg := hub.Config{Options: opts, Start: now, Now: clock}
	keeper.Attach(&cfg)
	h := hub.New(cfg)
	first := h.Latest()
	sub := h.Subscribe()
	defer sub.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := make(chan error, 1)
	go func() { ran <- h.Run(ctx, make(chan feed.Message)) }()
	for {
		select {
		case v := <-sub.C:
			if v != first {
				cancel()
				<-ran
				return v, nil
			}
		case err := <-ran:
			if err == nil {
				err = errors.New("busyday: the hub stopped before its first view")
			}
			return nil, err
		}
	}
}

// BoardAt is the board of the journal in dir replayed up to until, from
// the start of the day before until's (as a restart replays): each
// message applied at its time, time passing on the board every second of
// the messages' time as the hub lets it, then up to until.
func BoardAt(dir string, loc *time.Location, until time.Time, opts state.Options) (*state.Board, error) {
	opts.Location = loc
	y, m, d := until.In(loc).Date()
	r, err := journal.OpenDays(dir, loc, time.Date(y, m, d-1, 12, 0, 0, 0, loc).Format(time.DateOnly), "")
	if err != nil {
		return nil, err
	}
	defer r.Close()
	board := state.New(opts, until)
	var ticked time.Time
	for {
		msg, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		at := feed.MessageTime(msg)
		if !at.Before(until) {
			break
		}
		if ticked.IsZero() {
			board = state.New(opts, at) // the counters start where the day kept starts
		}
		for msg := range feed.Unbatched(msg) {
			at := feed.MessageTime(msg)
			if at.Sub(ticked) >= time.Second {
				board.Tick(at)
				ticked = at
			}
			board.Handle(msg, at)
		}
	}
	board.Tick(until)
	return board, nil
}
