package tui

import (
	"strings"
	"testing"

	"github.com/muesli/termenv"
)

// TestF1WhileTheFilterIsTyped: F1 is no text, so while the filter is
// typed it keeps the filter, as enter does, and opens the help; closed, the
// tab is narrowed to what was typed. ? stays text there.
func TestF1WhileTheFilterIsTyped(t *testing.T) {
	newModel := scriptedBoard(t)
	for _, f1 := range []string{"\x1bOP", "\x1b[11~"} {
		end := playBoard(t, newModel(renderer(termenv.Ascii)), 80, 24, "2", "/Bo", f1)
		if !strings.Contains(end.screen, "?/F1") {
			t.Errorf("%q while typing the filter does not open the help:\n%s", f1, end.screen)
		}
		end = playBoard(t, newModel(renderer(termenv.Ascii)), 80, 24, "2", "/Bo", f1, f1)
		if !strings.Contains(end.screen, "Bob Durand") || strings.Contains(end.screen, "Alice Martin") || !strings.Contains(footerLine(end.screen), "filter “Bo”") {
			t.Errorf("the help closed, want the Agents tab narrowed to Bob:\n%s", end.screen)
		}
	}
	end := playBoard(t, newModel(renderer(termenv.Ascii)), 80, 24, "2", "/Bo?")
	if strings.Contains(end.screen, "?/F1") || !strings.Contains(footerLine(end.screen), "/Bo?") {
		t.Errorf("? while typing the filter is text:\n%s", end.screen)
	}
	playGoldens(t, newModel, "2", "/Bo", "\x1bOP")
}
