package app

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
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
	locked   bool   // another process writes it
	missed   int    // lines lost while it could not be opened
	replayed int
	skipped  int
	replay   string // why the replay failed, if it did
	// The day replayed goes on in the sight of another process, live,
	// that writes it (besideWriter): its last line's time, and whether
	// besideWriter told so already.
	beside   bool
	besideAt time.Time
	from     time.Time // where history's replay started
	told     bool
	tookOver time.Time             // the last line of the process this one took the journal over from
	held     func(dir string) bool // whether another process writes dir now; nil = journal.Held

	// While another process writes the journal, what comes is kept, up to
	// keepLimit bytes: should that process stop, this one takes the
	// journal over and writes what came after its last line.
	kept      []feed.Message
	keptBytes int
	keepLimit int           // 0 = defaultKeepLimit
	overflow  []overflowRun // what was let go to keep within keepLimit, by second
	// The feed's status and directory as of the oldest message kept (the
	// newest of those let go): written first on taking over.
	status    *feed.StatusMsg
	directory *feed.DirectoryMsg
}

// overflowRun is lines let go from what is kept, all dated within one
// second up to until.
type overflowRun struct {
	until time.Time
	lines int
}

// defaultKeepLimit bounds what a process keeps while another one writes
// the journal: some 50,000 updates, more than a flood brings between two
// tries of the lock.
const defaultKeepLimit = 16 << 20

// maxOverflowRuns bounds the seconds of overflow remembered: past it the
// two oldest are merged.
const maxOverflowRuns = 4096

// defaultJournalRetry is how often a journal that could not be opened
// (another process writes it, a directory that cannot be made) is tried
// again, unless the source says otherwise.
const defaultJournalRetry = 30 * time.Second

// takeoverRetry is how often the lock of a journal another process writes
// is tried: a cheap try, and what comes meanwhile must be kept.
const takeoverRetry = 2 * time.Second

// journalDir is the configured account's journal directory, or "" (with a
// warning) when there is nowhere to keep it.
func journalDir(cfg *config.Config, say func(string)) string {
	base := cfg.Journal.Dir
	if base == "" {
		var err error
		if base, err = journal.DefaultBase(); err != nil {
			say(fmt.Sprintf("warning: %v (no journal kept)", err))
			return ""
		}
	}
	return journal.AccountDir(base, cfg.Axialys.URL, cfg.Axialys.Login)
}

// openDayJournal opens src's journal: for writing when write (a process
// with a live feed that runs for long), else to read it. It is nil when
// src keeps none (the demo, --no-journal). say is told, one line at a
// time, what goes wrong.
func openDayJournal(src *source, write bool, now func() time.Time, say func(string)) *dayJournal {
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
		say(fmt.Sprintf("%v (tried again every %v)", err, j.interval()))
		j.stop, j.done = make(chan struct{}), make(chan struct{})
		go j.retry()
	}
	return j
}

// open starts writing the journal, or says why it cannot. Taking it over
// from another process, it first writes what came after that process's
// last line, after the feed's directory and status as they are, so that
// the journal has no hole; lines let go from what was kept (keepLimit) that
// the journal lacks are counted lost. When none was lost and this
// process's feed was live at that line, it saw all that came since: its
// start line says it takes the journal over, and a replay counts no time
// not running there, as this process's board does not. Record waits
// meanwhile: nothing goes before them.
func (j *dayJournal) open() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	var kept []feed.Message
	lost := 0
	cfg := j.cfg
	cfg.Takeover = func(last time.Time, lastUpdate []byte) (time.Time, bool) {
		j.tookOver = last
		var found bool
		if kept, found = j.keptSince(lastUpdate); !found {
			kept, lost = j.keptAfter(last)
		}
		seamless := lost == 0 && j.status != nil && j.status.State == feed.Live
		if len(kept) == 0 {
			return time.Time{}, seamless
		}
		return firstTime(kept[0]), seamless
	}
	w, err := journal.Open(cfg, j.now())
	if err != nil {
		j.reason = journal.Problem(err)
		j.locked = errors.Is(err, journal.ErrLocked)
		j.losing = !j.locked // else the other process keeps them
		return err
	}
	start := w.Started()
	if j.directory != nil {
		w.Record(&feed.DirectoryMsg{Directory: j.directory.Directory, At: start})
	}
	if j.status != nil {
		st := *j.status
		st.At = start
		w.Record(&st)
	}
	for _, m := range kept {
		w.Record(m)
	}
	j.missed += lost
	j.kept, j.keptBytes, j.overflow = nil, 0, nil
	j.reason, j.locked = "", false
	j.writer.Store(w)
	return nil
}

// firstTime is the time of m's first line.
func firstTime(m feed.Message) time.Time {
	if b, ok := m.(*feed.Batch); ok && len(b.Events) > 0 {
		return b.Events[0].Received
	}
	return feed.MessageTime(m)
}

// keep keeps m while another process writes the journal, letting the
// oldest go beyond keepLimit; j.mu is held.
func (j *dayJournal) keep(m feed.Message) {
	j.kept = append(j.kept, m)
	j.keptBytes += messageBytes(m)
	for limit := cmp.Or(j.keepLimit, defaultKeepLimit); j.keptBytes > limit && len(j.kept) > 1; {
		old := j.kept[0]
		j.kept[0] = nil
		j.kept = j.kept[1:]
		j.keptBytes -= messageBytes(old)
		j.letGo(old)
	}
}

// passed notes the feed's status or directory in m, a message not kept:
// what a takeover writes first; j.mu is held.
func (j *dayJournal) passed(m feed.Message) {
	switch m := m.(type) {
	case *feed.StatusMsg:
		j.status = m
	case *feed.DirectoryMsg:
		j.directory = m
	}
}

// letGo remembers the lines of m, let go from what is kept, by second;
// j.mu is held.
func (j *dayJournal) letGo(m feed.Message) {
	j.passed(m)
	at, lines := feed.MessageTime(m), lineCount(m)
	if n := len(j.overflow); n > 0 && at.Sub(j.overflow[n-1].until) < time.Second {
		j.overflow[n-1].lines += lines
		j.overflow[n-1].until = maxTime(j.overflow[n-1].until, at)
		return
	}
	if len(j.overflow) == maxOverflowRuns {
		j.overflow[1].lines += j.overflow[0].lines
		j.overflow = j.overflow[1:]
	}
	j.overflow = append(j.overflow, overflowRun{until: at, lines: lines})
}

// keptSince is what was kept after the update whose journal line is
// lastUpdate, found reports whether one was: the old writer's last
// update, received by this process too, whatever time its clock gave it.
// What was kept up to it is passed. j.mu is held.
func (j *dayJournal) keptSince(lastUpdate []byte) (kept []feed.Message, found bool) {
	body := updateBody(lastUpdate)
	if body == nil {
		return nil, false
	}
	var line []byte
	same := func(ev *feed.Event) bool {
		line = feed.AppendRecord(line[:0], ev)
		return bytes.Equal(updateBody(bytes.TrimSuffix(line, []byte("\n"))), body)
	}
	for i := len(j.kept) - 1; i >= 0; i-- {
		var rest *feed.Batch
		switch m := j.kept[i].(type) {
		case *feed.Event:
			if !same(m) {
				continue
			}
		case *feed.Batch:
			e := slices.IndexFunc(m.Events, same) // the batch's events are distinct: their cpt
			if e < 0 {
				continue
			}
			if e+1 < len(m.Events) {
				rest = &feed.Batch{Events: m.Events[e+1:]}
			}
		default:
			continue
		}
		for _, m := range j.kept[:i+1] {
			j.passed(m)
		}
		if rest != nil {
			kept = append(kept, rest)
		}
		return append(kept, j.kept[i+1:]...), true
	}
	return nil, false
}

// updateBody is an update's journal line without its time: the same for
// the same update whoever received it, nil for a line that is not an
// update's.
func updateBody(line []byte) []byte {
	i := bytes.Index(line, []byte(`","kind":"update",`))
	if !bytes.HasPrefix(line, []byte(`{"t":"`)) || i < 0 {
		return nil
	}
	return line[i:]
}

// keptAfter is what was kept dated after last (all of it when last is
// zero), and how many lines let go were dated after it (a second's worth
// at most counted too many): lost. What was kept up to last is passed.
// j.mu is held.
func (j *dayJournal) keptAfter(last time.Time) (kept []feed.Message, lost int) {
	for _, r := range j.overflow {
		if r.until.After(last) {
			lost += r.lines
		}
	}
	for _, m := range j.kept {
		b, ok := m.(*feed.Batch)
		if !ok {
			if len(kept) > 0 || feed.MessageTime(m).After(last) {
				kept = append(kept, m)
			} else {
				j.passed(m)
			}
			continue
		}
		if len(kept) > 0 {
			kept = append(kept, m)
			continue
		}
		for i, ev := range b.Events {
			if ev.Received.After(last) {
				kept = append(kept, &feed.Batch{Events: b.Events[i:]})
				break
			}
		}
	}
	return kept, lost
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// messageBytes is about the room m takes while kept.
func messageBytes(m feed.Message) int {
	const overhead = 128
	switch m := m.(type) {
	case *feed.Event:
		return overhead + len(m.Raw)
	case *feed.Batch:
		n := overhead
		for _, ev := range m.Events {
			n += overhead + len(ev.Raw)
		}
		return n
	case *feed.DirectoryMsg:
		d := m.Directory
		return overhead * (1 + len(d.Agents) + len(d.Groups) + len(d.Trunks) + len(d.Pauses))
	}
	return overhead
}

// lineCount is how many journal lines m makes: one per update of a batch.
func lineCount(m feed.Message) int {
	if b, ok := m.(*feed.Batch); ok {
		return len(b.Events)
	}
	return 1
}

// retry opens the journal once it can be (the other process stopped, the
// directory can be made), until close.
func (j *dayJournal) retry() {
	defer close(j.done)
	for {
		t := time.NewTimer(j.interval())
		select {
		case <-j.stop:
			t.Stop()
			return
		case <-t.C:
			if j.open() == nil {
				return
			}
		}
	}
}

// interval is how long until the next try: soon while another process
// writes the journal, so that this one takes over soon after it stops.
func (j *dayJournal) interval() time.Duration {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.locked {
		return min(j.every, takeoverRetry)
	}
	return j.every
}

// into makes hcfg's board start with the day j keeps, and, when j is
// written by this process, keep what comes.
func (j *dayJournal) into(hcfg *hub.Config) {
	hcfg.History, hcfg.Journal, hcfg.Beside, hcfg.CatchUp = j.history, j, j.besideWriter, j.catchUp
}

// history replays the journal from the start of yesterday (state that
// crossed midnight comes right), then, unless another process writes it
// now, says that what follows its last line was not seen: this process
// was not running yet. Beside a live writer the journal runs up to now,
// and the day goes on in its sight (besideWriter).
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
	beside := st.Messages > 0 && j.writer.Load() == nil && j.writtenElsewhere()
	j.beside, j.besideAt, j.from = beside, st.Last, from
	j.mu.Unlock()
	if st.Messages > 0 && !beside {
		apply(&feed.StatusMsg{State: feed.Disconnected, Reason: feed.ReasonNotRunning, At: st.Last})
	}
	return nil // the board goes on with what could be read
}

// writtenElsewhere reports whether another process writes the journal
// now: its lock is held, and this process does not hold it.
func (j *dayJournal) writtenElsewhere() bool {
	if j.held != nil {
		return j.held(j.dir)
	}
	return journal.Held(j.dir)
}

// besideWriter reports whether the day history replayed goes on in the
// sight of another process, live, that writes it, and the time of the
// day's last line; asked again, whether it still does, and if not, where
// its lines end (hub.Config.Beside).
func (j *dayJournal) besideWriter() (last time.Time, ok bool) {
	j.mu.Lock()
	beside, last, told, tookOver := j.beside, j.besideAt, j.told, j.tookOver
	j.told = true
	j.mu.Unlock()
	switch {
	case !beside || !told:
		return last, beside
	case j.writer.Load() != nil: // this process took the journal over
		return tookOver, false
	case j.writtenElsewhere():
		return last, true
	}
	if stopped, err := journal.LastLine(j.dir, j.now()); err == nil && stopped.After(last) {
		last = stopped
	}
	return last, false
}

// catchUp applies the messages of the journal that came after those
// history replayed, dated before until: what the process writing it saw
// while this one connected (hub.Config.CatchUp). The journal is read again
// as history read it, its messages counted off; lines it cannot read were
// counted by history.
func (j *dayJournal) catchUp(until time.Time, apply func(feed.Message)) {
	j.mu.Lock()
	from, skip := j.from, j.replayed
	j.mu.Unlock()
	st, err := journal.Replay(j.dir, j.loc, from, func(m feed.Message) {
		if skip > 0 {
			skip--
			return
		}
		if feed.MessageTime(m).Before(until) {
			apply(m)
		}
	})
	if err != nil {
		j.mu.Lock()
		j.replay = fmt.Sprintf("catch-up stopped after %d messages: %v", st.Messages, err)
		j.mu.Unlock()
	}
}

// Record appends a live message, when this process writes; while another
// process writes, it keeps it for a takeover (see open).
func (j *dayJournal) Record(m feed.Message) {
	if w := j.writer.Load(); w != nil {
		w.Record(m)
		return
	}
	if j.stop == nil {
		return // this process only reads the journal
	}
	j.mu.Lock()
	if w := j.writer.Load(); w != nil { // taken over meanwhile
		j.mu.Unlock()
		w.Record(m)
		return
	}
	if j.losing {
		j.missed += lineCount(m)
		j.passed(m)
	} else {
		j.keep(m)
	}
	j.mu.Unlock()
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
		} else if h.Problem == "" {
			h.Problem = st.Clock // a jump of the machine's clock, named
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
func (j *dayJournal) close(say func(string)) {
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
		say(err.Error())
	}
}
