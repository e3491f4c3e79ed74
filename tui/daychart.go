package tui

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/NimbleMarkets/ntcharts/barchart"
	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"callboard/state"
)

// The Overview's chart of the day by interval, under the queue table when
// the window leaves room for it: three strips of bars sharing one time axis
// (calls answered, calls abandoned, the mean number of agents reachable),
// one bar per interval, each strip scaled to its own highest bar and
// labelled with it, so that it reads without colour too.
//
// ntcharts' barchart scales the bars and picks their block runes; the
// board renders its canvas itself, with the program's styles: the canvas's
// own View draws the empty cells through lipgloss's default renderer (a
// zero style), not the viewer's.

const (
	chartMinLines = 8  // heading, three strips of two lines, time axis
	chartMaxLines = 16 // more is not more legible
	chartMinWidth = 60
	chartLabel    = 17 // " Abandoned  123.4┤": name, scale, axis
	barMaxWidth   = 4
)

// layoutChart draws the chart for the window and the view, or none when
// the Overview has no room for it below its tiles and its whole queue
// table, or no interval to show. c.chart holds its lines and the blank ones
// under it: all the lines the Overview has left. It is drawn again only
// when what it shows changed, and only while the Overview is on screen.
func (c *overviewTab) layoutChart(sh *shared) {
	in, ok := newChartInput(sh)
	if !ok {
		c.chart, c.chartDrawn = nil, chartInput{}
		return
	}
	if c.chart != nil && in.equal(&c.chartDrawn) {
		return
	}
	c.chart, c.chartDrawn = dayChart(&in, sh.styles), in
	for len(c.chart) < in.room {
		c.chart = append(c.chart, "")
	}
}

// chartInput is everything the chart draws.
type chartInput struct {
	width, lines, room int // room: the lines the Overview has left for it
	live               bool
	intervals          []state.IntervalRow // those shown: the latest that fit
	barWidth, barGap   int
	// per interval shown: the calls answered and abandoned, the agents
	// reachable rounded as written
	answered, abandoned, reachable []float64
}

// newChartInput is what the chart would show of the view in the window;
// false when it does not fit or has nothing to show.
func newChartInput(sh *shared) (chartInput, bool) {
	v := sh.view
	if len(v.Intervals) == 0 || !v.Feed.HasData() || sh.width < chartMinWidth {
		return chartInput{}, false
	}
	room := sh.height - chromeLines - overviewLines(sh) - titleLines - max(len(v.Queues), 1)
	if room < chartMinLines {
		return chartInput{}, false
	}
	in := chartInput{width: sh.width, lines: min(room, chartMaxLines), room: room, live: sh.live(), intervals: v.Intervals, barWidth: 1}
	plot := sh.width - chartLabel - 1
	if slot := plot / len(in.intervals); slot >= 2 {
		in.barWidth, in.barGap = min(slot-1, barMaxWidth), 1
	} else if len(in.intervals) > plot {
		in.intervals = in.intervals[len(in.intervals)-plot:]
	}
	n := len(in.intervals)
	in.answered, in.abandoned, in.reachable = make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range in.intervals {
		r := &in.intervals[i]
		in.answered[i] = float64(r.Total.Answered)
		in.abandoned[i] = float64(r.Total.Abandoned)
		in.reachable[i] = math.Round(r.AgentsReachable*10) / 10
	}
	return in, true
}

// equal reports whether a and b draw the same chart.
func (a *chartInput) equal(b *chartInput) bool {
	return a.width == b.width && a.lines == b.lines && a.room == b.room && a.live == b.live &&
		len(a.intervals) == len(b.intervals) && len(a.intervals) > 0 && a.intervals[0].Start.Equal(b.intervals[0].Start) &&
		a.intervals[0].Length == b.intervals[0].Length &&
		slices.Equal(a.answered, b.answered) && slices.Equal(a.abandoned, b.abandoned) && slices.Equal(a.reachable, b.reachable)
}

// chartStrip is one row of bars of the chart.
type chartStrip struct {
	label   string
	values  []float64
	top     float64 // the highest value, the top of the scale
	topText string
	style   lipgloss.Style
}

// dayChart draws the chart of in, in.lines lines: a heading, the strips,
// the time axis.
func dayChart(in *chartInput, st *styles) []string {
	strips := []chartStrip{
		countStrip("Answered", in.answered, st.chartAnswered),
		countStrip("Abandoned", in.abandoned, st.chartAbandoned),
		{label: "Reachable", values: in.reachable, top: maxOf(in.reachable), topText: meanText(maxOf(in.reachable)), style: st.chartReachable},
	}
	minutes := strconv.Itoa(int(in.intervals[0].Length.Minutes()))
	// The heading stays whole; what it says of the bars goes when it does
	// not fit beside it.
	heading, note := " Day by interval, "+minutes+" min", "reachable: mean agents · the last bar so far"
	if ansi.StringWidth(heading)+2+ansi.StringWidth(note) > in.width {
		note = ""
	}
	out := []string{spread(st.tileLabel.Render(heading), st.dim.Render(note), in.width)}
	plot := in.width - chartLabel - 1
	rows := in.lines - 2
	for k, s := range strips {
		h := rows / len(strips)
		if k < rows%len(strips) {
			h++
		}
		if !in.live {
			s.style = s.style.Faint(true)
		}
		out = append(out, drawStrip(s, h, plot, in.barWidth, in.barGap, st)...)
	}
	return append(out, timeAxis(in.intervals, plot, in.barWidth+in.barGap, st))
}

// countStrip is a strip of whole numbers.
func countStrip(label string, values []float64, style lipgloss.Style) chartStrip {
	top := maxOf(values)
	return chartStrip{label: label, values: values, top: top, topText: strconv.Itoa(int(top)), style: style}
}

// drawStrip draws s in height lines: its name and the top of its scale on
// the first, the bars after the axis.
func drawStrip(s chartStrip, height, plot, barWidth, barGap int, st *styles) []string {
	top := s.top
	if top <= 0 {
		top = 1 // no bar: a scale all the same
	}
	bc := barchart.New(plot, height, barchart.WithNoAxis(), barchart.WithNoAutoBarWidth(), barchart.WithBarWidth(barWidth),
		barchart.WithBarGap(barGap), barchart.WithNoAutoMaxValue(), barchart.WithMaxValue(top))
	least := top / float64(8*height) // an eighth of a line: any value above 0 shows
	for _, v := range s.values {
		if v > 0 {
			v = max(v, least)
		}
		bc.Push(barchart.BarData{Values: []barchart.BarValue{{Value: v, Style: s.style}}})
	}
	bc.Draw()
	lines := make([]string, height)
	for y := range height {
		label, axis := strings.Repeat(" ", chartLabel-1), "│"
		if y == 0 {
			label, axis = fit(" "+s.label, chartLabel-6, false)+fit(s.topText, 5, true), "┤"
		}
		var b strings.Builder
		b.WriteString(st.tileLabel.Render(label) + st.dim.Render(axis))
		var run []rune // bars side by side, drawn in one go
		for x := range plot {
			r := bc.Canvas.Cell(canvas.Point{X: x, Y: y}).Rune
			if r != 0 {
				run = append(run, r)
				continue
			}
			if len(run) > 0 {
				b.WriteString(s.style.Render(string(run)))
				run = run[:0]
			}
			b.WriteByte(' ')
		}
		if len(run) > 0 {
			b.WriteString(s.style.Render(string(run)))
		}
		lines[y] = b.String()
	}
	return lines
}

// timeAxis names the bars' times under them: the first bar's, then each
// hour's where there is room.
func timeAxis(ins []state.IntervalRow, plot, slot int, st *styles) string {
	axis := []rune(strings.Repeat(" ", plot))
	free := 0
	for i := range ins {
		x := i * slot
		start := ins[i].Start
		if x < free || (i > 0 && start.Minute() != 0) {
			continue
		}
		label := start.Format("15:04")
		if x+len(label) > plot {
			break
		}
		copy(axis[x:], []rune(label))
		free = x + len(label) + 1
	}
	return strings.Repeat(" ", chartLabel) + st.dim.Render(strings.TrimRight(string(axis), " "))
}

func maxOf(values []float64) float64 {
	top := 0.0
	for _, v := range values {
		top = max(top, v)
	}
	return top
}
