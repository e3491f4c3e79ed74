package cli

import (
	"flag"
	"io"
	"slices"
	"strings"
	"testing"
)

// TestScopeFlagsRefuseBadEntries: a bad --queues or --groups is a usage
// error (exit 2) of every command that takes them, naming the flag and
// what is wrong, and bounded whatever the value's length; nothing is
// opened.
func TestScopeFlagsRefuseBadEntries(t *testing.T) {
	long := strings.Repeat("q", 129)
	many := strings.TrimSuffix(strings.Repeat("q,", 101), ",")
	cases := []struct {
		flag, value, want string
	}{
		{"--queues", "391,,392", "--queues: an entry is empty"},
		{"--groups", "391,", "--groups: an entry is empty"},
		{"--queues", " , 391", "--queues: an entry is empty"},
		{"--queues", long, "--queues: an entry is 129 characters long, more than 128"},
		{"--groups", many, "--groups: more than 100 entries"},
		{"--queues", "Sup\x1b[2Jport", `--queues: "Sup\x1b[2Jport" holds a control, invisible or bidi character`},
		{"--queues", "Sup\u202eport", `--queues: "Sup\u202eport" holds a control, invisible or bidi character`},
		{"--groups", "\xff", `--groups: "\xff" is not UTF-8`},
	}
	for _, command := range [][]string{nil, {"snapshot"}, {"report", "--csv", "calls"}, {"metrics"}} {
		for _, c := range cases {
			args := append(append(slices.Clone(command), "--config", "/nonexistent/callboard.toml"), c.flag, c.value)
			code, stdout, stderr := runCommand(args...)
			if code != exitConfig || stdout != "" || !strings.HasPrefix(stderr, "callboard: "+c.want) || strings.Count(stderr, "\n") != 1 || len(stderr) > 400 {
				t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and one line %q", args, code, stdout, stderr, c.want)
			}
		}
	}
}

// TestScopeFlagsTakeListsAndRepeats: entries are comma-separated, spaces
// around them trimmed, and a flag given twice adds to the first.
func TestScopeFlagsTakeListsAndRepeats(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := newScopeFlags(fs, "the board")
	if err := fs.Parse([]string{"--queues", "391, Support", "--groups=12", "--queues", "Ventes"}); err != nil {
		t.Fatal(err)
	}
	s, err := f.scope()
	if err != nil || !slices.Equal(s.Queues, []string{"391", "Support", "Ventes"}) || !slices.Equal(s.Groups, []string{"12"}) || s.Name != "" {
		t.Errorf("scope %+v, %v", s, err)
	}
	f = newScopeFlags(flag.NewFlagSet("t", flag.ContinueOnError), "the board")
	if s, err := f.scope(); err != nil || !s.Whole() {
		t.Errorf("without the flags: %+v, %v; want the whole center", s, err)
	}
}
