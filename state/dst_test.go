package state

import (
	"testing"
	"time"
)

func TestStartOfDayOnDSTDays(t *testing.T) {
	for _, c := range []struct {
		zone      string
		day       [3]int // y, m, d
		wantClock string // the first instant of the day, on the local clock
	}{
		// America/Santiago: midnight does not exist when DST starts (the
		// clock goes from 23:59:59 to 01:00), and comes once when it ends.
		{"America/Santiago", [3]int{2026, 9, 6}, "01:00"},
		{"America/Santiago", [3]int{2026, 4, 5}, "00:00"},
		// Europe/Paris changes at 02:00 and 03:00: midnight is midnight,
		// the day is 23 or 25 hours long.
		{"Europe/Paris", [3]int{2026, 3, 29}, "00:00"},
		{"Europe/Paris", [3]int{2026, 10, 25}, "00:00"},
	} {
		loc, err := time.LoadLocation(c.zone)
		if err != nil {
			t.Skipf("no zone data: %v", err)
		}
		noon := time.Date(c.day[0], time.Month(c.day[1]), c.day[2], 12, 0, 0, 0, loc)
		start := startOfDay(noon, loc)
		y, m, d := start.Date()
		if y != c.day[0] || int(m) != c.day[1] || d != c.day[2] || start.Format("15:04") != c.wantClock {
			t.Errorf("%s %v: the day starts at %v, want %v %s", c.zone, c.day, start, c.day, c.wantClock)
		}
		if !sameDate(start, y, m, d) || sameDate(start.Add(-time.Second), y, m, d) {
			t.Errorf("%s %v: %v is not the first instant of the day", c.zone, c.day, start)
		}

		// A board running since the day before resets on that day, and
		// says so from the day's first instant.
		b := New(Options{Location: loc}, noon.Add(-24*time.Hour))
		b.Tick(noon)
		if d := b.Day(); !d.Since.Equal(start) || !d.FromMidnight {
			t.Errorf("%s %v: the counters count since %v (from midnight %v), want %v", c.zone, c.day, d.Since, d.FromMidnight, start)
		}
		b.Tick(noon.Add(time.Hour))
		if d := b.Day(); !d.Since.Equal(start) {
			t.Errorf("%s %v: the day reset again at 13:00: since %v", c.zone, c.day, d.Since)
		}
	}
}
