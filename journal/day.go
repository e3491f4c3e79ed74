package journal

import (
	"fmt"
	"time"

	"callboard/record"
	"callboard/state"
)

// JumpFollowed is how long, by the process's own clock, a jump of the
// machine's clock must last before the writer follows it to another day's
// file.
const JumpFollowed = time.Minute

// dayRule is how the writer chooses the day file of a line: by the line's
// calendar date, but only for lines that make sense. The writer's own
// clock (elapsed: monotonic, which nobody sets) says how much time passed
// between two lines; a line dated more than record.TimeJump further on than
// that is a jump of the machine's clock: it is named (note), and it goes
// to the current file, flagged (record.ClockAhead), until the jump has
// lasted JumpFollowed with no line back to the time before it (a clock
// put right for good: then it is followed, which the writer says with a
// record.ClockFollowed line before the first line it follows). A reader
// keeps the flagged lines of a jump followed and skips the others. A real
// midnight, a quiet night, and a line that arrives late all make sense:
// the lines' time moves as the process's own clock does, or less.
type dayRule struct {
	elapsed   func() time.Duration
	loc       *time.Location
	base      time.Time     // when elapsed was 0, as the lines that make sense date it
	candidate time.Time     // the same, as a jump dates it; zero when none waits
	since     time.Duration // elapsed when the jump waiting was seen
	jump      string        // the jump waiting, said: "clock jumped ahead by 73 years at …"
	lines     int           // of the jump waiting
	note      string        // the last jump, for Status
}

// newDayRule starts a rule at now, on elapsed (nil: the process's
// monotonic clock from now on).
func newDayRule(elapsed func() time.Duration, loc *time.Location, now time.Time) *dayRule {
	if elapsed == nil {
		began := time.Now()
		elapsed = func() time.Duration { return time.Since(began) }
	}
	d := &dayRule{elapsed: elapsed, loc: loc}
	d.base = now.Add(-d.elapsed())
	return d
}

// sensible says whether a line dated t, recorded now, may choose its day
// file, and whether it is the first followed of a jump that lasted; a
// jump it makes is named in note.
func (d *dayRule) sensible(t time.Time) (ok, followed bool) {
	e := d.elapsed()
	at := t.Add(-e)
	ahead := at.Sub(d.base)
	if ahead <= record.TimeJump { // late lines date it before: never ahead
		if at.After(d.base) {
			d.base = at
		}
		if !d.candidate.IsZero() {
			d.candidate = time.Time{}
			d.note = fmt.Sprintf("%s for %d %s: not followed", d.jump, d.lines, plural(d.lines, "line", "lines"))
		}
		return true, false
	}
	now := d.base.Add(e) // as the lines that make sense say
	if d.candidate.IsZero() || absDuration(at.Sub(d.candidate)) > record.TimeJump {
		d.candidate, d.since, d.lines = at, e, 1
		d.jump = fmt.Sprintf("clock jumped ahead by %s at %s", aboutDuration(ahead), now.In(d.loc).Format(time.DateTime))
		d.note = fmt.Sprintf("%s (a line dated %s): lines stay in the day's file until it lasts %s", d.jump, t.In(d.loc).Format(time.DateTime), aboutDuration(JumpFollowed))
		return false, false
	}
	d.lines++
	if e-d.since < JumpFollowed {
		return false, false
	}
	d.base, d.candidate = at, time.Time{}
	d.note = fmt.Sprintf("%s and stayed: followed since %s", d.jump, t.In(d.loc).Format(time.DateTime))
	return true, true
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// aboutDuration is d for a person: "73 years", "3 days", else h:mm:ss as
// the board writes every duration ("2:00:00").
func aboutDuration(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d >= 2*365*day:
		return fmt.Sprintf("%d years", d/(365*day))
	case d >= 2*day:
		return fmt.Sprintf("%d days", d/day)
	}
	return state.Clock(d.Round(time.Second))
}

// dayStart is the first instant of the calendar day y-m-d in loc:
// midnight, or where the clocks skip midnight (Santiago, when DST begins:
// from 23:59:59 to 01:00), the first instant that is on that day, which
// time.Date does not give.
func dayStart(y int, m time.Month, d int, loc *time.Location) time.Time {
	y, m, d = time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Date() // d+1 at a month's end
	start := time.Date(y, m, d, 0, 0, 0, 0, loc)
	for range 24 * 60 {
		if sy, sm, sd := start.In(loc).Date(); sy == y && sm == m && sd == d {
			break
		}
		start = start.Add(time.Minute) // zone changes fall on whole minutes
	}
	return start
}
