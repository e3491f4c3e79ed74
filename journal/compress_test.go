package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit"
	"callboard/internal/testkit/feedtest"
	"callboard/record"
	"callboard/sim"

	"github.com/klauspost/compress/zstd"
)

// simDay is a day file's content: the simulator's traffic (40 agents, a
// queue call every 3 s or so) for span from start, a line per update as the
// journal writes them, after a start line, ending with an end line.
func simDay(start time.Time, span time.Duration) []byte {
	tr := sim.NewTraffic(7, start, sim.TrafficOptions{})
	var stamp sim.Stamper
	var lines record.Appender
	data := record.AppendMark(nil, record.MarkStart, start)
	add := func(evs []sim.Event, now time.Time) {
		for _, ev := range evs {
			raw, err := json.Marshal(stamp.Stamp(ev, now))
			if err != nil {
				panic(err)
			}
			data = lines.Append(data, feedtest.Event(now, string(raw)))
		}
	}
	add(tr.Snapshot(), start)
	for now := start; now.Before(start.Add(span)); {
		now = now.Add(time.Second)
		add(tr.Advance(now), now)
	}
	return record.AppendMark(data, record.MarkEnd, start.Add(span))
}

// writeSimDay writes simDay as dir's file of start's day, and returns it.
func writeSimDay(t *testing.T, dir string, start time.Time, span time.Duration) []byte {
	t.Helper()
	data := simDay(start, span)
	putFiles(t, dir, map[string][]byte{plainName(start.Format(dayLayout)): data})
	return data
}

// putFiles writes files (by name) in dir, made when missing.
func putFiles(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// zstdOf is data compressed as the compressor does.
func zstdOf(t *testing.T, data []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	enc, err := zstd.NewWriter(&out, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
	if err != nil {
		t.Fatal(err)
	}
	enc.Write(data)
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// readDays is what a Reader gives of dir's days, each message as its
// journal line, and the Reader's counts.
func readDays(t *testing.T, dir string) (lines []string, st ReplayStats) {
	t.Helper()
	return readDaysOf(t, dir, "", "")
}

// readDaysOf is readDays from day first to day last (see OpenDays).
func readDaysOf(t *testing.T, dir, first, last string) (lines []string, st ReplayStats) {
	t.Helper()
	r, err := OpenDays(dir, time.UTC, first, last)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for {
		m, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d messages: %v", len(lines), err)
		}
		lines = append(lines, string(record.Append(nil, m)))
	}
	r.stats(&st)
	return lines, st
}

func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d messages, want %d", what, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: message %d is\n%s\nwant\n%s", what, i, got[i], want[i])
		}
	}
}

// compressing opens a writer of c.Dir at now that compresses its closed
// days, and waits until it has compressed n of them.
func compressing(t *testing.T, c Config, now time.Time, n int) *Writer {
	t.Helper()
	c.CompressClosed = true
	w := mustOpen(t, c, now)
	testkit.Eventually(t, fmt.Sprintf("%d days compressed", n), func() bool {
		w.closer.mu.Lock()
		defer w.closer.mu.Unlock()
		return w.closer.made >= n
	}, func() string { return fmt.Sprintf("files %s, status %+v", dirNames(t, c.Dir), w.Status()) })
	return w
}

// dirNames is every name in dir.
func dirNames(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return strings.Join(names, " ")
}

// The tests of compression run one after the other, before the parallel
// tests of the package: generating and compressing days takes the
// machine's cores, which tests of the writer's timing share.
var (
	yesterday = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	today     = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
)

// TestAClosedDayIsCompressedAndReadTheSame: a writer started today
// compresses the files of yesterday and the day before, found plain (a
// process died before it did, or one from before compression wrote them),
// and not today's; the compressed file is private, and every reader (the
// days read, a Day, a replay of the file, LastLine) gives the same as from
// the plain ones.
func TestAClosedDayIsCompressedAndReadTheSame(t *testing.T) {
	c := testConfig(t, time.UTC)
	writeSimDay(t, c.Dir, yesterday.AddDate(0, 0, -1), time.Hour)
	plain := writeSimDay(t, c.Dir, yesterday, 2*time.Hour)
	wantLines, wantSt := readDays(t, c.Dir)
	wantYesterday, _ := readDaysOf(t, c.Dir, "2026-11-23", "2026-11-23")
	before := today.Add(-time.Hour) // today's lines are not yesterday's last
	wantLast, err := LastLine(c.Dir, before)
	if err != nil || wantLast.IsZero() {
		t.Fatalf("LastLine: %v, %v", wantLast, err)
	}

	w := compressing(t, c, today, 2)
	if got := dirNames(t, c.Dir); got != "2026-11-22.jsonl.zst 2026-11-23.jsonl.zst 2026-11-24.jsonl lock" {
		t.Errorf("files %s, want the closed days compressed and today's plain", got)
	}
	if st := w.Status(); st.Compression != "" {
		t.Errorf("status %+v", st)
	}
	mustClose(t, w, today.Add(time.Minute))
	zst := filepath.Join(c.Dir, "2026-11-23.jsonl.zst")
	fi, err := os.Stat(zst)
	if err != nil || fi.Mode().Perm() != 0o600 || fi.Size() > int64(len(plain))/5 {
		t.Fatalf("compressed file: %v, %v; want 0600 and less than a fifth of %d bytes", fi, err, len(plain))
	}

	gotLines, gotSt := readDays(t, c.Dir)
	sameLines(t, "the days read", gotLines[:len(wantLines)], wantLines)
	if gotSt.Skipped != wantSt.Skipped || gotSt.Damaged != 0 || gotSt.Files != 3 {
		t.Errorf("read %+v, want %+v and today's file", gotSt, wantSt)
	}
	if last, err := LastLine(c.Dir, before); err != nil || !last.Equal(wantLast) {
		t.Errorf("LastLine %v, %v; want %v", last, err, wantLast)
	}

	day, err := OpenDay(c.Dir, time.UTC, "2026-11-23")
	if err != nil || day.Path() != zst {
		t.Fatalf("OpenDay: %v, path %s", err, day.Path())
	}
	for _, c := range []struct {
		what string
		read func() (*Reader, error)
		want []string
	}{
		{"the Day read", day.Read, wantYesterday},
		{"the Day read chained", day.ReadChained, wantLines},
	} {
		r, err := c.read()
		if err != nil {
			t.Fatal(err)
		}
		var dayLines []string
		for m, err := r.Next(); err != io.EOF; m, err = r.Next() {
			if err != nil {
				t.Fatal(err)
			}
			dayLines = append(dayLines, string(record.Append(nil, m)))
		}
		r.Close()
		sameLines(t, c.what, dayLines, c.want)
	}

	// a replay of the file, known by its first bytes whatever its name
	data, err := os.ReadFile(zst)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{zst, "recording.jsonl"} {
		r := ReadFile(bytes.NewReader(data), name, time.UTC)
		var got []string
		for m, err := r.Next(); err != io.EOF; m, err = r.Next() {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, string(record.Append(nil, m)))
		}
		r.Close()
		sameLines(t, "ReadFile of "+name, got, wantYesterday)
	}
}

// TestTheDayClosedAtMidnightIsCompressed: the writer goes on into the next
// day's file at midnight; the day it closed is compressed, the new one is
// written on.
func TestTheDayClosedAtMidnightIsCompressed(t *testing.T) {
	c := testConfig(t, time.UTC)
	c.CompressClosed = true
	t0 := time.Date(2026, 11, 23, 23, 59, 0, 0, time.UTC)
	w := mustOpen(t, c, t0)
	var want []feed.Message
	for i := range 120 {
		m := feedtest.Login(t0.Add(time.Duration(i)*time.Second), i, i)
		w.Record(m)
		want = append(want, m)
	}
	testkit.Eventually(t, "the day before midnight compressed", func() bool {
		return dirNames(t, c.Dir) == "2026-11-23.jsonl.zst 2026-11-24.jsonl lock"
	}, func() string { return dirNames(t, c.Dir) })
	mustClose(t, w, t0.Add(2*time.Minute))
	got, st := replay(t, c.Dir, time.UTC, t0)
	checkMessages(t, got, want)
	if st.Files != 2 || st.Skipped != 0 {
		t.Errorf("replay %+v", st)
	}
}

// TestACrashAtEachStepLeavesTheDayWhole: whatever step of a compression a
// crash interrupted, the day is read whole, once, and the next start
// finishes the work: a torn temporary is removed; the compressed file and
// the plain one both there (a crash between the rename and the removal)
// are read as one, and the plain one removed; a compressed file that does
// not hold the plain file's lines is made again.
func TestACrashAtEachStepLeavesTheDayWhole(t *testing.T) {
	plain := simDay(yesterday, time.Hour)
	whole := zstdOf(t, plain)
	for _, c := range []struct {
		name  string
		files map[string][]byte
	}{
		{"a torn temporary", map[string][]byte{"2026-11-23.jsonl": plain, "2026-11-23.jsonl.zst.tmp": whole[:len(whole)/2]}},
		{"both files", map[string][]byte{"2026-11-23.jsonl": plain, "2026-11-23.jsonl.zst": whole}},
		{"a compressed file of other lines", map[string][]byte{"2026-11-23.jsonl": plain, "2026-11-23.jsonl.zst": zstdOf(t, plain[:len(plain)/2])}},
		{"the plain file removed", map[string][]byte{"2026-11-23.jsonl.zst": whole}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := testConfig(t, time.UTC)
			putFiles(t, cfg.Dir, c.files)
			want := strings.SplitAfter(strings.TrimSuffix(string(plain), "\n"), "\n")
			want = want[1 : len(want)-1] // the start and end lines are no messages
			got, st := readDays(t, cfg.Dir)
			sameLines(t, "before the start", got, want)
			if st.Files != 1 || st.Skipped != 0 {
				t.Errorf("read %+v", st)
			}

			made := 1
			if _, both := c.files["2026-11-23.jsonl"]; !both {
				made = 0
			}
			w := compressing(t, cfg, today, made)
			mustClose(t, w, today.Add(time.Second))
			if got := dirNames(t, cfg.Dir); got != "2026-11-23.jsonl.zst 2026-11-24.jsonl lock" {
				t.Errorf("files after the start: %s", got)
			}
			got, _ = readDays(t, cfg.Dir)
			sameLines(t, "after the start", got[:len(want)], want)
		})
	}
}

// TestACompressionStoppedLeavesThePlainFile: a writer closed while it
// compresses stops: the temporary is removed, the plain file kept, to be
// compressed at the next start.
func TestACompressionStoppedLeavesThePlainFile(t *testing.T) {
	c := testConfig(t, time.UTC)
	plain := writeSimDay(t, c.Dir, yesterday, time.Hour)
	d, err := openDir(c.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	cp := &compressor{d: d, dir: c.Dir, files: &sync.Mutex{}, stop: make(chan struct{})}
	close(cp.stop)
	if err := cp.compress("2026-11-23"); !errors.Is(err, errStopped) {
		t.Fatalf("compress: %v, want it stopped", err)
	}
	if got := dirNames(t, c.Dir); got != "2026-11-23.jsonl" {
		t.Errorf("files %s, want the plain one alone", got)
	}
	if data, err := os.ReadFile(filepath.Join(c.Dir, "2026-11-23.jsonl")); err != nil || !bytes.Equal(data, plain) {
		t.Errorf("the plain file changed: %v", err)
	}
}

// TestASymlinkIsNotCompressedThrough: a symbolic link planted at the
// compressed file's name, or at its temporary's, is refused, said in the
// writer's Status, and its target left as it was; the plain file stays,
// and is what is read.
func TestASymlinkIsNotCompressedThrough(t *testing.T) {
	for _, name := range []string{"2026-11-23.jsonl.zst", "2026-11-23.jsonl.zst.tmp"} {
		t.Run(name, func(t *testing.T) {
			c := testConfig(t, time.UTC)
			c.CompressClosed = true
			writeSimDay(t, c.Dir, yesterday, 10*time.Minute)
			want, _ := readDays(t, c.Dir)
			target := plant(t)
			if err := os.Symlink(target.path, filepath.Join(c.Dir, name)); err != nil {
				t.Fatal(err)
			}
			w := mustOpen(t, c, today)
			why := fmt.Sprintf("not compressing 2026-11-23.jsonl: refusing %s: a symbolic link", filepath.Join(c.Dir, name))
			testkit.Eventually(t, "the link refused", func() bool { return w.Status().Compression == why },
				func() string { return fmt.Sprintf("status %+v", w.Status()) })
			mustClose(t, w, today.Add(time.Second))
			target.untouched(t)
			if got := dirNames(t, c.Dir); got != "2026-11-23.jsonl "+name+" 2026-11-24.jsonl lock" {
				t.Errorf("files %s", got)
			}
			got, _ := readDays(t, c.Dir)
			sameLines(t, "the day read", got[:len(want)], want)
		})
	}
}

// TestRetentionRemovesBothForms: the days past retention go, compressed
// or plain, and both files of a day that has both.
func TestRetentionRemovesBothForms(t *testing.T) {
	c := testConfig(t, time.UTC)
	c.KeepDays = 3
	files := map[string][]byte{}
	for _, name := range []string{"2026-11-19.jsonl.zst", "2026-11-20.jsonl", "2026-11-21.jsonl", "2026-11-21.jsonl.zst", "2026-11-22.jsonl.zst", "2026-11-23.jsonl.zst"} {
		files[name] = zstdOf(t, []byte("x\n"))
	}
	putFiles(t, c.Dir, files)
	mustClose(t, mustOpen(t, c, today), today.Add(time.Second))
	if got := dirNames(t, c.Dir); got != "2026-11-22.jsonl.zst 2026-11-23.jsonl.zst 2026-11-24.jsonl lock" {
		t.Errorf("files %s", got)
	}
}

// TestADamagedCompressedFileIsSkippedAndSaid: a compressed day file that
// is corrupt, truncated, or asks the decoder for a window past its bound
// (a zip bomb's way) gives the lines before the damage, no panic; its
// rest is skipped and counted, the error names the file, and the next
// day's file is read. The restart says it as the journal's problem.
func TestADamagedCompressedFileIsSkippedAndSaid(t *testing.T) {
	plain := simDay(yesterday, time.Hour)
	whole := zstdOf(t, plain)
	corrupt := bytes.Clone(whole)
	for i := len(corrupt) / 2; i < len(corrupt)/2+64; i++ {
		corrupt[i] ^= 0x5a
	}
	var bomb bytes.Buffer // a window of 64 MB asked for
	enc, err := zstd.NewWriter(&bomb, zstd.WithWindowSize(64<<20), zstd.WithEncoderConcurrency(1))
	if err != nil {
		t.Fatal(err)
	}
	enc.Write(plain)
	enc.Close()
	for _, c := range []struct {
		name string
		data []byte
		why  string
	}{
		{"corrupt", corrupt, ""},
		{"truncated", whole[:len(whole)*2/3], "unexpected EOF"},
		{"window", bomb.Bytes(), "window size exceeded"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := testConfig(t, time.UTC)
			putFiles(t, cfg.Dir, map[string][]byte{"2026-11-23.jsonl.zst": c.data})
			dayFile(t, cfg.Dir, "2026-11-24", today, []feed.Message{feedtest.Login(today.Add(time.Second), 1, 1)})
			got, st := readDays(t, cfg.Dir)
			want := strings.Count(string(plain), "\n") - 2
			if st.Damaged != 1 || len(got) == 0 || len(got) >= want || st.Files != 2 {
				t.Errorf("read %d of %d messages, %+v; want some before the damage, the next day's, one damaged", len(got), want, st)
			}
			if last := got[len(got)-1]; !strings.Contains(last, `"cpt":1`) || !strings.HasPrefix(last, `{"t":"2026-11-24T09:00:01Z"`) {
				t.Errorf("the last message read is %s, want the next day's", last)
			}
			if msg := fmt.Sprint(st.Damage); !strings.HasPrefix(msg, "2026-11-23.jsonl.zst: compressed file damaged, the lines after the damage skipped: ") || !strings.Contains(msg, c.why) {
				t.Errorf("damage %q", msg)
			}

			k := OpenKeeper(KeeperConfig{Dir: cfg.Dir, Location: time.UTC, Now: func() time.Time { return today.Add(time.Minute) }})
			k.History(func(feed.Message) {})
			if h := k.Health(); !strings.HasPrefix(h.Problem, "replay: 2026-11-23.jsonl.zst: compressed file damaged") {
				t.Errorf("health %+v, want the damage said", h)
			}
		})
	}
}

// TestAClosedDayWrittenAgainIsDecompressedFirst: a writer whose day is
// one compressed already (its clock set back past a midnight) decompresses
// it and appends: the day is read once, its lines and the new ones.
func TestAClosedDayWrittenAgainIsDecompressedFirst(t *testing.T) {
	c := testConfig(t, time.UTC)
	putFiles(t, c.Dir, map[string][]byte{"2026-11-23.jsonl.zst": zstdOf(t, simDay(yesterday, time.Hour))})
	before, _ := readDays(t, c.Dir)
	again := yesterday.Add(2 * time.Hour)
	w := mustOpen(t, c, again)
	w.Record(feedtest.Login(again.Add(time.Second), 1, 1))
	mustClose(t, w, again.Add(time.Minute))
	if got := dirNames(t, c.Dir); got != "2026-11-23.jsonl lock" {
		t.Errorf("files %s, want the day plain again", got)
	}
	got, st := readDays(t, c.Dir)
	sameLines(t, "the day written again", got[:len(before)], before)
	if len(got) != len(before)+2 || st.Files != 1 { // the not-running status, the login
		t.Errorf("%d messages after the %d of before, %+v", len(got), len(before), st)
	}
}

// TestTheSizeOfACompressedDay: a day of the simulator's traffic (four
// hours of 40 agents; 282 bytes a line, as a busy center's journal),
// compressed as the writer compresses a closed day: at least 7.6 times
// smaller (a busy day's 757 MB in 100 MB at most). The figures go in
// the README's journal section.
func TestTheSizeOfACompressedDay(t *testing.T) {
	c := testConfig(t, time.UTC)
	plain := writeSimDay(t, c.Dir, yesterday, 4*time.Hour)
	mustClose(t, compressing(t, c, today, 1), today.Add(time.Second))
	fi, err := os.Stat(filepath.Join(c.Dir, "2026-11-23.jsonl.zst"))
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Count(plain, []byte{'\n'})
	ratio := float64(len(plain)) / float64(fi.Size())
	t.Logf("%d lines, %d bytes plain (%.0f a line), %d compressed: %.1f times smaller", lines, len(plain), float64(len(plain))/float64(lines), fi.Size(), ratio)
	if ratio < 757.0/100 {
		t.Errorf("compressed %.1f times: a busy day's 757 MB would take more than 100 MB", ratio)
	}
}

// TestTheKeeperCompressesAndSaysWhatItCannot: a process's journal (the
// keeper) compresses its closed days, and a day it cannot compress is its
// journal's problem, named.
func TestTheKeeperCompressesAndSaysWhatItCannot(t *testing.T) {
	dir := t.TempDir()
	writeSimDay(t, dir, yesterday, 10*time.Minute)
	writeSimDay(t, dir, yesterday.AddDate(0, 0, -1), 10*time.Minute)
	target := plant(t)
	if err := os.Symlink(target.path, filepath.Join(dir, "2026-11-22.jsonl.zst")); err != nil {
		t.Fatal(err)
	}
	k := OpenKeeper(KeeperConfig{Dir: dir, Location: time.UTC, Write: true, Now: func() time.Time { return today }})
	defer k.Close()
	why := fmt.Sprintf("not compressing 2026-11-22.jsonl: refusing %s: a symbolic link", filepath.Join(dir, "2026-11-22.jsonl.zst"))
	testkit.Eventually(t, "the day refused said, the other compressed", func() bool {
		return k.Health().Problem == why && strings.Contains(dirNames(t, dir), "2026-11-23.jsonl.zst")
	}, func() string { return fmt.Sprintf("health %+v, files %s", k.Health(), dirNames(t, dir)) })
	target.untouched(t)
}

// TestOnlyTheLocksHolderCompresses: a process that only reads the
// journal (a snapshot, a report) or finds it written by another leaves
// the closed days as they are; the holder of the lock compresses them.
func TestOnlyTheLocksHolderCompresses(t *testing.T) {
	c := testConfig(t, time.UTC)
	writeSimDay(t, c.Dir, yesterday, 10*time.Minute)
	holder := mustOpen(t, c, today) // writes, compresses nothing
	c.CompressClosed = true
	if w, err := Open(c, today); !errors.Is(err, ErrLocked) || w != nil {
		t.Fatalf("Open beside the holder: %v", err)
	}
	reader := OpenKeeper(KeeperConfig{Dir: c.Dir, Location: time.UTC, Now: func() time.Time { return today }})
	reader.History(func(feed.Message) {})
	reader.Close()
	if got := dirNames(t, c.Dir); got != "2026-11-23.jsonl 2026-11-24.jsonl lock" {
		t.Errorf("files %s, want the closed day left plain", got)
	}
	mustClose(t, holder, today.Add(time.Second))
	mustClose(t, compressing(t, c, today.Add(time.Minute), 1), today.Add(2*time.Minute))
	if got := dirNames(t, c.Dir); got != "2026-11-23.jsonl.zst 2026-11-24.jsonl lock" {
		t.Errorf("files %s, want the closed day compressed by the lock's holder", got)
	}
}
