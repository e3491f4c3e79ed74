package journal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"callboard/state"

	"github.com/klauspost/compress/zstd"
)

// A checkpoint is the board's whole state (state.Board.Checkpoint) beside
// the day files, with the place in them it covers: a restart, a report or
// a replay loads the newest valid one and reads only the lines after it.
// One file a day, YYYY-MM-DD.ckpt, replaced as a new one is taken: written
// whole to a temporary file of the directory (created exclusively, 0600,
// never through a link), fsynced, renamed over the old one, the directory
// fsynced. Retention removes it with its day. Its first line is a
// checkpointHeader (JSON), the board follows.

const (
	checkpointExt = ".ckpt"
	// checkpointTemp marks a checkpoint being written; one left by a
	// process killed meanwhile is removed by the next writer.
	checkpointTemp = ".tmp"
	// checkpointFormat is the version of the header; the board's has its
	// own (state.CheckpointVersion).
	checkpointFormat = 1
	// maxCheckpointHeader bounds a checkpoint's header line.
	maxCheckpointHeader = 4 << 10
)

// checkpointHeader says where a checkpoint is in the journal.
type checkpointHeader struct {
	Format int    `json:"checkpoint"`
	Day    string `json:"day"` // the day file it covers the beginning of
	// Offset is how many bytes of that file it covers: whole lines, the
	// next begins there.
	Offset int64 `json:"offset"`
	// Newest is the newest line's time within them, as a reader takes
	// it (the time rule of record.Reader goes on from there).
	Newest time.Time `json:"newest"`
	// Ticked is when the board's time was last let pass by the messages'
	// time (hub): the next tick of the lines after it is where a replay
	// from the start would tick.
	Ticked time.Time `json:"ticked"`
	// Messages is how many messages the journal holds up to it, by day
	// (YYYY-MM-DD), as its writer counted them: the day before and its own.
	Messages map[string]int `json:"messages,omitempty"`
}

// Checkpoint is a board loaded from a checkpoint, and the place in the
// journal it covers.
type Checkpoint struct {
	Board          *state.Board
	Day            string // its day file (YYYY-MM-DD)
	Offset         int64  // bytes of its day file it covers
	Newest, Ticked time.Time
	Messages       map[string]int // the messages it carries, by day
}

// checkpointName is day's checkpoint file.
func checkpointName(day string) string { return day + checkpointExt }

// tempCount makes the names of temporary checkpoint files unique within
// the process (the lock makes the process the directory's only writer).
var tempCount atomic.Int64

// writeCheckpoint writes the checkpoint of header and the board board
// writes (a state.Board.Checkpoint) as the directory d's (at dir)
// checkpoint of header.Day, atomically: a reader finds the old one or the
// new one, whole.
func writeCheckpoint(d *os.File, dir string, header checkpointHeader, board io.WriterTo) (err error) {
	header.Format = checkpointFormat
	line, err := json.Marshal(header)
	if err != nil {
		return err
	}
	tmp := fmt.Sprintf(".%s%s.%d-%d%s", header.Day, checkpointExt, os.Getpid(), tempCount.Add(1), checkpointTemp)
	f, created, err := openIn(d, dir, tmp, os.O_WRONLY)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(filepath.Join(dir, tmp))
		}
	}()
	if !created {
		f.Close()
		return fmt.Errorf("journal: %s existed", tmp)
	}
	_, err = f.Write(append(line, '\n'))
	if err == nil {
		_, err = board.WriteTo(f)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := renameIn(d, dir, tmp, checkpointName(header.Day)); err != nil {
		return err
	}
	return d.Sync()
}

// readCheckpoint loads dir's checkpoint of day under opts: an error when
// there is none (fs.ErrNotExist), or when it is a link, not a regular file,
// torn, corrupt, of another format or of other rules.
func readCheckpoint(dir, day string, opts state.Options) (*Checkpoint, error) {
	path := filepath.Join(dir, checkpointName(day))
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow, 0)
	if err != nil {
		if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&os.ModeSymlink != 0 {
			return nil, &unsafeError{path: path, why: "a symbolic link"}
		}
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, &unsafeError{path: path, why: "not a regular file"}
	}
	r := bufio.NewReader(io.LimitReader(f, state.MaxCheckpointSize+maxCheckpointHeader))
	line, err := r.ReadSlice('\n')
	if err != nil {
		return nil, fmt.Errorf("journal: checkpoint %s: no header: %v", path, err)
	}
	var h checkpointHeader
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil || h.Format != checkpointFormat || h.Day != day || h.Offset < 0 {
		return nil, fmt.Errorf("journal: checkpoint %s: not a checkpoint header of this build", path)
	}
	b, err := state.LoadCheckpoint(r, opts)
	if err != nil {
		return nil, fmt.Errorf("journal: checkpoint %s: %w", path, err)
	}
	return &Checkpoint{Board: b, Day: h.Day, Offset: h.Offset, Newest: h.Newest, Ticked: h.Ticked, Messages: h.Messages}, nil
}

// NewestCheckpoint loads dir's newest valid checkpoint of the days from
// first to last (YYYY-MM-DD, both included), under opts, whose day file
// is at least as long as it covers; nil when there is none. Ignored counts
// those found but refused (torn, corrupt, foreign, a link, ahead of their
// day file), each tried older day after.
func NewestCheckpoint(dir, first, last string, opts state.Options) (ck *Checkpoint, ignored int) {
	return newestCheckpoint(dir, first, last, opts, time.Time{})
}

// newestCheckpoint is NewestCheckpoint of the checkpoints that cover
// nothing from bound on (any when zero).
func newestCheckpoint(dir, first, last string, opts state.Options, bound time.Time) (ck *Checkpoint, ignored int) {
	for _, day := range checkpointDays(dir, first, last) {
		c, err := readCheckpoint(dir, day, opts)
		switch {
		case errors.Is(err, os.ErrNotExist):
		case err != nil || c.Offset > daySize(dir, day):
			ignored++
		case bound.IsZero() || c.Newest.Before(bound):
			return c, ignored
		}
	}
	return nil, ignored
}

// daySize is the size of day's plain lines, -1 when it has no file: its
// plain file's, or, once compressed, the content size its compressed
// file's frame header says (the compressor always writes it).
func daySize(dir, day string) int64 {
	f, compressed, err := openDayFile(dir, day)
	if err != nil {
		return -1
	}
	defer f.Close()
	if !compressed {
		st, err := f.Stat()
		if err != nil {
			return -1
		}
		return st.Size()
	}
	head := make([]byte, zstd.HeaderMaxSize)
	n, _ := io.ReadFull(f, head)
	var h zstd.Header
	if h.Decode(head[:n]) != nil || !h.HasFCS || h.FrameContentSize > math.MaxInt64 {
		return -1
	}
	return int64(h.FrameContentSize)
}

// checkpointDays are the days from first to last that have a checkpoint
// file in dir, newest first.
func checkpointDays(dir, first, last string) []string {
	entries, _ := os.ReadDir(dir)
	var days []string
	for i := len(entries) - 1; i >= 0; i-- {
		day, ok := checkpointDay(entries[i].Name())
		if ok && day >= first && day <= last {
			days = append(days, day)
		}
	}
	return days
}

// checkpointDay is the day of a checkpoint file's name.
func checkpointDay(name string) (string, bool) {
	day, ok := strings.CutSuffix(name, checkpointExt)
	return day, ok && isDayFile(day+dayExt)
}

// removeOldCheckpoints removes dir's checkpoints of the days before
// oldest, and the temporary files of checkpoints never finished.
func removeOldCheckpoints(dir, oldest string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := e.Name()
		day, ok := checkpointDay(name)
		if ok && day < oldest || strings.HasPrefix(name, ".") && strings.HasSuffix(name, checkpointTemp) && strings.Contains(name, checkpointExt+".") {
			os.Remove(filepath.Join(dir, name))
		}
	}
}

// FileCheckpoint is, for path a journal's day file (YYYY-MM-DD.jsonl, or
// compressed) read alone, the newest valid checkpoint beside it of its day
// (under opts) whose board holds nothing but that file's lines: the board
// a replay of the file from its first line makes up to the place the
// checkpoint covers. Its writer counted no message of a day before
// (Checkpoint.Messages; a checkpoint that does not say is not taken): a
// board that carried state over midnight, or was made again from the day
// before at a restart, is not the file's alone. Nil when there is none;
// ignored counts those found but refused (see NewestCheckpoint). r reads
// the file's lines after it.
func FileCheckpoint(path string, loc *time.Location, opts state.Options) (ck *Checkpoint, r *Reader, ignored int, err error) {
	day, _, ok := dayOfName(filepath.Base(path))
	if !ok {
		return nil, nil, 0, nil
	}
	dir := filepath.Dir(path)
	ck, ignored = NewestCheckpoint(dir, day, day, opts)
	if ck == nil || !fileAlone(ck) {
		return nil, nil, ignored, nil
	}
	r, err = openDaysAfter(dir, loc, ck, day)
	if err != nil {
		return nil, nil, ignored, err
	}
	return ck, r, ignored, nil
}

// fileAlone says whether ck's board holds its day file's lines alone, by
// the messages its writer counted.
func fileAlone(ck *Checkpoint) bool {
	if ck.Messages == nil {
		return false
	}
	for day, n := range ck.Messages {
		if day < ck.Day && n > 0 {
			return false
		}
	}
	return true
}
