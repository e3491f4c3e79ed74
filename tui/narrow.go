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

// narrowing is what the user asked to see of a tab: a text filter, a sort
// column, and on Calls the callers to call back only. (The Agents tab's
// state and group are the model's.)
type narrowing struct {
	query      string // as typed
	sortCol    int    // -1: the board's order
	desc       bool
	state      state.AgentState // Agents: only the agents in this state ("": all)
	group      string           // Agents: only the agents of this group id ("": all)
	toCallBack bool             // Calls: the lost callers not reached since, only
	perQueue   bool             // Day: one row per interval and queue, not the totals
}

// clearFilters clears what narrows the rows (esc), not the sort or the
// layout.
func (nw *narrowing) clearFilters() {
	nw.query, nw.state, nw.group, nw.toCallBack = "", "", "", false
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

// baseTables are the tab's tables over all their rows, in the board's
// order.
func (m *Model) baseTables(t tab) []table {
	switch t {
	case tabAgents:
		return []table{m.agentTable()}
	case tabQueues, tabOverview:
		return []table{m.beforeData(m.queueTable())}
	case tabCalls:
		return []table{m.waitingTable(), m.abandonedTable()}
	case tabTrunks:
		return []table{m.beforeData(m.trunkTable())}
	case tabDay:
		return []table{m.dayTable()}
	}
	return []table{m.eventTable()}
}

// beforeData is t, a table of named rows (queues, trunks) and their
// figures, with every figure "—" until the first update: the directory
// names the rows, it does not say what happens in them.
func (m *Model) beforeData(t table) table {
	if m.health.HasData() {
		return t
	}
	row := t.row
	t.row = func(i int) []cell {
		cells := row(i)
		for j := 1; j < len(cells); j++ {
			cells[j] = cell{text: noValue, style: &m.styles.dim}
		}
		return cells
	}
	return t
}

// sortTitles are the columns the sort key goes through on tab t: those of
// its tables, each title once. A table without the column sorted on keeps
// the board's order.
func (m *Model) sortTitles(t tab) []string {
	var titles []string
	for _, tb := range m.baseTables(t) {
		for _, c := range tb.cols {
			if !slices.Contains(titles, c.title) {
				titles = append(titles, c.title)
			}
		}
	}
	return titles
}

// sortTitle is the title of the column tab t is sorted on, "" for the
// board's order.
func (m *Model) sortTitle(t tab) string {
	titles, col := m.sortTitles(t), m.tabs[t].narrowing.sortCol
	if col < 0 || col >= len(titles) {
		return ""
	}
	return titles[col]
}

// columnIndex is the index of the column titled title, -1 when none is.
func columnIndex(cols []column, title string) int {
	if title == "" {
		return -1
	}
	return slices.IndexFunc(cols, func(c column) bool { return c.title == title })
}

// narrow computes, for the active tab, which rows show and in which
// order. The other tabs are narrowed when they become active.
func (m *Model) narrow() {
	for t := range tabCount {
		c := &m.tabs[t]
		if t != m.tab && c.panes[0].order != nil {
			continue
		}
		title := m.sortTitle(t)
		for i, base := range m.baseTables(t) {
			c.panes[i].order = narrowTable(&c.narrowing, base, func(row int) bool { return m.rowShown(t, i, row) }, title)
		}
	}
}

// narrowTable is the rows of base that shown lets through and that match
// nw's filter, sorted on the column titled sortTitle as nw asks.
func narrowTable(nw *narrowing, base table, shown func(row int) bool, sortTitle string) []int {
	query := matchKey(strings.TrimSpace(nw.query))
	col := columnIndex(base.cols, sortTitle)
	order := make([]int, 0, base.n)
	var texts [][]string
	for i := range base.n {
		if !shown(i) {
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

// rowShown applies the narrowing of tab t's own keys to row i of its
// table p: on Agents, the state and group filters; on Calls, the callers
// to call back.
func (m *Model) rowShown(t tab, p, i int) bool {
	switch t {
	case tabAgents:
		return m.agentShown(&m.agents[i])
	case tabCalls:
		return m.callShown(p, i)
	}
	return true
}

// agentShown applies the state and group filters of the Agents tab.
func (m *Model) agentShown(r *state.AgentRow) bool {
	nw := &m.tabs[tabAgents].narrowing
	switch nw.state {
	case "":
	case state.OnCall:
		if !r.State.OnACall() {
			return false
		}
	default:
		if r.State != nw.state {
			return false
		}
	}
	return nw.group == "" || slices.Contains(r.Groups, nw.group)
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
	if i := strings.IndexByte(s, '/'); i > 0 { // "available/logged in"
		s = s[:i]
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// groups lists the groups agents belong to, by name, for the group picker.
func (m *Model) groups() []string {
	seen := map[string]string{}
	for i := range m.agents {
		for j, g := range m.agents[i].Groups {
			if j < len(m.agents[i].GroupNames) {
				seen[g] = m.agents[i].GroupNames[j]
			}
		}
	}
	ids := make([]string, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		return cmp.Or(strings.Compare(matchKey(seen[a]), matchKey(seen[b])), strings.Compare(a, b))
	})
	return ids
}

func (m *Model) groupName(id string) string {
	for i := range m.agents {
		for j, g := range m.agents[i].Groups {
			if g == id && j < len(m.agents[i].GroupNames) {
				return m.agents[i].GroupNames[j]
			}
		}
	}
	return "#" + id
}
