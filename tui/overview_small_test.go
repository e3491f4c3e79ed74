package tui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// TestOverviewSaysWhatItLeavesOut: at 40x12 the Overview's queue table
// shows 2 of its 5 queues and the footer says which (the count, and the
// rows on screen); at 40x5, with no room for a tile nor for the line that
// names them, the footer says the tiles are not shown.
func TestOverviewSaysWhatItLeavesOut(t *testing.T) {
	newModel := simBoard(t)
	end := playBoard(t, newModel(renderer(termenv.Ascii)), 40, 12, "1")
	if f := footerLine(end.screen); !strings.Contains(f, "5 queues · 1–2") {
		t.Errorf("40x12: the footer says %q, want 5 queues · 1–2\n%s", f, end.screen)
	}
	end = playBoard(t, newModel(renderer(termenv.Ascii)), 40, 12, "1", "jj")
	if f := footerLine(end.screen); !strings.Contains(f, "5 queues · 2–3") {
		t.Errorf("40x12, two rows down: the footer says %q, want 5 queues · 2–3\n%s", f, end.screen)
	}
	end = playBoard(t, newModel(renderer(termenv.Ascii)), 40, 5, "1")
	if f := footerLine(end.screen); !strings.Contains(f, "+11 tiles") || !strings.Contains(f, "5 queues") {
		t.Errorf("40x5: the footer says %q, want the 11 tiles left out said, and 5 queues\n%s", f, end.screen)
	}
	playGoldens(t, newModel, "1", "jj")
}

// TestThePositionStaysAtEveryWidth: on every tab of one table, whose rows
// do not all fit, the footer says which are on screen at every width
// from 40 columns.
func TestThePositionStaysAtEveryWidth(t *testing.T) {
	v := simMorning(t)
	position := regexp.MustCompile(`\d+–\d+`)
	for tb := range tabCount {
		m, _ := update(t, New(Config{View: v}), sizeMsg(200, 12))
		m = keys(t, m, string(rune('1'+tb)))
		tv := m.current().base()
		if len(tv.panes) > 1 {
			continue // its tables' headings say it
		}
		for width := 40; width <= 200; width++ {
			m, _ = update(t, m, sizeMsg(width, 12))
			if tv.rows() <= tv.visibleRows() {
				continue
			}
			if footer := ansi.Strip(m.footerView()); !position.MatchString(footer) {
				t.Fatalf("%s at %d columns: the footer %q does not say the rows on screen (%d of %d shown)", tb, width, footer, tv.visibleRows(), tv.rows())
			}
		}
	}
}
