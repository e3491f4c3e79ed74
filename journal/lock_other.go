//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package journal

import (
	"fmt"
	"os"
	"path/filepath"
)

// lockDir opens dir's lock file without locking it: this system has no
// flock, and two writers on one directory are not prevented.
func lockDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("journal: cannot write in %s: %w", dir, err)
	}
	return f, nil
}

func errnoProblem(error) string { return "" }
