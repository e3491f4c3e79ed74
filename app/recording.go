package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
	"time"

	"callboard/feed"
	"callboard/record"
)

// WallClock is time.Now without the monotonic reading, so that durations
// computed live and from a recording are the same.
func WallClock() time.Time { return time.Now().Round(0) }

// openRecording opens path for a new recording, private to its owner,
// never through a symbolic link: a file that is not there is created 0600
// (O_EXCL: nothing planted meanwhile is used); one that is there must be
// a regular file of this user with no other link, and it is emptied and
// made 0600 whatever its mode was (a recording holds full caller numbers).
// Anything else (a symbolic link, a directory, a FIFO, a device, another
// user's file, a hard link) is refused, untouched, with what it is.
func openRecording(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
	if err == nil {
		return f, nil
	}
	if !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("--record: %v", err)
	}
	// O_NONBLOCK: a FIFO without a reader fails at once instead of hanging
	f, err = os.OpenFile(path, os.O_WRONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	switch {
	case errors.Is(err, syscall.ELOOP):
		return nil, fmt.Errorf("--record: %s is a symbolic link: refused (a recording is never written through one)", path)
	case errors.Is(err, syscall.ENXIO), errors.Is(err, syscall.EISDIR):
		return nil, fmt.Errorf("--record: %s is not a regular file: refused", path)
	case err != nil:
		return nil, fmt.Errorf("--record: %v", err)
	}
	if err := ownRecording(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--record: %s %v: refused", path, err)
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, fmt.Errorf("--record: %v", err)
	}
	if err := f.Truncate(0); err != nil {
		f.Close()
		return nil, fmt.Errorf("--record: %v", err)
	}
	return f, nil
}

// ownRecording says why the file f opened cannot be a recording of this
// user's: not a regular file, another user's, or linked elsewhere too.
func ownRecording(f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	switch {
	case !st.Mode().IsRegular():
		return fmt.Errorf("is not a regular file (%v)", st.Mode().Type())
	case !ok:
		return errors.New("cannot be checked")
	case int(sys.Uid) != os.Geteuid():
		return fmt.Errorf("belongs to user %d, not to this one", sys.Uid)
	case sys.Nlink != 1:
		return fmt.Errorf("has %d hard links", sys.Nlink)
	}
	return nil
}

// recording is a recording being written: the feed's messages, from the
// session's start to its end line.
type recording struct {
	rec  *record.Recorder
	file *os.File
}

// startRecording starts a recording into a new file at path (see
// openRecording), its counters starting at start, and makes it the
// recorder of fc: the one place a session attaches one.
func startRecording(fc *feed.Config, path string, start time.Time) (*recording, error) {
	f, err := openRecording(path)
	if err != nil {
		return nil, ConfigError{err}
	}
	r := &recording{rec: record.NewRecorder(f, start), file: f}
	fc.OnMessage = r.rec.Record
	return r, nil
}

// end writes the recording's end line at end and closes its file, unless
// the disk has not taken it by deadline: then the end line may be lost,
// said in the error, and the file is left to the disk.
func (r *recording) end(end, deadline time.Time) error {
	done := make(chan error, 1)
	go func() {
		err := r.rec.Close(end)
		r.file.Close()
		done <- err
	}()
	gaveUp := time.NewTimer(time.Until(deadline))
	defer gaveUp.Stop()
	select {
	case err := <-done:
		return err
	case <-gaveUp.C:
		return errors.New("the disk does not answer: the end line and the last lines may be lost")
	}
}
