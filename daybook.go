package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"callboard/config"
	"callboard/feed"
	"callboard/hub"
	"callboard/journal"
	"callboard/state"
)

// dayJournal is a process's journal of the day: what the account's journal
// directory holds is replayed into the board at start (hub.Config.History),
// and, when this process writes it, every live message is appended
// (hub.Config.Journal). Only one process writes a directory; the others
// read it.
type dayJournal struct {
	dir      string
	loc      *time.Location
	cfg      journal.Config
	writer   atomic.Pointer[journal.Writer] // nil while this process does not write
	now      func() time.Time
	every    time.Duration // how often a journal that could not be opened is tried again
	stop     chan struct{} // ends the retries of a journal that could not be opened
	done     chan struct{} // closed when they have ended
	stopping sync.Once

	mu       sync.Mutex
	reason   string // why it does not write, when it should (another process, the disk)
	losing   bool   // messages are lost while it is not open: no other process keeps them
	missed   int    // messages lost while it could not be opened
	replayed int
	skipped  int
	replay   string // why the replay failed, if it did
}

// defaultJournalRetry is how often a journal that could not be opened
// (another process writes it, a directory that cannot be made) is tried
// again, unless the source says otherwise.
const defaultJournalRetry = 30 * time.Second

// journalDir is the configured account's journal directory, or "" (with a
// warning) when there is nowhere to keep it.
func journalDir(cfg *config.Config, stderr io.Writer) string {
	base := cfg.Journal.Dir
	if base == "" {
		var err error
		if base, err = journal.DefaultBase(); err != nil {
			complain(stderr, "callboard: warning:", err, "(no journal kept)")
			return ""
		}
	}
	return journal.AccountDir(base, cfg.Axialys.URL, cfg.Axialys.Login)
}

// openDayJournal opens src's journal: for writing when write (a process
// with a live feed that runs for long), else to read it. It is nil when
// src keeps none (the demo, --no-journal).
func openDayJournal(src *source, write bool, now func() time.Time, stderr io.Writer) *dayJournal {
	if src.journal == "" {
		return nil
	}
	j := &dayJournal{dir: src.journal, loc: src.board.Location, now: now}
	if j.loc == nil {
		j.loc = time.Local
	}
	if !write {
		return j
	}
	j.cfg = journal.Config{Dir: j.dir, Location: j.loc, KeepDays: src.keepDays}
	j.every = cmp.Or(src.journalRetry, defaultJournalRetry)
	if err := j.open(); err != nil {
		complain(stderr, "callboard:", err, "(tried again every", j.every.String()+")")
		j.stop, j.done = make(chan struct{}), make(chan struct{})
		go j.retry()
	}
	return j
}

// open starts writing the journal, or says why it cannot.
func (j *dayJournal) open() error {
	w, err := journal.Open(j.cfg, j.now())
	j.mu.Lock()
	defer j.mu.Unlock()
	if err != nil {
		j.reason = journal.Problem(err)
		j.losing = !errors.Is(err, journal.ErrLocked) // else the other process keeps them
		return err
	}
	j.reason = ""
	j.writer.Store(w)
	return nil
}

// retry opens the journal once it can be (the other process stopped, the
// directory can be made), until close.
func (j *dayJournal) retry() {
	defer close(j.done)
	t := time.NewTicker(j.every)
	defer t.Stop()
	for {
		select {
		case <-j.stop:
			return
		case <-t.C:
			if j.open() == nil {
				return
			}
		}
	}
}

// history replays the journal from the start of yesterday (state that
// crossed midnight comes right), then says that what follows its last
// line was not seen: this process was not running yet.
func (j *dayJournal) history(apply func(feed.Message)) error {
	now := j.now().In(j.loc)
	y, m, d := now.Date()
	from := time.Date(y, m, d-1, 0, 0, 0, 0, j.loc)
	st, err := journal.Replay(j.dir, j.loc, from, apply)
	j.mu.Lock()
	j.replayed, j.skipped = st.Messages, st.Skipped
	if err != nil {
		j.replay = fmt.Sprintf("replay stopped after %d messages: %v", st.Messages, err)
	}
	j.mu.Unlock()
	if st.Messages > 0 {
		apply(&feed.StatusMsg{State: feed.Disconnected, Reason: feed.ReasonNotRunning, At: st.Last})
	}
	return nil // the board goes on with what could be read
}

// Record appends a live message, when this process writes.
func (j *dayJournal) Record(m feed.Message) {
	if w := j.writer.Load(); w != nil {
		w.Record(m)
		return
	}
	if j.stop != nil {
		j.mu.Lock()
		if j.losing {
			j.missed++
		}
		j.mu.Unlock()
	}
}

// Health says how the journal goes, for the views.
func (j *dayJournal) Health() state.JournalHealth {
	j.mu.Lock()
	h := state.JournalHealth{On: true, Replayed: j.replayed, Skipped: j.skipped, Problem: j.reason, Dropped: j.missed}
	if j.replay != "" {
		h.Problem = j.replay
	}
	j.mu.Unlock()
	if w := j.writer.Load(); w != nil {
		st := w.Status()
		h.Writing = st.Writing
		h.Dropped += st.Dropped
		if st.Problem != "" {
			h.Problem = st.Problem
		}
	}
	return h
}

// sayJournal tells say, until ctx ends, each time the journal of h's views
// stops or starts writing again: what a process without a screen logs.
func sayJournal(ctx context.Context, h *hub.Hub, say func(problem string)) {
	views := h.Subscribe()
	defer views.Close()
	last := ""
	for {
		select {
		case <-ctx.Done():
			return
		case v := <-views.C:
			if p := v.Journal.Problem; p != last && v.Journal.On {
				switch {
				case p != "":
					say(p)
				case v.Journal.Writing:
					say("writing again")
				default:
					continue
				}
				last = p
			}
		}
	}
}

// close writes the journal's end line and releases it.
func (j *dayJournal) close(stderr io.Writer) {
	if j == nil {
		return
	}
	if j.stop != nil {
		j.stopping.Do(func() { close(j.stop) })
		<-j.done
	}
	w := j.writer.Swap(nil)
	if w == nil {
		return
	}
	if err := w.Close(j.now()); err != nil {
		complain(stderr, "callboard:", err)
	}
}
