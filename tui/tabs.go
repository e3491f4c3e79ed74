package tui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"callboard/state"
)

// narrowedTables are tab c's tables as shown: the rows the user narrowed
// each to, in the order asked.
func narrowedTables(c component, sh *shared) []table {
	tv := c.base()
	sortTitle := sortTitle(c, sh)
	bases := c.tables(sh)
	for i, base := range bases {
		order := tv.panes[i].order
		t := base
		t.n, t.of, t.row = len(order), base.n, func(j int) []cell { return base.row(order[j]) }
		if t.n != t.of && t.note != "" {
			t.note = strconv.Itoa(t.n) + " of " + t.note // "1 of 3 calls"
		}
		if base.n > 0 && len(order) == 0 {
			t.empty = cmp.Or(base.unmatched, "nothing matches: esc clears the filters")
		}
		if col := columnIndex(t.cols, sortTitle); col >= 0 {
			t.cols = slices.Clone(t.cols)
			t.cols[col].arrow = " ↑"
			if tv.narrowing.desc {
				t.cols[col].arrow = " ↓"
			}
		}
		bases[i] = t
	}
	return bases
}

// drawTables writes tab c's tables as shown in height lines: one table
// takes them all, several their panes' share.
func drawTables(c component, sh *shared, b *strings.Builder, height int) {
	tv := c.base()
	for i, t := range narrowedTables(c, sh) {
		h := tv.panes[i].height
		if len(tv.panes) == 1 {
			h = height
		}
		renderTable(b, sh.styles, t, tv.cursorIn(i), sh.width, h)
	}
}

// levelCell is a figure coloured and marked by its level.
func (sh *shared) levelCell(text string, l state.Level) cell {
	style, marker := sh.styles.level(l)
	return cell{text: text, style: style, marker: marker}
}

// nameCell shows a name; dimmed when the directory did not have it.
func (sh *shared) nameCell(name string, placeholder bool) cell {
	c := cell{text: sanitize(name)}
	if placeholder {
		c.style = &sh.styles.dim
	}
	return c
}

// beforeData is t, a table of named rows (queues, trunks) and their
// figures, with every figure "—" until the first update: the directory
// names the rows, it does not say what happens in them.
func (sh *shared) beforeData(t table) table {
	if sh.view.Feed.HasData() {
		return t
	}
	row := t.row
	t.row = func(i int) []cell {
		cells := row(i)
		for j := 1; j < len(cells); j++ {
			cells[j] = cell{text: noValue, style: &sh.styles.dim}
		}
		return cells
	}
	return t
}

// withAtStart is cols, whose last is "At start", without it when no row
// had a call on the line at start: a column that would read 0 all day on a
// board started before the first call leaves its room to the names.
func withAtStart[R any](cols []column, rows []R, atStart func(*R) int) []column {
	for i := range rows {
		if atStart(&rows[i]) > 0 {
			return cols
		}
	}
	return cols[:len(cols)-1]
}

// beforeStartText says how many of today's calls were already on the line
// when the board first heard of them: counted in no other figure.
func beforeStartText(n int) string {
	return strconv.Itoa(n) + " already on the line at start"
}
