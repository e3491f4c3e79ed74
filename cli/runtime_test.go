package cli

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
)

func TestMemoryLimitFor(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		live uint64
		want int64
	}{
		{0, memoryFloor},
		{50 * mb, memoryFloor}, // a busy center's board at 20:00
		{64 * mb, memoryFloor},
		{100 * mb, 200 * mb},
		{1 << 63, 1 << 62}, // absurd, not overflowing
	} {
		if got := memoryLimitFor(c.live); got != c.want {
			t.Errorf("memoryLimitFor(%d) = %d, want %d", c.live, got, c.want)
		}
	}
}

// tuneRuntimeChild names the environment variable that makes the test
// binary a child of TestTuneRuntimeSetsTheLimitOfOneStream: it runs
// TuneRuntime with the arguments it holds, holds live bytes, collects, and
// prints its collector's settings. The tuning is the process's for good:
// it is tried in a process of its own.
const tuneRuntimeChild = "CALLBOARD_TEST_TUNE_RUNTIME"

var held [][]byte

func tunedRuntimeChild(args []string) {
	TuneRuntime(args, os.Getenv)
	for range 100 {
		held = append(held, make([]byte, 1<<20)) // 100 MiB live
	}
	// the limit is set after a collection, on the finalizer goroutine
	for range 50 {
		runtime.GC()
		if debug.SetMemoryLimit(-1) >= 200<<20 {
			break
		}
		runtime.Gosched()
	}
	fmt.Printf("gogc=%d limit=%d\n", debug.SetGCPercent(-1), debug.SetMemoryLimit(-1))
	runtime.KeepAlive(held)
}

// TestTuneRuntimeSetsTheLimitOfOneStream: a board collects at 200 %
// under a soft limit that follows its live heap (twice it, beyond the
// floor); serve, and a process whose environment sets GOGC or GOMEMLIMIT,
// get no such limit.
func TestTuneRuntimeSetsTheLimitOfOneStream(t *testing.T) {
	t.Parallel()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	const noLimit = "9223372036854775807"
	for _, c := range []struct {
		args string
		env  []string
		want func(string) bool
		what string
	}{
		{"snapshot", nil, func(out string) bool {
			var gogc, limit int64
			fmt.Sscanf(out, "gogc=%d limit=%d", &gogc, &limit)
			return gogc == 200 && limit >= 200<<20 && limit < 260<<20
		}, "gogc=200 and a limit of twice the 100 MiB held"},
		{"serve", nil, func(out string) bool { return out == "gogc=200 limit="+noLimit }, "no limit (serve sets its own later)"},
		{"snapshot", []string{"GOMEMLIMIT=1GiB"}, func(out string) bool { return out == "gogc=200 limit=1073741824" }, "the environment's limit"},
		{"snapshot", []string{"GOGC=100"}, func(out string) bool { return out == "gogc=100 limit="+noLimit }, "the environment's GOGC, no limit"},
	} {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(append(os.Environ(), tuneRuntimeChild+"="+c.args, "GOGC=", "GOMEMLIMIT="), c.env...)
		cmd.Env = withoutEmpty(cmd.Env, "GOGC", "GOMEMLIMIT")
		out, err := cmd.Output()
		got := strings.TrimSpace(string(out))
		if err != nil || !c.want(got) {
			t.Errorf("%s with %v: %q, %v; want %s", c.args, c.env, got, err, c.what)
		}
	}
}

// withoutEmpty is env without the settings of names that are empty.
func withoutEmpty(env []string, names ...string) []string {
	return slices.DeleteFunc(env, func(kv string) bool {
		name, value, _ := strings.Cut(kv, "=")
		return value == "" && slices.Contains(names, name)
	})
}
