package journal

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"callboard/feed"
	"callboard/record"
)

// ReplayStats says what a Replay read.
type ReplayStats struct {
	Files    int       // day files read
	Messages int       // messages given to fn
	Skipped  int       // lines skipped: torn, corrupt or misdated
	Misdated int       // of Skipped, those skipped for their time (see Reader)
	Last     time.Time // of the last message
}

// Replay streams dir's journal from from's day (in loc; nil = time.Local)
// on, oldest first, calling fn for each message, as a Reader gives them.
// A missing directory, or one without day files, is an empty journal. A
// writer may be appending meanwhile: its last line, half written, counts
// as torn.
func Replay(dir string, loc *time.Location, from time.Time, fn func(feed.Message)) (ReplayStats, error) {
	if loc == nil {
		loc = time.Local
	}
	r, err := OpenDays(dir, loc, from.In(loc).Format(dayLayout), "")
	if err != nil {
		return ReplayStats{}, err
	}
	return replayReader(r, fn)
}

// ReplayAfter is Replay of the lines after those checkpoint ck covers.
func ReplayAfter(dir string, loc *time.Location, ck *Checkpoint, fn func(feed.Message)) (ReplayStats, error) {
	r, err := OpenDaysAfter(dir, loc, ck)
	if err != nil {
		return ReplayStats{}, err
	}
	return replayReader(r, fn)
}

// replayReader streams r to fn, as Replay says.
func replayReader(r *Reader, fn func(feed.Message)) (ReplayStats, error) {
	var st ReplayStats
	defer r.Close()
	for {
		m, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil && r.err == nil && r.Start().IsZero() {
			break // not one start line: nothing to replay
		}
		if err != nil {
			st.Files, st.Skipped, st.Misdated = r.files, r.Skipped(), r.Misdated()
			return st, err
		}
		st.Messages++
		st.Last = feed.MessageTime(m)
		fn(m)
	}
	st.Files, st.Skipped, st.Misdated = r.files, r.Skipped(), r.Misdated()
	return st, nil
}

// Reader reads a journal's day files one after the other, a message at a
// time, as a lenient record.Reader: torn and corrupt lines skipped
// and counted, and where a process started again, a Disconnected status
// with reason feed.ReasonNotRunning dated at the last line before. Each
// file holds its day only: a line dated outside its file's calendar day
// (in the writer's zone), running backwards, or ahead of the lines after
// it, is skipped and counted as misdated (the rule of
// record.Reader), so that a wild time never rolls the day of the
// board it is read into. It is the one reader of day files: the restart
// (Replay), `report` and `replay` of a day file all read through it.
type Reader struct {
	dir   string
	loc   *time.Location
	names []string
	f     io.Closer
	r     *record.Reader
	files int
	err   error // the first error met reading a file
	// after is the checkpoint whose lines the first file's reading skips
	// (OpenDaysAfter), nil once they are.
	after *Checkpoint
}

// OpenDays reads dir's day files from day first to day last (YYYY-MM-DD,
// both included; "" for no bound), their days in loc (nil = time.Local).
// A missing directory is an empty journal.
func OpenDays(dir string, loc *time.Location, first, last string) (*Reader, error) {
	if loc == nil {
		loc = time.Local
	}
	names, err := dayFiles(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var kept []string
	for _, name := range names {
		day := name[:len(dayLayout)]
		if (first == "" || day >= first) && (last == "" || day <= last) {
			kept = append(kept, name)
		}
	}
	return &Reader{dir: dir, loc: loc, names: kept}, nil
}

// OpenDaysAfter reads dir's day files after the lines checkpoint ck
// covers: from its day file, at its offset, on; the time rule goes on from
// its newest line.
func OpenDaysAfter(dir string, loc *time.Location, ck *Checkpoint) (*Reader, error) {
	return openDaysAfter(dir, loc, ck, "")
}

// openDaysAfter is OpenDaysAfter up to the day file of last (YYYY-MM-DD;
// "" for no bound).
func openDaysAfter(dir string, loc *time.Location, ck *Checkpoint, last string) (*Reader, error) {
	r, err := OpenDays(dir, loc, ck.Day, last)
	if err != nil {
		return nil, err
	}
	if len(r.names) == 0 || r.names[0] != ck.Day+dayExt {
		return nil, fmt.Errorf("journal: the day file of checkpoint %s is gone", ck.Day)
	}
	r.after = ck
	return r, nil
}

// ReadFile reads one file, named name, as a Reader does: a journal's day
// file when name is one (YYYY-MM-DD.jsonl, its day in loc, the writer's
// zone; nil when unknown: the day as it is somewhere on Earth, from its
// first midnight, at UTC+14, to its last, at UTC-12), else a recording,
// with the time rule but no day bounds.
func ReadFile(rd io.Reader, name string, loc *time.Location) *Reader {
	r := &Reader{loc: loc, r: record.NewReader(rd, true), files: 1}
	if name = filepath.Base(name); isDayFile(name) {
		day := strings.TrimSuffix(name, dayExt)
		if loc != nil {
			r.r.Day(DayBounds(day, loc))
		} else {
			from, _ := DayBounds(day, time.FixedZone("UTC+14", 14*3600))
			_, to := DayBounds(day, time.FixedZone("UTC-12", -12*3600))
			r.r.Day(from, to)
		}
	}
	return r
}

// DayBounds is the calendar day day (YYYY-MM-DD) in loc: from its midnight
// to the next, 23 or 25 hours apart on the days clocks change. A day that
// does not parse is zero times.
func DayBounds(day string, loc *time.Location) (from, to time.Time) {
	t, err := time.Parse(dayLayout, day)
	if err != nil {
		return time.Time{}, time.Time{}
	}
	y, m, d := t.Date()
	return dayStart(y, m, d, loc), dayStart(y, m, d+1, loc)
}

// Next returns the next message, or io.EOF after the last.
func (r *Reader) Next() (feed.Message, error) {
	for {
		if r.r != nil {
			m, err := r.r.Next()
			// a file without a start line (torn) is skipped: the next may have one
			if err != io.EOF && !errors.Is(err, record.ErrNoStartLine) || len(r.names) == 0 {
				return m, err
			}
		}
		if len(r.names) == 0 {
			return nil, io.EOF
		}
		if err := r.open(); err != nil {
			r.err = err
			return nil, err
		}
	}
}

// open opens the next day file, skipping those removed since listed and
// those that are not regular files (links are not followed).
func (r *Reader) open() error {
	for len(r.names) > 0 {
		name := r.names[0]
		r.names = r.names[1:]
		path := filepath.Join(r.dir, name)
		f, err := os.OpenFile(path, os.O_RDONLY|noFollow, 0)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if fi, lerr := os.Lstat(path); err != nil && lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			continue // planted: a journal's day file is never a link
		}
		if err != nil {
			return err
		}
		if st, err := f.Stat(); err == nil && !st.Mode().IsRegular() {
			f.Close() // not a journal's file
			continue
		}
		resumed := r.after
		if ck := r.after; ck != nil {
			r.after = nil
			if _, err := f.Seek(ck.Offset, io.SeekStart); err != nil {
				f.Close()
				return err
			}
		}
		r.Close()
		r.f = f
		r.files++
		if r.r == nil {
			r.r = record.NewReader(f, true)
		} else {
			r.r.Reset(f)
		}
		r.r.Day(DayBounds(strings.TrimSuffix(name, dayExt), r.loc))
		if ck := resumed; ck != nil {
			r.r.Resume(ck.Newest)
		}
		return nil
	}
	return nil
}

// Start is the time of the first start (or continue) line read; zero
// before.
func (r *Reader) Start() time.Time {
	return r.field(func(rr *record.Reader) time.Time { return rr.Start })
}

// End is the time of the last end line, zero when none ended the last run.
func (r *Reader) End() time.Time {
	return r.field(func(rr *record.Reader) time.Time { return rr.End })
}

func (r *Reader) field(get func(*record.Reader) time.Time) time.Time {
	if r.r == nil {
		return time.Time{}
	}
	return get(r.r)
}

// Skipped is how many lines were skipped: torn, corrupt or misdated.
func (r *Reader) Skipped() int {
	if r.r == nil {
		return 0
	}
	return r.r.Skipped
}

// Misdated is how many of Skipped were skipped for their time.
func (r *Reader) Misdated() int {
	if r.r == nil {
		return 0
	}
	return r.r.Misdated
}

// Files is how many files were opened.
func (r *Reader) Files() int { return r.files }

// Close closes the file being read, if the Reader opened it.
func (r *Reader) Close() {
	if r.f != nil {
		r.f.Close()
		r.f = nil
	}
}
