package journal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	_ "time/tzdata"

	"callboard/feed"
	"callboard/internal/testkit"
	"callboard/internal/testkit/feedtest"
	"callboard/internal/testkit/testproc"
	"callboard/record"
)

func testConfig(t *testing.T, loc *time.Location) Config {
	return Config{Dir: filepath.Join(t.TempDir(), "journal", "acct"), Location: loc, FlushDelay: 5 * time.Millisecond, SyncEvery: 10 * time.Millisecond}
}

func mustOpen(t *testing.T, c Config, now time.Time) *Writer {
	t.Helper()
	w, err := Open(c, now)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func mustClose(t *testing.T, w *Writer, now time.Time) {
	t.Helper()
	if err := w.Close(now); err != nil {
		t.Fatal(err)
	}
}

func replay(t *testing.T, dir string, loc *time.Location, from time.Time) ([]feed.Message, ReplayStats) {
	t.Helper()
	var got []feed.Message
	st, err := Replay(dir, loc, from, func(m feed.Message) { got = append(got, m) })
	if err != nil {
		t.Fatal(err)
	}
	if st.Messages != len(got) {
		t.Errorf("stats say %d messages, fn saw %d", st.Messages, len(got))
	}
	return got, st
}

// describeMessages is a message sequence in short: kind and time.
func describeMessages(ms []feed.Message) string {
	var b strings.Builder
	for _, m := range ms {
		switch m := m.(type) {
		case *feed.Event:
			fmt.Fprintf(&b, "update %s %s\n", m.Received.Format(time.RFC3339Nano), m.Raw)
		case *feed.StatusMsg:
			fmt.Fprintf(&b, "status %s %s %q\n", m.At.Format(time.RFC3339Nano), m.State, m.Reason)
		case *feed.DirectoryMsg:
			fmt.Fprintf(&b, "directory %s %d agents\n", m.At.Format(time.RFC3339Nano), len(m.Directory.Agents))
		default:
			fmt.Fprintf(&b, "%T\n", m)
		}
	}
	return b.String()
}

func notRunning(at time.Time) *feed.StatusMsg {
	return &feed.StatusMsg{State: feed.Disconnected, Reason: feed.ReasonNotRunning, At: at}
}

func checkMessages(t *testing.T, got, want []feed.Message) {
	t.Helper()
	if g, w := describeMessages(got), describeMessages(want); g != w {
		t.Fatalf("replayed:\n%s\nwant:\n%s", g, w)
	}
	for i, m := range got {
		if ev, ok := m.(*feed.Event); ok && ev.Err != nil {
			t.Errorf("message %d replayed rejected: %v", i, ev.Err)
		}
	}
}

type line struct {
	T    time.Time `json:"t"`
	Kind string    `json:"kind"`
}

// fileLines reads a day file's lines, failing on one that is not JSON.
func fileLines(t *testing.T, path string) []line {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ls []line
	for _, text := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		var l line
		if err := json.Unmarshal([]byte(text), &l); err != nil {
			t.Fatalf("%s: line %q: %v", path, text, err)
		}
		ls = append(ls, l)
	}
	return ls
}

func TestRoundTripAndRestart(t *testing.T) {
	t.Parallel()
	c := testConfig(t, time.UTC)
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	directory := feed.Directory{Agents: []feed.Agent{{ID: "1", Name: "Alice", Groups: []feed.Text{"391"}}}, Target: "5207", Token: "tok-s3cret", Expires: at(2 * time.Hour)}
	run1 := []feed.Message{
		&feed.StatusMsg{State: feed.Connecting, Reason: "authenticating", At: at(0)},
		&feed.DirectoryMsg{Directory: directory, At: at(time.Millisecond)},
		&feed.StatusMsg{State: feed.Live, Protocol: feed.ProtocolV4, At: at(2 * time.Millisecond)},
		feedtest.Login(at(time.Second), 1, 1),
		&feed.Batch{Events: []*feed.Event{feedtest.Login(at(2*time.Second), 2, 2), feedtest.Login(at(3*time.Second), 3, 3)}},
		feedtest.Login(at(4*time.Second), 4, 4),
	}
	w := mustOpen(t, c, t0)
	for _, m := range run1 {
		w.Record(m)
	}
	if st := w.Status(); !st.Writing || st.Problem != "" || st.Path != filepath.Join(c.Dir, "2026-11-24.jsonl") {
		t.Errorf("status while writing: %+v", st)
	}
	mustClose(t, w, at(time.Minute))
	if st := w.Status(); st.Writing || st.Problem != "closed" || st.Dropped != 0 {
		t.Errorf("status after Close: %+v", st)
	}

	want := append(run1[:4:4], run1[4].(*feed.Batch).Events[0], run1[4].(*feed.Batch).Events[1], run1[5])
	got, st := replay(t, c.Dir, time.UTC, t0)
	checkMessages(t, got, want)
	if st.Files != 1 || st.Skipped != 0 || !st.Last.Equal(at(4*time.Second)) {
		t.Errorf("stats %+v", st)
	}
	path := filepath.Join(c.Dir, "2026-11-24.jsonl")
	b, _ := os.ReadFile(path)
	if bytes.Contains(b, []byte("tok-s3cret")) {
		t.Fatalf("the journal holds the token:\n%s", b)
	}
	for p, mode := range map[string]fs.FileMode{c.Dir: fs.ModeDir | 0o700, filepath.Dir(c.Dir): fs.ModeDir | 0o700, path: 0o600} {
		if fi, err := os.Stat(p); err != nil || fi.Mode() != mode {
			t.Errorf("%s: %v, %v; want %v", p, fi.Mode(), err, mode)
		}
	}

	// A restart in the same day: the time between is "not running", dated
	// at the first run's last line.
	t1 := at(time.Hour)
	w = mustOpen(t, c, t1)
	w.Record(feedtest.Login(t1.Add(time.Second), 5, 5))
	mustClose(t, w, t1.Add(2*time.Second))
	got, st = replay(t, c.Dir, time.UTC, t0)
	checkMessages(t, got, append(want, notRunning(at(time.Minute)), feedtest.Login(t1.Add(time.Second), 5, 5)))
	if st.Files != 1 || st.Skipped != 0 || !st.Last.Equal(t1.Add(time.Second)) {
		t.Errorf("stats %+v", st)
	}
	if again := w.Close(t1.Add(time.Hour)); again != nil {
		t.Errorf("a second Close: %v", again)
	}
	w.Record(feedtest.Login(t1.Add(3*time.Second), 6, 6))
	if b2, _ := os.ReadFile(path); len(fileLines(t, path)) != 12 || bytes.Contains(b2, []byte(`"cpt":6`)) {
		t.Errorf("written after Close:\n%s", b2)
	}
}

// TestTornAndCorruptLines: a torn last line (a process killed while
// writing) and a corrupt line are skipped and counted; the next run's
// start line, in the same file or the next day's, is not glued to the
// torn line.
func TestTornAndCorruptLines(t *testing.T) {
	t.Parallel()
	c := testConfig(t, time.UTC)
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	u1, u2, u3 := feedtest.Login(t0.Add(time.Second), 1, 1), feedtest.Login(t0.Add(2*time.Second), 2, 2), feedtest.Login(t0.Add(3*time.Second), 3, 3)
	var text []byte
	text = record.AppendMark(text, record.MarkStart, t0)
	text = record.Append(text, u1)
	text = record.Append(text, u2)
	text = append(text, "{\"t\":\"2026-11-24T09:00:02Z\",\"kind\":\x00garbage\n"...)
	text = record.Append(text, u3)
	torn := record.Append(nil, feedtest.Login(t0.Add(4*time.Second), 4, 4))
	text = append(text, torn[:len(torn)/2]...)
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(c.Dir, "2026-11-24.jsonl"), text, 0o600); err != nil {
		t.Fatal(err)
	}
	got, st := replay(t, c.Dir, time.UTC, t0)
	checkMessages(t, got, []feed.Message{u1, u2, u3})
	if st.Skipped != 2 || st.Files != 1 {
		t.Errorf("stats %+v, want 2 lines skipped", st)
	}

	t1 := t0.Add(time.Hour)
	w := mustOpen(t, c, t1)
	u5 := feedtest.Login(t1.Add(time.Second), 5, 5)
	w.Record(u5)
	mustClose(t, w, t1.Add(2*time.Second))
	got, st = replay(t, c.Dir, time.UTC, t0)
	checkMessages(t, got, []feed.Message{u1, u2, u3, notRunning(u3.Received), u5})
	if st.Skipped != 2 {
		t.Errorf("stats %+v, want 2 lines skipped", st)
	}

	// Torn at the end of a day; the next day's file begins with a start.
	if err := os.WriteFile(filepath.Join(c.Dir, "2026-11-24.jsonl"), text, 0o600); err != nil {
		t.Fatal(err)
	}
	t2 := t0.Add(24 * time.Hour)
	w = mustOpen(t, c, t2)
	u6 := feedtest.Login(t2.Add(time.Second), 6, 6)
	w.Record(u6)
	mustClose(t, w, t2.Add(2*time.Second))
	got, st = replay(t, c.Dir, time.UTC, t0)
	checkMessages(t, got, []feed.Message{u1, u2, u3, notRunning(u3.Received), u6})
	if st.Skipped != 2 || st.Files != 2 {
		t.Errorf("stats %+v, want 2 lines skipped in 2 files", st)
	}
}

// TestLinesReachTheFileWithoutClose: what a process killed at any moment
// leaves: a line that comes after a quiet spell is in the file at once,
// without waiting for a timer; one written is fsynced when SyncEvery has
// passed. The writer's timers are the test's, fired by it.
func TestLinesReachTheFileWithoutClose(t *testing.T) {
	t.Parallel()
	c := testConfig(t, time.UTC)
	c.FlushDelay, c.SyncEvery = 20*time.Millisecond, 30*time.Millisecond
	timers := &fakeTimers{}
	c.after = timers.after
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	w := mustOpen(t, c, t0)
	defer w.Close(t0)
	path := w.Status().Path
	for i := 1; i <= 3; i++ {
		timers.fire(c.FlushDelay / 2) // a quiet spell: the pacing after the last write is over
		syncs := w.syncs.Load()
		w.Record(feedtest.Login(t0.Add(time.Duration(i)*time.Second), i, i))
		want := []byte(fmt.Sprintf(`"cpt":%d}`, i)) // the payload goes in as it is
		testkit.Eventually(t, "the line in the file", func() bool {
			b, _ := os.ReadFile(path)
			return bytes.Contains(b, want)
		})
		testkit.Eventually(t, "an fsync due in SyncEvery", func() bool { return timers.pending(c.SyncEvery) > 0 })
		if n := w.syncs.Load(); n != syncs {
			t.Errorf("line %d: %d fsyncs before SyncEvery passed", i, n-syncs)
		}
		timers.fire(c.SyncEvery)
		testkit.Eventually(t, "an fsync", func() bool { return w.syncs.Load() > syncs })
	}
	if n := len(fileLines(t, path)); n != 4 {
		t.Errorf("%d lines, want a start and 3 updates", n)
	}
}

// fakeTimers stands for time.After: the timers it makes fire when the
// test says.
type fakeTimers struct {
	mu    sync.Mutex
	armed map[time.Duration][]chan time.Time
}

func (f *fakeTimers) after(d time.Duration) <-chan time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.armed == nil {
		f.armed = map[time.Duration][]chan time.Time{}
	}
	c := make(chan time.Time, 1)
	f.armed[d] = append(f.armed[d], c)
	return c
}

// pending is how many timers of d wait to fire.
func (f *fakeTimers) pending(d time.Duration) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.armed[d])
}

// fire fires the timers of d made so far.
func (f *fakeTimers) fire(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.armed[d] {
		c <- time.Time{}
	}
	delete(f.armed, d)
}

// TestAFloodIsKeptWhole: many records at once, from several goroutines,
// Status and Close meanwhile: nothing lost, nothing after Close.
func TestAFloodIsKeptWhole(t *testing.T) {
	t.Parallel()
	c := testConfig(t, time.UTC)
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	w := mustOpen(t, c, t0)
	const writers, each = 4, 2500
	done := make(chan struct{})
	for g := 0; g < writers; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < each; i++ {
				w.Record(feedtest.Login(t0.Add(time.Duration(i)*time.Millisecond), g*each+i, g*each+i))
				if i%1000 == 0 {
					w.Status()
				}
			}
		}()
	}
	for g := 0; g < writers; g++ {
		<-done
	}
	mustClose(t, w, t0.Add(time.Hour))
	got, st := replay(t, c.Dir, time.UTC, t0)
	if len(got) != writers*each || st.Skipped != 0 || w.Status().Dropped != 0 {
		t.Errorf("%d messages replayed, stats %+v, status %+v", len(got), st, w.Status())
	}

	// Records racing with Close: each is in the file whole, or not at all.
	c2 := testConfig(t, time.UTC)
	w = mustOpen(t, c2, t0)
	done = make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < each; i++ {
			w.Record(feedtest.Login(t0.Add(time.Duration(i)*time.Millisecond), i, i))
		}
	}()
	mustClose(t, w, t0.Add(time.Hour))
	<-done
	if _, st := replay(t, c2.Dir, time.UTC, t0); st.Skipped != 0 {
		t.Errorf("stats %+v", st)
	}
	ls := fileLines(t, filepath.Join(c2.Dir, "2026-11-24.jsonl"))
	if ls[len(ls)-1].Kind != record.MarkEnd {
		t.Errorf("the last line is %+v, want the end", ls[len(ls)-1])
	}
}

func TestOneWriterPerDirectory(t *testing.T) {
	t.Parallel()
	c := testConfig(t, time.UTC)
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("no flock here")
	}
	w := mustOpen(t, c, t0)
	_, err := Open(c, t0)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), c.Dir) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) || strings.Count(err.Error(), "journal:") != 1 {
		t.Fatalf("a second Open: %v", err)
	}
	if p := Problem(err); p != fmt.Sprintf("not writing (another process writes it, pid %d)", os.Getpid()) {
		t.Errorf("Problem(%v) = %q", err, p)
	}
	mustClose(t, w, t0.Add(time.Second))
	w = mustOpen(t, c, t0.Add(time.Minute))
	mustClose(t, w, t0.Add(2*time.Minute))
}

const helperEnv = "CALLBOARD_JOURNAL_HELPER_DIR"

var helperT0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// TestHelperWriter is another process's writer for TestAKilledWriter: it
// writes two updates, says "ready" once they are in the file, and waits to
// be killed.
func TestHelperWriter(t *testing.T) {
	dir := os.Getenv(helperEnv)
	if dir == "" {
		t.Skip("a helper process of TestAKilledWriter")
	}
	w, err := Open(Config{Dir: dir, Location: time.UTC, FlushDelay: time.Millisecond}, helperT0)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	w.Record(feedtest.Login(helperT0.Add(time.Second), 1, 1))
	w.Record(feedtest.Login(helperT0.Add(2*time.Second), 2, 2))
	testkit.Eventually(t, "the lines in the file", func() bool {
		b, _ := os.ReadFile(w.Status().Path)
		return bytes.Count(b, []byte{'\n'}) == 3
	})
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadString('\n') // until killed, or the test ends
	os.Exit(0)
}

// TestAKilledWriter: a writer in another process holds the directory (a
// second writer is refused, naming its pid); killed with SIGKILL in the
// middle of a line, it leaves the lines it wrote and a torn one; the next
// writer takes over, and a replay shows the time between as not running.
func TestAKilledWriter(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("no flock here")
	}
	t.Parallel()
	c := testConfig(t, time.UTC)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"="+c.Dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := testproc.Start(t, cmd); err != nil {
		t.Fatal(err)
	}
	if l, err := bufio.NewReader(out).ReadString('\n'); l != "ready\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the helper said %q, %v", l, err)
	}
	_, err = Open(c, helperT0.Add(time.Minute))
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "pid "+strconv.Itoa(cmd.Process.Pid)) {
		t.Errorf("Open beside another process's writer: %v", err)
	}
	cmd.Process.Kill()
	cmd.Wait()

	path := filepath.Join(c.Dir, "2026-11-24.jsonl")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"t":"2026-11-24T09:00:03Z","kind":"update","raw":"{\"cp`)
	f.Close()

	t1 := helperT0.Add(time.Hour)
	w := mustOpen(t, c, t1)
	w.Record(feedtest.Login(t1.Add(time.Second), 3, 3))
	mustClose(t, w, t1.Add(2*time.Second))
	got, st := replay(t, c.Dir, time.UTC, helperT0)
	checkMessages(t, got, []feed.Message{feedtest.Login(helperT0.Add(time.Second), 1, 1), feedtest.Login(helperT0.Add(2*time.Second), 2, 2), notRunning(helperT0.Add(2 * time.Second)), feedtest.Login(t1.Add(time.Second), 3, 3)})
	if st.Skipped != 1 {
		t.Errorf("stats %+v, want the torn line skipped", st)
	}
}

func TestUnwritableDirectory(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	c := Config{Dir: filepath.Join(file, "acct")}
	_, err := Open(c, time.Now())
	if err == nil || !errors.Is(err, syscall.ENOTDIR) || !strings.Contains(err.Error(), c.Dir) || !strings.Contains(err.Error(), "not a directory") {
		t.Fatalf("Open under a regular file: %v", err)
	}
	if p := Problem(err); !strings.HasPrefix(p, "not writing: ") || !strings.HasSuffix(p, "not a directory") || strings.Contains(p, "journal:") {
		t.Errorf("Problem(%v) = %q", err, p)
	}
	if n := strings.Count(err.Error(), "journal:"); n != 1 || !strings.HasPrefix(err.Error(), "journal: ") {
		t.Errorf("Open's error %q, want one journal prefix", err)
	}
}

// disk is a day file's writer whose pace and failures a test decides.
type disk struct {
	held chan struct{} // while not nil, writes wait until it is closed
	fail func(path string) error
	mu   sync.Mutex
	// stallAfter is the writer's (Config.stallAfter): how long a held
	// disk is waited for.
	stallAfter time.Duration
	writing    int // writes under way or waiting
}

func (d *disk) write(f *os.File, b []byte) (int, error) {
	d.mu.Lock()
	held, fail := d.held, d.fail
	d.writing++
	d.mu.Unlock()
	defer func() { d.mu.Lock(); d.writing--; d.mu.Unlock() }()
	if held != nil {
		<-held
	}
	if fail != nil {
		if err := fail(f.Name()); err != nil {
			return 0, &fs.PathError{Op: "write", Path: f.Name(), Err: err}
		}
	}
	return f.Write(b)
}

func (d *disk) hold() {
	d.mu.Lock()
	d.held = make(chan struct{})
	d.mu.Unlock()
}

func (d *disk) release() {
	d.mu.Lock()
	close(d.held)
	d.held = nil
	d.mu.Unlock()
}

func (d *disk) failing(fail func(path string) error) {
	d.mu.Lock()
	d.fail = fail
	d.mu.Unlock()
}

func (w *Writer) waited() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.waits
}

// openOnDisk opens a writer at t0 on d, its queue bound at limit bytes.
func openOnDisk(t *testing.T, d *disk, t0 time.Time, limit int, options ...func(*Config)) (*Writer, Config) {
	t.Helper()
	c := testConfig(t, time.UTC)
	c.writeFile = d.write
	c.stallAfter = d.stallAfter
	for _, o := range options {
		o(&c)
	}
	w := mustOpen(t, c, t0)
	w.mu.Lock()
	w.limit = limit
	w.mu.Unlock()
	return w, c
}

// recordAll records n updates from t0 on, a millisecond apart, in a
// goroutine of its own, and closes the channel returned when done.
func recordAll(w *Writer, t0 time.Time, n int) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < n; i++ {
			w.Record(feedtest.Login(t0.Add(time.Duration(i)*time.Millisecond), i, i))
		}
	}()
	return done
}

// TestASlowDiskSlowsRecordDown: while the disk takes the lines, however
// slowly, Record waits for room instead of dropping them: a flood many
// times the queue's bound is kept whole; Close ends a wait. While the disk
// refuses them, or writes nothing for a long while, Record does not wait
// and what cannot be kept is dropped and counted.
func TestASlowDiskSlowsRecordDown(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	const n, limit = 2000, 16 << 10 // some 30 times the bound
	d := &disk{}
	w, c := openOnDisk(t, d, t0, limit)
	d.hold()
	done := recordAll(w, t0, n)
	testkit.Eventually(t, "Record waiting for the held disk", func() bool { return w.waited() > 0 })
	select {
	case <-done:
		t.Fatal("all the records were taken while the disk held the first lines")
	default:
	}
	w.mu.Lock()
	queued := w.queued
	w.mu.Unlock()
	if st := w.Status(); st.Dropped != 0 || !st.Writing || queued > limit+1024 {
		t.Errorf("while the disk is slow: %+v, %d bytes queued (bound %d)", st, queued, limit)
	}
	d.release()
	<-done
	mustClose(t, w, t0.Add(time.Hour))
	if st := w.Status(); st.Dropped != 0 {
		t.Errorf("status %+v, want nothing dropped", st)
	}
	got, st := replay(t, c.Dir, time.UTC, t0)
	if len(got) != n || st.Skipped != 0 {
		t.Errorf("%d messages replayed (stats %+v), want %d", len(got), st, n)
	}

	// Close ends a wait: Records after it are ignored, nothing hangs.
	d = &disk{}
	w, c = openOnDisk(t, d, t0, limit)
	d.hold()
	done = recordAll(w, t0, n)
	testkit.Eventually(t, "Record waiting for the held disk", func() bool { return w.waited() > 0 })
	closed := make(chan error)
	go func() { closed <- w.Close(t0.Add(time.Hour)) }()
	<-done // while Close waits for the held write
	d.release()
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if _, st := replay(t, c.Dir, time.UTC, t0); st.Skipped != 0 {
		t.Errorf("stats %+v", st)
	}

	// A disk that hangs is taken, after a while, for one that refuses the
	// lines: the board goes on.
	d = &disk{stallAfter: 20 * time.Millisecond}
	w, _ = openOnDisk(t, d, t0, limit)
	d.hold()
	<-recordAll(w, t0, n)
	if st := w.Status(); st.Writing || st.Problem != "not writing (the disk does not answer)" || st.Dropped == 0 {
		t.Errorf("status after %d records on a hung disk: %+v", n, st)
	}
	d.release()
	w.Record(feedtest.Login(t0.Add(time.Duration(n)*time.Millisecond), n, n)) // after the others: no jump of the clock
	testkit.Eventually(t, "writing again", func() bool { return w.Status().Writing })
	// the disk answers again: its close is not held to the 20 ms that
	// tell a hung disk, which a loaded machine's flush and fsync can take
	if err := w.CloseBy(t0.Add(2*time.Hour), time.Now().Add(testkit.Patience)); err != nil {
		t.Fatal(err)
	}

	// A disk that refuses the lines: Record goes on, drops and counts.
	d = &disk{}
	w, c = openOnDisk(t, d, t0, limit)
	d.failing(func(string) error { return syscall.EIO })
	<-recordAll(w, t0, n)
	if st := w.Status(); st.Writing || st.Dropped == 0 || st.Dropped >= n {
		t.Errorf("status after %d records on a failing disk: %+v, want some dropped", n, st)
	}
	d.failing(nil)
	w.Record(feedtest.Login(t0.Add(time.Duration(n)*time.Millisecond), n, n)) // after the others: no jump of the clock
	testkit.Eventually(t, "writing again", func() bool { return w.Status().Writing })
	mustClose(t, w, t0.Add(2*time.Hour))
	dropped := w.Status().Dropped
	got, _ = replay(t, c.Dir, time.UTC, t0)
	if len(got)+dropped != n+1 {
		t.Errorf("%d messages replayed and %d dropped, want %d in all", len(got), dropped, n+1)
	}
}

// TestDiskFull: today's file is on a full disk. The writer says so, Record
// goes on without blocking, and what it cannot keep is counted; the next
// day's file, writable, clears the problem.
func TestDiskFull(t *testing.T) {
	t.Parallel()
	full := func(path string) error {
		if strings.HasSuffix(path, "2026-11-24.jsonl") {
			return syscall.ENOSPC
		}
		return nil
	}
	d := &disk{}
	d.failing(full)
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	clock := &processClock{}
	w, c := openOnDisk(t, d, t0, 64<<10, func(c *Config) { c.Elapsed = clock.elapsed })
	if st := w.Status(); st.Writing || st.Problem != "not writing (disk full)" {
		t.Errorf("status on a full disk: %+v", st)
	}
	const n = 2000 // beyond the queue's bound
	<-recordAll(w, t0, n)
	if st := w.Status(); st.Writing || st.Problem != "not writing (disk full)" || st.Dropped == 0 || st.Dropped >= n {
		t.Errorf("status after %d records on a full disk: %+v", n, st)
	}
	// The next day's first update finds the queue full too; the next goes.
	t1 := time.Date(2026, 11, 25, 0, 0, 1, 0, time.UTC)
	clock.d = t1.Sub(t0)
	w.Record(feedtest.Login(t1, n, n))
	testkit.Eventually(t, "the next day's file written", func() bool { return w.Status().Writing })
	if st := w.Status(); st.Problem != "" || st.Dropped != n+2 {
		t.Errorf("status writing again: %+v, want %d lines dropped (start and updates)", st, n+2)
	}
	w.Record(feedtest.Login(t1.Add(time.Second), n+1, n+1))
	mustClose(t, w, t1.Add(2*time.Second))
	if st := w.Status(); st.Dropped != n+2 {
		t.Errorf("status after Close: %+v", st)
	}
	got, _ := replay(t, c.Dir, time.UTC, t0)
	checkMessages(t, got, []feed.Message{feedtest.Login(t1.Add(time.Second), n+1, n+1)})

	// Full till the end: Close says so.
	w, _ = openOnDisk(t, d, t0, maxQueued)
	w.Record(feedtest.Login(t0.Add(time.Second), 1, 1))
	if err := w.Close(t0.Add(2 * time.Second)); err == nil || !errors.Is(err, syscall.ENOSPC) || !strings.HasPrefix(err.Error(), "journal: ") || strings.Count(err.Error(), "journal:") != 1 {
		t.Errorf("Close on a full disk: %v, want ENOSPC with one journal prefix", err)
	}
	if st := w.Status(); st.Dropped != 3 || st.Problem != "not writing (disk full)" {
		t.Errorf("status after Close on a full disk: %+v, want 3 lines dropped", st)
	}
}

func TestDescribe(t *testing.T) {
	t.Parallel()
	for errno, want := range map[syscall.Errno]string{
		syscall.ENOSPC: "not writing (disk full)",
		syscall.EROFS:  "not writing (read-only file system)",
		syscall.EACCES: "not writing (permission denied)",
		syscall.EPERM:  "not writing (permission denied)",
		syscall.EIO:    "not writing: write /j/2026-11-24.jsonl: input/output error",
	} {
		if got := describe(&fs.PathError{Op: "write", Path: "/j/2026-11-24.jsonl", Err: errno}); got != want {
			t.Errorf("%v: %q, want %q", errno, got, want)
		}
	}
}

// TestMidnightInTheJournalsZone: the day is the zone's, not UTC's: the
// updates around its midnight land in two files, the second beginning with
// a continue line at that midnight; one dated before it, received after,
// stays in the current file. A replay reads both without a gap.
func TestMidnightInTheJournalsZone(t *testing.T) {
	t.Parallel()
	for _, zone := range []string{"America/New_York", "Asia/Kolkata"} {
		t.Run(zone, func(t *testing.T) {
			t.Parallel()
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Fatal(err)
			}
			c := testConfig(t, loc)
			t0 := time.Date(2026, 11, 24, 23, 58, 0, 0, loc)
			midnight := time.Date(2026, 11, 25, 0, 0, 0, 0, loc)
			before, after, late := feedtest.Login(midnight.Add(-30*time.Second), 1, 1), feedtest.Login(midnight.Add(30*time.Second), 2, 2), feedtest.Login(midnight.Add(-time.Second), 3, 3)
			w := mustOpen(t, c, t0)
			w.Record(before)
			w.Record(after)
			w.Record(late)
			if p := w.Status().Path; p != filepath.Join(c.Dir, "2026-11-25.jsonl") {
				t.Errorf("current file %s", p)
			}
			mustClose(t, w, midnight.Add(time.Minute))

			kinds := func(ls []line) (s string) {
				for _, l := range ls {
					s += l.Kind + "@" + l.T.In(loc).Format("15:04:05") + " "
				}
				return s
			}
			if got := kinds(fileLines(t, filepath.Join(c.Dir, "2026-11-24.jsonl"))); got != "start@23:58:00 update@23:59:30 " {
				t.Errorf("the first day: %s", got)
			}
			if got := kinds(fileLines(t, filepath.Join(c.Dir, "2026-11-25.jsonl"))); got != "continue@00:00:00 update@00:00:30 update@23:59:59 end@00:01:00 " {
				t.Errorf("the second day: %s", got)
			}
			got, st := replay(t, c.Dir, loc, t0)
			checkMessages(t, got, []feed.Message{before, after, late})
			if st.Files != 2 {
				t.Errorf("stats %+v", st)
			}
			got, st = replay(t, c.Dir, loc, midnight.Add(time.Hour))
			checkMessages(t, got, []feed.Message{after, late})
			if st.Files != 1 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

func TestRetention(t *testing.T) {
	t.Parallel()
	c := testConfig(t, time.UTC)
	c.KeepDays = 3
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	others := []string{"notes.txt", "2026-11-01.jsonl.bak", "2026-02-30.jsonl", "2026-11-1.jsonl", "x2026-11-01.jsonl"}
	for _, name := range append([]string{"2025-12-31.jsonl", "2026-11-18.jsonl", "2026-11-19.jsonl", "2026-11-20.jsonl", "2026-11-21.jsonl", "2026-11-22.jsonl", "2026-11-23.jsonl"}, others...) {
		if err := os.WriteFile(filepath.Join(c.Dir, name), record.AppendMark(nil, record.MarkStart, time.Now()), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	list := func() string {
		names, err := dayFiles(c.Dir)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(names, " ")
	}
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	clock := &processClock{}
	c.Elapsed = clock.elapsed
	w := mustOpen(t, c, t0)
	if got := list(); got != "2026-11-22.jsonl 2026-11-23.jsonl 2026-11-24.jsonl" {
		t.Errorf("day files after Open: %s", got)
	}
	clock.d = 15 * time.Hour
	w.Record(feedtest.Login(time.Date(2026, 11, 25, 0, 0, 1, 0, time.UTC), 1, 1))
	want := "2026-11-23.jsonl 2026-11-24.jsonl 2026-11-25.jsonl"
	testkit.Eventually(t, "the retention at midnight", func() bool { return list() == want })
	mustClose(t, w, time.Date(2026, 11, 25, 0, 0, 2, 0, time.UTC))
	for _, name := range append(others, lockName) {
		if _, err := os.Stat(filepath.Join(c.Dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestReplayOfNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	check := func(what string, want ReplayStats) {
		t.Helper()
		st, err := Replay(dir, nil, time.Now(), func(feed.Message) { t.Errorf("%s: a message", what) })
		if err != nil || st != want {
			t.Errorf("%s: %+v, %v; want %+v", what, st, err, want)
		}
	}
	check("an empty directory", ReplayStats{})
	dir = filepath.Join(dir, "missing")
	check("a missing directory", ReplayStats{})
	// a process killed before its start line was whole
	os.MkdirAll(dir, 0o700)
	os.WriteFile(filepath.Join(dir, time.Now().Format(dayLayout)+dayExt), []byte(`{"t":"2026-11-24T09:`), 0o600)
	check("a torn start line", ReplayStats{Files: 1, Skipped: 1})
}

// TestYesterdayIsAlwaysKept: a restart replays yesterday, so even keeping
// one day keeps it.
func TestYesterdayIsAlwaysKept(t *testing.T) {
	t.Parallel()
	c := testConfig(t, time.UTC)
	c.KeepDays = 1
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"2026-11-22.jsonl", "2026-11-23.jsonl"} {
		if err := os.WriteFile(filepath.Join(c.Dir, name), record.AppendMark(nil, record.MarkStart, time.Now()), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	w := mustOpen(t, c, time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	defer mustClose(t, w, time.Date(2026, 11, 24, 9, 0, 1, 0, time.UTC))
	names, err := dayFiles(c.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(names, " "); got != "2026-11-23.jsonl 2026-11-24.jsonl" {
		t.Errorf("day files %s, want yesterday's and today's", got)
	}
}

// planted is a file of someone else's that a symbolic link in the journal
// points to: it must be left as it is.
type planted struct {
	path string
	body []byte
	mode fs.FileMode
}

func plant(t *testing.T) planted {
	t.Helper()
	p := planted{path: filepath.Join(t.TempDir(), "precious"), body: []byte("root:x:0:0\n"), mode: 0o644}
	if err := os.WriteFile(p.path, p.body, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p.path, p.mode); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p planted) untouched(t *testing.T) {
	t.Helper()
	b, err := os.ReadFile(p.path)
	fi, serr := os.Stat(p.path)
	if err != nil || serr != nil || !bytes.Equal(b, p.body) || fi.Mode() != p.mode {
		t.Errorf("the target of the symbolic link was changed: %q, %v, %v", b, fi.Mode(), err)
	}
}

func wantRefused(t *testing.T, err error, path, why string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), why) || !strings.HasPrefix(err.Error(), "journal: ") {
		t.Fatalf("Open: %v; want %s refused: %s", err, path, why)
	}
	if p := Problem(err); p != fmt.Sprintf("not writing (refused %s: %s)", path, why) {
		t.Errorf("Problem(%v) = %q", err, p)
	}
}

// TestSymlinksAreNotFollowed: a day file, the lock or the account
// directory planted as a symbolic link is refused, naming it, and what it
// points to is left as it was. A day file planted for a later day stops
// the writing when the day comes, said.
func TestSymlinksAreNotFollowed(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	prepare := func(t *testing.T) Config {
		c := testConfig(t, time.UTC)
		if err := os.MkdirAll(c.Dir, 0o700); err != nil {
			t.Fatal(err)
		}
		return c
	}
	t.Run("day file", func(t *testing.T) {
		c := prepare(t)
		target := plant(t)
		day := filepath.Join(c.Dir, "2026-11-24.jsonl")
		os.Symlink(target.path, day)
		_, err := Open(c, t0)
		wantRefused(t, err, day, "a symbolic link")
		target.untouched(t)
	})
	t.Run("lock", func(t *testing.T) {
		c := prepare(t)
		target := plant(t)
		lock := filepath.Join(c.Dir, lockName)
		os.Symlink(target.path, lock)
		_, err := Open(c, t0)
		wantRefused(t, err, lock, "a symbolic link")
		target.untouched(t)
	})
	t.Run("account directory", func(t *testing.T) {
		c := testConfig(t, time.UTC)
		elsewhere := t.TempDir()
		os.MkdirAll(filepath.Dir(c.Dir), 0o700)
		if err := os.Symlink(elsewhere, c.Dir); err != nil {
			t.Fatal(err)
		}
		_, err := Open(c, t0)
		wantRefused(t, err, c.Dir, "a symbolic link")
		if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
			t.Errorf("written in the directory the link points to: %v", entries)
		}
	})
	t.Run("the next day", func(t *testing.T) {
		c := prepare(t)
		target := plant(t)
		clock := &processClock{}
		c.Elapsed = clock.elapsed
		w := mustOpen(t, c, t0)
		next := filepath.Join(c.Dir, "2026-11-25.jsonl")
		os.Symlink(target.path, next)
		clock.d = 15 * time.Hour // the next day comes as the process lives
		w.Record(feedtest.Login(time.Date(2026, 11, 25, 0, 0, 1, 0, time.UTC), 1, 1))
		want := fmt.Sprintf("not writing (refused %s: a symbolic link)", next)
		testkit.Eventually(t, "the writer to refuse the link", func() bool { return w.Status().Problem == want })
		w.Close(time.Date(2026, 11, 25, 0, 0, 2, 0, time.UTC))
		target.untouched(t)
	})
	t.Run("read", func(t *testing.T) {
		// a day file planted as a link to another journal's day is not
		// read: a replay gives the journal's own lines only
		other := testConfig(t, time.UTC)
		w := mustOpen(t, other, t0)
		w.Record(feedtest.Login(t0.Add(time.Second), 1, 1))
		mustClose(t, w, t0.Add(2*time.Second))
		c := prepare(t)
		if err := os.Symlink(filepath.Join(other.Dir, "2026-11-24.jsonl"), filepath.Join(c.Dir, "2026-11-24.jsonl")); err != nil {
			t.Fatal(err)
		}
		if got, st := replay(t, c.Dir, time.UTC, t0); len(got) != 0 || st.Files != 0 {
			t.Errorf("a linked day file was read: %d messages from %d files", len(got), st.Files)
		}
	})
}

// TestTheAccountDirectoryMustBePrivate: an account directory that others
// may write, or another user's, is refused, naming it, and nothing is
// written in it; one of this user's that others may read, and a day file
// of ours that others may read, are made private.
func TestTheAccountDirectoryMustBePrivate(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	c := testConfig(t, time.UTC)
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	os.Chmod(c.Dir, 0o777)
	_, err := Open(c, t0)
	wantRefused(t, err, c.Dir, "writable by group or others (mode 0777)")
	if entries, _ := os.ReadDir(c.Dir); len(entries) != 0 {
		t.Errorf("written in the open directory: %v", entries)
	}

	if os.Geteuid() == 0 {
		os.Chmod(c.Dir, 0o700)
		if err := os.Chown(c.Dir, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		_, err := Open(c, t0)
		wantRefused(t, err, c.Dir, "owned by uid 65534, not this user (uid 0)")
		if entries, _ := os.ReadDir(c.Dir); len(entries) != 0 {
			t.Errorf("written in another user's directory: %v", entries)
		}
	}

	c = testConfig(t, time.UTC)
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(c.Dir, 0o755)
	day := filepath.Join(c.Dir, "2026-11-24.jsonl")
	if err := os.WriteFile(day, record.AppendMark(nil, record.MarkStart, t0), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(day, 0o644)
	w := mustOpen(t, c, t0.Add(time.Minute))
	mustClose(t, w, t0.Add(2*time.Minute))
	for p, mode := range map[string]fs.FileMode{c.Dir: fs.ModeDir | 0o700, day: 0o600, filepath.Join(c.Dir, lockName): 0o600} {
		if fi, err := os.Stat(p); err != nil || fi.Mode() != mode {
			t.Errorf("%s: %v, %v; want %v", p, fi.Mode(), err, mode)
		}
	}
}

// TestANewDayFileIsFsyncedIntoItsDirectory: the directory is fsynced once
// a day file is made in it, so that a crash of the machine does not lose
// the file.
func TestANewDayFileIsFsyncedIntoItsDirectory(t *testing.T) {
	t.Parallel()
	c := testConfig(t, time.UTC)
	clock := &processClock{}
	c.Elapsed = clock.elapsed
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	w := mustOpen(t, c, t0)
	if n := w.dirSyncs.Load(); n != 1 {
		t.Errorf("%d fsyncs of the directory after the first day file, want 1", n)
	}
	clock.d = 15 * time.Hour // the next day comes as the process lives
	w.Record(feedtest.Login(time.Date(2026, 11, 25, 0, 0, 1, 0, time.UTC), 1, 1))
	testkit.Eventually(t, "the next day's file", func() bool { return w.dirSyncs.Load() == 2 })
	mustClose(t, w, time.Date(2026, 11, 25, 0, 0, 2, 0, time.UTC))
	w = mustOpen(t, c, time.Date(2026, 11, 25, 0, 0, 3, 0, time.UTC))
	mustClose(t, w, time.Date(2026, 11, 25, 0, 0, 4, 0, time.UTC))
	if n := w.dirSyncs.Load(); n != 0 {
		t.Errorf("%d fsyncs of the directory for a day file that was there, want 0", n)
	}
}

// TestLastLine: where a writer left the journal: its last whole line,
// neither a torn one nor one dated in the future, in the newest day file
// that has one.
func TestLastLine(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	if got, err := LastLine(filepath.Join(dir, "missing"), t0); err != nil || !got.IsZero() {
		t.Errorf("no journal: %v, %v", got, err)
	}
	var text []byte
	text = record.AppendMark(text, record.MarkStart, t0)
	text = record.Append(text, feedtest.Login(t0.Add(time.Second), 1, 1))
	text = record.Append(text, feedtest.Login(t0.Add(2*time.Second), 2, 2))
	text = record.Append(text, feedtest.Login(time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), 3, 3))
	torn := record.Append(nil, feedtest.Login(t0.Add(4*time.Second), 4, 4))
	text = append(text, torn[:len(torn)/2]...)
	os.WriteFile(filepath.Join(dir, "2026-11-24.jsonl"), text, 0o600)
	os.WriteFile(filepath.Join(dir, "2026-11-25.jsonl"), torn[:10], 0o600)
	if got, err := LastLine(dir, t0.Add(time.Hour)); err != nil || !got.Equal(t0.Add(2*time.Second)) {
		t.Errorf("LastLine = %v, %v; want %v", got, err, t0.Add(2*time.Second))
	}
}

// TestATakeoverThatSawAllIsNoRestart: a writer that takes the journal
// over having seen all that came after the last line (Takeover says
// seamless) starts with a takeover line, and a replay says no time not
// running there; one that did not starts as a restart.
func TestATakeoverThatSawAllIsNoRestart(t *testing.T) {
	t.Parallel()
	at := func(s int) time.Time { return time.Date(2026, 11, 24, 9, 0, s, 0, time.UTC) }
	for _, seamless := range []bool{true, false} {
		c := testConfig(t, time.UTC)
		w := mustOpen(t, c, at(0))
		w.Record(&feed.StatusMsg{State: feed.Live, At: at(0)})
		w.Record(feedtest.Login(at(1), 1, 1))
		mustClose(t, w, at(2))
		var told time.Time
		c.Takeover = func(last time.Time, _ []byte) (time.Time, bool) {
			told = last
			return at(3), seamless
		}
		w = mustOpen(t, c, at(10))
		w.Record(feedtest.Login(at(3), 2, 2))
		mustClose(t, w, at(11))
		if !told.Equal(at(2)) {
			t.Errorf("seamless %v: Takeover told of the last line at %v, want the end line's %v", seamless, told, at(2))
		}
		got, _ := replay(t, c.Dir, time.UTC, at(0))
		var gaps []time.Time
		for _, m := range got {
			if st, ok := m.(*feed.StatusMsg); ok && st.Reason == feed.ReasonNotRunning {
				gaps = append(gaps, st.At)
			}
		}
		switch {
		case seamless && len(gaps) != 0:
			t.Errorf("a takeover that saw all replays times not running at %v", gaps)
		case !seamless && (len(gaps) != 1 || !gaps[0].Equal(at(2))):
			t.Errorf("a takeover that did not see all replays times not running at %v, want one at %v", gaps, at(2))
		}
		if len(got) != 3+len(gaps) {
			t.Errorf("seamless %v: %d messages replayed, want live, the two updates and %d times not running", seamless, len(got), len(gaps))
		}
	}
}

// TestCloseDoesNotHangOnAHungDisk: a disk that takes nothing (a network
// file system gone) does not hold Close past the stall bound: it returns
// an error that says the disk does not answer, and counts what it lost.
func TestCloseDoesNotHangOnAHungDisk(t *testing.T) {
	t.Parallel()
	d := &disk{stallAfter: 50 * time.Millisecond}
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	w, _ := openOnDisk(t, d, t0, maxQueued)
	d.hold()
	defer d.release()
	w.Record(feedtest.Login(t0.Add(time.Second), 1, 1))
	testkit.Eventually(t, "the write under way", func() bool { d.mu.Lock(); defer d.mu.Unlock(); return d.writing > 0 })
	w.Record(feedtest.Login(t0.Add(2*time.Second), 2, 2))
	closed := make(chan error, 1)
	go func() { closed <- w.Close(t0.Add(3 * time.Second)) }()
	if err := testkit.Receive(t, "Close's end on a hung disk", closed); err == nil || !strings.Contains(err.Error(), "the disk does not answer") || !strings.HasPrefix(err.Error(), "journal: ") || strings.Count(err.Error(), "journal:") != 1 {
		t.Errorf("Close on a hung disk: %v", err)
	}
	if st := w.Status(); st.Writing || st.Dropped == 0 {
		t.Errorf("status after Close on a hung disk: %+v, want lines counted dropped", st)
	}
}

// TestCloseByKeepsTheCallersDeadline: a process that ends within one
// deadline gives its journal what is left of it: on a hung disk, CloseBy
// returns at that deadline (here already passed) rather than at the
// writer's own stall bound (an hour here), and counts what it lost.
func TestCloseByKeepsTheCallersDeadline(t *testing.T) {
	t.Parallel()
	d := &disk{stallAfter: time.Hour}
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	w, _ := openOnDisk(t, d, t0, maxQueued)
	d.hold()
	defer d.release()
	w.Record(feedtest.Login(t0.Add(time.Second), 1, 1))
	testkit.Eventually(t, "the write under way", func() bool { d.mu.Lock(); defer d.mu.Unlock(); return d.writing > 0 })
	closed := make(chan error, 1)
	go func() { closed <- w.CloseBy(t0.Add(2*time.Second), time.Now()) }()
	if err := testkit.Receive(t, "CloseBy's end at its deadline", closed); err == nil || !strings.Contains(err.Error(), "the disk does not answer") {
		t.Errorf("CloseBy on a hung disk: %v", err)
	}
	if st := w.Status(); st.Writing || st.Dropped == 0 {
		t.Errorf("status after CloseBy on a hung disk: %+v, want lines counted dropped", st)
	}
}
