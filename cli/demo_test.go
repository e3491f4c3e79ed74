package cli

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"callboard/internal/testkit"
	"callboard/state"
)

// demoSnapshot is `snapshot --demo` with args, the board after its first
// burst of traffic.
func demoSnapshot(t *testing.T, args ...string) state.Snapshot {
	t.Helper()
	code, out, errs := runCommand(append([]string{"snapshot", "--demo", "--wait", "200ms"}, args...)...)
	if code != exitOK {
		t.Fatalf("snapshot --demo %v: exit %d: %s", args, code, errs)
	}
	var snap state.Snapshot
	if err := json.Unmarshal([]byte(out), &snap); err != nil {
		t.Fatalf("not the snapshot JSON: %v\n%s", err, out)
	}
	return snap
}

// callers are the numbers of the agents' calls and of the calls waiting.
func callers(snap state.Snapshot) []string {
	var out []string
	for _, a := range snap.Agents {
		if a.Call != nil {
			out = append(out, a.Call.Caller)
		}
	}
	for _, c := range snap.Calls.Waiting {
		out = append(out, c.Caller)
	}
	return out
}

// TestDemoSnapshotFollowsTheConfiguration: `snapshot --demo --config
// FILE` takes the file's rules, here whole caller numbers and a limit on
// calls, though its connection is not filled in (no login, no password
// source); without it, the demo's own (masked numbers, no limit).
func TestDemoSnapshotFollowsTheConfiguration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.toml")
	rules := "[axialys]\nurl = \"https://callboard.invalid\"\n[display]\ncaller_id = \"full\"\n[alerts]\ncall_max = \"1s\"\n"
	if err := os.WriteFile(path, []byte(rules), 0o600); err != nil {
		t.Fatal(err)
	}

	own := demoSnapshot(t)
	if own.Totals.AgentsOverLimit != nil {
		t.Errorf("the demo without a configuration checks limits: %d over", *own.Totals.AgentsOverLimit)
	}
	if numbers := callers(own); len(numbers) == 0 || !strings.Contains(numbers[0], "*") {
		t.Errorf("the demo without a configuration: callers %q, want masked numbers", numbers)
	}

	ruled := demoSnapshot(t, "--config", path)
	if ruled.Totals.AgentsOverLimit == nil {
		t.Error("snapshot --demo --config: agents_over_limit null, the file's [alerts] call_max ignored")
	}
	numbers := callers(ruled)
	if len(numbers) == 0 {
		t.Fatal("no call in the demo's first burst: nothing shows caller_id")
	}
	for _, n := range numbers {
		if n == "" || strings.Contains(n, "*") {
			t.Errorf("snapshot --demo --config: caller %q, want the whole number (caller_id = \"full\")", n)
		}
	}
}

// TestDemoStopsAtItsConfigurationsError: a file given to --demo that
// cannot be read stops the demo at once with the file's error (exit 2),
// as it stops the board: the user asked for its rules.
func TestDemoStopsAtItsConfigurationsError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "broken.toml")
	if err := os.WriteFile(path, []byte("[alerts]\ncall_max = \"forever\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, command := range [][]string{{"snapshot"}, {}} {
		code, out, errs := runCommand(append(command, "--demo", "--config", path)...)
		if code != exitConfig || out != "" || !strings.Contains(errs, path) || !strings.Contains(errs, "forever") || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v --demo with a broken file: exit %d, stdout %q, stderr %q; want exit 2 and the file's error on one line", command, code, out, errs)
		}
	}
}

// TestDemoBoardShowsTheConfigurationsCallers: the real binary, `--demo
// --config FILE` in a terminal, shows on its Agents tab the whole caller
// numbers the file's caller_id = "full" asks for (the demo's own rule
// masks them), and ends without a word: it was live.
func TestDemoBoardShowsTheConfigurationsCallers(t *testing.T) {
	t.Parallel()
	bin := testkit.Binary(t)
	path := filepath.Join(t.TempDir(), "rules.toml")
	if err := os.WriteFile(path, []byte("[display]\ncaller_id = \"full\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	term := startInTerminal(t, 120, 40, bin, "--demo", "--config", path)
	term.screen.waitFor(t, "live")
	from := len(term.screen.String())
	io.WriteString(term.ptmx, "2") // the Agents tab
	whole := regexp.MustCompile(`[^*\d]33\d{9}[^*\d]`)
	deadline := time.NewTimer(testkit.Patience)
	defer deadline.Stop()
	for !whole.MatchString(term.screen.String()[from:]) {
		select {
		case <-term.screen.changed:
		case <-deadline.C:
			t.Fatalf("no whole caller number on the Agents tab within %v:\n%q", testkit.Patience, tail(term.screen.String(), 3000))
		}
	}
	if strings.Contains(term.screen.String()[from:], "******") {
		t.Error("a masked caller on the Agents tab: the file's caller_id ignored")
	}
	io.WriteString(term.ptmx, "q")
	exited := make(chan error, 1)
	go func() { exited <- term.cmd.Wait() }()
	if err := testkit.Receive(t, "the demo's end after q", exited); err != nil {
		t.Errorf("exit: %v", err)
	}
	term.tty.Close()
	<-term.copied
	screen := term.screen.String()
	if after := screen[strings.LastIndex(screen, "\x1b[?1049l")+len("\x1b[?1049l"):]; strings.Contains(after, "callboard") {
		t.Errorf("after the board, the terminal got %q: the demo was live", after)
	}
}
