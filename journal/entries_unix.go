//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package journal

import (
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// createIn creates the file name in the directory d (at path dir) for
// reading and writing, exclusively and 0600: whatever is there already, a
// symbolic link too, is refused (see entryIn to say what it is).
func createIn(d *os.File, dir, name string) (*os.File, error) {
	path := filepath.Join(dir, name)
	fd, err := unix.Openat(int(d.Fd()), name, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, &os.PathError{Op: "create", Path: path, Err: err}
	}
	f := os.NewFile(uintptr(fd), path)
	if err := checkOwn(f, path, false); err != nil { // 0600 whatever the umask
		f.Close()
		return nil, err
	}
	return f, nil
}

// openFileIn opens the file name of the directory d (at path dir) for
// reading, never through a symbolic link: it must be a regular file of
// this user's.
func openFileIn(d *os.File, dir, name string) (*os.File, error) {
	path := filepath.Join(dir, name)
	fd, err := unix.Openat(int(d.Fd()), name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err == unix.ELOOP {
		return nil, &unsafeError{path: path, why: "a symbolic link"}
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	f := os.NewFile(uintptr(fd), path)
	if err := checkOwn(f, path, false); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// entryIn is the type of the entry name of the directory d, a symbolic
// link not followed; found is false when there is none.
func entryIn(d *os.File, name string) (mode fs.FileMode, found bool, err error) {
	var st unix.Stat_t
	err = unix.Fstatat(int(d.Fd()), name, &st, unix.AT_SYMLINK_NOFOLLOW)
	if err == unix.ENOENT {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	switch uint32(st.Mode) & unix.S_IFMT {
	case unix.S_IFREG:
		return 0, true, nil
	case unix.S_IFLNK:
		return fs.ModeSymlink, true, nil
	case unix.S_IFDIR:
		return fs.ModeDir, true, nil
	}
	return fs.ModeIrregular, true, nil
}

// renameIn renames from to to in the directory d, atomically.
func renameIn(d *os.File, dir, from, to string) error {
	if err := unix.Renameat(int(d.Fd()), from, int(d.Fd()), to); err != nil {
		return &os.LinkError{Op: "rename", Old: filepath.Join(dir, from), New: filepath.Join(dir, to), Err: err}
	}
	return nil
}

// removeIn removes the entry name of the directory d (a symbolic link
// itself, never what it points to).
func removeIn(d *os.File, dir, name string) error {
	if err := unix.Unlinkat(int(d.Fd()), name, 0); err != nil {
		return &os.PathError{Op: "remove", Path: filepath.Join(dir, name), Err: err}
	}
	return nil
}
