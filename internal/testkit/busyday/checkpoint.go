package busyday

import (
	"maps"
	"slices"
	"time"

	"callboard/feed"
	"callboard/hub"
	"callboard/state"
)

// CheckpointOptions are the rules of the board whose checkpoints Write
// keeps (Options.Checkpoints): those of a board of loc with the defaults,
// a restart's and a report's of a configuration that sets only the
// timezone. A reader under other rules ignores them (and counts them).
func CheckpointOptions(loc *time.Location) state.Options {
	return state.Options{Location: loc}
}

// beside is the board a hub beside the journal's writer has of the lines
// written, as a replay of them from the start makes it (what a
// checkpoint must give its reader): time let pass at least every second
// of the messages' time, then each message applied at its own time, and
// when a process starts again, the stretch it did not run (the message a
// reader makes of the start line after an end line). Its checkpoints are
// due as the hub's (hub.DefaultCheckpointEvery of the messages' time after
// the first message or a start, and at a stop), with the messages counted
// by day as the keeper counts them (the day before and today).
type beside struct {
	opts                         state.Options
	b                            *state.Board
	ticked, newest, checkpointed time.Time
	end                          time.Time // of the last process stopped; zero while one runs
	counted                      map[string]int
}

func newBeside(opts state.Options) *beside {
	return &beside{opts: opts, counted: map[string]int{}}
}

// started says a process starts writing at at: the first starts the
// board's counters there, as the hub's of a process started then (and a
// report's, which starts them at the journal's start line).
func (s *beside) started(at time.Time) {
	if s.b == nil {
		s.b = state.New(s.opts, at)
	}
	if s.end.IsZero() {
		return
	}
	stopped := s.end
	if s.newest.After(stopped) {
		stopped = s.newest
	}
	s.end = time.Time{}
	s.handle(feed.NotRunning(stopped), stopped)
	s.checkpointed = s.newest
}

// stopped says the process stopped at at (its end line).
func (s *beside) stopped(at time.Time) { s.end = at }

// handle applies m, at its time at, as the hub does, and counts it.
func (s *beside) handle(m feed.Message, at time.Time) {
	if at.Sub(s.ticked) >= time.Second {
		s.b.Tick(at)
		s.ticked = at
	}
	if at.After(s.newest) {
		s.newest = at
	}
	s.b.Handle(m, at)
	s.counted[at.In(s.opts.Location).Format(time.DateOnly)]++
	if len(s.counted) > 2 {
		days := slices.Sorted(maps.Keys(s.counted))
		for _, day := range days[:len(days)-2] {
			delete(s.counted, day)
		}
	}
}

// due says whether a checkpoint is due after the message just handled,
// or at a stop (end), and if so takes it as given.
func (s *beside) due(end bool) bool {
	if s.newest.IsZero() {
		return false
	}
	if s.checkpointed.IsZero() && !end {
		s.checkpointed = s.newest
	}
	if !end && s.newest.Sub(s.checkpointed) < hub.DefaultCheckpointEvery {
		return false
	}
	s.checkpointed = s.newest
	return true
}
