package config

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"callboard/internal/testkit"
)

// TestACommandThatLeavesAChildBehindSucceedsAndTheChildDies: a command
// that exits 0 after starting a child in the background (which keeps its
// standard error open) succeeds as soon as it exits, and the child is
// killed with its group, where it made the run fail after a second
// ("WaitDelay expired") and lived on.
func TestACommandThatLeavesAChildBehindSucceedsAndTheChildDies(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	script := "sleep 300 & echo $! > " + pidFile + "; echo said >&2; exit 0"
	messages, err := RunCommand(context.Background(), []string{"sh", "-c", script}, []byte(`{"event":"raised"}`))
	if err != nil {
		t.Fatalf("RunCommand = %v (messages %q), want nil: the command exited 0", err, messages)
	}
	if messages != "said" {
		t.Errorf("messages = %q, want what the command said", messages)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, "the command's child killed", func() bool {
		if syscall.Kill(pid, 0) != nil {
			return true // gone
		}
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		return err != nil || strings.Contains(string(stat), ") Z ") // a zombie until reaped
	})
}

// TestACommandsExitStatusIsItsOutcome: a non-zero exit is a failure, said
// with its messages.
func TestACommandsExitStatusIsItsOutcome(t *testing.T) {
	messages, err := RunCommand(context.Background(), []string{"sh", "-c", "echo nope >&2; exit 3"}, nil)
	if err == nil || !strings.Contains(err.Error(), "exit status 3") || messages != "nope" {
		t.Errorf("RunCommand = %q, %v; want exit status 3 and its message", messages, err)
	}
}
