package main

import (
	"strings"
	"testing"
)

func TestHelpListsTheSubcommands(t *testing.T) {
	for _, arg := range []string{"--help", "-h"} {
		code, _, stderr := runCommand(arg)
		if code != exitOK {
			t.Errorf("%s: exit %d, want 0", arg, code)
		}
		for _, sub := range []string{"--demo", "snapshot", "metrics", "doctor", "replay", "report", "serve", "simulate", "version", "-config", "-wall"} {
			if !strings.Contains(stderr, sub) {
				t.Errorf("%s does not mention %q:\n%s", arg, sub, stderr)
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
