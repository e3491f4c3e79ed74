package tui

import (
	"strings"
	"testing"

	"github.com/muesli/termenv"
)

// TestEventsSayRejectedInWords: at 40 columns, where the Note column is
// hidden, a rejected event is marked ✗ and an unknown one ? in the gutter
// (the marks stay without colour), at 80 too; the counts above the list
// are said in short words rather than cut.
func TestEventsSayRejectedInWords(t *testing.T) {
	newModel := scriptedBoard(t)
	for _, size := range [][2]int{{40, 12}, {80, 24}} {
		end := playBoard(t, newModel(renderer(termenv.Ascii)), size[0], size[1], "6")
		lines := strings.Split(end.screen, "\n")
		rejected, unknown := false, false
		for _, l := range lines[4:] {
			switch {
			case strings.HasPrefix(l, "›✗") || strings.HasPrefix(l, " ✗"):
				rejected = true
			case strings.Contains(l, "operator  status") && (strings.HasPrefix(l, "›?") || strings.HasPrefix(l, " ?")):
				unknown = true
			}
		}
		if !rejected || !unknown {
			t.Errorf("%dx%d: the rejected event marked %v, the unknown one %v:\n%s", size[0], size[1], rejected, unknown, end.screen)
		}
		counts := lines[3]
		if strings.Contains(counts, "…") || !strings.Contains(counts, "1 rej") || !strings.Contains(counts, "1 unk") {
			t.Errorf("%dx%d: the counts say %q, want them whole, rejected and unknown said", size[0], size[1], counts)
		}
	}
}

// TestEventsPausedSaysOnlyWhatIsNewer: paused on the newest event the
// filter shows, the board says "paused", never "paused: 0 newer"; paused
// with no filter, the footer says that esc follows the newest again, not
// that it clears.
func TestEventsPausedSaysOnlyWhatIsNewer(t *testing.T) {
	m, tb := eventsBoard(t, 500, 20, 80, 24)
	m = press(t, m, "j") // on cpt 19, paused
	if f := footer(m); !strings.Contains(f, "paused: 1 newer") || strings.Contains(f, "esc clears") || !strings.Contains(f, "esc: follow") {
		t.Errorf("paused, no filter: the footer says %q, want paused: 1 newer and esc: follow", f)
	}
	m = press(t, m, "/", "logout", "enter") // the odd ones: 19 is the newest
	if v := m.View(); strings.Contains(v, "0 newer") || !strings.Contains(footer(m), "paused") || !strings.Contains(footer(m), "esc clears") {
		t.Errorf("paused on the newest the filter shows, the board says\n%s", v)
	}
	m = sendUpdates(t, tb, m, 21, 24)
	if f := footer(m); !strings.Contains(f, "paused: 2 newer") {
		t.Errorf("two newer logouts: the footer says %q, want paused: 2 newer (the logouts only)", f)
	}
}

// TestTheFooterSaysTheEventsAreFollowed: following the newest is said in
// the footer, as being paused is.
func TestTheFooterSaysTheEventsAreFollowed(t *testing.T) {
	m, _ := update(t, New(Config{View: simMorning(t)}), sizeMsg(100, 20))
	m = keys(t, m, "6")
	if f := footer(m); !strings.Contains(f, "following newest") {
		t.Errorf("following, the footer says %q, want following newest", f)
	}
	m = keys(t, m, "j")
	if f := footer(m); strings.Contains(f, "following") || !strings.Contains(f, "paused") {
		t.Errorf("paused, the footer says %q", f)
	}
}
