package tui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// column describes one column of a table.
type column struct {
	title string
	// short is the title in a column given less than its width, "" for
	// none: "Wait" for "Waiting".
	short string
	width int // the width, or the least width when grow > 0
	// least is the width the column takes, its short title included, when
	// the width runs short and it keeps another column on screen; 0 is
	// width.
	least int
	grow  int  // share of the spare width this column takes
	right bool // numbers are aligned right
	// rank says which columns stay when the width runs short, whatever
	// their place: rank 0 before 1, and so on; ties in their order.
	rank int
	// worst is the order its first sort takes, the worst first: true is
	// descending (the longest wait, the most calls), false ascending (a
	// name, the lowest service level).
	worst bool
	arrow string // " ↑" or " ↓" on the column the table is sorted by
}

func (c column) fullWidth() int { return c.width }

// roomyWidth is the width c takes when there is room: its full width, or
// its whole title and sort arrow when they are wider ("In state ↓", not
// "In st… ↓").
func (c column) roomyWidth() int {
	if c.arrow == "" {
		return c.width
	}
	return max(c.width, ansi.StringWidth(c.title+c.arrow))
}

// leastWidth is the width c takes when the width runs short.
func (c column) leastWidth() int {
	if c.least > 0 {
		return min(c.least, c.width)
	}
	return c.width
}

// heading is c's title as drawn in w cells, its sort arrow kept: the short
// title when the whole does not fit, cut with "…" when neither does.
func (c column) heading(w int) string {
	title := c.title
	if c.short != "" && ansi.StringWidth(title+c.arrow) > w {
		title = c.short
	}
	if c.arrow == "" {
		return title
	}
	return ansi.Truncate(title, max(w-ansi.StringWidth(c.arrow), 0), "…") + c.arrow
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
	// key names row i's subject (an agent's id, a queue's, a call's): the
	// tab keeps its cursor on it as the rows change (tabView.setOrder).
	// Nil: the cursor stays on its row's place.
	key func(i int) string
	// flag is a mark of one cell for row i, drawn in the gutter after the
	// cursor's (the Events log's ✗ rejected, ? unknown): it says without
	// colour, and at any width, what the row's colour says. Nil: none.
	flag func(i int) cell
	// items names its rows, one and many: {"agent", "agents"}. Zero names
	// them by the tab's title.
	items [2]string
	of    int    // how many rows it has before its tab narrows them: n until then
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
	gap        = "  "             // between columns
	cursorMark = "›"              // before the cursor's row, in the gutter
	mark       = cursorMark + " " // the gutter of the cursor's row without a flag
	colGap     = len(gap)
	gutter     = 2 // the cursor's mark and a row's flag
)

// layout returns the width of each column for a table width cells wide, 0
// for the columns it drops. The columns are taken by rank (column.rank) as
// long as they fit, each at its width: one that does not is dropped and the
// next tried; the first taken is cut if it must. When their least widths
// (and short titles) keep the best-ranked column that this drops, the
// columns are taken at their least widths instead. What is left widens the
// columns taken to their width, by rank, then goes to those that grow.
func layout(cols []column, width int) []int {
	byRank := make([]int, len(cols))
	for i := range byRank {
		byRank[i] = i
	}
	slices.SortStableFunc(byRank, func(a, b int) int { return cmp.Compare(cols[a].rank, cols[b].rank) })
	widths, spare := take(cols, byRank, width, column.fullWidth)
	for _, i := range byRank {
		if widths[i] == 0 {
			if least, left := take(cols, byRank, width, column.leastWidth); least[i] > 0 {
				widths, spare = least, left
			}
			break
		}
	}
	for _, i := range byRank {
		if widths[i] > 0 && spare > 0 {
			add := min(max(cols[i].roomyWidth()-widths[i], 0), spare)
			widths[i] += add
			spare -= add
		}
	}
	grow := 0
	for i, c := range cols {
		if widths[i] > 0 {
			grow += c.grow
		}
	}
	if spare > 0 && grow > 0 {
		last, given := 0, 0
		for i, c := range cols {
			if widths[i] > 0 && c.grow > 0 {
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

// take gives the columns, in the order byRank, the width each wants as long
// as it fits in a table width cells wide, and returns the widths and what
// is left; the first is cut if it must.
func take(cols []column, byRank []int, width int, wants func(column) int) (widths []int, spare int) {
	widths = make([]int, len(cols))
	used, n := gutter, 0
	for _, i := range byRank {
		w := wants(cols[i])
		next := used + w
		if n > 0 {
			next += colGap
		}
		switch {
		case next <= width:
		case n == 0:
			w, next = max(width-used, 0), max(width, used)
		default:
			continue
		}
		widths[i], used, n = w, next, n+1
	}
	return widths, width - used
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
		titles[i] = cell{text: c.heading(widths[i])}
	}
	writeRow(b, t.cols, widths, titles, cell{}, nil, &st.tableHeader)
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
		var flag cell
		if t.flag != nil {
			flag = t.flag(i)
		}
		writeRow(b, t.cols, widths, cells, flag, cursor, nil)
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
	if t.n > 0 && (first > 1 || last < t.n) {
		// which rows are on screen, said shorter, then not at all, rather
		// than cut the count
		rows := rowsText(first, last, t.n)
		for _, r := range []string{rows, strings.TrimPrefix(rows, "rows ")} {
			if lipgloss.Width(left)+2+ansi.StringWidth(r) <= width {
				return spread(left, st.dim.Render(r), width)
			}
		}
	}
	return ansi.Truncate(left, width, "…")
}

// rowsText says which rows are on screen: "rows 3–12 of 40".
func rowsText(first, last, n int) string {
	return "rows " + strconv.Itoa(first) + "–" + strconv.Itoa(last) + " of " + strconv.Itoa(n)
}

// writeRow writes one line: the gutter (the cursor's mark, the row's
// flag), then the cells. A line style (titles) takes the place of the
// cells' own; the cursor's style, on the cursor's row, draws its marker and
// the gaps between its cells.
func writeRow(b *strings.Builder, cols []column, widths []int, cells []cell, flag cell, cursor, line *lipgloss.Style) {
	var l strings.Builder
	lead, second := " ", cmp.Or(flag.text, " ")
	if cursor != nil {
		lead = cursorMark
	}
	switch {
	case cursor != nil && flag.style != nil:
		l.WriteString(cursor.Render(lead) + flag.style.Inherit(*cursor).Render(second))
	case cursor != nil:
		l.WriteString(cursor.Render(lead + second))
	case flag.style != nil:
		l.WriteString(lead + flag.style.Render(second))
	default:
		l.WriteString(lead + second)
	}
	first := true
	for i, w := range widths {
		if w == 0 {
			continue
		}
		if !first && cursor != nil {
			l.WriteString(cursor.Render(gap))
		} else if !first {
			l.WriteString(gap)
		}
		first = false
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
