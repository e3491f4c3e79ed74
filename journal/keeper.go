package journal

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"callboard/feed"
	"callboard/hub"
	"callboard/record"
	"callboard/state"
)

// KeeperConfig is what a Keeper is handed. Zero fields take their
// defaults.
type KeeperConfig struct {
	Dir      string         // the account's journal directory (see AccountDir); "" = none kept
	Location *time.Location // whose days the day files are: the board's zone; nil = time.Local
	KeepDays int            // day files kept when writing (see Config.KeepDays)
	// Write says this process writes the journal (a live feed that runs
	// for long); else it only reads it.
	Write bool
	Now   func() time.Time // the clock: History's today, the start and end lines' time; nil = time.Now
	// Retry is how often a journal that could not be opened (another
	// process writes it, a directory that cannot be made) is tried again;
	// 0 = DefaultRetry.
	Retry time.Duration
	// Say tells the user what they must know and no view shows: that the
	// journal could not be opened, and is tried again; that its end line
	// could not be written. nil = nothing is said.
	Say func(problem string)
}

// Keeper is a process's journal of the day, from open to close: what the
// account's journal directory holds is replayed into the board at start
// (History, into hub.Config.History), and, when this process writes it,
// every live message is appended (Record, as hub.Config.Journal). Only one
// process writes a directory (the lock); the others read it, and one that
// would write it keeps what comes meanwhile and takes the journal over
// when the writer stops (see open). Attach wires it into a hub; Close
// writes the end line.
type Keeper struct {
	dir      string
	loc      *time.Location
	cfg      Config
	say      func(problem string)
	writer   atomic.Pointer[Writer] // nil while this process does not write
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
	// that writes it (Beside): its last line's time, and whether Beside
	// told so already.
	beside   bool
	besideAt time.Time
	from     time.Time // where History's replay started
	// resumed is the place in the journal of the checkpoint the board
	// started from (Resume), its board let go; nil when none: History
	// and CatchUp read the lines after it.
	resumed *Checkpoint
	// checkpoints: found and ignored (torn, corrupt, foreign, a link).
	ignoredCheckpoints int
	// counted is how many messages the journal holds, by day (YYYY-MM-DD,
	// of their time), as far as this process read and wrote them: what a
	// checkpoint says it carries. carried is the sum of those of the
	// checkpoint resumed, from yesterday on: counted in Replayed.
	counted  map[string]int
	carried  int
	told     bool
	tookOver time.Time             // the last line of the process this one took the journal over from
	held     func(dir string) bool // whether another process writes dir now; nil = Held

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

// DefaultRetry is how often a journal that could not be opened (another
// process writes it, a directory that cannot be made) is tried again,
// unless KeeperConfig.Retry says otherwise.
const DefaultRetry = 30 * time.Second

// takeoverRetry is how often the lock of a journal another process writes
// is tried: a cheap try, and what comes meanwhile must be kept.
const takeoverRetry = 2 * time.Second

// OpenKeeper opens cfg.Dir's journal: for writing when cfg.Write, else to
// read it. A journal that cannot be written now is said (cfg.Say) and
// tried again every cfg.Retry until Close; its health says why meanwhile.
// It is nil when cfg.Dir is "": no journal is kept (the demo,
// --no-journal).
func OpenKeeper(cfg KeeperConfig) *Keeper {
	if cfg.Dir == "" {
		return nil
	}
	k := &Keeper{dir: cfg.Dir, loc: cmp.Or(cfg.Location, time.Local), now: cfg.Now, say: cfg.Say}
	if k.now == nil {
		k.now = time.Now
	}
	if k.say == nil {
		k.say = func(string) {}
	}
	if !cfg.Write {
		return k
	}
	k.cfg = Config{Dir: k.dir, Location: k.loc, KeepDays: cfg.KeepDays, CompressClosed: true}
	k.every = cmp.Or(cfg.Retry, DefaultRetry)
	if err := k.open(); err != nil {
		k.say(fmt.Sprintf("%v (tried again every %s)", err, k.interval()))
		k.stop, k.done = make(chan struct{}), make(chan struct{})
		go k.retry()
	}
	return k
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
func (k *Keeper) open() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	var kept []feed.Message
	lost := 0
	cfg := k.cfg
	cfg.Takeover = func(last time.Time, lastUpdate []byte) (time.Time, bool) {
		k.tookOver = last
		var found bool
		if kept, found = k.keptSince(lastUpdate); !found {
			kept, lost = k.keptAfter(last)
		}
		seamless := lost == 0 && k.status != nil && k.status.State == feed.Live
		if len(kept) == 0 {
			return time.Time{}, seamless
		}
		return feed.MessageTime(kept[0]), seamless
	}
	w, err := Open(cfg, k.now())
	if err != nil {
		k.reason = Problem(err)
		k.locked = errors.Is(err, ErrLocked)
		k.losing = !k.locked // else the other process keeps them
		return err
	}
	start := w.Started()
	if k.directory != nil {
		w.Record(&feed.DirectoryMsg{Directory: k.directory.Directory, At: start})
	}
	if k.status != nil {
		st := *k.status
		st.At = start
		w.Record(&st)
	}
	for _, m := range kept {
		w.Record(m)
	}
	k.missed += lost
	k.kept, k.keptBytes, k.overflow = nil, 0, nil
	k.reason, k.locked = "", false
	k.writer.Store(w)
	return nil
}

// keep keeps m while another process writes the journal, a batch as its
// events (a journal line each), letting the oldest go beyond keepLimit;
// k.mu is held.
func (k *Keeper) keep(m feed.Message) {
	for one := range feed.Unbatched(m) {
		k.kept = append(k.kept, one)
		k.keptBytes += messageBytes(one)
	}
	for limit := cmp.Or(k.keepLimit, defaultKeepLimit); k.keptBytes > limit && len(k.kept) > 1; {
		old := k.kept[0]
		k.kept[0] = nil
		k.kept = k.kept[1:]
		k.keptBytes -= messageBytes(old)
		k.letGo(old)
	}
}

// passed notes the feed's status or directory in m, a message not kept:
// what a takeover writes first; k.mu is held.
func (k *Keeper) passed(m feed.Message) {
	switch m := m.(type) {
	case *feed.StatusMsg:
		k.status = m
	case *feed.DirectoryMsg:
		k.directory = m
	}
}

// letGo remembers the lines of m, let go from what is kept, by second;
// k.mu is held.
func (k *Keeper) letGo(m feed.Message) {
	k.passed(m)
	at := feed.MessageTime(m)
	if n := len(k.overflow); n > 0 && at.Sub(k.overflow[n-1].until) < time.Second {
		k.overflow[n-1].lines++
		k.overflow[n-1].until = maxTime(k.overflow[n-1].until, at)
		return
	}
	if len(k.overflow) == maxOverflowRuns {
		k.overflow[1].lines += k.overflow[0].lines
		k.overflow = k.overflow[1:]
	}
	k.overflow = append(k.overflow, overflowRun{until: at, lines: 1})
}

// keptSince is what was kept after the update whose journal line is
// lastUpdate, found reports whether one was: the old writer's last
// update, received by this process too, whatever time its clock gave it.
// What was kept up to it is passed. k.mu is held.
func (k *Keeper) keptSince(lastUpdate []byte) (kept []feed.Message, found bool) {
	body := updateBody(lastUpdate)
	if body == nil {
		return nil, false
	}
	var line []byte
	same := func(ev *feed.Event) bool {
		line = record.Append(line[:0], ev)
		return bytes.Equal(updateBody(bytes.TrimSuffix(line, []byte("\n"))), body)
	}
	for i := len(k.kept) - 1; i >= 0; i-- {
		if ev, ok := k.kept[i].(*feed.Event); !ok || !same(ev) {
			continue
		}
		for _, m := range k.kept[:i+1] {
			k.passed(m)
		}
		return k.kept[i+1:], true
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
// k.mu is held.
func (k *Keeper) keptAfter(last time.Time) (kept []feed.Message, lost int) {
	for _, r := range k.overflow {
		if r.until.After(last) {
			lost += r.lines
		}
	}
	for i, m := range k.kept {
		if feed.MessageTime(m).After(last) {
			return k.kept[i:], lost
		}
		k.passed(m)
	}
	return nil, lost
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
	case *feed.DirectoryMsg:
		d := m.Directory
		return overhead * (1 + len(d.Agents) + len(d.Groups) + len(d.Trunks) + len(d.Pauses))
	}
	return overhead
}

// retry opens the journal once it can be (the other process stopped, the
// directory can be made), until Close.
func (k *Keeper) retry() {
	defer close(k.done)
	for {
		t := time.NewTimer(k.interval())
		select {
		case <-k.stop:
			t.Stop()
			return
		case <-t.C:
			if k.open() == nil {
				return
			}
		}
	}
}

// interval is how long until the next try: soon while another process
// writes the journal, so that this one takes over soon after it stops.
func (k *Keeper) interval() time.Duration {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.locked {
		return min(k.every, takeoverRetry)
	}
	return k.every
}

// Attach makes hcfg's board start with the day k keeps (History, Beside,
// CatchUp), and, when k is written by this process, keep what comes
// (Journal).
func (k *Keeper) Attach(hcfg *hub.Config) {
	hcfg.History, hcfg.Journal, hcfg.Beside, hcfg.CatchUp = k.History, k, k.Beside, k.CatchUp
	hcfg.Resume, hcfg.Checkpoint = k.Resume, k.Checkpoint
	hcfg.CanAcknowledge = k.CanAcknowledge
}

// Resume is the board of the newest valid checkpoint of today or
// yesterday (one of today's carries what crossed midnight), and when time
// was last let pass on it; not ok when there is none. History then replays
// only the lines after it. Checkpoints ignored are counted in Health. It
// is hub.Config.Resume.
func (k *Keeper) Resume(opts state.Options) (board *state.Board, ticked time.Time, ok bool) {
	today := k.now().In(k.loc)
	y, m, d := today.Date()
	yesterday := time.Date(y, m, d-1, 0, 0, 0, 0, k.loc).Format(dayLayout)
	ck, ignored := NewestCheckpoint(k.dir, yesterday, today.Format(dayLayout), opts)
	k.mu.Lock()
	defer k.mu.Unlock()
	k.ignoredCheckpoints += ignored
	if ck == nil {
		return nil, time.Time{}, false
	}
	board, ck.Board = ck.Board, nil
	k.resumed = ck
	k.counted = map[string]int{}
	for day, n := range ck.Messages {
		if day >= yesterday {
			k.counted[day] = n
			k.carried += n
		}
	}
	return board, ck.Ticked, true
}

// Checkpoint has the writer keep the board's checkpoint (take copies the
// board's state, which the writer's goroutine writes: Checkpoint returns
// at once), taken after the messages recorded so far, when this process
// writes the journal. It is hub.Config.Checkpoint.
func (k *Keeper) Checkpoint(take func() io.WriterTo, ticked time.Time) {
	w := k.writer.Load()
	if w == nil {
		return
	}
	k.mu.Lock()
	counted := maps.Clone(k.counted)
	k.mu.Unlock()
	w.CheckpointFrom(take(), ticked, counted)
}

// count counts m's messages in the journal's; k.mu is held.
func (k *Keeper) count(m feed.Message) {
	if k.counted == nil {
		k.counted = map[string]int{}
	}
	for one := range feed.Unbatched(m) {
		k.counted[feed.MessageTime(one).In(k.loc).Format(dayLayout)]++
	}
	if len(k.counted) > 2 { // the day before and today are what a restart reads
		days := slices.Sorted(maps.Keys(k.counted))
		for _, day := range days[:len(days)-2] {
			delete(k.counted, day)
		}
	}
}

// replaySince replays the journal from where History starts: the lines
// after the checkpoint resumed, else all from the day from.
func (k *Keeper) replaySince(from time.Time, resumed *Checkpoint, apply func(feed.Message)) (ReplayStats, error) {
	if resumed != nil {
		st, err := ReplayAfter(k.dir, k.loc, resumed, apply)
		if st.Messages == 0 {
			st.Last = resumed.Newest // the day's last line is the checkpoint's
		}
		return st, err
	}
	return Replay(k.dir, k.loc, from, apply)
}

// History replays the journal from the start of yesterday (state that
// crossed midnight comes right), then, unless another process writes it
// now, says that what follows its last line was not seen: this process
// was not running yet. Beside a live writer the journal runs up to now,
// and the day goes on in its sight (Beside). It is hub.Config.History.
func (k *Keeper) History(apply func(feed.Message)) error {
	now := k.now().In(k.loc)
	y, m, d := now.Date()
	from := time.Date(y, m, d-1, 0, 0, 0, 0, k.loc)
	k.mu.Lock()
	resumed := k.resumed
	k.mu.Unlock()
	st, err := k.replaySince(from, resumed, func(m feed.Message) {
		k.mu.Lock()
		k.count(m)
		k.mu.Unlock()
		apply(m)
	})
	k.mu.Lock()
	k.replayed, k.skipped = st.Messages, st.Skipped
	switch {
	case err != nil:
		k.replay = fmt.Sprintf("replay stopped after %d messages: %v", st.Messages, err)
	case st.Damage != nil:
		k.replay = "replay: " + st.Damage.Error()
	}
	kept := st.Messages > 0 || resumed != nil // a day was kept
	beside := kept && k.writer.Load() == nil && k.writtenElsewhere()
	k.beside, k.besideAt, k.from = beside, st.Last, from
	k.mu.Unlock()
	if kept && !beside {
		apply(feed.NotRunning(st.Last))
	}
	return nil // the board goes on with what could be read
}

// writtenElsewhere reports whether another process writes the journal
// now: its lock is held, and this process does not hold it.
func (k *Keeper) writtenElsewhere() bool {
	if k.held != nil {
		return k.held(k.dir)
	}
	return Held(k.dir)
}

// Beside reports whether the day History replayed goes on in the
// sight of another process, live, that writes it, and the time of the
// day's last line; asked again, whether it still does, and if not, where
// its lines end (hub.Config.Beside).
func (k *Keeper) Beside() (last time.Time, ok bool) {
	k.mu.Lock()
	beside, last, told, tookOver := k.beside, k.besideAt, k.told, k.tookOver
	k.told = true
	k.mu.Unlock()
	switch {
	case !beside || !told:
		return last, beside
	case k.writer.Load() != nil: // this process took the journal over
		return tookOver, false
	case k.writtenElsewhere():
		return last, true
	}
	if stopped, err := LastLine(k.dir, k.now()); err == nil && stopped.After(last) {
		last = stopped
	}
	return last, false
}

// CatchUp applies the messages of the journal that came after those
// History replayed, dated before until: what the process writing it saw
// while this one connected (hub.Config.CatchUp). The journal is read again
// as History read it, its messages counted off; lines it cannot read were
// counted by History.
func (k *Keeper) CatchUp(until time.Time, apply func(feed.Message)) {
	k.mu.Lock()
	from, skip, resumed := k.from, k.replayed, k.resumed
	k.mu.Unlock()
	st, err := k.replaySince(from, resumed, func(m feed.Message) {
		if skip > 0 {
			skip--
			return
		}
		if feed.MessageTime(m).Before(until) {
			apply(m)
		}
	})
	if err != nil {
		k.mu.Lock()
		k.replay = fmt.Sprintf("catch-up stopped after %d messages: %v", st.Messages, err)
		k.mu.Unlock()
	}
}

// Record appends a live message, when this process writes; while another
// process writes, it keeps it for a takeover (see open). It is the hub's
// Journal, with Health.
func (k *Keeper) Record(m feed.Message) {
	if w := k.writer.Load(); w != nil {
		k.mu.Lock()
		k.count(m)
		k.mu.Unlock()
		w.Record(m)
		return
	}
	if k.stop == nil {
		return // this process only reads the journal
	}
	k.mu.Lock()
	if w := k.writer.Load(); w != nil { // taken over meanwhile
		k.mu.Unlock()
		w.Record(m)
		return
	}
	if k.losing {
		for one := range feed.Unbatched(m) {
			k.missed++
			k.passed(one)
		}
	} else {
		k.keep(m)
	}
	k.mu.Unlock()
}

// Health says how the journal goes, for the views: what was replayed and
// skipped, whether it writes, what it dropped, and why it does not write.
func (k *Keeper) Health() state.JournalHealth {
	k.mu.Lock()
	h := state.JournalHealth{On: true, Replayed: k.carried + k.replayed, Skipped: k.skipped, Problem: k.reason, Dropped: k.missed,
		CheckpointsIgnored: k.ignoredCheckpoints}
	if k.resumed != nil {
		h.Checkpoint = k.resumed.Newest
	}
	if k.replay != "" {
		h.Problem = k.replay
	}
	k.mu.Unlock()
	if w := k.writer.Load(); w != nil {
		st := w.Status()
		h.Writing = st.Writing
		h.Dropped += st.Dropped
		if st.Problem != "" {
			h.Problem = st.Problem
		} else if h.Problem == "" {
			h.Problem = cmp.Or(st.Clock, st.Compression) // a jump of the machine's clock, a closed day not compressed, named
		}
	}
	return h
}

// SayChanges tells say, until ctx ends, each time the journal of h's views
// stops or starts writing again: what a process without a screen logs.
func SayChanges(ctx context.Context, h *hub.Hub, say func(problem string)) {
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

// Close ends the retries, writes the journal's end line, when this
// process writes it, and releases its lock; a line that could not be
// written is said (KeeperConfig.Say). A nil Keeper (no journal kept) does
// nothing.
func (k *Keeper) Close() { k.CloseBy(time.Time{}) }

// CloseBy is Close within the caller's deadline (see Writer.CloseBy).
func (k *Keeper) CloseBy(deadline time.Time) {
	if k == nil {
		return
	}
	if k.stop != nil {
		k.stopping.Do(func() { close(k.stop) })
		<-k.done
	}
	w := k.writer.Swap(nil)
	if w == nil {
		return
	}
	if err := w.CloseBy(k.now(), deadline); err != nil {
		k.say(err.Error())
	}
}
