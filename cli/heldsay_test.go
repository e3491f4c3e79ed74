package cli

import (
	"strconv"
	"strings"
	"testing"
)

func TestLinesSaidWhileTheBoardIsDrawnWaitForTheTerminal(t *testing.T) {
	var before, after strings.Builder
	h := &heldLines{w: &before}
	h.say("journal: not writing")
	h.hold()
	for i := range maxHeldLines + 5 {
		h.say("notify: command failed " + strconv.Itoa(i))
	}
	if got := before.String(); got != "callboard: journal: not writing\n" {
		t.Fatalf("while the board was drawn the terminal got %q", got)
	}
	h.release(&after)
	h.say("said after")
	got := after.String()
	for _, want := range []string{"callboard: notify: command failed 0\n", "command failed 99\n", "5 more lines not shown", "callboard: said after\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("after the board the terminal got %q, want %q in it", got, want)
		}
	}
	if strings.Contains(got, "failed 100") {
		t.Errorf("more than %d lines held: %q", maxHeldLines, got)
	}
}
