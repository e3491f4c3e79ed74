package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"callboard/state"
)

// wallFigure is one big number of the wall.
type wallFigure struct {
	label string // e.g. "CALLS WAITING"
	value string // e.g. "12", "3:07", "87%", "—"
	level state.Level
	muted bool // not live: dimmed
}

// The wall's font is a bitmap font of glyphs fontRows pixels high, drawn
// with square pixels: at scale s a pixel is s cells wide and s half-cells
// high, painted with █, ▀ and ▄. Scale 1 is the compact font (a digit in 3×3
// cells), scale 2 the full-block font (6×5), and every scale above keeps the
// proportions.
const fontRows = 5

// wallFontArt draws each glyph row by row, '#' for a pixel that is on.
// Glyphs are 3 pixels wide but for the narrow ':' and '.', and are set one
// blank pixel column apart. Capitals are there for the words of a warning
// ("NOT LIVE"), which must read across a room as the figures do.
var wallFontArt = map[rune][fontRows]string{
	'0': {"###", "#.#", "#.#", "#.#", "###"},
	'1': {".#.", "##.", ".#.", ".#.", "###"},
	'2': {"###", "..#", "###", "#..", "###"},
	'3': {"###", "..#", "###", "..#", "###"},
	'4': {"#.#", "#.#", "###", "..#", "..#"},
	'5': {"###", "#..", "###", "..#", "###"},
	'6': {"###", "#..", "###", "#.#", "###"},
	'7': {"###", "..#", "..#", "..#", "..#"},
	'8': {"###", "#.#", "###", "#.#", "###"},
	'9': {"###", "#.#", "###", "..#", "###"},
	':': {".", "#", ".", "#", "."},
	'.': {".", ".", ".", ".", "#"},
	'%': {"#.#", "..#", ".#.", "#..", "#.#"},
	'—': {"...", "...", "###", "...", "..."},
	'-': {"...", "...", "###", "...", "..."},
	' ': {"..", "..", "..", "..", ".."},
	'A': {".#.", "#.#", "###", "#.#", "#.#"},
	'B': {"##.", "#.#", "##.", "#.#", "##."},
	'C': {".##", "#..", "#..", "#..", ".##"},
	'D': {"##.", "#.#", "#.#", "#.#", "##."},
	'E': {"###", "#..", "##.", "#..", "###"},
	'F': {"###", "#..", "##.", "#..", "#.."},
	'G': {".##", "#..", "#.#", "#.#", ".##"},
	'H': {"#.#", "#.#", "###", "#.#", "#.#"},
	'I': {"###", ".#.", ".#.", ".#.", "###"},
	'J': {"..#", "..#", "..#", "#.#", ".#."},
	'K': {"#.#", "#.#", "##.", "#.#", "#.#"},
	'L': {"#..", "#..", "#..", "#..", "###"},
	'M': {"#.#", "###", "###", "#.#", "#.#"},
	'N': {"##.", "#.#", "#.#", "#.#", "#.#"},
	'O': {".#.", "#.#", "#.#", "#.#", ".#."},
	'P': {"##.", "#.#", "##.", "#..", "#.."},
	'Q': {".#.", "#.#", "#.#", "##.", ".##"},
	'R': {"##.", "#.#", "##.", "#.#", "#.#"},
	'S': {".##", "#..", ".#.", "..#", "##."},
	'T': {"###", ".#.", ".#.", ".#.", ".#."},
	'U': {"#.#", "#.#", "#.#", "#.#", "###"},
	'V': {"#.#", "#.#", "#.#", "#.#", ".#."},
	'W': {"#.#", "#.#", "###", "###", "#.#"},
	'X': {"#.#", "#.#", ".#.", "#.#", "#.#"},
	'Y': {"#.#", "#.#", ".#.", ".#.", ".#."},
	'Z': {"###", "..#", ".#.", "#..", "###"},
}

// wallFont holds each glyph as its pixel columns, left to right: bit y of a
// column is the pixel of row y, counted from the top.
var wallFont = func() map[rune][]uint8 {
	font := make(map[rune][]uint8, len(wallFontArt))
	for r, art := range wallFontArt {
		cols := make([]uint8, len(art[0]))
		for y, row := range art {
			for x := range len(row) {
				if row[x] == '#' {
					cols[x] |= 1 << y
				}
			}
		}
		font[r] = cols
	}
	return font
}()

// wallPixels sets value in the font and returns its pixel columns, or false
// when the font lacks one of its characters.
func wallPixels(value string) ([]uint8, bool) {
	cols := make([]uint8, 0, 4*len(value))
	for i, r := range value {
		g, ok := wallFont[r]
		if !ok {
			return nil, false
		}
		if i > 0 {
			cols = append(cols, 0)
		}
		cols = append(cols, g...)
	}
	return cols, true
}

// glyphLines is how many lines the font takes at scale s.
func glyphLines(s int) int { return (fontRows*s + 1) / 2 }

// bigText draws pixel columns at scale s, one string per line, each
// len(cols)*s cells wide.
func bigText(cols []uint8, s int) []string {
	lines := make([]string, glyphLines(s))
	var b strings.Builder
	for i := range lines {
		b.Reset()
		b.Grow(len(cols) * s * len("█"))
		// The pixel rows of the line's top and bottom halves; their bits are
		// in no column when past the last row.
		top, bottom := uint8(1)<<(2*i/s), uint8(1)<<((2*i+1)/s)
		for _, c := range cols {
			var cell string
			switch t, u := c&top != 0, c&bottom != 0; {
			case t && u:
				cell = "█"
			case t:
				cell = "▀"
			case u:
				cell = "▄"
			default:
				cell = " "
			}
			for range s {
				b.WriteString(cell)
			}
		}
		lines[i] = b.String()
	}
	return lines
}

// wallFit returns the largest scale at which a value of pixel width pw (0
// when the font cannot draw it) and text width tw fits a cell of w×h: 0 when
// only plain text fits, -1 when even plain text does not. A cell keeps one
// blank column on each side and a line for the label.
func wallFit(pw, tw, w, h int) int {
	room := w - 2
	s := 0
	if pw > 0 {
		s = min(room/pw, 2*(h-1)/fontRows)
	}
	if s <= 0 && (room < tw || h < 2) {
		return -1
	}
	return max(s, 0)
}

// wallLayout chooses the grid (cols×rows) for n figures in width×height and
// the scale of each figure (see wallFit): the grid whose smallest figure is
// the largest, then whose figures are the largest in all, then with the
// fewest empty cells; every figure is then drawn at that smallest scale.
func wallLayout(pw, tw []int, width, height int) (cols, rows int, scales []int) {
	n := len(pw)
	best := make([]int, n)
	try := make([]int, n)
	bestMin, bestSum, bestEmpty := -2, 0, 0
	for c := 1; c <= n; c++ {
		r := (n + c - 1) / c
		w, h := width/c, height/r
		least, sum := 1<<30, 0
		for i := range n {
			try[i] = wallFit(pw[i], tw[i], w, h)
			least = min(least, try[i])
			sum += try[i]
		}
		empty := r*c - n
		if least > bestMin || least == bestMin && (sum > bestSum || sum == bestSum && empty < bestEmpty) {
			cols, rows = c, r
			bestMin, bestSum, bestEmpty = least, sum, empty
			best, try = try, best
		}
	}
	// One size for every figure drawn in blocks: a wall whose digits jump
	// in size from one figure to the next reads badly from across a room.
	if bestMin > 0 {
		for i := range best {
			best[i] = min(best[i], bestMin)
		}
	}
	return cols, rows, best
}

// wallBlock is a figure drawn: its lines (styled) and their widths.
type wallBlock struct {
	lines  []string
	widths []int
}

// renderWall lays figures out in a grid that fills width×height, drawing each
// value in large block digits with its label under it, coloured by level. It
// returns exactly height lines, each exactly width cells wide, the whole grid
// using the largest font that fits (see wallLayout); a value the font cannot
// draw, or which fits no font, is written as bold text.
func renderWall(figures []wallFigure, width, height int, st *styles) string {
	if height <= 0 {
		return ""
	}
	width = max(width, 0)
	n := len(figures)
	values := make([]string, n)
	pixels := make([][]uint8, n)
	pw, tw := make([]int, n), make([]int, n)
	for i, f := range figures {
		v := strings.TrimSpace(sanitize(f.value))
		if v == "" {
			v = noValue
		}
		values[i] = v
		tw[i] = ansi.StringWidth(v)
		if cols, ok := wallPixels(v); ok {
			pixels[i], pw[i] = cols, len(cols)
		}
	}
	var b strings.Builder
	b.Grow(height * (3*width + 32))
	if n == 0 {
		for y := range height {
			if y > 0 {
				b.WriteByte('\n')
			}
			wallSpaces(&b, width)
		}
		return b.String()
	}

	cols, rows, scales := wallLayout(pw, tw, width, height)
	blocks := make([]wallBlock, n)
	line := 0
	for gr := range rows {
		h := height / rows
		if gr < height%rows {
			h++
		}
		// Draw the row's figures, then align them: blocks centred as one,
		// each figure's label on the row's last line.
		tallest := 0
		for gc := range cols {
			if i := gr*cols + gc; i < n {
				blocks[i] = wallDraw(figures[i], values[i], pixels[i], scales[i], width/cols, h, st)
				tallest = max(tallest, len(blocks[i].lines))
			}
		}
		for y := range h {
			if line > 0 {
				b.WriteByte('\n')
			}
			line++
			for gc := range cols {
				w := width / cols
				if gc < width%cols {
					w++
				}
				i := gr*cols + gc
				if i >= n {
					wallSpaces(&b, w)
					continue
				}
				k := y - (h-tallest)/2 - (tallest - len(blocks[i].lines))
				if k < 0 || k >= len(blocks[i].lines) {
					wallSpaces(&b, w)
					continue
				}
				lw := blocks[i].widths[k]
				left := (w - lw) / 2
				wallSpaces(&b, left)
				b.WriteString(blocks[i].lines[k])
				wallSpaces(&b, w-lw-left)
			}
		}
	}
	return b.String()
}

// wallDraw draws one figure for a cell of w×h at scale s (see wallFit): no
// line wider than w nor more lines than h.
func wallDraw(f wallFigure, value string, pixels []uint8, s, w, h int, st *styles) wallBlock {
	valueStyle, labelStyle := st.tileValue, st.tileLabel
	if ls, _ := st.level(f.level); ls != nil {
		valueStyle, labelStyle = valueStyle.Inherit(*ls), *ls
	}
	if f.muted {
		valueStyle, labelStyle = valueStyle.Faint(true), labelStyle.Faint(true)
	}
	room := w - 2
	if room < 1 {
		room = w
	}
	label := sanitize(f.label)
	var blk wallBlock
	add := func(text string, style lipgloss.Style, width int) {
		if text == "" {
			blk.lines = append(blk.lines, "")
			blk.widths = append(blk.widths, 0)
			return
		}
		if width > room {
			text = ansi.Truncate(text, room, "…")
			width = ansi.StringWidth(text)
		}
		blk.lines = append(blk.lines, style.Render(text))
		blk.widths = append(blk.widths, width)
	}
	switch {
	case h <= 0 || w <= 0:
	case s >= 1:
		for _, l := range bigText(pixels, s) {
			add(l, valueStyle, len(pixels)*s)
		}
		if glyphLines(s)+2 <= h {
			add("", valueStyle, 0)
		}
		add(label, labelStyle, ansi.StringWidth(label))
	case h == 1:
		text := value + "  " + label
		add(text, valueStyle, ansi.StringWidth(text))
	default:
		add(value, valueStyle, ansi.StringWidth(value))
		add(label, labelStyle, ansi.StringWidth(label))
	}
	return blk
}

const wallBlank = "                                                                "

// wallSpaces writes n spaces to b.
func wallSpaces(b *strings.Builder, n int) {
	for n > len(wallBlank) {
		b.WriteString(wallBlank)
		n -= len(wallBlank)
	}
	if n > 0 {
		b.WriteString(wallBlank[:n])
	}
}

// wallView is the wall mode's body, height lines: while the figures are not
// live a warning in big letters says so, why and since when; then the
// figures; then, when there is room, the day's span.
func (m *Model) wallView(height int) string {
	st := m.styles
	var top, bottom []string
	if !m.live() {
		top = notLiveBanner(m.notLiveText(), m.width, height, st)
	}
	if alert := m.alertLine(); alert != "" && height-len(top) >= 4 {
		top = append(top, centre(st.critical.Render(ansi.Truncate("⚠ "+alert, m.width, "…")), m.width))
	}
	if span := m.daySpanText(); span != "" && height-len(top) >= 6 {
		bottom = append(bottom, centre(st.dim.Render(ansi.Truncate(span, m.width, "…")), m.width))
	}
	lines := append([]string(nil), top...)
	if rest := height - len(top) - len(bottom); rest > 0 {
		lines = append(lines, renderWall(m.wallFigures(), m.width, rest, st))
	}
	return strings.Join(append(lines, bottom...), "\n")
}

// notLiveBanner draws "NOT LIVE" in the wall's font, as large as fits in a
// fifth of height (the figures keep the most room), then why on a line of
// its own; a single line when the pane has no room for big letters. Every
// line is width cells wide.
func notLiveBanner(why reasoned, width, height int, st *styles) []string {
	const word = "NOT LIVE"
	pixels, _ := wallPixels(word)
	s := min((width-2)/len(pixels), max(2*(height/5)/fontRows, 1))
	if s < 1 || height < 8 {
		line := word + " — " + why.fit(width-ansi.StringWidth(word+" — "))
		return []string{centre(st.critical.Render(line), width)}
	}
	var lines []string
	for _, l := range bigText(pixels, s) {
		lines = append(lines, centre(st.critical.Render(l), width))
	}
	return append(lines, centre(st.down.Render(why.fit(width)), width))
}

// centre pads a styled line to width cells, centred.
func centre(line string, width int) string {
	w := lipgloss.Width(line)
	if w >= width {
		return line
	}
	left := (width - w) / 2
	return strings.Repeat(" ", left) + line + strings.Repeat(" ", width-w-left)
}
