package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// column describes one column of a table.
type column struct {
	title string
	width int    // the width, or the least width when grow > 0
	grow  int    // share of the spare width this column takes
	right bool   // numbers are aligned right
	arrow string // " ↑" or " ↓" on the column the table is sorted by
}

// cell is one table cell: sanitised text and its style, nil for plain,
// and a marker drawn before the text that says without colour what the
// style says with it (a threshold passed).
type cell struct {
	text   string
	style  *lipgloss.Style
	marker string
}

// table is what renderTable draws: n rows, of which row builds only those
// on screen.
type table struct {
	title string // its heading, when a tab shows several tables; "" for none
	note  string // said after the title (counts)
	cols  []column
	n     int
	row   func(i int) []cell
	empty string // shown when n is 0
	// keep applies the tab's own filters to row i: false hides it. Nil
	// keeps every row.
	keep func(i int) bool
	// unmatched is shown when the table has rows and the tab's narrowing
	// lets none through; "" says that nothing matches the filters.
	unmatched string
}

// scroll is a table's cursor and the first row on screen.
type scroll struct {
	cursor, offset int
}

// clamp keeps the cursor on a row and on screen, and the screen full when
// rows were removed.
func (s *scroll) clamp(n, visible int) {
	visible = max(visible, 1)
	s.cursor = max(min(s.cursor, n-1), 0)
	if s.cursor < s.offset {
		s.offset = s.cursor
	}
	if s.cursor >= s.offset+visible {
		s.offset = s.cursor - visible + 1
	}
	s.offset = max(min(s.offset, n-visible), 0)
}

const (
	gap    = "  " // between columns
	mark   = "› " // before the cursor's row
	noMark = "  " // before the other rows
	colGap = len(gap)
	gutter = len(noMark)
)

// layout returns the width of each column for a table width cells wide.
// Columns are in order of importance: those that do not fit at their least
// width are dropped from the right (width 0), the first is cut if it must.
func layout(cols []column, width int) []int {
	widths := make([]int, len(cols))
	used, n := gutter, 0
	for _, c := range cols {
		next := used + c.width
		if n > 0 {
			next += colGap
		}
		if next > width && n > 0 {
			break
		}
		used, n = next, n+1
	}
	grow := 0
	for i, c := range cols[:n] {
		widths[i] = c.width
		grow += c.grow
	}
	spare := width - used
	switch {
	case spare < 0:
		widths[0] = max(widths[0]+spare, 0)
	case spare > 0 && grow > 0:
		last, given := 0, 0
		for i, c := range cols[:n] {
			if c.grow > 0 {
				add := spare * c.grow / grow
				widths[i] += add
				given += add
				last = i
			}
		}
		widths[last] += spare - given
	}
	return widths
}

// renderTable writes t in exactly height lines of at most width cells: its
// heading when it has a title, the column titles, then the rows from
// sc.offset that fit, then blank lines.
func renderTable(b *strings.Builder, st *styles, t table, sc scroll, width, height int) {
	if height <= 0 {
		return
	}
	if t.title != "" {
		b.WriteString(tableHeading(st, t, sc, width, height))
		b.WriteByte('\n')
		height--
		if height == 0 {
			return
		}
	}
	widths := layout(t.cols, width)
	titles := make([]cell, len(t.cols))
	for i, c := range t.cols {
		titles[i] = cell{text: c.title}
		if c.arrow != "" && widths[i] > 0 {
			// A title cut short keeps its sort arrow.
			titles[i].text = ansi.Truncate(c.title, max(widths[i]-ansi.StringWidth(c.arrow), 0), "…") + c.arrow
		}
	}
	writeRow(b, t.cols, widths, titles, nil, &st.tableHeader)
	lines := 1
	if t.n == 0 && t.empty != "" && height > 1 {
		b.WriteString(st.dim.Render(fit(t.empty, width, false)))
		b.WriteByte('\n')
		lines++
	}
	for i := sc.offset; i < t.n && lines < height; i++ {
		cells := t.row(i)
		var cursor *lipgloss.Style
		if i == sc.cursor {
			// The cursor's row keeps its cells' colours: it is marked, and
			// bold and highlighted over them (styles.selected).
			cursor = &st.selected
			for j := range cells {
				s := st.selected
				if cells[j].style != nil {
					s = cells[j].style.Inherit(st.selected)
				}
				cells[j].style = &s
			}
		}
		writeRow(b, t.cols, widths, cells, cursor, nil)
		lines++
	}
	for ; lines < height; lines++ {
		b.WriteByte('\n')
	}
}

// headingLines is the height of a table's heading.
const headingLines = 1

// tableHeading is the heading of a table among several: its title, its
// note, and which of its rows are on screen when not all are.
func tableHeading(st *styles, t table, sc scroll, width, height int) string {
	left := st.title.Render(t.title)
	if t.note != "" {
		left += st.dim.Render("  " + t.note)
	}
	visible := max(height-headingLines-titleLines, 1)
	first, last := sc.offset+1, min(sc.offset+visible, t.n)
	rows := ""
	if t.n > 0 && (first > 1 || last < t.n) {
		rows = st.dim.Render(rowsText(first, last, t.n))
	}
	return spread(left, rows, width)
}

// rowsText says which rows are on screen: "rows 3–12 of 40".
func rowsText(first, last, n int) string {
	return "rows " + strconv.Itoa(first) + "–" + strconv.Itoa(last) + " of " + strconv.Itoa(n)
}

// writeRow writes one line. A line style (titles) takes the place of the
// cells' own; the cursor's style, on the cursor's row, draws its marker and
// the gaps between its cells.
func writeRow(b *strings.Builder, cols []column, widths []int, cells []cell, cursor, line *lipgloss.Style) {
	var l strings.Builder
	if cursor != nil {
		l.WriteString(cursor.Render(mark))
	} else {
		l.WriteString(noMark)
	}
	for i, w := range widths {
		if w == 0 {
			break
		}
		if i > 0 && cursor != nil {
			l.WriteString(cursor.Render(gap))
		} else if i > 0 {
			l.WriteString(gap)
		}
		var c cell
		if i < len(cells) {
			c = cells[i]
		}
		text := c.text
		if c.marker != "" {
			text = c.marker + " " + text
		}
		text = fit(text, w, cols[i].right)
		if line == nil && c.style != nil {
			text = c.style.Render(text)
		}
		l.WriteString(text)
	}
	if line != nil {
		b.WriteString(line.Render(l.String()))
	} else {
		b.WriteString(l.String())
	}
	b.WriteByte('\n')
}

// fit truncates s with "…" or pads it with spaces to exactly w cells.
func fit(s string, w int, right bool) string {
	if w <= 0 {
		return ""
	}
	n := ansi.StringWidth(s)
	if n > w {
		s = ansi.Truncate(s, w, "…")
		n = ansi.StringWidth(s)
	}
	if n == w {
		return s
	}
	pad := strings.Repeat(" ", w-n)
	if right {
		return pad + s
	}
	return s + pad
}
