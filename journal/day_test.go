package journal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/record"
)

// processClock is a writer's own clock in a test: the time elapsed since
// Open, where the test puts it.
type processClock struct{ d time.Duration }

func (c *processClock) elapsed() time.Duration { return c.d }

// writeDay opens a writer at lines[0]'s time and records lines, its own
// clock moving by steps[i] before line i (by the lines' own time when
// steps is nil), then closes it after the last.
func writeDay(t *testing.T, c Config, lines []feed.Message, steps []time.Duration) *Writer {
	t.Helper()
	clock := &processClock{}
	c.Elapsed = clock.elapsed
	t0 := feed.MessageTime(lines[0])
	w := mustOpen(t, c, t0)
	for i, m := range lines {
		if steps == nil {
			clock.d = feed.MessageTime(m).Sub(t0)
		} else {
			clock.d += steps[i]
		}
		w.Record(m)
	}
	mustClose(t, w, t0.Add(clock.d))
	return w
}

func dayNames(t *testing.T, dir string) string {
	t.Helper()
	names, err := dayFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(names, " ")
}

// TestAWildTimeDoesNotChooseTheDayFile: a message dated in 2099, or
// tomorrow 03:00, among today's (the process's own clock moving a second a
// line) opens no file of its day; the writer's Status names the jump, not
// followed; the
// day, replayed, holds today's lines and not the wild one.
func TestAWildTimeDoesNotChooseTheDayFile(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 24, 14, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name, jump string
		wild       time.Time
	}{
		{"2099", "clock jumped ahead by 73 years at 2026-11-24 14:00:05", time.Date(2099, 11, 24, 14, 0, 5, 0, time.UTC)},
		{"tomorrow 03:00", "clock jumped ahead by 13:00:00 at 2026-11-24 14:00:05", time.Date(2026, 11, 25, 3, 0, 5, 0, time.UTC)},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			cfg := testConfig(t, time.UTC)
			var lines, want []feed.Message
			var steps []time.Duration
			for i := range 10 {
				at := t0.Add(time.Duration(i) * time.Second)
				if i == 5 {
					lines, steps = append(lines, feedtest.Login(c.wild, 100, 100)), append(steps, time.Second)
				}
				lines, steps = append(lines, feedtest.Login(at, i, i)), append(steps, time.Second)
				want = append(want, feedtest.Login(at, i, i))
			}
			steps[0] = 0
			w := writeDay(t, cfg, lines, steps)
			if got := dayNames(t, cfg.Dir); got != "2026-11-24.jsonl" {
				t.Errorf("day files: %s, want today's alone", got)
			}
			if st := w.Status(); st.Clock != c.jump+" for 1 line: not followed" || filepath.Base(st.Path) != "2026-11-24.jsonl" {
				t.Errorf("status %+v, want the clock's jump named (%q, not followed) and today's file", st, c.jump)
			}
			got, st := replay(t, cfg.Dir, time.UTC, t0)
			checkMessages(t, got, want)
			if st.Skipped != 1 || st.Misdated != 1 {
				t.Errorf("replay stats %+v, want the wild line skipped as misdated", st)
			}
		})
	}
}

// TestAClockPutRightIsFollowed: a jump ahead that lasts JumpFollowed by
// the process's own clock is a clock put right: the lines go to their
// day's file from then on, and Status says it was followed.
func TestAClockPutRightIsFollowed(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t, time.UTC)
	t0 := time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC)
	var lines []feed.Message
	var steps []time.Duration
	for i := range 200 { // a line every second; the clock jumps 3 h ahead at the 10th
		at := t0.Add(time.Duration(i) * time.Second)
		if i >= 10 {
			at = at.Add(3 * time.Hour)
		}
		lines, steps = append(lines, feedtest.Login(at, i, i)), append(steps, time.Second)
	}
	steps[0] = 0
	w := writeDay(t, cfg, lines, steps)
	if got := dayNames(t, cfg.Dir); got != "2026-11-24.jsonl 2026-11-25.jsonl" {
		t.Errorf("day files: %s, want today's and tomorrow's", got)
	}
	if st := w.Status(); !strings.Contains(st.Clock, "clock jumped ahead by 3:00:00 at 2026-11-24 22:00:10 and stayed: followed since 2026-11-25 01:01:10") {
		t.Errorf("status %+v, want the jump named as followed", st)
	}
	got, st := replay(t, cfg.Dir, time.UTC, t0)
	// the jump's first minute stayed in the day before: misdated there
	if len(got) != 200-60 || st.Misdated != 60 {
		t.Errorf("replayed %d lines, %d misdated; want 140 and the 60 of the jump's first minute", len(got), st.Misdated)
	}
}

// jumpDay writes a day of a line a second by the process's own clock, from
// 08:00: before lines, then jumped lines dated 5 h ahead, then after lines
// back at the time before the jump (none: the day ends there), and checks
// the writer's Status names the jump as clock says. It returns the lines
// that make sense and the jumped ones.
func jumpDay(t *testing.T, cfg Config, before, jumped, after int, clock string) (normal, ahead []feed.Message) {
	t.Helper()
	t0 := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	var lines []feed.Message
	var steps []time.Duration
	for i := range before + jumped + after {
		at := t0.Add(time.Duration(i) * time.Second)
		m := feedtest.Login(at, i, i)
		if i >= before && i < before+jumped {
			m = feedtest.Login(at.Add(5*time.Hour), i, i)
			ahead = append(ahead, m)
		} else {
			normal = append(normal, m)
		}
		lines, steps = append(lines, m), append(steps, time.Second)
	}
	steps[0] = 0
	if st := writeDay(t, cfg, lines, steps).Status(); !strings.Contains(st.Clock, clock) {
		t.Errorf("status %+v, want the jump named: %q", st, clock)
	}
	return normal, ahead
}

// checkJumpReplay replays cfg's journal from the first of want: want, and
// misdated lines skipped, none else.
func checkJumpReplay(t *testing.T, cfg Config, want []feed.Message, misdated int) {
	t.Helper()
	got, st := replay(t, cfg.Dir, time.UTC, feed.MessageTime(want[0]))
	checkMessages(t, got, want)
	if st.Skipped != misdated || st.Misdated != misdated {
		t.Errorf("replay stats %+v, want %d lines skipped, as misdated", st, misdated)
	}
}

// TestABriefJumpIsNotReplayed: 20 updates dated 5 h ahead, among today's,
// while the process's own clock moves 20 s (less than JumpFollowed): the
// writer flags them, and the replay, though more than HoldLines of them
// go on from one another, has none of them and counts them misdated.
func TestABriefJumpIsNotReplayed(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t, time.UTC)
	normal, _ := jumpDay(t, cfg, 10, 20, 10, "for 20 lines: not followed")
	checkJumpReplay(t, cfg, normal, 20)
}

// TestAJumpThatLastsIsReplayed: the same jump lasting past JumpFollowed
// is followed: every line, those written before the writer followed it
// included, is replayed, in order, none misdated.
func TestAJumpThatLastsIsReplayed(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t, time.UTC)
	normal, ahead := jumpDay(t, cfg, 10, 90, 0, "and stayed: followed")
	checkJumpReplay(t, cfg, append(normal, ahead...), 0)
}

// TestAFileEndingInAJumpSkipsIt: a day file that ends (the process
// killed, no end line) while a jump waits to be followed: its flagged
// lines are skipped, counted misdated, though nothing came back after
// them.
func TestAFileEndingInAJumpSkipsIt(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t, time.UTC)
	normal, _ := jumpDay(t, cfg, 10, 20, 0, "(a line dated 2026-11-24 13:00:10): lines stay in the day's file")
	path := filepath.Join(cfg.Dir, "2026-11-24"+dayExt)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(string(data), "\n"), "\n")
	if last := lines[len(lines)-1]; !strings.Contains(last, `"kind":"end"`) {
		t.Fatalf("last line %q, want the end line", last)
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines[:len(lines)-1], "")), 0o600); err != nil {
		t.Fatal(err)
	}
	checkJumpReplay(t, cfg, normal, 20)
}

// TestMidnightRollsOnDSTDays: through days of 23 and 25 hours, one whose
// midnight does not exist (Santiago), and a month's last, a line every ten minutes goes
// to its own day's file, each file starting at its midnight; replayed,
// every line comes back and none is misdated.
func TestMidnightRollsOnDSTDays(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		zone  string
		day   [3]int
		files string
	}{
		{"Europe/Paris", [3]int{2026, 3, 29}, "2026-03-28.jsonl 2026-03-29.jsonl 2026-03-30.jsonl"},
		{"Europe/Paris", [3]int{2026, 10, 25}, "2026-10-24.jsonl 2026-10-25.jsonl 2026-10-26.jsonl"},
		{"America/Santiago", [3]int{2026, 9, 6}, "2026-09-05.jsonl 2026-09-06.jsonl 2026-09-07.jsonl"},
		{"America/Santiago", [3]int{2026, 4, 5}, "2026-04-04.jsonl 2026-04-05.jsonl 2026-04-06.jsonl"},
		{"UTC", [3]int{2026, 11, 30}, "2026-11-29.jsonl 2026-11-30.jsonl 2026-12-01.jsonl"},
	} {
		t.Run(c.zone+" "+c.files[17:27], func(t *testing.T) {
			t.Parallel()
			loc, err := time.LoadLocation(c.zone)
			if err != nil {
				t.Skipf("no zone data: %v", err)
			}
			cfg := testConfig(t, loc)
			from, to := DayBounds(c.files[17:27], loc)
			if h := to.Sub(from); h < 23*time.Hour || h > 25*time.Hour || from.In(loc).Day() != c.day[2] || from.Add(-time.Second).In(loc).Day() == c.day[2] {
				t.Fatalf("DayBounds: %v to %v", from, to)
			}
			var lines []feed.Message
			for at := from.Add(-time.Hour); at.Before(to.Add(time.Hour)); at = at.Add(10 * time.Minute) {
				lines = append(lines, feedtest.Login(at, len(lines), len(lines)))
			}
			writeDay(t, cfg, lines, nil)
			if got := dayNames(t, cfg.Dir); got != c.files {
				t.Errorf("day files %s, want %s", got, c.files)
			}
			got, st := replay(t, cfg.Dir, loc, from.Add(-time.Hour))
			checkMessages(t, got, lines)
			if st.Skipped != 0 || st.Files != 3 {
				t.Errorf("replay stats %+v", st)
			}
			data, err := os.ReadFile(filepath.Join(cfg.Dir, c.files[17:27]+dayExt))
			if err != nil {
				t.Fatal(err)
			}
			r := record.NewReader(strings.NewReader(string(data)), false)
			if _, err := r.Next(); err != nil || !r.Start.Equal(from) {
				t.Errorf("the day's file starts at %v (%v), want its midnight %v", r.Start, err, from)
			}
		})
	}
}

// dayFile writes lines as a day file of dir, after a start line at start.
func dayFile(t *testing.T, dir, day string, start time.Time, lines []feed.Message) {
	t.Helper()
	data := record.AppendMark(nil, record.MarkStart, start)
	for _, m := range lines {
		data = record.Append(data, m)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, day+dayExt), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestMisdatedLinesAreSkipped: in a day file, a line dated in 2099,
// tomorrow 03:00, yesterday, hours back, or later the same day than the
// lines after it (alone or a few in a row) is skipped and counted as
// misdated; a quiet spell, or a clock put back that stays back, is not.
func TestMisdatedLinesAreSkipped(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, paris)
	day := func(n int, gap time.Duration) []feed.Message {
		var out []feed.Message
		for i := range n {
			out = append(out, feedtest.Login(t0.Add(time.Duration(i)*time.Second+time.Duration(i/(n/2))*gap), i, i))
		}
		return out
	}
	wild := func(at ...time.Time) []feed.Message {
		var out []feed.Message
		for i, t := range at {
			out = append(out, feedtest.Login(t, 1000+i, 1000+i))
		}
		return out
	}
	for _, c := range []struct {
		name     string
		lines    []feed.Message
		wild     []feed.Message
		misdated int
	}{
		{"2099", day(40, 0), wild(time.Date(2099, 1, 1, 0, 0, 0, 0, paris)), 1},
		{"tomorrow 03:00", day(40, 0), wild(time.Date(2026, 11, 25, 3, 0, 0, 0, paris)), 1},
		{"yesterday", day(40, 0), wild(t0.AddDate(0, 0, -1)), 1},
		{"hours back", day(40, 0), wild(t0.Add(-3 * time.Hour)), 1},
		{"hours back, a few", day(40, 0), wild(t0.Add(-3*time.Hour), t0.Add(-3*time.Hour+time.Second), t0.Add(-3*time.Hour+2*time.Second)), 3},
		{"later today", day(40, 0), wild(t0.Add(14 * time.Hour)), 1},
		{"later today, a few", day(40, 0), wild(t0.Add(14*time.Hour), t0.Add(14*time.Hour+time.Second), t0.Add(14*time.Hour+2*time.Second)), 3},
		{"a quiet spell", day(40, 4*time.Hour), nil, 0},
		{"a clock put back for good", day(40, -20*time.Minute), nil, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			mid := len(c.lines) / 2
			file := append(append(append([]feed.Message{}, c.lines[:mid]...), c.wild...), c.lines[mid:]...)
			dayFile(t, dir, "2026-11-24", t0, file)
			got, st := replay(t, dir, paris, t0)
			checkMessages(t, got, c.lines)
			if st.Skipped != c.misdated || st.Misdated != c.misdated {
				t.Errorf("stats %+v, want %d misdated", st, c.misdated)
			}
		})
	}
}

// TestADayFileReadWithoutItsZone: a day file read without the writer's
// zone keeps what is on its day anywhere on Earth (00:30 and 23:30 in
// Paris, a day that is not UTC's), and skips what is on no such day.
func TestADayFileReadWithoutItsZone(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 24, 0, 30, 0, 0, paris)
	day := []feed.Message{feedtest.Login(t0, 1, 1), feedtest.Login(t0.Add(23*time.Hour), 2, 2)}
	data := record.AppendMark(nil, record.MarkStart, t0)
	data = record.Append(data, day[0])
	data = record.Append(data, feedtest.Login(time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), 3, 3))
	data = record.Append(data, day[1])
	r := ReadFile(strings.NewReader(string(data)), "/some/where/2026-11-24.jsonl", nil)
	var got []feed.Message
	for m, err := r.Next(); err == nil; m, err = r.Next() {
		got = append(got, m)
	}
	checkMessages(t, got, day)
	if r.Misdated() != 1 {
		t.Errorf("%d misdated, want 1", r.Misdated())
	}
}

// TestADayFileWithoutStartIsPassed: a day file whose start line is torn
// (a process killed at once) does not stop the replay of the next ones.
func TestADayFileWithoutStartIsPassed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	if err := os.WriteFile(filepath.Join(dir, "2026-11-23"+dayExt), []byte(`{"t":"2026-11-23T09:`), 0o600); err != nil {
		t.Fatal(err)
	}
	dayFile(t, dir, "2026-11-24", t0, []feed.Message{feedtest.Login(t0, 1, 1)})
	got, st := replay(t, dir, time.UTC, t0.AddDate(0, 0, -1))
	checkMessages(t, got, []feed.Message{feedtest.Login(t0, 1, 1)})
	if st.Files != 2 || st.Skipped != 1 {
		t.Errorf("stats %+v, want 2 files read and the torn line skipped", st)
	}
}

// TestDayRule: a quiet night and a late line make sense; a jump ahead of
// the process's own clock is named while it waits, then said not followed
// when a line comes back, or followed once it has lasted JumpFollowed.
func TestDayRule(t *testing.T) {
	t.Parallel()
	clock := &processClock{}
	t0 := time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)
	d := newDayRule(clock.elapsed, time.UTC, t0)
	step := func(elapsed time.Duration, line time.Time, want bool, note string) {
		t.Helper()
		clock.d = elapsed
		if got, _ := d.sensible(line); got != want || d.note != note {
			t.Errorf("at %v, a line dated %v: %v, %q; want %v, %q", elapsed, line, got, d.note, want, note)
		}
	}
	step(12*time.Hour, t0.Add(12*time.Hour), true, "")             // a quiet night
	step(12*time.Hour+time.Minute, t0.Add(11*time.Hour), true, "") // a line an hour late
	const jumped = "clock jumped ahead by 2:00:00 at 2026-11-25 08:02:00"
	step(12*time.Hour+2*time.Minute, t0.Add(14*time.Hour+2*time.Minute), false, jumped+" (a line dated 2026-11-25 10:02:00): lines stay in the day's file until it lasts 0:01:00")
	step(12*time.Hour+2*time.Minute+time.Second, t0.Add(14*time.Hour+2*time.Minute+time.Second), false, jumped+" (a line dated 2026-11-25 10:02:00): lines stay in the day's file until it lasts 0:01:00")
	step(12*time.Hour+3*time.Minute, t0.Add(12*time.Hour+3*time.Minute), true, jumped+" for 2 lines: not followed")
	const again = "clock jumped ahead by 2:00:00 at 2026-11-25 08:04:00"
	step(12*time.Hour+4*time.Minute, t0.Add(14*time.Hour+4*time.Minute), false, again+" (a line dated 2026-11-25 10:04:00): lines stay in the day's file until it lasts 0:01:00")
	step(12*time.Hour+5*time.Minute, t0.Add(14*time.Hour+5*time.Minute), true, again+" and stayed: followed since 2026-11-25 10:05:00")
	step(12*time.Hour+6*time.Minute, t0.Add(14*time.Hour+6*time.Minute), true, again+" and stayed: followed since 2026-11-25 10:05:00")
}
