package tui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"callboard/state"
)

// history keeps the highest value of each of the last 60 minutes.
type history struct {
	minutes []int     // oldest first
	last    time.Time // the minute of the newest sample
}

const historyMinutes = 60

func (h *history) record(now time.Time, v int) {
	minute := now.Truncate(time.Minute)
	switch {
	case len(h.minutes) > 0 && minute.Equal(h.last):
		h.minutes[len(h.minutes)-1] = max(h.minutes[len(h.minutes)-1], v)
		return
	case len(h.minutes) > 0 && minute.After(h.last):
		for gap := int(minute.Sub(h.last)/time.Minute) - 1; gap > 0 && gap < historyMinutes; gap-- {
			h.minutes = append(h.minutes, 0) // minutes with no sample: nothing was seen
		}
	}
	h.minutes = append(h.minutes, v)
	if len(h.minutes) > historyMinutes {
		h.minutes = h.minutes[len(h.minutes)-historyMinutes:]
	}
	h.last = minute
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
	level        state.Level
}

func (m *Model) tiles() []tile {
	t := &m.totals
	loggedIn := 0
	for _, s := range state.AllStates {
		if s != state.LoggedOut && s != state.Unknown {
			loggedIn += t.Agents[s]
		}
	}
	longest := noValue
	if t.CallsWaiting > 0 {
		longest = clockDuration(t.LongestWait)
	}
	asa := noValue
	if t.Answered > 0 {
		asa = clockDuration(t.ASA)
	}
	return []tile{
		{"Waiting", strconv.Itoa(t.CallsWaiting), t.Levels.Waiting},
		{"Longest wait", longest, t.Levels.LongestWait},
		{"Available", strconv.Itoa(t.Agents[state.Available]), state.LevelOK},
		{"On call", strconv.Itoa(t.Agents[state.OnCall] + t.Agents[state.Ringing] + t.Agents[state.Calling]), state.LevelOK},
		{"Paused", strconv.Itoa(t.Agents[state.Paused]), state.LevelOK},
		{"Logged in", strconv.Itoa(loggedIn), state.LevelOK},
		{"Answered", strconv.Itoa(t.Answered), state.LevelOK},
		{"Abandoned", strconv.Itoa(t.Abandoned), state.LevelOK},
		{"Service level", percentText(t.ServiceLevel, t.HasServiceLevel), t.Levels.ServiceLevel},
		{"ASA", asa, state.LevelOK},
	}
}

// tileWidth is the least width of a tile.
const tileWidth = 13

// overviewView draws the tiles (in as many rows of two lines as the width
// needs) and the sparkline of calls waiting; it returns the lines drawn.
func (m *Model) overviewView(b *strings.Builder) int {
	st := &m.styles
	tiles := m.tiles()
	rows, perRow := tileGrid(len(tiles), m.width)
	w := m.width / perRow
	for r := 0; r < rows; r++ {
		row := tiles[r*perRow : min((r+1)*perRow, len(tiles))]
		var labels, values strings.Builder
		for _, t := range row {
			labels.WriteString(st.tileLabel.Render(fit(" "+t.label, w, false)))
			style := st.tileValue
			if ls := st.level(t.level); ls != nil {
				style = style.Inherit(*ls)
			}
			values.WriteString(style.Render(fit(" "+t.value, w, false)))
		}
		b.WriteString(labels.String())
		b.WriteByte('\n')
		b.WriteString(values.String())
		b.WriteByte('\n')
	}
	label := " Calls waiting, last hour "
	spark := sparkline(m.waited.minutes, m.width-lipgloss.Width(label)-1)
	b.WriteString(ansi.Truncate(st.tileLabel.Render(label)+st.warn.Render(spark), m.width, "…"))
	b.WriteByte('\n')
	return 2*rows + 1
}

// tileGrid says how many rows of how many tiles n tiles take in width.
func tileGrid(n, width int) (rows, perRow int) {
	perRow = max(min(n, width/tileWidth), 1)
	rows = (n + perRow - 1) / perRow
	return rows, (n + rows - 1) / rows // balanced rows
}

// overviewLines is how many lines overviewView draws: none when the
// window is too low to keep two table rows under them.
func (m *Model) overviewLines() int {
	rows, _ := tileGrid(tileCount, m.width)
	if n := 2*rows + 1; m.height-chromeLines-titleLines-n >= 2 {
		return n
	}
	return 0
}

const tileCount = 10 // len(m.tiles())

// wallFigures are the tiles wall mode shows: the queue and the day, without
// the headcount details.
func (m *Model) wallFigures() []wallFigure {
	var figures []wallFigure
	for _, t := range m.tiles() {
		switch t.label {
		case "Logged in", "ASA":
			continue
		}
		figures = append(figures, wallFigure{label: strings.ToUpper(t.label), value: t.value, level: wallLevel(t.level)})
	}
	return figures
}
