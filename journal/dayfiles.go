package journal

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"
)

// A day's file is YYYY-MM-DD.jsonl, or, once the day is closed and
// compressed (see compressor), YYYY-MM-DD.jsonl.zst. What reads day files
// goes through here: their names (dayOfName, plainName, compressedName),
// their listing (dayFiles: every file, for retention; journalDays: the
// days), the opening of a day in whichever form it is (openDayFile,
// dayPath), and the decoding of the compressed form, within bounds, its
// damage said (newDecoder, decompressed, sniff, tailOf).

// zstExt ends a compressed day file's name.
const zstExt = ".zst"

// zstdMagic begins every zstd frame: a compressed file is known by it,
// whatever its name.
var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// The decoder's bounds, against a hostile file (a zip bomb): the window
// it keeps (the writer's is 8 MB) and its memory; a line is bounded as in
// a plain file (the line reader's limit).
const (
	maxDecoderWindow = 16 << 20
	maxDecoderMemory = 64 << 20
)

// dayOfName is the day of a day file's name, in either form, and whether
// it is the compressed one; ok is false for any other name.
func dayOfName(name string) (day string, compressed, ok bool) {
	base, compressed := strings.CutSuffix(name, zstExt)
	day, plain := strings.CutSuffix(base, dayExt)
	if !plain || len(day) != len(dayLayout) {
		return "", false, false
	}
	t, err := time.Parse(dayLayout, day)
	return day, compressed, err == nil && t.Format(dayLayout) == day
}

func isDayFile(name string) bool {
	_, _, ok := dayOfName(name)
	return ok
}

// plainName and compressedName are a day's file names in either form.
func plainName(day string) string      { return day + dayExt }
func compressedName(day string) string { return day + dayExt + zstExt }

// dayFiles lists the day files of dir, in either form, oldest first: what
// retention removes. Readers take journalDays.
func dayFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		if isDayFile(e.Name()) {
			names = append(names, e.Name())
		}
	}
	return names, err
}

// journalDays lists the days (YYYY-MM-DD) dir has a file for, in either
// form, oldest first, each once: openDayFile opens one.
func journalDays(dir string) ([]string, error) {
	names, err := dayFiles(dir)
	var days []string
	for _, name := range names {
		if day, _, _ := dayOfName(name); len(days) == 0 || days[len(days)-1] != day {
			days = append(days, day)
		}
	}
	return days, err
}

// openDayFile opens day's file of dir for reading, whichever form it is
// in, and says whether it is compressed; fs.ErrNotExist when it has none.
// With both (a crash between the compression's rename and the plain
// file's removal), the plain one is read: both hold the same lines. A
// symbolic link, a fifo or anything but a regular file is not a day file
// (passed over, its target untouched). The compressed form is tried
// first, then the plain one, then both again: the compression (or the
// decompression) of the day that happened meanwhile made the other form
// before it removed this one, and a file opened stays readable whole.
func openDayFile(dir, day string) (f *os.File, compressed bool, err error) {
	for range 2 {
		z, err := openRegular(filepath.Join(dir, compressedName(day)))
		if err != nil {
			return nil, false, err
		}
		p, err := openRegular(filepath.Join(dir, plainName(day)))
		if err != nil {
			closeFile(z)
			return nil, false, err
		}
		switch {
		case p != nil:
			closeFile(z)
			return p, false, nil
		case z != nil:
			return z, true, nil
		}
	}
	return nil, false, fs.ErrNotExist
}

func closeFile(f *os.File) {
	if f != nil {
		f.Close()
	}
}

// openRegular opens path for reading, not following a symbolic link; nil
// without error when it is missing or not a regular file.
func openRegular(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return nil, nil // planted: a journal's day file is never a link
		}
		return nil, err
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, err
	}
	return f, nil
}

// dayPath is the path of day's file of dir as it is now, either form (the
// plain one when both); fs.ErrNotExist when there is none.
func dayPath(dir, day string) (string, error) {
	for _, name := range []string{plainName(day), compressedName(day)} {
		path := filepath.Join(dir, name)
		if _, err := os.Lstat(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
			return path, err
		}
	}
	return "", fs.ErrNotExist
}

// newDecoder is a decoder of compressed day files within the bounds
// above, decoding in the caller's goroutine.
func newDecoder(rd io.Reader) (*zstd.Decoder, error) {
	return zstd.NewReader(rd, zstd.WithDecoderConcurrency(1),
		zstd.WithDecoderMaxWindow(maxDecoderWindow), zstd.WithDecoderMaxMemory(maxDecoderMemory))
}

// damagedError is what reading a compressed file met that is not its end:
// a corrupt or truncated stream, or one past the decoder's bounds. The
// lines before it are read; the rest of the file is skipped.
type damagedError struct {
	name string
	err  error
}

func (e *damagedError) Error() string {
	return fmt.Sprintf("%s: compressed file damaged, the lines after the damage skipped: %v", e.name, e.err)
}

func (e *damagedError) Unwrap() error { return e.err }

// decompressed reads a compressed file through a decoder, its errors
// given as damagedError.
type decompressed struct {
	dec  *zstd.Decoder
	name string
}

func (d decompressed) Read(p []byte) (int, error) {
	n, err := d.dec.Read(p)
	if err != nil && err != io.EOF {
		err = &damagedError{name: d.name, err: err}
	}
	return n, err
}

// failing is a reader that fails with err: a decoder that could not start.
type failing struct{ err error }

func (f failing) Read([]byte) (int, error) { return 0, f.err }

// sniff reads rd, decompressed when it starts with zstd's magic bytes,
// named name in its errors; the decoder (nil when none) is the caller's
// to close.
func sniff(rd io.Reader, name string) (io.Reader, *zstd.Decoder) {
	br := bufio.NewReaderSize(rd, 64<<10)
	if magic, _ := br.Peek(len(zstdMagic)); !bytes.Equal(magic, zstdMagic) {
		return br, nil
	}
	dec, err := newDecoder(br)
	if err != nil {
		return failing{&damagedError{name: name, err: err}}, nil
	}
	return decompressed{dec: dec, name: name}, dec
}

// tailOf is the last tailWindow bytes of a day file, decompressed when it
// is compressed (read whole: rare, the newest day is plain), and whether
// the window cut the file. What a damaged file gives before the damage is
// its tail.
func tailOf(f *os.File, compressed bool) (tail []byte, cut bool, err error) {
	if !compressed {
		st, err := f.Stat()
		if err != nil {
			return nil, false, err
		}
		from := max(st.Size()-tailWindow, 0)
		tail = make([]byte, st.Size()-from)
		if _, err := f.ReadAt(tail, from); err != nil {
			return nil, false, err
		}
		return tail, from > 0, nil
	}
	dec, err := newDecoder(f)
	if err != nil {
		return nil, false, nil
	}
	defer dec.Close()
	buf := make([]byte, 0, 2*tailWindow)
	for {
		if len(buf) == cap(buf) {
			buf, cut = append(buf[:0], buf[len(buf)-tailWindow:]...), true
		}
		n, err := dec.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			break
		}
	}
	if len(buf) > tailWindow {
		buf, cut = buf[len(buf)-tailWindow:], true
	}
	return buf, cut, nil
}
