package cli

import "testing"

func TestReplayRefusesBadArguments(t *testing.T) {
	for _, args := range [][]string{{"replay"}, {"replay", "x.jsonl", "--speed", "3"}, {"replay", "/nonexistent.jsonl", "--snapshot"}} {
		if code, _, _ := runCommand(args...); code != exitConfig {
			t.Errorf("%q: exit %d, want %d", args, code, exitConfig)
		}
	}
}
