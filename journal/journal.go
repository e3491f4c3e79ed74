// Package journal keeps the day, whole: the day files on disk, their
// writer and readers, and the keeper of a process's journal. Every message
// a long-running process receives from the feed is appended, as it
// arrives, to a journal, so that a restart replays the day through the
// same road (decoder and reducer) instead of starting the counters from
// zero.
//
// A Keeper is a process's journal from open to close, beside the board
// (Keeper.Attach wires it into a hub.Config): at start its History replays
// the day kept so far into the board; then the hub records each message in
// it once it has applied it (a message that crashed the board is recorded
// rejected). One process writes a directory, through a Writer whose Record
// waits while the disk is slower than the feed; another that would write
// it keeps what comes, and takes the journal over when the writer stops.
// Replay and Reader read the day files one after the other; a Day is one
// day file, read for a report.
//
// A journal is a directory per account (AccountDir), below DefaultBase:
//
//	<base>/<login>@<host>-<hash>/
//	    lock               the writer's lock (flock), holding its pid
//	    2026-11-23.jsonl.zst   a closed day, compressed (zstd)
//	    2026-11-24.jsonl       one file per day, the day in the writer's time zone
//	    2026-11-24.ckpt        the board's checkpoint, and where in the day file (checkpoint.go)
//
// A day file is in callboard's recording format (see record.Append):
// JSON lines, each with its time. A process starts writing with a start
// line, goes on in the next day's file with a continue line dated at that
// midnight, and stops with an end line; a process killed leaves no end line,
// maybe a torn last line, which a reader skips and counts. Where a start
// line follows the lines of an earlier run, the reader reports the time in
// between as "not running"; a process that takes the journal over having
// seen all that came since starts with a takeover line instead, and
// nothing is reported there. A closed day is compressed by the process
// that holds the lock (see compressor); every reader takes both forms.
// While a process writes the journal (Held),
// its last line is not where the day stopped being seen. Files are 0600,
// directories 0700; no password or token is ever written.
package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"callboard/feed"
	"callboard/record"
)

// Config of a journal writer. Zero fields take their defaults.
type Config struct {
	Dir        string         // the account's journal directory (see AccountDir)
	Location   *time.Location // whose midnight starts a new file; nil = time.Local
	KeepDays   int            // day files older than this many days (today included) are removed; 0 or less = none (config.DefaultKeepDays is the application's)
	FlushDelay time.Duration  // a line reaches the OS within this; 0 = 100 ms
	SyncEvery  time.Duration  // the file is fsynced at least this often; 0 = 1 s
	// Elapsed is the process's own clock, which nobody sets, against which
	// a jump of the lines' time is seen (see dayRule); nil = monotonic.
	Elapsed func() time.Duration
	// CompressClosed compresses the closed days, those before the one
	// being written, in the background (see compressor): the keeper's
	// journal does.
	CompressClosed bool

	// Takeover, when set, is called by Open once the directory is
	// locked, with the time of the journal's last line (LastLine; zero
	// when none): where the writer before stopped, and its last update
	// line as written (nil when none near the end), by which a process
	// with a connection of its own, whose clock dates the same updates a
	// little apart, finds where to go on. It returns when this writer's
	// start line is dated, when earlier than Open's now (a process taking
	// the journal over dates it at the first message it kept after that
	// line), or zero; and whether this process saw, live, all that came
	// after that line: the start line then says it takes the journal over
	// (record.MarkTakeover), and readers count no time not running there.
	Takeover func(last time.Time, lastUpdate []byte) (from time.Time, seamless bool)

	// writeFile writes to a day file; nil = (*os.File).Write. Tests put a
	// slow or failing disk here.
	writeFile func(*os.File, []byte) (int, error)
	// after is the writer goroutine's timer (pacing, retry, fsync); nil =
	// time.After. Tests fire it themselves.
	after func(time.Duration) <-chan time.Time
	// stallAfter is how long Record waits for a disk that writes nothing
	// before it counts it as refusing; 0 = defaultStallAfter.
	stallAfter time.Duration
}

// defaultStallAfter: a disk that has written nothing for this long, while
// Record waits for room, is taken for one that refuses the lines (a hung
// network file system): the board must not stop with it.
const defaultStallAfter = 10 * time.Second

// Defaults of Config.
const (
	DefaultFlushDelay = 100 * time.Millisecond
	DefaultSyncEvery  = time.Second
)

// chunkSize is a chunk's room: lines go to the next chunk once less than
// chunkRoom is left (a longer line grows it). maxSpares written chunks are
// kept for the next ones: those of a flush of a flood (a few megabytes
// every 50 ms) are filled while others are written, and none is allocated.
const (
	chunkSize = 256 << 10
	chunkRoom = 4 << 10
	maxSpares = 16
)

// maxQueued bounds the lines waiting for the disk: beyond it Record waits
// while the disk takes them (backpressure), and drops and counts them while
// the disk refuses them.
const maxQueued = 4 << 20

const (
	dayLayout = "2006-01-02"
	dayExt    = ".jsonl"
	lockName  = "lock"
)

// ErrLocked is the error (see errors.Is) of an Open on a directory another
// writer holds.
var ErrLocked = errors.New("journal: directory locked by another process")

// lockedError is Open's error on a directory another writer holds.
type lockedError struct {
	dir string
	pid int // the holder's, 0 when unknown
}

func (e *lockedError) Error() string {
	if e.pid > 0 {
		return fmt.Sprintf("journal: %s locked by another process (pid %d)", e.dir, e.pid)
	}
	return fmt.Sprintf("journal: %s locked by another process", e.dir)
}

func (e *lockedError) Unwrap() error { return ErrLocked }

// unsafeError is the refusal of a file or directory that the journal must
// not use: a symbolic link, another user's, writable by others.
type unsafeError struct {
	path string
	why  string // e.g. "a symbolic link"
}

func (e *unsafeError) Error() string { return fmt.Sprintf("journal: refusing %s: %s", e.path, e.why) }

// journalError is err, of what, with the journal's one prefix: the
// journal's own refusals carry it already.
func journalError(what string, err error) error {
	if unsafe := (*unsafeError)(nil); errors.As(err, &unsafe) {
		return unsafe
	}
	return fmt.Errorf("journal: %s: %w", what, err)
}

// Problem says why Open failed in the words of Status.Problem, e.g. "not
// writing (read-only file system)", "not writing (another process writes
// it, pid 1234)".
func Problem(err error) string {
	var locked *lockedError
	if errors.As(err, &locked) {
		if locked.pid > 0 {
			return fmt.Sprintf("not writing (another process writes it, pid %d)", locked.pid)
		}
		return "not writing (another process writes it)"
	}
	return describe(err)
}

// Status is how a writer is doing.
type Status struct {
	Writing bool   // the last write reached the file
	Problem string // why not, e.g. "not writing (disk full)"; "" while writing; "closed" after Close
	Dropped int    // lines lost since Open, because they could not be written
	Path    string // the current day file
	Clock   string // the last jump of the machine's clock seen in the lines, e.g. "clock jumped ahead by 73 years at …"; "" when none
	// Compression says why a closed day was not compressed, e.g. "not
	// compressing 2026-11-23.jsonl: refusing …: a symbolic link"; "" when
	// none failed (its plain file is kept, and tried again at the next day
	// or start).
	Compression string
}

// Writer appends feed messages to a journal. Its methods are safe for
// concurrent use. Record waits while the disk is slower than the messages
// come; it drops lines only while the disk refuses them.
type Writer struct {
	dir        string
	loc        *time.Location
	keepDays   int
	flushDelay time.Duration
	syncEvery  time.Duration
	limit      int
	dirf       *os.File  // the directory, files are opened in it
	started    time.Time // the start line's time
	lock       *os.File
	writeFile  func(*os.File, []byte) (int, error)
	after      func(time.Duration) <-chan time.Time
	stallAfter time.Duration

	mu       sync.Mutex
	room     *sync.Cond // signalled when the queue shrinks, the disk fails, or the writer stops
	lines    record.Appender
	queue    []chunk  // lines not written yet, oldest first
	queued   int      // bytes in queue, and being written
	spares   [][]byte // written chunks' buffers, for the next ones: a flood allocates none
	day      string   // of the file lines go to
	dayEnd   time.Time
	days     *dayRule // whether a line may choose its day
	closed   bool
	stopped  bool         // the writer goroutine has ended: nothing empties the queue
	waits    int          // Records that waited for room, for tests
	flushes  int          // flushes that wrote the queue out
	watchdog *time.Timer  // while Record waits: see watch
	newest   time.Time    // the newest line's time queued, as a reader takes it
	ckpts    atomic.Int64 // checkpoints written, for tests
	writing  bool
	problem  string
	dropped  int
	kick     chan struct{} // lines are queued
	hurry    chan struct{} // the queue is filling up: write without pacing
	stop     chan struct{}
	done     chan struct{}
	once     sync.Once
	closeErr error

	// The file side: Open's, then the writer goroutine's, then Close's.
	f        *os.File
	fday     string
	dirty    bool         // written since the last fsync
	syncs    atomic.Int64 // fsyncs done, for tests
	dirSyncs atomic.Int64 // fsyncs of the directory after a day file was made in it, for tests

	files  sync.Mutex  // held while day files are renamed or removed: the compressor's and retention's
	closer *compressor // of the closed days; nil when they are not compressed
}

// chunk is lines for one day's file, after the board's checkpoint when
// one is due there.
type chunk struct {
	day        string
	data       []byte
	checkpoint *pendingCheckpoint
}

// pendingCheckpoint is a board's checkpoint waiting for the lines before it
// to be written: then the place it covers is known.
type pendingCheckpoint struct {
	board          io.WriterTo // writes the board's checkpoint
	newest, ticked time.Time
	messages       map[string]int
}

// Open starts writing cfg.Dir's journal at now: it creates the directory,
// takes its lock, removes the day files past retention, and writes a start
// line in now's day file. A directory another process writes gives an
// error that is ErrLocked.
func Open(cfg Config, now time.Time) (*Writer, error) {
	if cfg.Dir == "" {
		return nil, errors.New("journal: no directory")
	}
	w := &Writer{
		dir:        cfg.Dir,
		loc:        cfg.Location,
		keepDays:   cfg.KeepDays,
		flushDelay: orDefault(cfg.FlushDelay, DefaultFlushDelay),
		syncEvery:  orDefault(cfg.SyncEvery, DefaultSyncEvery),
		limit:      maxQueued,
		writeFile:  cfg.writeFile,
		after:      cfg.after,
		stallAfter: orDefault(cfg.stallAfter, defaultStallAfter),
		kick:       make(chan struct{}, 1),
		hurry:      make(chan struct{}, 1),
		stop:       make(chan struct{}),
		done:       make(chan struct{}),
	}
	if w.loc == nil {
		w.loc = time.Local
	}
	if w.writeFile == nil {
		w.writeFile = (*os.File).Write
	}
	if w.after == nil {
		w.after = time.After
	}
	w.room = sync.NewCond(&w.mu)
	d, err := openDir(w.dir)
	if err != nil {
		return nil, err
	}
	lock, err := lockDir(d, w.dir)
	if err != nil {
		d.Close()
		return nil, err
	}
	w.dirf, w.lock = d, lock
	mark := record.MarkStart
	if cfg.Takeover != nil {
		last, lastUpdate, _ := lastLines(w.dir, now) // unreadable: no line to follow
		at, seamless := cfg.Takeover(last, lastUpdate)
		if !at.IsZero() && at.Before(now) {
			now = at
		}
		if seamless && !last.IsZero() {
			mark = record.MarkTakeover
		}
	}
	w.started = now
	w.days = newDayRule(cfg.Elapsed, w.loc, now)
	w.setDay(now)
	if err := w.use(w.day); err != nil {
		unlockDir(lock)
		d.Close()
		return nil, journalError("cannot write in "+w.dir, err)
	}
	if cfg.CompressClosed {
		w.closer = newCompressor(d, w.dir, &w.files, w.day)
	}
	w.queue = []chunk{{day: w.day, data: record.AppendMark(nil, mark, now)}}
	w.queued = len(w.queue[0].data)
	if w.flush() != nil {
		w.kick <- struct{}{} // the goroutine retries
	}
	go w.run()
	return w, nil
}

func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// setDay makes t's day, in the writer's zone, the day lines go to.
func (w *Writer) setDay(t time.Time) time.Time {
	y, m, d := t.In(w.loc).Date()
	w.day = time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(dayLayout)
	w.dayEnd = dayStart(y, m, d+1, w.loc)
	return dayStart(y, m, d, w.loc)
}

// Record appends m's lines (one per update of a batch). A message dated
// in a later day than the current file's starts that day's file, unless
// its time jumped ahead (see dayRule); one dated earlier goes to the
// current file. While the disk takes the lines, none is dropped: once more
// than the queue's bound waits for it, Record waits until the writer has
// made room (the caller, and the feed behind it, slow down to the disk's
// pace). While the disk refuses them, Record does not wait: lines beyond
// the bound are dropped and counted in Status. Close ends a wait.
func (w *Writer) Record(m feed.Message) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	for m := range feed.Unbatched(m) {
		w.record(m)
	}
	select {
	case w.kick <- struct{}{}:
	default:
	}
	if w.queued > w.limit/4 {
		select {
		case w.hurry <- struct{}{}:
		default:
		}
	}
	if w.queued > w.limit && w.healthy() {
		w.waits++
		if w.watchdog == nil {
			w.watchdog = time.AfterFunc(w.stallAfter, w.watch(w.flushes))
		}
		for w.queued > w.limit && w.healthy() {
			w.room.Wait()
		}
	}
}

// watch is the watchdog of a wait for room that began after flushes
// flushes: a disk that has written nothing since is said not to answer,
// and the wait ends. Flushes meanwhile arm it again.
func (w *Writer) watch(flushes int) func() {
	return func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.watchdog = nil
		if w.closed || w.queued <= w.limit {
			return
		}
		if w.flushes == flushes {
			w.writing, w.problem = false, "not writing (the disk does not answer)"
			w.room.Broadcast()
			return
		}
		w.watchdog = time.AfterFunc(w.stallAfter, w.watch(w.flushes))
	}
}

// healthy reports whether the writer empties the queue: the disk takes
// the lines and nothing stopped it; w.mu is held.
func (w *Writer) healthy() bool { return w.writing && !w.closed && !w.stopped }

// record queues m's line; w.mu is held.
func (w *Writer) record(m feed.Message) {
	t := feed.MessageTime(m)
	sensible, followed := w.days.sensible(t)
	if followed { // the lines flagged before it are kept: said where they are
		w.queue = append(w.queue, chunk{day: w.day, data: record.AppendFollowed(nil, t)})
		w.queued += len(w.queue[len(w.queue)-1].data)
	}
	if sensible && !t.Before(w.dayEnd) {
		midnight := w.setDay(t)
		w.queue = append(w.queue, chunk{day: w.day, data: record.AppendMark(nil, record.MarkContinue, midnight)})
		w.queued += len(w.queue[len(w.queue)-1].data)
	}
	if sensible && t.After(w.newest) {
		w.newest = t
	}
	if !sensible { // rare: a line of a jump not followed, flagged
		data := record.MarkAhead(w.lines.Append(nil, m))
		if w.queued+len(data) > w.limit && !w.healthy() {
			w.dropped += bytes.Count(data, []byte{'\n'})
			return
		}
		w.queue = append(w.queue, chunk{day: w.day, data: data})
		w.queued += len(data)
		return
	}
	if n := len(w.queue); n == 0 || w.queue[n-1].day != w.day || len(w.queue[n-1].data) > chunkSize-chunkRoom || w.queue[n-1].checkpoint != nil {
		// a new chunk rather than a grown one: growing copies what the
		// chunk holds, again and again in a flood
		data := make([]byte, 0, chunkSize)
		if n := len(w.spares); n > 0 {
			data, w.spares = w.spares[n-1], w.spares[:n-1]
		}
		w.queue = append(w.queue, chunk{day: w.day, data: data})
	}
	c := &w.queue[len(w.queue)-1]
	n := len(c.data)
	c.data = w.lines.Append(c.data, m)
	if w.queued+len(c.data)-n > w.limit && !w.healthy() {
		w.dropped += bytes.Count(c.data[n:], []byte{'\n'})
		c.data = c.data[:n]
		return
	}
	w.queued += len(c.data) - n
}

// run writes the queue out: at once when lines come after a quiet spell,
// then at most every half FlushDelay (a flood makes few large writes),
// again after FlushDelay when the disk refused them; and fsyncs within
// SyncEvery of a write.
func (w *Writer) run() {
	defer close(w.done)
	defer func() {
		w.mu.Lock()
		w.stopped = true
		w.room.Broadcast()
		w.mu.Unlock()
	}()
	var pace, retry, syncDue <-chan time.Time
	for {
		kick := w.kick
		if pace != nil {
			kick = nil
		}
		select {
		case <-w.stop:
			return
		case <-pace:
			pace = nil
			continue
		case <-syncDue:
			syncDue = nil
			w.sync()
			continue
		case <-kick:
		case <-w.hurry:
		case <-retry:
		}
		retry = nil
		if w.flush() != nil {
			retry = w.after(w.flushDelay)
		}
		if w.dirty && syncDue == nil {
			syncDue = w.after(w.syncEvery)
		}
		pace = w.after(w.flushDelay / 2)
	}
}

// flush writes the queue out, keeping what the disk refused for the next
// try; but a day's lines are dropped when a later day's lines wait behind
// them, so that one file the disk refuses cannot stop the journal.
func (w *Writer) flush() error {
	w.mu.Lock()
	q := w.queue
	w.queue = nil
	w.mu.Unlock()
	var err error
	written, dropped := 0, 0
	for i := 0; i < len(q); i++ {
		c := &q[i]
		if c.checkpoint != nil && err == nil && dropped == 0 {
			w.saveCheckpoint(c)
		}
		n := 0
		if err = w.use(c.day); err == nil {
			n, err = w.writeFile(w.f, c.data)
		}
		written += n
		if n > 0 {
			w.dirty = true
		}
		if err == nil {
			continue
		}
		c.data = c.data[n:]
		if q[len(q)-1].day != c.day {
			dropped += bytes.Count(c.data, []byte{'\n'})
			written += len(c.data)
			continue
		}
		q = q[i:]
		break
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	defer w.room.Broadcast()
	w.queued -= written
	w.dropped += dropped
	if err != nil {
		if len(w.queue) > 0 && w.queue[0].day == q[len(q)-1].day { // queued meanwhile
			q[len(q)-1].data = append(q[len(q)-1].data, w.queue[0].data...)
			w.queue = w.queue[1:]
		}
		w.queue = append(q, w.queue...)
		w.writing, w.problem = false, describe(err)
		return err
	}
	for i := range q {
		if len(w.spares) < maxSpares && cap(q[i].data) == chunkSize {
			w.spares = append(w.spares, q[i].data[:0])
		}
	}
	w.writing, w.problem = true, ""
	w.flushes++
	return nil
}

// use makes day's file the one written, opening it (and applying the
// retention from that day) when it is not. The days before it are closed:
// compressed, when they are. A day compressed already (the clock was set
// back past its midnight) is decompressed first, to be written on.
func (w *Writer) use(day string) error {
	if w.f != nil && w.fday == day {
		return nil
	}
	if w.f != nil {
		w.sync()
		w.f.Close()
		w.f, w.fday = nil, ""
	}
	if _, found, _ := entryIn(w.dirf, compressedName(day)); found {
		if err := decompress(w.dirf, w.dir, &w.files, day); err != nil {
			return err
		}
	}
	f, created, err := openDay(w.dirf, w.dir, day)
	if err != nil {
		return err
	}
	if created {
		w.dirSyncs.Add(1)
	}
	w.f, w.fday = f, day
	w.files.Lock()
	removeOld(w.dir, day, w.keepDays)
	w.files.Unlock()
	if w.closer != nil {
		w.closer.writes(day)
	}
	return nil
}

// openDay opens a day file of the directory d (at path dir) for
// appending, creating it when missing (see openIn: never through a symbolic
// link, always 0600). A torn last line, left by a process killed while
// writing, is ended first: the next line must not be glued to it.
func openDay(d *os.File, dir, day string) (f *os.File, created bool, err error) {
	f, created, err = openIn(d, dir, day+dayExt, os.O_RDWR|os.O_APPEND)
	if err != nil {
		return nil, false, err
	}
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > 0 {
		var last [1]byte
		if _, err := f.ReadAt(last[:], st.Size()-1); err == nil && last[0] != '\n' {
			if _, err := f.Write([]byte{'\n'}); err != nil {
				f.Close()
				return nil, false, err
			}
		}
	}
	return f, created, nil
}

// removeOld removes the day files of dir older than keep days, today
// included, in either form, and never yesterday's (a restart replays it);
// other files stay. Keeping 0 days or less keeps them all.
func removeOld(dir, today string, keep int) {
	if keep <= 0 {
		removeOldCheckpoints(dir, "")
		return
	}
	keep = max(keep, 2)
	t, err := time.Parse(dayLayout, today)
	if err != nil {
		return
	}
	oldest := t.AddDate(0, 0, 1-keep).Format(dayLayout)
	names, _ := dayFiles(dir)
	for _, name := range names {
		if name[:len(dayLayout)] < oldest {
			os.Remove(filepath.Join(dir, name))
		}
	}
	removeOldCheckpoints(dir, oldest)
}

// sync fsyncs what was written since the last.
func (w *Writer) sync() {
	if w.f == nil || !w.dirty {
		return
	}
	w.dirty = false
	err := w.f.Sync()
	w.syncs.Add(1)
	if err != nil {
		w.mu.Lock()
		w.writing, w.problem = false, describe(err)
		w.room.Broadcast()
		w.mu.Unlock()
	}
}

// describe says why the journal is not writing.
func describe(err error) string {
	var unsafe *unsafeError
	if errors.As(err, &unsafe) {
		return fmt.Sprintf("not writing (refused %s: %s)", unsafe.path, unsafe.why)
	}
	if why := errnoProblem(err); why != "" {
		return "not writing (" + why + ")"
	}
	if errors.Is(err, fs.ErrPermission) {
		return "not writing (permission denied)"
	}
	return "not writing: " + strings.TrimPrefix(err.Error(), "journal: ")
}

// Started is the time of the writer's start line.
func (w *Writer) Started() time.Time { return w.started }

// Status says how the writer is doing.
func (w *Writer) Status() Status {
	w.mu.Lock()
	defer w.mu.Unlock()
	st := Status{Writing: w.writing, Problem: w.problem, Dropped: w.dropped, Path: filepath.Join(w.dir, w.day+dayExt), Clock: w.days.note}
	if w.closer != nil {
		w.closer.mu.Lock()
		st.Compression = w.closer.problem
		w.closer.mu.Unlock()
	}
	return st
}

// Close writes an end line at now and everything queued, fsyncs, closes
// the file and releases the directory. A disk that has not taken them
// within the stall bound (10 s) is left to itself: what it did not take is
// counted dropped and the error says so, but the process can end. Records
// after Close are ignored; a second Close returns the first's result.
func (w *Writer) Close(now time.Time) error { return w.CloseBy(now, time.Time{}) }

// CloseBy is Close with a deadline of the caller's in place of the stall
// bound (none when zero): a process that ends within one timeout gives its
// journal what is left of it.
func (w *Writer) CloseBy(now, deadline time.Time) error {
	w.once.Do(func() {
		w.mu.Lock()
		if len(w.queue) == 0 {
			w.queue = append(w.queue, chunk{day: w.day})
		}
		c := &w.queue[len(w.queue)-1]
		n := len(c.data)
		c.data = record.AppendMark(c.data, record.MarkEnd, now)
		w.queued += len(c.data) - n
		w.closed = true
		if w.watchdog != nil {
			w.watchdog.Stop()
		}
		w.room.Broadcast()
		w.mu.Unlock()
		close(w.stop)
		finished := make(chan error, 1)
		go func() { finished <- w.finish() }()
		wait := w.stallAfter
		if !deadline.IsZero() {
			wait = time.Until(deadline)
		}
		gaveUp := time.NewTimer(wait)
		defer gaveUp.Stop()
		var err error
		select {
		case err = <-finished:
		case <-gaveUp.C:
			// a disk that hangs (a network file system gone) must not
			// hang the process's end: what it did not take is lost, said
			w.mu.Lock()
			for _, c := range w.queue {
				w.dropped += bytes.Count(c.data, []byte{'\n'})
			}
			w.queue, w.queued = nil, 0 // counted: not written should the disk come back
			w.writing, w.problem = false, "not writing (the disk does not answer)"
			w.mu.Unlock()
			err = fmt.Errorf("%s: the end line and the lines being written may be lost", w.problem)
		}
		w.mu.Lock()
		if err == nil && !w.writing { // a failed fsync
			err = errors.New(w.problem)
		}
		if err != nil {
			err = journalError(w.dir, err)
		} else {
			w.problem = "closed"
		}
		w.writing = false
		w.mu.Unlock()
		w.closeErr = err
	})
	return w.closeErr
}

// finish ends Close's work once the writer goroutine stopped: the last
// flush, the fsync, and the files and lock released.
func (w *Writer) finish() error {
	<-w.done
	err := w.flush()
	w.mu.Lock()
	for _, c := range w.queue {
		w.dropped += bytes.Count(c.data, []byte{'\n'})
	}
	w.queue, w.queued = nil, 0
	w.mu.Unlock()
	if w.f != nil {
		w.sync()
		if cerr := w.f.Close(); err == nil {
			err = cerr
		}
		w.f = nil
	}
	if w.closer != nil { // it compresses as the lock's holder: it ends first
		w.closer.end()
	}
	unlockDir(w.lock)
	w.dirf.Close()
	return err
}

// tailWindow is how much of a day file's end LastLine reads at most: the
// last lines, even a directory's, are within it.
const tailWindow = 1 << 20

// LastLine is the time of dir's journal's last whole line dated no later
// than notAfter (a line dated in the future is not the writer's last), or
// zero when it has none: where a writer that stopped or died left the
// journal. Only the newest day files' ends are read.
func LastLine(dir string, notAfter time.Time) (time.Time, error) {
	t, _, err := lastLines(dir, notAfter)
	return t, err
}

// lastLines is LastLine, and the last update line of the day file that
// line is in (within its last tailWindow bytes; nil when none).
func lastLines(dir string, notAfter time.Time) (time.Time, []byte, error) {
	days, err := journalDays(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return time.Time{}, nil, nil
	}
	if err != nil {
		return time.Time{}, nil, err
	}
	for i := len(days) - 1; i >= 0; i-- {
		t, update, err := lastLineOf(dir, days[i], notAfter)
		if err != nil || !t.IsZero() {
			return t, update, err
		}
	}
	return time.Time{}, nil, nil
}

// updateLine begins an update line, after its time.
var updateLine = []byte(`","kind":"update",`)

// lastLineOf is lastLines of dir's day file of day.
func lastLineOf(dir, day string, notAfter time.Time) (last time.Time, update []byte, err error) {
	f, compressed, err := openDayFile(dir, day)
	if errors.Is(err, fs.ErrNotExist) {
		return time.Time{}, nil, nil
	}
	if err != nil {
		return time.Time{}, nil, err
	}
	defer f.Close()
	tail, cut, err := tailOf(f, compressed)
	if err != nil {
		return time.Time{}, nil, err
	}
	if i := bytes.LastIndexByte(tail, '\n'); i >= 0 {
		tail = tail[:i] // a torn last line is not one
	} else {
		return time.Time{}, nil, nil
	}
	for len(tail) > 0 {
		i := bytes.LastIndexByte(tail, '\n')
		line := tail[i+1:]
		if i < 0 && cut {
			break // a line cut by the window
		}
		var l struct {
			T time.Time `json:"t"`
		}
		if json.Unmarshal(line, &l) == nil && !l.T.IsZero() && !l.T.After(notAfter) {
			if last.IsZero() {
				last = l.T
			}
			if bytes.Contains(line[:min(len(line), 64)], updateLine) {
				return last, bytes.Clone(line), nil
			}
		}
		if i < 0 {
			break
		}
		tail = tail[:i]
	}
	return last, nil, nil
}

// Checkpoint queues board, a state.Board.Checkpoint taken after the
// messages recorded so far, whose time was last let pass at ticked: it is
// written beside the day file once they are (see writeCheckpoint), as
// covering them; messages counts the messages they hold, by day. It is not when lines were dropped (the journal lacks what
// the board holds), nor while a jump of the clock is in doubt.
func (w *Writer) Checkpoint(board []byte, ticked time.Time, messages map[string]int) {
	w.CheckpointFrom(bytes.NewReader(board), ticked, messages)
}

// CheckpointFrom is Checkpoint of the board's checkpoint that board
// writes (a state.CheckpointCopy, taken after the messages recorded so
// far): the writer's goroutine calls its WriteTo as it writes the
// checkpoint's file, so that whoever took the copy does not wait for its
// encoding.
func (w *Writer) CheckpointFrom(board io.WriterTo, ticked time.Time, messages map[string]int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed || w.dropped > 0 || w.days.note != "" || w.newest.IsZero() {
		return
	}
	w.queue = append(w.queue, chunk{day: w.day, checkpoint: &pendingCheckpoint{board: board, newest: w.newest, ticked: ticked, messages: messages}})
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// saveCheckpoint writes c's checkpoint, before c's lines: it covers the
// day file as it is. Its failure costs a replay from further back, no
// line of the journal.
func (w *Writer) saveCheckpoint(c *chunk) {
	ck := c.checkpoint
	c.checkpoint = nil // once, even should c's lines be tried again
	if w.use(c.day) != nil {
		return
	}
	st, err := w.f.Stat()
	if err != nil {
		return
	}
	header := checkpointHeader{Day: c.day, Offset: st.Size(), Newest: ck.newest, Ticked: ck.ticked, Messages: ck.messages}
	if writeCheckpoint(w.dirf, w.dir, header, ck.board) == nil {
		w.ckpts.Add(1)
	}
}
