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

	"github.com/klauspost/compress/zstd"
)

// ReplayStats says what a Replay read.
type ReplayStats struct {
	Files    int       // day files read
	Messages int       // messages given to fn
	Skipped  int       // lines skipped: torn, corrupt or misdated
	Misdated int       // of Skipped, those skipped for their time (see Reader)
	Damaged  int       // compressed day files read only up to a damage (see Reader.Damaged)
	Damage   error     // the first of those damages, naming its file; nil when none
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
			r.stats(&st)
			return st, err
		}
		st.Messages++
		st.Last = feed.MessageTime(m)
		fn(m)
	}
	r.stats(&st)
	return st, nil
}

// stats fills in what st says of r's reading.
func (r *Reader) stats(st *ReplayStats) {
	st.Files, st.Skipped, st.Misdated = r.files, r.Skipped(), r.Misdated()
	st.Damaged, st.Damage = r.Damaged()
}

// Reader reads a journal's day files one after the other, a message at a
// time, as a lenient record.Reader: torn and corrupt lines skipped
// and counted, and where a process started again, a Disconnected status
// with reason feed.ReasonNotRunning dated at the last line before. A day
// file is read in either form, plain or compressed (see compressor), never
// both; a compressed file that turns out damaged (corrupt, truncated, past
// the decoder's bounds) is read up to the damage, its rest skipped and
// counted (Damaged), and the next file read. Each
// file holds its day only: a line dated outside its file's calendar day
// (in the writer's zone), running backwards, or ahead of the lines after
// it, is skipped and counted as misdated (the rule of
// record.Reader), so that a wild time never rolls the day of the
// board it is read into. It is the one reader of day files: the restart
// (Replay), `report` and `replay` of a day file all read through it.
type Reader struct {
	dir     string
	loc     *time.Location
	days    []string // still to read, YYYY-MM-DD
	f       io.Closer
	dec     *zstd.Decoder // of the compressed files; nil before the first
	r       *record.Reader
	files   int
	err     error // the first error met reading a file
	damaged int   // compressed files read up to a damage
	damage  error // the first damage
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
	days, err := journalDays(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var kept []string
	for _, day := range days {
		if (first == "" || day >= first) && (last == "" || day <= last) {
			kept = append(kept, day)
		}
	}
	return &Reader{dir: dir, loc: loc, days: kept}, nil
}

// OpenDaysAfter reads dir's day files after the lines checkpoint ck
// covers: from its day file, at its offset, on (the offset in its plain
// lines, its day file compressed since or not); the time rule goes on from
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
	if len(r.days) == 0 || r.days[0] != ck.Day {
		return nil, fmt.Errorf("journal: the day file of checkpoint %s is gone", ck.Day)
	}
	r.after = ck
	return r, nil
}

// ReadFile reads one file, named name, as a Reader does: a journal's day
// file when name is one (YYYY-MM-DD.jsonl, or .jsonl.zst, its day in loc,
// the writer's zone; nil when unknown: the day as it is somewhere on Earth,
// from its first midnight, at UTC+14, to its last, at UTC-12), else a
// recording, with the time rule but no day bounds. What rd holds is
// decompressed when it is zstd's (known by its first bytes, whatever the
// name).
func ReadFile(rd io.Reader, name string, loc *time.Location) *Reader {
	name = filepath.Base(name)
	rd, dec := sniff(rd, name)
	r := &Reader{loc: loc, r: record.NewReader(rd, true), dec: dec, files: 1}
	if day, _, ok := dayOfName(name); ok {
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
			if damage := (*damagedError)(nil); errors.As(err, &damage) {
				r.damaged++
				if r.damage == nil {
					r.damage = damage
				}
				r.r.Reset(strings.NewReader("")) // the file's end: what is held is judged
				continue
			}
			if errors.Is(err, record.ErrNoStartLine) && len(r.days) == 0 && r.damage != nil {
				return nil, r.damage // nothing could be read before it
			}
			// a file without a start line (torn) is skipped: the next may have one
			if err != io.EOF && !errors.Is(err, record.ErrNoStartLine) || len(r.days) == 0 {
				return m, err
			}
		}
		if len(r.days) == 0 {
			return nil, io.EOF
		}
		if err := r.open(); err != nil {
			r.err = err
			return nil, err
		}
	}
}

// open opens the next day file, in either form (see openDayFile),
// skipping the days removed since listed and those whose files are not
// regular files (links are not followed).
func (r *Reader) open() error {
	for len(r.days) > 0 {
		day := r.days[0]
		r.days = r.days[1:]
		f, compressed, err := openDayFile(r.dir, day)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		resumed := r.after
		r.after = nil
		if resumed != nil && !compressed {
			if _, err := f.Seek(resumed.Offset, io.SeekStart); err != nil {
				f.Close()
				return err
			}
		}
		r.closeFile()
		r.f = f
		r.files++
		var rd io.Reader = f
		if compressed {
			rd = r.decompress(f)
		}
		if resumed != nil && compressed {
			// compressed since it was taken: its offset is in the plain
			// lines, which the compressed file holds the same
			if _, err := io.CopyN(io.Discard, rd, resumed.Offset); err != nil {
				return fmt.Errorf("journal: the compressed day file of checkpoint %s does not hold what it covers: %w", resumed.Day, err)
			}
		}
		if r.r == nil {
			r.r = record.NewReader(rd, true)
		} else {
			r.r.Reset(rd)
		}
		r.r.Day(DayBounds(day, r.loc))
		if ck := resumed; ck != nil {
			r.r.Resume(ck.Newest)
		}
		return nil
	}
	return nil
}

// decompress reads the compressed file f through r's decoder.
func (r *Reader) decompress(f *os.File) io.Reader {
	name := filepath.Base(f.Name())
	if r.dec == nil {
		dec, err := newDecoder(f)
		if err != nil {
			return failing{&damagedError{name: name, err: err}}
		}
		r.dec = dec
	} else if err := r.dec.Reset(f); err != nil {
		return failing{&damagedError{name: name, err: err}}
	}
	return decompressed{dec: r.dec, name: name}
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

// Damaged is how many compressed files were read only up to a damage (a
// corrupt or truncated stream, one past the decoder's bounds), their rest
// skipped, and the first damage, naming its file (nil when none).
func (r *Reader) Damaged() (int, error) { return r.damaged, r.damage }

// Close closes the file being read, if the Reader opened it, and its
// decoder.
func (r *Reader) Close() {
	r.closeFile()
	if r.dec != nil {
		r.dec.Close()
		r.dec = nil
	}
}

func (r *Reader) closeFile() {
	if r.f != nil {
		r.f.Close()
		r.f = nil
	}
}
