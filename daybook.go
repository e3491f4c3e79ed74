package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"callboard/config"
	"callboard/feed"
	"callboard/journal"
	"callboard/state"
)

// dayJournal is a process's journal of the day: what the account's journal
// directory holds is replayed into the board at start (hub.Config.History),
// and, when this process writes it, every live message is appended
// (hub.Config.Journal). Only one process writes a directory; the others
// read it.
type dayJournal struct {
	dir    string
	loc    *time.Location
	writer *journal.Writer // nil when this process does not write
	reason string          // why it does not write, when it should (another process, the disk)
	now    func() time.Time

	mu       sync.Mutex
	replayed int
	skipped  int
	replay   string // why the replay failed, if it did
}

// journalDir is the configured account's journal directory, or "" (with a
// warning) when there is nowhere to keep it.
func journalDir(cfg *config.Config, stderr io.Writer) string {
	base := cfg.Journal.Dir
	if base == "" {
		var err error
		if base, err = journal.DefaultBase(); err != nil {
			complain(stderr, "callboard: warning: no journal:", err)
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
	if write {
		w, err := journal.Open(journal.Config{Dir: j.dir, Location: j.loc, KeepDays: src.keepDays}, now())
		if err != nil {
			j.reason = journal.Problem(err)
			complain(stderr, "callboard: journal:", err)
		} else {
			j.writer = w
		}
	}
	return j
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
	if j.writer != nil {
		j.writer.Record(m)
	}
}

// Health says how the journal goes, for the views.
func (j *dayJournal) Health() state.JournalHealth {
	j.mu.Lock()
	h := state.JournalHealth{On: true, Replayed: j.replayed, Skipped: j.skipped, Problem: j.reason}
	if j.replay != "" {
		h.Problem = j.replay
	}
	j.mu.Unlock()
	if j.writer != nil {
		st := j.writer.Status()
		h.Writing, h.Dropped = st.Writing, st.Dropped
		if st.Problem != "" {
			h.Problem = st.Problem
		}
	}
	return h
}

// close writes the journal's end line and releases it.
func (j *dayJournal) close(stderr io.Writer) {
	if j == nil || j.writer == nil {
		return
	}
	if err := j.writer.Close(j.now()); err != nil {
		complain(stderr, "callboard: journal:", err)
	}
}
