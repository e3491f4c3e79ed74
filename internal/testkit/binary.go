package testkit

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var moduleRoot = sync.OnceValues(func() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the test's directory")
		}
		dir = parent
	}
})

// ModuleRoot is the module's root directory, whichever package's test
// runs.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	dir, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// binary is the callboard command, compiled at most once per test binary
// into a temporary folder.
var binary struct {
	sync.Mutex
	path string
	err  error
}

// Binary is the built callboard, for a test that runs it as people do;
// with -short such a test is skipped. Start it with testproc, so that it
// ends with the test; RemoveBinary removes it.
func Binary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	binary.Lock()
	defer binary.Unlock()
	if binary.path == "" && binary.err == nil {
		binary.path, binary.err = build()
	}
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

func build() (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "callboard-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "callboard")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

// RemoveBinary removes the binary Binary built, if it built one: the
// TestMain of a package whose tests use Binary calls it after m.Run.
func RemoveBinary() {
	binary.Lock()
	defer binary.Unlock()
	if binary.path != "" {
		os.RemoveAll(filepath.Dir(binary.path))
		binary.path = ""
	}
}
