package cli

import (
	"bufio"
	"context"
	"io"
	"runtime/debug"
	"strings"
	"testing"

	"callboard/internal/testkit"
)

func TestHelpListsTheSubcommands(t *testing.T) {
	for _, arg := range []string{"--help", "-h"} {
		code, stdout, _ := runCommand(arg)
		if code != exitOK {
			t.Errorf("%s: exit %d, want 0", arg, code)
		}
		for _, sub := range []string{"--demo", "snapshot", "metrics", "doctor", "replay", "report", "serve", "simulate", "version", "-config", "-wall"} {
			if !strings.Contains(stdout, sub) {
				t.Errorf("%s does not mention %q on stdout:\n%s", arg, sub, stdout)
			}
		}
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, stdout, _ := runCommand(args...)
		if code != exitOK || !strings.HasPrefix(stdout, "callboard ") || !strings.Contains(stdout, "go1.") {
			t.Errorf("%v: exit %d, %q", args, code, stdout)
		}
	}
}

// commandArgs are the commands with a flag of each that their usage lists,
// spelt as every usage spells them, the board first.
var commandArgs = []struct {
	command []string
	flag    string
}{
	{nil, "--demo"},
	{[]string{"snapshot"}, "--wait"},
	{[]string{"metrics"}, "--listen"},
	{[]string{"doctor"}, "--json"},
	{[]string{"replay"}, "--speed"},
	{[]string{"simulate"}, "--seed"},
	{[]string{"report"}, "--csv"},
	{[]string{"serve"}, "--ssh-listen"},
}

// TestEveryCommandHelpExitsZero: --help and -h print the command's usage
// on stdout, nothing on stderr, and exit 0, whatever the command; every
// usage lists its flags as --name.
func TestEveryCommandHelpExitsZero(t *testing.T) {
	for _, c := range commandArgs {
		for _, help := range []string{"--help", "-h"} {
			args := append(append([]string(nil), c.command...), help)
			code, stdout, stderr := runCommand(args...)
			if code != exitOK || !strings.Contains(stdout, "\n  "+c.flag) || stderr != "" {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 0 and the usage (with %s) on stdout", args, code, stdout, stderr, c.flag)
			}
		}
	}
}

// TestEveryCommandRefusesStrayArguments: an argument a command does not
// take is a usage error (exit 2) that names it, before anything starts.
func TestEveryCommandRefusesStrayArguments(t *testing.T) {
	dir := t.TempDir() // no configuration: a command that went on would fail for another reason
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	for _, c := range commandArgs {
		args := append(append([]string(nil), c.command...), "stray-argument")
		switch {
		case len(c.command) == 0:
			args = []string{"--demo", "stray-argument"}
		case c.command[0] == "replay": // it takes one recording
			args = []string{"replay", "first.rec", "stray-argument"}
		case c.command[0] == "simulate": // an address it cannot listen on: if it went on, it would fail, not serve
			args = []string{"simulate", "--listen", "256.0.0.1:0", "stray-argument"}
		}
		code, stdout, stderr := runCommand(args...)
		if code != exitConfig || !strings.Contains(stderr, `"stray-argument"`) || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 naming the argument", args, code, stdout, stderr)
		}
	}
}

// TestVersionTakesTheUsageScheme: version is a command like the others:
// --help prints its usage, a stray argument is refused.
func TestVersionTakesTheUsageScheme(t *testing.T) {
	if code, stdout, stderr := runCommand("version", "--help"); code != exitOK || !strings.HasPrefix(stdout, "Usage: callboard version") || stderr != "" {
		t.Errorf("version --help: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, stdout, stderr := runCommand("version", "extra"); code != exitConfig || stdout != "" || !strings.Contains(stderr, `"extra"`) {
		t.Errorf("version extra: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestFlagErrorsNameTheFlagAsTheUsageSpellsIt: an unknown flag, a bad
// value or a missing one is a usage error (exit 2) on one line of stderr
// that names the flag as --name, with the command's own prefix and where
// its flags are listed, and nothing on stdout.
func TestFlagErrorsNameTheFlagAsTheUsageSpellsIt(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--bogus"}, "callboard: flag provided but not defined: --bogus (callboard --help lists the flags)"},
		{[]string{"snapshot", "--wait", "soon"}, `callboard: invalid value "soon" for flag --wait: parse error (callboard snapshot --help lists the flags)`},
		{[]string{"report", "--csv"}, "callboard: flag needs an argument: --csv (callboard report --help lists the flags)"},
		{[]string{"--demo=maybe"}, `callboard: invalid boolean value "maybe" for --demo: parse error (callboard --help lists the flags)`},
		{[]string{"metrics", "--listen", ""}, "callboard: --listen: want the address of /metrics, host:port"},
	} {
		code, stdout, stderr := runCommand(tc.args...)
		if code != exitConfig || stdout != "" || stderr != tc.want+"\n" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and %q", tc.args, code, stdout, stderr, tc.want)
		}
	}
}

// TestSimulateSaysWhereItListens: the simulator alone prints its address
// and the login it takes, never the password; an address it cannot
// listen on and a negative --blast are usage errors (exit 2), as every
// command's.
func TestSimulateSaysWhereItListens(t *testing.T) {
	t.Setenv("CALLBOARD_SIM_PASSWORD", "hunter2")
	ctx, cancel := context.WithCancel(context.Background())
	r, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- simulateCommand(ctx, []string{"--listen", "127.0.0.1:0", "--login", "sup"}, w, io.Discard)
	}()
	line, err := bufio.NewReader(r).ReadString('\n') // printed once it listens
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := testkit.Receive(t, "the simulator's end", done); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(line, "http://127.0.0.1:") || !strings.Contains(line, `"sup"`) || strings.Contains(line, "hunter2") {
		t.Errorf("simulate printed %q", line)
	}

	taken := testkit.SilentListener(t)
	for _, args := range [][]string{{"simulate", "--listen", strings.TrimPrefix(taken, "http://")}, {"simulate", "--blast", "-5"}} {
		if code, stdout, stderr := runCommand(args...); code != exitConfig || stdout != "" || !strings.HasPrefix(stderr, "callboard: ") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want a usage error", args, code, stdout, stderr)
		}
	}
}

// TestVersionNamesTheCommit: the version names the commit and its time
// when Go recorded them, the tree's changes, and says so when it did not.
func TestVersionNamesTheCommit(t *testing.T) {
	stamped := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "1e74060aa0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5"},
		{Key: "vcs.time", Value: "2026-12-06T23:40:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	if got, want := versionOf(stamped), "callboard (devel) 1e74060aa0b1 (modified) 2026-12-06T23:40:00Z go1.26.8"; got != want {
		t.Errorf("stamped: %q, want %q", got, want)
	}
	bare := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}
	if got := versionOf(bare); !strings.Contains(got, "no commit recorded") || !strings.HasSuffix(got, " go1.26.8") {
		t.Errorf("unstamped: %q, want it to say no commit was recorded", got)
	}
}
