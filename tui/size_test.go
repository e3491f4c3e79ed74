package tui

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// maxScreenAlloc bounds what laying out and drawing one screen may
// allocate, whatever size the viewer's terminal claims: a screen of
// MaxWidth×MaxHeight takes a few megabytes.
const maxScreenAlloc = 64 << 20

// TestAbsurdWindowSizesAreClamped gives the board sizes a viewer's terminal
// may claim over ssh (two 32-bit numbers), in every mode that lays out by
// the size: the board stays within MaxWidth×MaxHeight, draws, and allocates
// a bounded amount.
func TestAbsurdWindowSizesAreClamped(t *testing.T) {
	sizes := []struct{ w, h int }{
		{4000000000, 4000000000}, {100000, 100000}, {5000, 3000}, {MaxWidth + 1, MaxHeight + 1},
		{-5, -7}, {0, 0}, {-4000000000, 24}, {80, -1},
	}
	modes := map[string]func(*Model){
		"overview": func(*Model) {},
		"wall":     func(m *Model) { m.wall = true },
		"help":     func(m *Model) { m.showHelp = true },
		"day":      func(m *Model) { m.tab = tabDay },
		"agents":   func(m *Model) { m.tab = tabAgents },
		"events":   func(m *Model) { m.tab = tabEvents },
	}
	for name, mode := range modes {
		for _, sz := range sizes {
			t.Run(fmt.Sprintf("%s/%dx%d", name, sz.w, sz.h), func(t *testing.T) {
				m := dayOverview(t, len(dayScript(t)), dayEnd, 120, 45)
				mode(&m)
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				m, _ = update(t, m, sizeMsg(sz.w, sz.h))
				view := m.View()
				runtime.ReadMemStats(&after)
				if got := after.TotalAlloc - before.TotalAlloc; got > maxScreenAlloc {
					t.Errorf("%d bytes allocated for one screen, want at most %d", got, maxScreenAlloc)
				}
				w, h := min(max(sz.w, 0), MaxWidth), min(max(sz.h, 0), MaxHeight)
				if m.width != w || m.height != h {
					t.Errorf("laid out for %dx%d, want %dx%d", m.width, m.height, w, h)
				}
				if w == 0 || h == 0 {
					return
				}
				checkSize(t, view, w, h)
				if w >= minWidth && h >= minHeight && !strings.Contains(view, "callboard") && name != "wall" {
					t.Errorf("no board drawn:\n%.2000s", view)
				}
			})
		}
	}
}

// TestClampedChartAtTheLargestWindow draws the Overview's chart at the
// largest window: the chart is there, as wide as the window.
func TestClampedChartAtTheLargestWindow(t *testing.T) {
	m := dayOverview(t, len(dayScript(t)), dayEnd, 120, 45)
	m, _ = update(t, m, sizeMsg(4000000000, 4000000000))
	view := m.View()
	if !strings.Contains(view, chartHeading) {
		t.Errorf("no chart at %dx%d", m.width, m.height)
	}
	checkSize(t, view, MaxWidth, MaxHeight)
}
