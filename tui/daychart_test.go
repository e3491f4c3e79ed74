package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"callboard/feed"
	"callboard/state"
)

// dayOverview shows dayScript's first n messages on the Overview at width ×
// height, as of the clock at, without colour.
func dayOverview(t *testing.T, n int, at time.Duration, width, height int) Model {
	t.Helper()
	return dayOverviewIn(t, termenv.Ascii, n, at, width, height)
}

// dayOverviewIn is dayOverview on a terminal of colour profile p.
func dayOverviewIn(t *testing.T, p termenv.Profile, n int, at time.Duration, width, height int) Model {
	t.Helper()
	tb := newTestBoard(t, state.Options{Interval: 30 * time.Minute})
	m, _ := update(t, New(Config{Title: "callboard — demo", Renderer: renderer(p)}), sizeMsg(width, height))
	m = tb.send(m, dayScript(t)[:n]...)
	tb.clock = start.Add(at)
	return tb.send(m)
}

const chartHeading = "Day by interval, 30 min"

func TestOverviewChartGoldens(t *testing.T) {
	for _, c := range []struct {
		name          string
		n             int
		at            time.Duration
		width, height int
	}{
		{"120x45", len(dayScript(t)), dayEnd, 120, 45},
		{"one_interval_120x45", 9, 10 * time.Minute, 120, 45},
		{"60x30", len(dayScript(t)), dayEnd, 60, 30},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := dayOverview(t, c.n, c.at, c.width, c.height)
			view := m.View()
			checkSize(t, view, c.width, c.height)
			teatest.RequireEqualOutput(t, []byte(view))
			for _, want := range []string{chartHeading, " Answered", " Abandoned", " Reachable", "15:00"} {
				if !strings.Contains(view, want) {
					t.Errorf("the chart does not show %q:\n%s", want, view)
				}
			}
		})
	}
}

func TestOverviewChartOnlyWhenThereIsRoom(t *testing.T) {
	for _, c := range []struct {
		width, height int
		chart         bool
	}{
		{120, 45, true},
		{80, 24, true}, // two queues: 11 lines left
		{80, 20, false},
		{59, 45, false},
		{60, 45, true},
		{40, 12, false},
		{200, 60, true},
	} {
		m := dayOverview(t, len(dayScript(t)), dayEnd, c.width, c.height)
		v := m.View()
		checkSize(t, v, c.width, c.height)
		if got := strings.Contains(v, chartHeading); got != c.chart {
			t.Errorf("%dx%d: chart %v, want %v:\n%s", c.width, c.height, got, c.chart, v)
		}
		if !strings.Contains(v, "Support") || !strings.Contains(v, "Sales") {
			t.Errorf("%dx%d: the chart took the queue table's rows:\n%s", c.width, c.height, v)
		}
	}
	// More queues leave less room: none at 80x24 with eight.
	tb := newTestBoard(t, state.Options{Interval: 30 * time.Minute})
	m, _ := update(t, New(Config{}), sizeMsg(80, 24))
	msgs := dayScript(t)
	for q := range 6 {
		msgs = append(msgs, callAt(6450, "insert_call", fmt.Sprint(20+q), fmt.Sprint("x", q)))
	}
	m = tb.send(m, msgs...)
	if v := m.View(); strings.Contains(v, chartHeading) || !strings.Contains(v, "#25") {
		t.Errorf("eight queues at 80x24: the queue table first, no chart:\n%s", v)
	}
	// On other tabs, never.
	m = dayOverview(t, len(dayScript(t)), dayEnd, 120, 45)
	for _, k := range []string{"2", "3", "4", "5", "6", "7"} {
		m = keys(t, m, k)
		if v := m.View(); strings.Contains(v, chartHeading) {
			t.Errorf("tab %s shows the chart:\n%s", k, v)
		}
	}
}

func TestOverviewChartDegrades(t *testing.T) {
	// No data, no interval: no chart, no crash.
	m, _ := update(t, New(Config{}), sizeMsg(120, 45))
	if v := m.View(); strings.Contains(v, chartHeading) {
		t.Errorf("a board without data draws a chart:\n%s", v)
	}
	// Nothing but zeros (one update, a login, at the clock): the scale says
	// 0 and no bar stands.
	m = dayOverview(t, 3, 0, 120, 45)
	v := m.View()
	if !strings.Contains(v, chartHeading) || !strings.Contains(v, " Answered      0┤") || strings.ContainsAny(v, "▁▂▃▄▅▆▇█") {
		t.Errorf("all zeros:\n%s", v)
	}
	// A day of 15-minute intervals in a narrow chart: the latest that fit,
	// the newest on the right.
	tb := newTestBoard(t, state.Options{Interval: 15 * time.Minute})
	m, _ = update(t, New(Config{}), sizeMsg(60, 40))
	m = tb.send(m, dayScript(t)...)
	tb.clock = start.Add(8*time.Hour + 30*time.Minute) // 23:47, 35 intervals in 42 columns
	m = tb.send(m)
	v = m.View()
	checkSize(t, v, 60, 40)
	axis := ""
	for _, l := range strings.Split(v, "\n") {
		if strings.HasPrefix(l, strings.Repeat(" ", chartLabel)+"15:15") {
			axis = l
		}
	}
	if !strings.Contains(axis, "23:00") {
		t.Errorf("the time axis of 35 intervals: %q\n%s", axis, v)
	}
	// More intervals than columns: the latest, up to now.
	tb = newTestBoard(t, state.Options{Interval: 10 * time.Minute})
	m, _ = update(t, New(Config{}), sizeMsg(60, 40))
	m = tb.send(m, dayScript(t)...)
	tb.clock = start.Add(8*time.Hour + 42*time.Minute) // 23:59: 53 intervals from 15:10, 42 columns
	m = tb.send(m)
	v = m.View()
	checkSize(t, v, 60, 40)
	if !strings.Contains(v, strings.Repeat(" ", chartLabel)+"17:00 18:00") || !strings.Contains(v, "23:00") {
		t.Errorf("53 intervals in 42 columns: the latest 42, from 17:00:\n%s", v)
	}
	// Any figure above 0 shows: one abandon beside forty is not lost in
	// the rounding.
	lines := drawStrip(chartStrip{label: "Abandoned", values: []float64{40, 1, 0}, top: 40, topText: "40"}, 2, 10, 1, 1, m.styles)
	if want := []string{" Abandoned    40┤█         ", "                │█ ▁       "}; strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("40, 1, 0 in two lines:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	// A large call center's scale stays whole.
	lines = drawStrip(chartStrip{label: "Reachable", values: []float64{123.4}, top: 123.4, topText: "123.4"}, 1, 10, 1, 1, m.styles)
	if !strings.HasPrefix(lines[0], " Reachable 123.4┤█") {
		t.Errorf("a scale of 123.4: %q", lines[0])
	}
}

// chartRows are the lines of the chart's strip named label.
func chartRows(view, label string) []string {
	var rows []string
	in := false
	for _, l := range strings.Split(view, "\n") {
		switch {
		case strings.HasPrefix(l, label) && strings.Contains(l, "┤"):
			in = true
		case in && !strings.HasPrefix(l, strings.Repeat(" ", chartLabel-1)+"│"):
			return rows
		}
		if in {
			rows = append(rows, l)
		}
	}
	return rows
}

func TestOverviewChartBars(t *testing.T) {
	m := dayOverview(t, len(dayScript(t)), dayEnd, 120, 45)
	v := m.View()
	// Five intervals, bars 4 wide and 1 apart: 15:00 to 17:00. Answered:
	// 1, 2, 0, 0, 0; the top of its scale is 2.
	answered := chartRows(v, " Answered")
	if len(answered) == 0 || !strings.HasPrefix(answered[0], " Answered      2┤     ████") {
		t.Fatalf("answered: %q\n%s", answered, v)
	}
	bottom := answered[len(answered)-1]
	if want := strings.Repeat(" ", chartLabel-1) + "│████ ████"; !strings.HasPrefix(bottom, want) || strings.Contains(bottom[len(want):], "█") {
		t.Errorf("answered, bottom line: %q, want 15:00 and 15:30 only", bottom)
	}
	if !strings.Contains(v, strings.Repeat(" ", chartLabel)+"15:00     16:00     17:00") {
		t.Errorf("no time axis under the bars:\n%s", v)
	}
	// The chart follows the views: a call answered now stands in the
	// last bar; and the window.
	tb := newTestBoard(t, state.Options{Interval: 30 * time.Minute})
	m, _ = update(t, New(Config{}), sizeMsg(120, 45))
	m = tb.send(m, dayScript(t)...)
	tb.clock = start.Add(dayEnd)
	m = tb.send(m, callAt(6500, "connect_call", "11", "c7"))
	if got := chartRows(m.View(), " Answered"); len(got) == 0 || !strings.HasSuffix(strings.TrimRight(got[len(got)-1], " "), "████ ████           ████") {
		t.Errorf("a call answered at 17:05 is not in the last bar: %q", got)
	}
	m, _ = update(t, m, sizeMsg(120, 25)) // 14 lines left: 4 a strip
	if got := chartRows(m.View(), " Answered"); len(got) != 4 {
		t.Errorf("at 120x25, answered: %q", got)
	}
	// Colours from the viewer's renderer: green, magenta (red is for critical levels only), cyan bars.
	colour := dayOverviewIn(t, termenv.ANSI, len(dayScript(t)), dayEnd, 120, 45).View()
	for _, sgr := range []string{"\x1b[32m████", "\x1b[35m", "\x1b[36m████"} {
		if !strings.Contains(colour, sgr) {
			t.Errorf("no %q in the chart in colour", sgr)
		}
	}
	// Not live: the bars are faint, as the tiles.
	tb = newTestBoard(t, state.Options{Interval: 30 * time.Minute})
	m, _ = update(t, New(Config{Renderer: renderer(termenv.ANSI)}), sizeMsg(120, 45))
	m = tb.send(m, append(dayScript(t), &feed.StatusMsg{State: feed.Disconnected, At: start.Add(dayEnd)})...)
	if v := m.View(); !strings.Contains(v, chartHeading) || !strings.Contains(v, "\x1b[2;32m") {
		t.Errorf("not live: the chart should be there, faint:\n%q", v)
	}
}
