//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package journal

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// noFollow makes an open refuse a symbolic link, and not wait at a fifo.
const noFollow = unix.O_NOFOLLOW | unix.O_NONBLOCK

// lockDir takes the lock of the directory d (at path dir): an exclusive
// flock on its lock file, which then holds this process's id for the
// error of the next one.
func lockDir(d *os.File, dir string) (*os.File, error) {
	f, _, err := openIn(d, dir, lockName, os.O_RDWR)
	if err != nil {
		return nil, journalError("cannot write in "+dir, err)
	}
	rc, err := f.SyscallConn()
	if err == nil {
		cerr := rc.Control(func(fd uintptr) {
			err = syscall.Flock(int(fd), syscall.LOCK_EX|syscall.LOCK_NB)
		})
		if cerr != nil {
			err = cerr
		}
	}
	if errors.Is(err, syscall.EWOULDBLOCK) {
		holder, _ := io.ReadAll(io.LimitReader(f, 32))
		f.Close()
		pid, _ := strconv.Atoi(strings.TrimSpace(string(holder)))
		return nil, &lockedError{dir: dir, pid: max(pid, 0)}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("journal: cannot lock %s: %w", filepath.Join(dir, lockName), err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}

// unlockDir lets go of the lock f taken by lockDir and closes f. The lock
// is let go explicitly: it belongs to the open file, which a process
// forked meanwhile and not yet exec'd shares (its copy of the descriptor,
// O_CLOEXEC or not), and closing this descriptor alone would leave the
// directory locked until that process execs or exits.
func unlockDir(f *os.File) {
	if rc, err := f.SyscallConn(); err == nil {
		rc.Control(func(fd uintptr) { syscall.Flock(int(fd), syscall.LOCK_UN) })
	}
	f.Close()
}

// openDir opens dir, the account's journal directory, making it (and the
// directories above it that are missing) 0700 when it is missing. It is
// refused, as any directory it makes, when it is a symbolic link, not this
// user's, or writable by group or others; one of this user's with a wider
// mode (0755) is made 0700.
func openDir(dir string) (*os.File, error) {
	if err := makeDirs(dir); err != nil {
		return nil, err
	}
	return openPrivateDir(dir)
}

// makeDirs makes dir and the directories above it that are missing, each
// 0700 whatever the umask, fsyncing the directory each is made in.
func makeDirs(dir string) error {
	if _, err := os.Lstat(dir); err == nil || !errors.Is(err, os.ErrNotExist) {
		if err != nil {
			return fmt.Errorf("journal: cannot create directory %s: %w", dir, err)
		}
		return nil
	}
	parent := filepath.Dir(dir)
	if parent != dir {
		if err := makeDirs(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o700); err != nil {
		if errors.Is(err, os.ErrExist) { // made meanwhile: checked as any
			return nil
		}
		return fmt.Errorf("journal: cannot create directory %s: %w", dir, err)
	}
	d, err := openPrivateDir(dir)
	if err != nil {
		return err
	}
	d.Close()
	syncDir(parent)
	return nil
}

// openPrivateDir opens dir without following a symbolic link, refusing it
// unless it is a directory of this user's that neither group nor others
// may write, and makes its mode 0700.
func openPrivateDir(dir string) (*os.File, error) {
	if fi, err := os.Lstat(dir); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return nil, &unsafeError{path: dir, why: "a symbolic link"}
	}
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		if err == unix.ELOOP {
			return nil, &unsafeError{path: dir, why: "a symbolic link"}
		}
		return nil, fmt.Errorf("journal: cannot open directory %s: %w", dir, &os.PathError{Op: "open", Path: dir, Err: err})
	}
	d := os.NewFile(uintptr(fd), dir)
	if err := checkOwn(d, dir, true); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// openIn opens the file name of the directory d (at path dir) with flag,
// without following a symbolic link: one that exists must be a regular
// file of this user's, and is made 0600; one that does not is created
// 0600, exclusively, and the directory fsynced (created says so).
func openIn(d *os.File, dir, name string, flag int) (f *os.File, created bool, err error) {
	path := filepath.Join(dir, name)
	flag |= unix.O_NOFOLLOW | unix.O_CLOEXEC | unix.O_NONBLOCK // a planted fifo does not block the open
	for tries := 0; ; tries++ {
		fd, err := unix.Openat(int(d.Fd()), name, flag, 0)
		created = false
		if err == unix.ENOENT && tries < 3 {
			fd, err = unix.Openat(int(d.Fd()), name, flag|unix.O_CREAT|unix.O_EXCL, 0o600)
			if err == unix.EEXIST { // made meanwhile: opened as any
				continue
			}
			created = err == nil
		}
		if err == unix.ELOOP {
			return nil, false, &unsafeError{path: path, why: "a symbolic link"}
		}
		if err != nil {
			return nil, false, &os.PathError{Op: "open", Path: path, Err: err}
		}
		f = os.NewFile(uintptr(fd), path)
		if err := checkOwn(f, path, false); err != nil {
			f.Close()
			return nil, false, err
		}
		if created {
			if err := d.Sync(); err != nil {
				f.Close()
				return nil, false, &os.PathError{Op: "fsync", Path: dir, Err: err}
			}
		}
		return f, created, nil
	}
}

// checkOwn refuses f (at path) unless it is a directory (dir) or a regular
// file of this user's that neither group nor others may write, and makes
// its mode 0700 (a directory) or 0600.
func checkOwn(f *os.File, path string, dir bool) error {
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil {
		return &os.PathError{Op: "fstat", Path: path, Err: err}
	}
	kind, mode := uint32(unix.S_IFREG), os.FileMode(0o600)
	if dir {
		kind, mode = unix.S_IFDIR, 0o700
	}
	stMode := uint32(st.Mode) // uint16 on some systems
	switch {
	case stMode&unix.S_IFMT != kind && dir:
		return &unsafeError{path: path, why: "not a directory"}
	case stMode&unix.S_IFMT != kind:
		return &unsafeError{path: path, why: "not a regular file"}
	case int(st.Uid) != os.Geteuid():
		return &unsafeError{path: path, why: fmt.Sprintf("owned by uid %d, not this user (uid %d)", st.Uid, os.Geteuid())}
	case stMode&0o022 != 0:
		return &unsafeError{path: path, why: fmt.Sprintf("writable by group or others (mode %#o)", stMode&0o777)}
	}
	if os.FileMode(stMode&0o7777) != mode {
		if err := f.Chmod(mode); err != nil {
			return err
		}
	}
	return nil
}

// syncDir fsyncs the directory dir, so that an entry made in it survives a
// crash of the machine.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// errnoProblem names the errors that stop a journal and that a person can
// mend; "" for others.
func errnoProblem(err error) string {
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return "disk full"
	case errors.Is(err, syscall.EDQUOT):
		return "disk quota exceeded"
	case errors.Is(err, syscall.EROFS):
		return "read-only file system"
	}
	return ""
}

// Held reports whether a process holds dir's journal, writing it now: the
// lock is taken. It takes nothing and makes nothing: a shared lock tried
// and let go at once (a writer starting in that instant finds the
// directory locked, and takes it at its next try). A missing directory or
// lock file, or one that is not a regular file, is not held.
func Held(dir string) bool {
	fd, err := unix.Open(filepath.Join(dir, lockName), unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return false
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil || uint32(st.Mode)&unix.S_IFMT != unix.S_IFREG {
		return false
	}
	if err := unix.Flock(fd, unix.LOCK_SH|unix.LOCK_NB); err != nil {
		return errors.Is(err, unix.EWOULDBLOCK)
	}
	unix.Flock(fd, unix.LOCK_UN)
	return false
}

// renameIn renames the file from of the directory d to to, in d: the
// atomic replacement of a checkpoint.
func renameIn(d *os.File, _, from, to string) error {
	return unix.Renameat(int(d.Fd()), from, int(d.Fd()), to)
}
