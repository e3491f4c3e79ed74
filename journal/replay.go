package journal

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"callboard/feed"
)

// ReplayStats says what a Replay read.
type ReplayStats struct {
	Files    int       // day files read
	Messages int       // messages given to fn
	Skipped  int       // lines skipped: torn or corrupt
	Last     time.Time // of the last message
}

// Replay streams dir's journal from from's day (in loc; nil = time.Local)
// on, oldest first, calling fn for each message, as a lenient recording
// reader gives them: updates decoded, torn and corrupt lines skipped and
// counted, and where a process started again, a Disconnected status with
// reason feed.ReasonNotRunning dated at the last line before. It reads a
// line at a time. A missing directory, or one without day files, is an
// empty journal. A writer may be appending meanwhile: its last line, half
// written, counts as torn.
func Replay(dir string, loc *time.Location, from time.Time, fn func(feed.Message)) (ReplayStats, error) {
	var st ReplayStats
	if loc == nil {
		loc = time.Local
	}
	names, err := dayFiles(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	first := from.In(loc).Format(dayLayout)
	for len(names) > 0 && names[0][:len(dayLayout)] < first {
		names = names[1:]
	}
	files := &chain{dir: dir, names: names}
	defer files.close()
	r := feed.NewRecordingReader(files, true)
	for {
		m, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil && files.err == nil && r.Start.IsZero() {
			break // not one start line: nothing to replay
		}
		if err != nil {
			st.Files, st.Skipped = files.opened, r.Skipped
			return st, err
		}
		st.Messages++
		st.Last = feed.MessageTime(m)
		fn(m)
	}
	st.Files, st.Skipped = files.opened, r.Skipped
	return st, nil
}

// chain reads files one after the other, each followed by a newline: a
// torn last line cannot swallow the next file's first.
type chain struct {
	dir     string
	names   []string
	f       *os.File
	newline bool // owed after a file
	opened  int
	err     error // the first error met reading a file
}

func (c *chain) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		if c.newline {
			c.newline = false
			p[0] = '\n'
			return 1, nil
		}
		if c.f == nil {
			if len(c.names) == 0 {
				return 0, io.EOF
			}
			f, err := os.Open(filepath.Join(c.dir, c.names[0]))
			c.names = c.names[1:]
			if errors.Is(err, fs.ErrNotExist) { // removed since listed
				continue
			}
			if err != nil {
				c.err = err
				return 0, err
			}
			if st, err := f.Stat(); err == nil && !st.Mode().IsRegular() {
				f.Close() // not a journal's file
				continue
			}
			c.f = f
			c.opened++
		}
		n, err := c.f.Read(p)
		if err == io.EOF {
			c.f.Close()
			c.f, c.newline = nil, true
			if n == 0 {
				continue
			}
			err = nil
		} else if err != nil {
			c.err = err
		}
		return n, err
	}
}

func (c *chain) close() {
	if c.f != nil {
		c.f.Close()
	}
}
