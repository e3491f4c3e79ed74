//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package journal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// noFollow: this system has no O_NOFOLLOW.
const noFollow = 0

// lockDir opens dir's lock file without locking it: this system has no
// flock, and two writers on one directory are not prevented.
func lockDir(d *os.File, dir string) (*os.File, error) {
	f, _, err := openIn(d, dir, lockName, os.O_RDWR)
	if err != nil {
		return nil, journalError("cannot write in "+dir, err)
	}
	return f, nil
}

// unlockDir closes f, the lock file lockDir opened.
func unlockDir(f *os.File) { f.Close() }

// openDir opens dir, the account's journal directory, making it 0700 when
// it is missing; a symbolic link is refused. This system's owners and modes
// are not checked.
func openDir(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("journal: cannot create directory %s: %w", dir, err)
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return nil, fmt.Errorf("journal: cannot open directory %s: %w", dir, err)
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return nil, &unsafeError{path: dir, why: "a symbolic link"}
	}
	if !fi.IsDir() {
		return nil, &unsafeError{path: dir, why: "not a directory"}
	}
	d, err := os.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("journal: cannot open directory %s: %w", dir, err)
	}
	return d, nil
}

// openIn opens the file name of the directory at path dir with flag,
// refusing a symbolic link (checked before the open: this system has no
// O_NOFOLLOW) and creating a missing file exclusively (created says so).
func openIn(_ *os.File, dir, name string, flag int) (*os.File, bool, error) {
	path := filepath.Join(dir, name)
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		f, err := os.OpenFile(path, flag|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) {
			return openIn(nil, dir, name, flag)
		}
		if err == nil {
			syncDir(dir)
		}
		return f, err == nil, err
	case err != nil:
		return nil, false, err
	case fi.Mode()&os.ModeSymlink != 0:
		return nil, false, &unsafeError{path: path, why: "a symbolic link"}
	case !fi.Mode().IsRegular():
		return nil, false, &unsafeError{path: path, why: "not a regular file"}
	}
	f, err := os.OpenFile(path, flag, 0o600)
	return f, false, err
}

// syncDir fsyncs the directory dir, where this system can.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

func errnoProblem(error) string { return "" }

// Held reports whether a process holds dir's journal: this system has no
// flock, so it cannot tell, and says no.
func Held(string) bool { return false }

// renameIn renames the file from of the directory at path dir to to.
func renameIn(_ *os.File, dir, from, to string) error {
	return os.Rename(filepath.Join(dir, from), filepath.Join(dir, to))
}
