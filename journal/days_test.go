package journal

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
)

// TestADayIsReadAloneChainedAndFollowed: a report's Day reads its file
// alone, or after the day before; the next day's file, when the journal
// has it, is read on from the same day before; a day without a file is
// said.
func TestADayIsReadAloneChainedAndFollowed(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "acct")
	for i, day := range []string{"2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"} {
		start, _ := DayBounds(day, time.UTC)
		dayFile(t, dir, day, start.Add(9*time.Hour), []feed.Message{feedtest.Login(start.Add(10*time.Hour), i+1, i+1)})
	}
	updates := func(r *Reader, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var got []string
		for {
			m, err := r.Next()
			if err == io.EOF {
				return strings.Join(got, " ")
			}
			if err != nil {
				t.Fatal(err)
			}
			if ev, ok := m.(*feed.Event); ok {
				got = append(got, ev.Received.Format("02"))
			}
		}
	}

	if _, err := OpenDay(dir, time.UTC, "2026-11-22"); err == nil || err.Error() != fmt.Sprintf("no journal for 2026-11-22 in %s", dir) {
		t.Errorf("a day without a file: %v", err)
	}
	d, err := OpenDay(dir, time.UTC, "2026-11-24")
	if err != nil {
		t.Fatal(err)
	}
	if d.Path() != filepath.Join(dir, "2026-11-24.jsonl") || d.Date() != "2026-11-24" || d.Dir() != dir {
		t.Errorf("the day: %s, %s in %s", d.Path(), d.Date(), d.Dir())
	}
	if got := updates(d.Read()); got != "24" {
		t.Errorf("alone: the updates of %s, want 24", got)
	}
	if got := updates(d.ReadChained()); got != "23 24" {
		t.Errorf("chained: the updates of %s, want 23 24", got)
	}
	next, err := d.Next()
	if err != nil || next == nil || next.Date() != "2026-11-25" {
		t.Fatalf("the next day: %v, %v", next, err)
	}
	if got := updates(next.ReadChained()); got != "23 24 25" {
		t.Errorf("followed into the next day: the updates of %s, want 23 24 25", got)
	}
	last, err := OpenDay(dir, time.UTC, "2026-11-26")
	if err != nil {
		t.Fatal(err)
	}
	if next, err := last.Next(); next != nil || err != nil {
		t.Errorf("the day after the last: %v, %v; want none", next, err)
	}
}

// TestNothingIsRemovedWhenNoDaysAreSaid: a writer told no days to keep
// removes no day file (config.DefaultKeepDays is the application's).
func TestNothingIsRemovedWhenNoDaysAreSaid(t *testing.T) {
	t.Parallel()
	c := testConfig(t, time.UTC)
	dayFile(t, c.Dir, "2020-01-01", time.Date(2020, 1, 1, 9, 0, 0, 0, time.UTC), nil)
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	mustClose(t, mustOpen(t, c, t0), t0.Add(time.Second))
	if got := dayNames(t, c.Dir); got != "2020-01-01.jsonl 2026-11-24.jsonl" {
		t.Errorf("day files %s, want the old one kept", got)
	}
}
