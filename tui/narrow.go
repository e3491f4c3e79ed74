package tui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"callboard/state"
)

// narrowing is what the user asked to see of a tab, whichever it is: a
// text filter and a sort column. A tab's own filters (the Agents tab's
// state and group, the Calls tab's callers to call back) are the tab's.
type narrowing struct {
	query   string // as typed
	sortCol int    // -1: the board's order
	desc    bool   // descending
}

// matchKey folds text for filtering: lower case, accents removed, so that
// "helene" finds "Hélène".
func matchKey(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		folded = s
	}
	return strings.ToLower(folded)
}

// sortTitles are the columns the sort key goes through on tab c: those of
// its tables, each title once. A table without the column sorted on keeps
// the board's order.
func sortTitles(c component, sh *shared) []string {
	var titles []string
	for _, tb := range c.tables(sh) {
		for _, c := range tb.cols {
			if !slices.Contains(titles, c.title) {
				titles = append(titles, c.title)
			}
		}
	}
	return titles
}

// sortTitle is the title of the column tab c is sorted on, "" for the
// board's order.
func sortTitle(c component, sh *shared) string {
	titles, col := sortTitles(c, sh), c.base().narrowing.sortCol
	if col < 0 || col >= len(titles) {
		return ""
	}
	return titles[col]
}

// nextSort sorts tab c on the next column it shows after the one it is
// sorted on (in the order of sortTitles), the worst first (column.worst);
// after the last, in the board's order again. A column the width hides is
// passed over: rows do not reorder on a column nobody sees.
func nextSort(c component, sh *shared) {
	nw := &c.base().narrowing
	titles := sortTitles(c, sh)
	shown := map[string]column{}
	for _, t := range c.tables(sh) {
		for i, w := range layout(t.cols, sh.width) {
			if _, seen := shown[t.cols[i].title]; w > 0 && !seen {
				shown[t.cols[i].title] = t.cols[i]
			}
		}
	}
	for i := max(nw.sortCol+1, 0); i < len(titles); i++ {
		if col, ok := shown[titles[i]]; ok {
			nw.sortCol, nw.desc = i, col.worst
			return
		}
	}
	nw.sortCol, nw.desc = -1, false
}

// reverseSort reverses tab c's sort, if it is sorted.
func reverseSort(c component) {
	if nw := &c.base().narrowing; nw.sortCol >= 0 {
		nw.desc = !nw.desc
	}
}

// columnIndex is the index of the column titled title, -1 when none is.
func columnIndex(cols []column, title string) int {
	if title == "" {
		return -1
	}
	return slices.IndexFunc(cols, func(c column) bool { return c.title == title })
}

// narrow computes, for the active tab, which rows show and in which
// order, its cursor on the same subject (tabView.setOrder). The other tabs
// are narrowed when they become active.
func (m *Model) narrow() {
	for t, c := range m.tabs {
		tv := c.base()
		if pt, ok := m.pageTab(); tab(t) != m.tab && (!ok || tab(t) != pt) && tv.panes[0].order != nil {
			continue
		}
		title := sortTitle(c, &m.shared)
		tables := c.tables(&m.shared)
		for i, base := range tables {
			tv.setOrder(i, base, narrowTable(&tv.narrowing, base, title))
		}
		tv.hold(tables, false)
	}
}

// narrowTable is the rows of base that its tab's own filters keep and
// that match nw's filter, sorted on the column titled sortTitle as nw
// asks.
func narrowTable(nw *narrowing, base table, sortTitle string) []int {
	query := matchKey(strings.TrimSpace(nw.query))
	col := columnIndex(base.cols, sortTitle)
	order := make([]int, 0, base.n)
	var texts [][]string
	for i := range base.n {
		if base.keep != nil && !base.keep(i) {
			continue
		}
		var cells []string
		if query != "" || col >= 0 {
			for _, c := range base.row(i) {
				cells = append(cells, c.text)
			}
		}
		if query != "" && !strings.Contains(matchKey(strings.Join(cells, "\x00")), query) {
			continue
		}
		order = append(order, i)
		texts = append(texts, cells)
	}
	if col >= 0 {
		idx := make([]int, len(order))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			c := compareCells(texts[a][col], texts[b][col])
			if nw.desc {
				return -c
			}
			return c
		})
		sorted := make([]int, len(order))
		for i, j := range idx {
			sorted[i] = order[j]
		}
		order = sorted
	}
	return order
}

// compareCells orders two cell texts: durations (1:02:03, 4:07), numbers
// and percentages by value, "—" first, the rest as people read them, in the
// board's own order of names (state.CompareNames).
func compareCells(a, b string) int {
	na, aok := cellNumber(a)
	nb, bok := cellNumber(b)
	switch {
	case aok && bok:
		return cmp.Compare(na, nb)
	case a == noValue && b != noValue:
		return -1
	case b == noValue && a != noValue:
		return 1
	}
	return state.CompareNames(a, b)
}

func cellNumber(s string) (float64, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	if s == "" {
		return 0, false
	}
	if strings.Contains(s, ":") {
		total := 0.0
		for _, part := range strings.Split(s, ":") {
			v, err := strconv.Atoi(part)
			if err != nil {
				return 0, false
			}
			total = total*60 + float64(v)
		}
		return total, true
	}
	if i := strings.IndexByte(s, '/'); i > 0 { // "available/logged in", "74 % / 80"
		s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s[:i]), "%"))
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}
