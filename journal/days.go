package journal

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	"callboard/state"
)

// Day is one day file of a journal, read as a report reads it: alone,
// where the day starts (Read), or as the board had it, after the day
// before when the journal keeps it (ReadChained), and followed into the
// next day's file (Next).
type Day struct {
	dir  string
	loc  *time.Location
	date string // YYYY-MM-DD, in loc
	from string // the first day ReadChained reads
}

// OpenDay is dir's day of date (YYYY-MM-DD), its days in loc (the
// writer's zone; nil = time.Local), or an error when the journal has no
// file for it.
func OpenDay(dir string, loc *time.Location, date string) (*Day, error) {
	t, err := time.Parse(dayLayout, date)
	if err != nil {
		return nil, fmt.Errorf("day %q: want YYYY-MM-DD", date)
	}
	if loc == nil {
		loc = time.Local
	}
	d := &Day{dir: dir, loc: loc, date: date, from: t.AddDate(0, 0, -1).Format(dayLayout)}
	if _, err := dayPath(dir, date); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no journal for %s in %s", date, dir)
	} else if err != nil {
		return nil, err
	}
	return d, nil
}

// Date is d's date, YYYY-MM-DD.
func (d *Day) Date() string { return d.date }

// Dir is the journal directory d is in.
func (d *Day) Dir() string { return d.dir }

// Path is d's file, plain or compressed (the plain one when it has no
// file now).
func (d *Day) Path() string {
	if path, err := dayPath(d.dir, d.date); err == nil {
		return path
	}
	return filepath.Join(d.dir, plainName(d.date))
}

// Read reads d's file alone: its Start is where the day's file starts.
func (d *Day) Read() (*Reader, error) { return OpenDays(d.dir, d.loc, d.date, d.date) }

// ReadChained reads the journal up to d's end from the start of the day
// before d was opened for, when the journal keeps it: state that crossed
// midnight comes right, and the counters roll into the day at its
// midnight, as on the board.
func (d *Day) ReadChained() (*Reader, error) { return OpenDays(d.dir, d.loc, d.from, d.date) }

// ReadChainedFromCheckpoint is ReadChained from the newest valid
// checkpoint of the days it reads (under opts) that covers nothing from
// bound on (none when zero): the lines after it, and the checkpoint (nil
// when there is none: the reader reads them all). Ignored counts the
// checkpoints found but refused (torn, corrupt, foreign, a link).
func (d *Day) ReadChainedFromCheckpoint(opts state.Options, bound time.Time) (r *Reader, ck *Checkpoint, ignored int, err error) {
	if ck, ignored = newestCheckpoint(d.dir, d.from, d.date, opts, bound); ck == nil {
		r, err = d.ReadChained()
		return r, nil, ignored, err
	}
	r, err = openDaysAfter(d.dir, d.loc, ck, d.date)
	return r, ck, ignored, err
}

// Next is the day after d, when the journal has its file (nil when not).
// Its ReadChained reads from where d's does, on into it: the board of d's
// day, going on.
func (d *Day) Next() (*Day, error) {
	t, err := time.Parse(dayLayout, d.date)
	if err != nil {
		return nil, err
	}
	next := &Day{dir: d.dir, loc: d.loc, date: t.AddDate(0, 0, 1).Format(dayLayout), from: d.from}
	if _, err := dayPath(next.dir, next.date); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return next, nil
}
