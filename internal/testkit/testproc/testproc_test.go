//go:build unix

package testproc

import (
	"bufio"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"callboard/internal/testkit"
)

const helperEnv = "TESTPROC_HELPER"

// TestHelperDiesWithoutCleanups is the test binary of
// TestAProcessEndsWithTheTestBinary: it starts a sleep, says its pid, and
// dies of a panic in another goroutine, which runs no cleanup.
func TestHelperDiesWithoutCleanups(t *testing.T) {
	if os.Getenv(helperEnv) == "" {
		t.Skip("run by TestAProcessEndsWithTheTestBinary")
	}
	cmd := exec.Command("sleep", "60")
	if err := Start(t, cmd); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("pid " + strconv.Itoa(cmd.Process.Pid) + "\n")
	go panic("a server goroutine panics")
	select {}
}

// TestAProcessEndsWithTheTestBinary: a process a test started ends when
// the test binary dies of a panic that runs no cleanup.
func TestAProcessEndsWithTheTestBinary(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("no parent-death signal here: the cleanup alone ends the processes")
	}
	if _, err := exec.LookPath("sleep"); err != nil {
		t.Skip(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperDiesWithoutCleanups$")
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := readPid(t, out)
	t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
	if err := cmd.Wait(); err == nil {
		t.Fatal("the helper did not die")
	}
	if !testkit.Gone(pid) {
		t.Errorf("the sleep (pid %d) outlived the test binary that started it", pid)
	}
}

// TestTheCleanupEndsTheWholeGroup: what the started process started
// itself ends with it when the test ends.
func TestTheCleanupEndsTheWholeGroup(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip(err)
	}
	var grandchild int
	var cmd *exec.Cmd
	t.Cleanup(func() { cmd.Wait() }) // reaped once seen gone
	t.Run("starts", func(t *testing.T) {
		cmd = exec.Command("sh", "-c", "sleep 60 & echo pid $!; wait")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := Start(t, cmd); err != nil {
			t.Fatal(err)
		}
		grandchild = readPid(t, out)
	})
	if !testkit.Gone(grandchild) {
		syscall.Kill(grandchild, syscall.SIGKILL)
		t.Errorf("the sleep the shell started (pid %d) outlived the test", grandchild)
	}
}

func readPid(t *testing.T, out interface{ Read([]byte) (int, error) }) int {
	t.Helper()
	line, err := bufio.NewReader(out).ReadString('\n')
	pid, perr := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(line), "pid "))
	if err != nil || perr != nil || pid <= 0 {
		t.Fatalf("no pid: %q, %v", line, err)
	}
	return pid
}
