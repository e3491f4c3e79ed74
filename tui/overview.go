package tui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"callboard/state"
)

// overviewTab is the Overview: the day's key figures as tiles, the calls
// waiting over the last hour, the queues, and under them the chart of the
// day (daychart.go) when the window leaves room for it.
type overviewTab struct {
	tabView
	chart      []string   // the chart of the day and the blank lines under it, drawn for the window
	chartDrawn chartInput // what it shows
}

func newOverviewTab() *overviewTab { return &overviewTab{tabView: newTabView(1)} }

func (c *overviewTab) Title() string { return "Overview" }

func (c *overviewTab) tables(sh *shared) []table { return []table{queueTable(sh)} }

// SetSize leaves the figures above the queue table and the chart under
// it.
func (c *overviewTab) SetSize(sh *shared, width, height int) {
	c.setTableSize(width, height-overviewLines(sh)-len(c.chart))
}

// onScreen draws the chart for the window, while the Overview is seen.
func (c *overviewTab) onScreen(sh *shared) { c.layoutChart(sh) }

func (c *overviewTab) View(sh *shared, b *strings.Builder, height int) {
	if overviewLines(sh) > 0 {
		height -= overviewView(sh, b)
	}
	height -= len(c.chart)
	drawTables(c, sh, b, height)
	for _, l := range c.chart { // under the queue table
		b.WriteString(l)
		b.WriteByte('\n')
	}
}

var sparkBlocks = []rune(" ▁▂▃▄▅▆▇█")

// sparkline draws the values in at most width cells, one per minute, the
// highest value reaching the top.
func sparkline(values []int, width int) string {
	if width <= 0 || len(values) == 0 {
		return ""
	}
	if len(values) > width {
		values = values[len(values)-width:]
	}
	top := 0
	for _, v := range values {
		top = max(top, v)
	}
	var b strings.Builder
	for _, v := range values {
		i := 0
		if top > 0 {
			i = (v*(len(sparkBlocks)-1) + top - 1) / top
		}
		b.WriteRune(sparkBlocks[i])
	}
	return b.String()
}

// tile is one figure of the overview.
type tile struct {
	label, value string
	note         string // said after the value when there is room, e.g. why it is "—"
	level        state.Level
	muted        bool // not live: the figure is as of when the data froze
}

// tiles are the key figures of the view, as the Overview and the wall
// show them.
func (sh *shared) tiles() []tile {
	tiles := sh.figures()
	for i := range tiles {
		if !sh.view.Feed.HasData() {
			tiles[i].value, tiles[i].level, tiles[i].note = noValue, state.LevelOK, ""
		}
		tiles[i].muted = !sh.live()
	}
	return tiles
}

func (sh *shared) figures() []tile {
	t := &sh.view.Totals
	longest := noValue
	if t.CallsWaiting > 0 {
		longest = state.Clock(t.LongestWait)
	}
	overLimit := tile{label: "Over limit", value: strconv.Itoa(t.OverLimit), level: t.OverLimitLevel}
	if !t.LimitsSet {
		overLimit.value, overLimit.note = noValue, "no agent limits" // nothing is checked: not "0", all fine; the queues' limits are not its
	}
	return []tile{
		{label: "Waiting", value: strconv.Itoa(t.CallsWaiting), level: t.Levels.Waiting},
		{label: "Longest wait", value: longest, level: t.Levels.LongestWait},
		{label: "Available", value: strconv.Itoa(t.Agents[state.Available]), level: state.LevelOK},
		{label: "On call", value: strconv.Itoa(t.OnACall()), level: state.LevelOK},
		{label: "Paused", value: strconv.Itoa(t.Agents[state.Paused]), level: state.LevelOK},
		overLimit,
		{label: "Logged in", value: strconv.Itoa(t.LoggedIn()), level: state.LevelOK},
		{label: "Answered", value: strconv.Itoa(t.Answered), level: state.LevelOK},
		{label: "Abandoned", value: strconv.Itoa(t.Abandoned), level: state.LevelOK},
		serviceLevelTile(t),
		{label: "ASA", value: asaText(t.ASA, t.Answered), level: state.LevelOK},
	}
}

// serviceLevelTile is the service level of all queues, beside their
// target when they share one; when their rules differ, its note says that
// it is their calls within their thresholds summed over their own
// denominators summed.
func serviceLevelTile(t *state.Totals) tile {
	sl := tile{label: "Service level", value: slText(t.ServiceLevel, t.HasServiceLevel, t.SLTarget), level: t.Levels.ServiceLevel}
	if t.MixedRules {
		sl.note = "by queue"
	}
	return sl
}

// tileWidth is the least width of a tile: the longest label, " Service
// level", whole and apart from the next.
const tileWidth = 15

// overviewView draws the tiles (in as many rows of two lines as the width
// needs), the most important of them when the window is too small for all
// with a line that names those left out, and the sparkline of calls
// waiting, or while not live why; it returns the lines drawn. A window
// too low for any tile keeps the line that says the figures are not live,
// then the one that says they are not shown.
func overviewView(sh *shared, b *strings.Builder) int {
	st := sh.styles
	shape := overviewFit(sh)
	tiles, left := chooseTiles(sh.tiles(), shape.tiles)
	if shape.alert {
		b.WriteString(st.critical.Render(ansi.Truncate(" ⚠ "+sh.alertLine(), sh.width, "…")))
		b.WriteByte('\n')
	}
	_, perRow := tileGrid(len(tiles), sh.width)
	w := sh.width / perRow
	for r := 0; r < shape.rows; r++ {
		row := tiles[r*perRow : min((r+1)*perRow, len(tiles))]
		var labels, values strings.Builder
		for _, t := range row {
			labels.WriteString(st.tileLabel.Render(fit(" "+t.label, w, false)))
			style := st.tileValue
			ls, mk := st.level(t.level)
			if ls != nil {
				style = style.Inherit(*ls)
			}
			if t.muted {
				style = style.Faint(true)
			}
			value := " " + t.value
			if mk != "" {
				value += " " + mk
			}
			if note := " " + t.note; t.note != "" && ansi.StringWidth(value+note) <= w { // whole, or not at all
				value = style.Render(value) + st.dim.Render(fit(note, w-ansi.StringWidth(value), false))
			} else {
				value = style.Render(fit(value, w, false))
			}
			values.WriteString(value)
		}
		b.WriteString(labels.String())
		b.WriteByte('\n')
		b.WriteString(values.String())
		b.WriteByte('\n')
	}
	if shape.line {
		spanText := sh.daySpanText()
		if n := sh.view.Totals.AnsweredBeforeStart; n > 0 && spanText != "" {
			// said beside the day's span where it fits, which the figures
			// above leave out
			if with := spanText + " · " + beforeStartText(n); ansi.StringWidth(with)+40 <= sh.width {
				spanText = with
			}
		}
		span := st.dim.Render(spanText)
		if !sh.live() {
			warning := " NOT LIVE — " + sh.notLiveText().fit(sh.width-ansi.StringWidth(" NOT LIVE — "))
			if ansi.StringWidth(warning)+2+lipgloss.Width(span) > sh.width {
				span = "" // the warning first
			}
			b.WriteString(spread(st.down.Render(warning), span, sh.width))
		} else {
			label := " Calls waiting, last hour "
			room := sh.width - lipgloss.Width(label) - 1
			if w := lipgloss.Width(span); w > 0 && room-w-2 >= 10 {
				room -= w + 2
			} else {
				span = ""
			}
			spark := sparkline(sh.view.WaitingLastHour, room)
			b.WriteString(spread(st.tileLabel.Render(label)+st.warn.Render(spark), span, sh.width))
		}
		b.WriteByte('\n')
	}
	if shape.note {
		names := make([]string, len(left))
		for i, t := range left {
			names[i] = t.label
		}
		note := " not shown (" + strconv.Itoa(len(left)) + "): " + strings.Join(names, ", ")
		b.WriteString(st.dim.Render(ansi.Truncate(note, sh.width, "…")))
		b.WriteByte('\n')
	}
	return shape.lines()
}

// tileGrid says how many rows of how many tiles n tiles take in width.
func tileGrid(n, width int) (rows, perRow int) {
	if n == 0 {
		return 0, 1
	}
	perRow = max(min(n, width/tileWidth), 1)
	rows = (n + perRow - 1) / perRow
	return rows, (n + rows - 1) / rows // balanced rows
}

// overviewLayout is how the Overview's figures fit its window.
type overviewLayout struct {
	tiles, rows int  // the tiles shown, in how many rows
	line        bool // the sparkline, or while not live the warning
	note        bool // a line names the tiles left out
	alert       bool // a line above says the alerts active (alertLine)
}

// lines is how many lines the layout takes.
func (l overviewLayout) lines() int {
	n := 2 * l.rows
	for _, b := range []bool{l.line, l.note, l.alert} {
		if b {
			n++
		}
	}
	return n
}

// overviewFit is how the Overview's figures fit the window, keeping two
// table rows under them: every tile, or as many rows of the most important
// as fit with the line that names the others; in a window too low for any,
// while not live the line that says so, then the line that says the
// figures are not shown.
func overviewFit(sh *shared) overviewLayout {
	room := sh.height - chromeLines - titleLines - 2
	alert := sh.alertLine() != "" && room >= 1
	if alert {
		room--
	}
	rows, perRow := tileGrid(tileCount, sh.width)
	if 2*rows+1 <= room {
		return overviewLayout{tiles: tileCount, rows: rows, line: true, alert: alert}
	}
	if rows := (room - 2) / 2; rows >= 1 {
		return overviewLayout{tiles: rows * perRow, rows: rows, line: true, note: true, alert: alert}
	}
	// no tile: while not live the warning, even over the table's rows
	fit := overviewLayout{line: !sh.live() && room >= -1}
	fit.note = room-fit.lines() >= 1
	fit.alert = alert
	return fit
}

// overviewLines is how many lines overviewView draws.
func overviewLines(sh *shared) int { return overviewFit(sh).lines() }

const tileCount = 11 // len(sh.tiles())

// tileImportance ranks the tiles by label, for a window too small for
// all: the queue (calls waiting, the longest wait), then who can answer
// (available, on a call, paused), the calls lost today, the service level,
// then the rest.
var tileImportance = []string{"Waiting", "Longest wait", "Available", "On call", "Paused", "Abandoned",
	"Service level", "Over limit", "Answered", "Logged in", "ASA"}

// chooseTiles keeps the n tiles that matter most, in their own order, and
// returns those left out, the most important first: a figure past a
// threshold (critical, then warn) before the calm ones, then by
// tileImportance.
func chooseTiles(tiles []tile, n int) (shown, left []tile) {
	if n >= len(tiles) {
		return tiles, nil
	}
	rank := func(t tile) int {
		if i := slices.Index(tileImportance, t.label); i >= 0 {
			return i
		}
		return len(tileImportance)
	}
	order := make([]int, len(tiles))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(tiles[b].level, tiles[a].level), cmp.Compare(rank(tiles[a]), rank(tiles[b])))
	})
	keep := order[:n]
	slices.Sort(keep)
	for _, i := range keep {
		shown = append(shown, tiles[i])
	}
	for _, i := range order[n:] {
		left = append(left, tiles[i])
	}
	return shown, left
}

// wallFigures are the tiles wall mode shows: the queue and the day, without
// the headcount details.
func (sh *shared) wallFigures() []wallFigure {
	var figures []wallFigure
	for _, t := range sh.tiles() {
		switch t.label {
		case "Logged in", "ASA", "Over limit":
			continue
		}
		label := strings.ToUpper(t.label)
		if t.label == "Service level" && t.note != "" {
			label += " (" + t.note + ")" // by queue: each under its own rule
		}
		if _, mk := sh.styles.level(t.level); mk != "" {
			label = mk + " " + label + " " + mk
		}
		figures = append(figures, wallFigure{label: label, value: t.value, level: t.level, muted: t.muted})
	}
	return figures
}
