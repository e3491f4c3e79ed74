//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package journal

import (
	"io/fs"
	"os"
	"path/filepath"
)

// createIn creates the file name in the directory at path dir for reading
// and writing, exclusively and 0600: whatever is there already is refused.
func createIn(_ *os.File, dir, name string) (*os.File, error) {
	return os.OpenFile(filepath.Join(dir, name), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
}

// openFileIn opens the file name of the directory at path dir for
// reading; a symbolic link (checked before: this system has no
// O_NOFOLLOW) or anything but a regular file is refused.
func openFileIn(_ *os.File, dir, name string) (*os.File, error) {
	path := filepath.Join(dir, name)
	fi, err := os.Lstat(path)
	switch {
	case err != nil:
		return nil, err
	case fi.Mode()&fs.ModeSymlink != 0:
		return nil, &unsafeError{path: path, why: "a symbolic link"}
	case !fi.Mode().IsRegular():
		return nil, &unsafeError{path: path, why: "not a regular file"}
	}
	return os.Open(path)
}

// entryIn is the type of the entry name of the directory at path dir, a
// symbolic link not followed; found is false when there is none.
func entryIn(d *os.File, name string) (mode fs.FileMode, found bool, err error) {
	fi, err := os.Lstat(filepath.Join(d.Name(), name))
	if os.IsNotExist(err) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	return fi.Mode().Type(), true, nil
}

// renameIn renames from to to in the directory at path dir.
func renameIn(_ *os.File, dir, from, to string) error {
	return os.Rename(filepath.Join(dir, from), filepath.Join(dir, to))
}

// removeIn removes the entry name of the directory at path dir.
func removeIn(_ *os.File, dir, name string) error {
	return os.Remove(filepath.Join(dir, name))
}
