package journal

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"callboard/feed"
	"callboard/hub"
	"callboard/internal/testkit"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// ticking applies messages to a board as a hub does: the board's time let
// pass at least every second of the messages' time, then each message at
// its own time.
type ticking struct {
	b      *state.Board
	ticked time.Time
}

func (p *ticking) apply(m feed.Message) {
	for m := range feed.Unbatched(m) {
		at := feed.MessageTime(m)
		if !at.IsZero() && at.Sub(p.ticked) >= time.Second {
			p.b.Tick(at)
			p.ticked = at
		}
		p.b.Handle(m, at)
	}
}

// sameViews fails the test where the views (and reports) of two boards as
// of now differ, naming the fields. Times are compared as JSON writes
// them, instant and offset: the lines of a journal are read in fixed
// zones, the board's checkpoint gives its own zone back.
func sameViews(t *testing.T, want, got *state.Board, now time.Time) {
	t.Helper()
	w, g := want.View(now), got.View(now)
	wr, gr := want.Report(w.AsOf), got.Report(g.AsOf)
	w.Report, g.Report = &wr, &gr
	for _, diff := range testkit.DifferentFields(*w, *g, testkit.SameJSON(t)) {
		t.Error(diff)
	}
}

// checkpointedJournal writes a journal of a generated evening and night
// (22:00 to 01:30, two outages, one over midnight) with the board's
// checkpoint every 7 minutes of its time, as a hub beside the writer
// takes them; it returns the directory, the options and the journal's end.
func checkpointedJournal(t *testing.T, loc *time.Location) (dir string, opts state.Options, end time.Time) {
	start := time.Date(2025, 3, 3, 22, 0, 0, 0, loc)
	end = start.Add(3*time.Hour + 30*time.Minute)
	ms := feedtest.SimDay(5, start, end,
		feedtest.Outage{From: start.Add(40 * time.Minute), To: start.Add(43 * time.Minute)},
		feedtest.Outage{From: start.Add(118 * time.Minute), To: start.Add(123 * time.Minute)})
	dir, opts = t.TempDir(), state.Options{Location: loc, EventLogSize: 40}
	w := mustOpen(t, Config{Dir: dir, Location: loc}, start)
	live := &ticking{b: state.New(opts, start)}
	last := start
	for _, m := range ms {
		live.apply(m)
		w.Record(m)
		if at := feed.MessageTime(m); at.Sub(last) >= 7*time.Minute {
			var buf bytes.Buffer
			if err := live.b.Checkpoint(&buf); err != nil {
				t.Fatal(err)
			}
			w.Checkpoint(buf.Bytes(), live.ticked, nil)
			last = at
		}
	}
	mustClose(t, w, end)
	if n := w.ckpts.Load(); n < 20 {
		t.Fatalf("%d checkpoints written", n)
	}
	return dir, opts, end
}

// wholeReplay is the board of dir's journal replayed from day on.
func wholeReplay(t *testing.T, dir string, opts state.Options, day time.Time) *state.Board {
	whole := &ticking{b: state.New(opts, day)}
	first := true
	if _, err := Replay(dir, opts.Location, day, func(m feed.Message) {
		if first { // the counters start where the day kept starts, as the hub's do
			whole.b, first = state.New(opts, feed.MessageTime(m)), false
		}
		whole.apply(m)
	}); err != nil {
		t.Fatal(err)
	}
	return whole.b
}

// fromCheckpoint is the board of ck and the lines of dir's journal after
// it, and what that replay read.
func fromCheckpoint(t *testing.T, dir string, loc *time.Location, ck *Checkpoint) (*state.Board, ReplayStats) {
	resumed := &ticking{b: ck.Board, ticked: ck.Ticked}
	st, err := ReplayAfter(dir, loc, ck, resumed.apply)
	if err != nil {
		t.Fatal(err)
	}
	return resumed.b, st
}

// TestAJournalReadFromItsCheckpointShowsWhatItsWholeReplayDoes: the
// newest checkpoint (today's, taken after midnight, while yesterday's
// calls were still going on) and the lines after it give the views and
// the report of the whole replay from yesterday's first line, field by
// field; yesterday's file is not read.
func TestAJournalReadFromItsCheckpointShowsWhatItsWholeReplayDoes(t *testing.T) {
	for _, zone := range []string{"UTC", "Europe/Paris"} {
		t.Run(zone, func(t *testing.T) {
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Fatal(err)
			}
			dir, opts, end := checkpointedJournal(t, loc)
			whole := wholeReplay(t, dir, opts, end.AddDate(0, 0, -1))
			ck, ignored := NewestCheckpoint(dir, "2025-03-03", "2025-03-04", opts)
			if ck == nil || ignored != 0 || ck.Day != "2025-03-04" {
				t.Fatalf("newest checkpoint %+v, %d ignored", ck, ignored)
			}
			resumed, st := fromCheckpoint(t, dir, loc, ck)
			if st.Files != 1 || st.Messages == 0 {
				t.Errorf("the lines after the checkpoint: %+v", st)
			}
			sameViews(t, whole, resumed, end)
			for _, name := range []string{"2025-03-03.ckpt", "2025-03-04.ckpt"} {
				if fi, err := os.Lstat(filepath.Join(dir, name)); err != nil || fi.Mode() != 0o600 {
					t.Errorf("%s: %v %v", name, fi, err)
				}
			}
		})
	}
}

// TestABadCheckpointIsIgnoredAndCounted: a checkpoint torn, corrupt, of
// the version before, a symbolic link, or ahead of its day file is ignored
// and counted; the one of the day before is loaded, and gives the whole
// replay's views too.
func TestABadCheckpointIsIgnoredAndCounted(t *testing.T) {
	dir, opts, end := checkpointedJournal(t, time.UTC)
	whole := wholeReplay(t, dir, opts, end.AddDate(0, 0, -1))
	today := filepath.Join(dir, "2025-03-04.ckpt")
	good, err := os.ReadFile(today)
	if err != nil {
		t.Fatal(err)
	}
	elsewhere := filepath.Join(t.TempDir(), "planted")
	if err := os.WriteFile(elsewhere, good, 0o600); err != nil {
		t.Fatal(err)
	}
	corrupt := bytes.Clone(good)
	corrupt[len(corrupt)-100] ^= 1
	ahead := bytes.Replace(good, []byte(`"offset":`), []byte(`"offset":9`), 1)
	older := bytes.Clone(good) // as a callboard before this format left it
	binary.BigEndian.PutUint32(older[bytes.IndexByte(older, '\n')+1+len("callboard board checkpoint\n"):], state.CheckpointVersion-1)
	for what, plant := range map[string]func() error{
		"torn":                  func() error { return os.WriteFile(today, good[:len(good)/2], 0o600) },
		"corrupt":               func() error { return os.WriteFile(today, corrupt, 0o600) },
		"of the version before": func() error { return os.WriteFile(today, older, 0o600) },
		"ahead of its day file": func() error {
			return os.WriteFile(today, ahead, 0o600)
		},
		"a symbolic link": func() error {
			os.Remove(today)
			return os.Symlink(elsewhere, today)
		},
	} {
		t.Run(what, func(t *testing.T) {
			os.Remove(today)
			if err := plant(); err != nil {
				t.Fatal(err)
			}
			ck, ignored := NewestCheckpoint(dir, "2025-03-03", "2025-03-04", opts)
			if ck == nil || ignored != 1 || ck.Day != "2025-03-03" {
				t.Fatalf("newest checkpoint %+v, %d ignored", ck, ignored)
			}
			resumed, st := fromCheckpoint(t, dir, time.UTC, ck)
			if st.Files != 2 {
				t.Errorf("the lines after yesterday's checkpoint: %+v", st)
			}
			sameViews(t, whole, resumed, end)
		})
	}
}

// TestACheckpointOfADayCompressedSinceIsReadThroughItsCompressedFile: the
// checkpoint of a closed day (the newest while today has none yet: a
// restart just after midnight) is loaded and the lines after it read,
// whether the compressor compressed its day before it was chosen or after,
// before its lines were read (a restart's writer compresses yesterday as
// its hub resumes): none ignored, the views of the whole replay.
func TestACheckpointOfADayCompressedSinceIsReadThroughItsCompressedFile(t *testing.T) {
	dir, opts, end := checkpointedJournal(t, time.UTC)
	chosen, ignored := NewestCheckpoint(dir, "2025-03-03", "2025-03-03", opts)
	if chosen == nil || ignored != 0 {
		t.Fatalf("yesterday's checkpoint %+v, %d ignored", chosen, ignored)
	}
	mustClose(t, compressing(t, Config{Dir: dir, Location: time.UTC}, end, 1), end)
	if got := dirNames(t, dir); got != "2025-03-03.ckpt 2025-03-03.jsonl.zst 2025-03-04.ckpt 2025-03-04.jsonl lock" {
		t.Fatalf("the journal holds %s", got)
	}
	whole := wholeReplay(t, dir, opts, end.AddDate(0, 0, -1))

	t.Run("compressed after it was chosen", func(t *testing.T) {
		resumed, st := fromCheckpoint(t, dir, time.UTC, chosen)
		if st.Files != 2 || st.Skipped != 0 {
			t.Errorf("the lines after yesterday's checkpoint: %+v", st)
		}
		sameViews(t, whole, resumed, end)
	})
	t.Run("compressed before it was chosen", func(t *testing.T) {
		ck, ignored := NewestCheckpoint(dir, "2025-03-03", "2025-03-03", opts)
		if ck == nil || ignored != 0 || ck.Offset != chosen.Offset {
			t.Fatalf("yesterday's checkpoint %+v, %d ignored", ck, ignored)
		}
		resumed, _ := fromCheckpoint(t, dir, time.UTC, ck)
		sameViews(t, whole, resumed, end)
	})
}

// TestCheckpointsGoWithTheirDay: retention removes a day's checkpoint with
// its day file, and the temporary file of a checkpoint never finished.
func TestCheckpointsGoWithTheirDay(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"2025-03-01.jsonl", "2025-03-01.ckpt", "2025-03-03.jsonl", "2025-03-03.ckpt", ".2025-03-03.ckpt.12-3.tmp", "notes"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	removeOld(dir, "2025-03-03", 2)
	entries, _ := os.ReadDir(dir)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if want := []string{"2025-03-03.ckpt", "2025-03-03.jsonl", "notes"}; !reflect.DeepEqual(left, want) {
		t.Errorf("left %q, want %q", left, want)
	}
}

// TestARestartFromACheckpointShowsWhatAWholeReplayDoes: a process that
// wrote a generated evening and night (outages, stale calls, midnight)
// through its keeper left checkpoints of its hub's board, the last at its
// clean stop; another wrote the rest and none (killed), the evening's day
// compressed meanwhile. A restart
// starts from the newest, replays only the lines after it, and shows the
// views and report of a restart that replays the whole journal (its
// checkpoints removed), field by field; the journal's health says so.
func TestARestartFromACheckpointShowsWhatAWholeReplayDoes(t *testing.T) {
	start := time.Date(2025, 3, 3, 22, 0, 0, 0, time.UTC)
	end := start.Add(3 * time.Hour)
	ms := feedtest.SimDay(9, start, end,
		feedtest.Outage{From: start.Add(40 * time.Minute), To: start.Add(43 * time.Minute)},
		feedtest.Outage{From: start.Add(118 * time.Minute), To: start.Add(123 * time.Minute)})
	opts := state.Options{Location: time.UTC, EventLogSize: 40}
	dir := filepath.Join(t.TempDir(), "acct")
	var clock atomic.Pointer[time.Time]
	now := func() time.Time { return *clock.Load() }
	clock.Store(&start)
	// the hub publishes only at its start and its end: the board's time
	// passes by the messages' alone, as in a replay
	run := func(k *Keeper, msgs []feed.Message) *state.View {
		cfg := hub.Config{Options: opts, Now: now, Start: now(), MinInterval: time.Hour, TickInterval: time.Hour,
			FollowMessages: true, Report: true, CheckpointEvery: 7 * time.Minute}
		k.Attach(&cfg)
		h := hub.New(cfg)
		ch := make(chan feed.Message, len(msgs))
		for _, m := range msgs {
			ch <- m
		}
		close(ch)
		if err := h.Run(context.Background(), ch); err != nil {
			t.Fatal(err)
		}
		return h.Latest()
	}
	writer := OpenKeeper(KeeperConfig{Dir: dir, Location: time.UTC, Write: true, Now: now})
	tail := len(ms) * 9 / 10
	run(writer, ms[:tail])
	stopped := feed.MessageTime(ms[tail-1])
	clock.Store(&stopped)
	writer.Close()
	// then a process that wrote its lines, and no checkpoint; the
	// evening's day, closed, is compressed by then, whether the keeper's
	// compressor finished it before its Close or this writer's does
	again := mustOpen(t, Config{Dir: dir, Location: time.UTC, CompressClosed: true}, feed.MessageTime(ms[tail]))
	for _, m := range ms[tail:] {
		again.Record(m)
	}
	testkit.Eventually(t, "the evening's day compressed", func() bool {
		return dirNames(t, dir) == "2025-03-03.ckpt 2025-03-03.jsonl.zst 2025-03-04.ckpt 2025-03-04.jsonl lock"
	}, func() string { return dirNames(t, dir) })
	mustClose(t, again, end)

	whole := testkit.CopyFiles(t, dir, "*"+dayExt+"*") // the days in either form
	later := end.Add(time.Hour)
	clock.Store(&later)
	restart := func(dir string) *state.View {
		k := OpenKeeper(KeeperConfig{Dir: dir, Location: time.UTC, Now: now})
		k.held = func(string) bool { return false }
		v := run(k, nil)
		v.Journal = k.Health()
		return v
	}
	fromCheckpoint, fromStart := restart(dir), restart(whole)
	if j := fromCheckpoint.Journal; !j.Checkpoint.Equal(stopped) || j.Replayed != fromStart.Journal.Replayed || j.CheckpointsIgnored != 0 {
		t.Errorf("from the checkpoint %+v; from the start %+v", j, fromStart.Journal)
	}
	fromCheckpoint.Journal, fromStart.Journal = state.JournalHealth{}, state.JournalHealth{}
	for _, diff := range testkit.DifferentFields(*fromStart, *fromCheckpoint, nil) {
		t.Error(diff)
	}
}

// BenchmarkRestart: a restart at 16:00 of a generated day from 08:00
// (the simulator's 40 agents, with an outage), through the keeper and the
// hub, replaying the whole journal (whole-ms) and from the checkpoint the
// writer left at its clean stop 20 minutes before plus the lines after it
// (checkpoint-ms); the two alternate within each iteration, the metrics
// are their medians.
func BenchmarkRestart(b *testing.B) {
	start := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
	end := start.Add(8 * time.Hour)
	ms := feedtest.SimDay(9, start, end, feedtest.Outage{From: start.Add(3 * time.Hour), To: start.Add(3*time.Hour + 5*time.Minute)})
	opts := state.Options{Location: time.UTC}
	dir := filepath.Join(b.TempDir(), "acct")
	clock := start
	now := func() time.Time { return clock }
	run := func(k *Keeper, msgs []feed.Message) {
		cfg := hub.Config{Options: opts, Now: now, Start: now(), MinInterval: time.Hour, TickInterval: time.Hour, FollowMessages: true}
		k.Attach(&cfg)
		ch := make(chan feed.Message, len(msgs))
		for _, m := range msgs {
			ch <- m
		}
		close(ch)
		if err := hub.New(cfg).Run(context.Background(), ch); err != nil {
			b.Fatal(err)
		}
	}
	tail := len(ms) - len(ms)/24 // the last 20 minutes
	writer := OpenKeeper(KeeperConfig{Dir: dir, Location: time.UTC, Write: true, Now: now})
	run(writer, ms[:tail])
	writer.Close()
	w, err := Open(Config{Dir: dir, Location: time.UTC}, feed.MessageTime(ms[tail]))
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range ms[tail:] {
		w.Record(m)
	}
	if err := w.Close(end); err != nil {
		b.Fatal(err)
	}
	clock = end
	fi, err := os.Stat(filepath.Join(dir, "2025-03-03.ckpt"))
	if err != nil {
		b.Fatal(err)
	}
	restart := func(resume bool) time.Duration {
		began := time.Now()
		k := OpenKeeper(KeeperConfig{Dir: dir, Location: time.UTC, Now: now})
		k.held = func(string) bool { return false }
		cfg := hub.Config{Options: opts, Now: now, Start: now(), MinInterval: time.Hour, TickInterval: time.Hour}
		k.Attach(&cfg)
		if !resume {
			cfg.Resume = nil
		}
		ch := make(chan feed.Message)
		close(ch)
		h := hub.New(cfg)
		if err := h.Run(context.Background(), ch); err != nil {
			b.Fatal(err)
		}
		if h.Latest().Totals.Answered == 0 {
			b.Fatal("a restart without the day")
		}
		return time.Since(began)
	}
	var whole, resumed []time.Duration
	for b.Loop() {
		whole = append(whole, restart(false))
		resumed = append(resumed, restart(true))
	}
	median := func(ds []time.Duration) float64 {
		slices.Sort(ds)
		return float64(ds[len(ds)/2]) / float64(time.Millisecond)
	}
	b.ReportMetric(median(whole), "whole-ms")
	b.ReportMetric(median(resumed), "checkpoint-ms")
	b.ReportMetric(float64(len(ms)), "messages")
	b.ReportMetric(float64(fi.Size()), "checkpoint-bytes")
}

// TestACheckpointIsEncodedOnTheWritersGoroutine: the writer takes a
// checkpoint to write (CheckpointFrom) without calling its encoder, and
// calls it on its own goroutine, as it writes the file; while the encoder
// is held there, lines are recorded all the same; the checkpoint covers
// the lines recorded before it was taken, the lines after it are the rest.
func TestACheckpointIsEncodedOnTheWritersGoroutine(t *testing.T) {
	start := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	ms := feedtest.SimDay(4, start, start.Add(20*time.Minute))
	opts := state.Options{Location: time.UTC}
	dir := t.TempDir()
	w := mustOpen(t, Config{Dir: dir, Location: time.UTC}, start)
	live := &ticking{b: state.New(opts, start)}
	half := len(ms) / 2
	for _, m := range ms[:half] {
		live.apply(m)
		w.Record(m)
	}
	held := &heldWriter{board: live.b.CopyForCheckpoint(), entered: make(chan struct{}), release: make(chan struct{})}
	entered, release := held.entered, held.release
	taken := make(chan struct{})
	go func() {
		w.CheckpointFrom(held, live.ticked, nil)
		close(taken)
	}()
	testkit.Receive(t, "the checkpoint taken", taken)
	testkit.Receive(t, "the encoder called by the writer", entered)
	for _, m := range ms[half:] { // recorded while the encoder is held
		live.apply(m)
		w.Record(m)
	}
	close(release)
	mustClose(t, w, start.Add(20*time.Minute))

	day := start.Format(dayLayout)
	ck, ignored := NewestCheckpoint(dir, day, day, opts)
	if ck == nil || ignored != 0 {
		t.Fatalf("checkpoint %+v, %d ignored", ck, ignored)
	}
	resumed, st := fromCheckpoint(t, dir, time.UTC, ck)
	if st.Messages != len(ms)-half {
		t.Errorf("%d messages after the checkpoint, want %d", st.Messages, len(ms)-half)
	}
	sameViews(t, live.b, resumed, start.Add(20*time.Minute))
}

// heldWriter writes board's checkpoint once released, saying when it is
// asked to.
type heldWriter struct {
	board            io.WriterTo
	entered, release chan struct{}
}

func (h *heldWriter) WriteTo(out io.Writer) (int64, error) {
	close(h.entered)
	<-h.release
	return h.board.WriteTo(out)
}
