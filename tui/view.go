package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"callboard/feed"
)

// The smallest window the board draws itself in.
const (
	minWidth  = 40
	minHeight = chromeLines + titleLines + 1
)

// View draws the board: header, tabs, the active table and the footer, in
// exactly the window's height and never wider than it.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.width < minWidth || m.height < minHeight {
		return ansi.Truncate("window too small", m.width, "…")
	}
	var b strings.Builder
	b.WriteString(m.headerView())
	b.WriteByte('\n')
	if m.wall {
		b.WriteString(renderWall(m.wallFigures(), m.width, m.height-1, &m.styles))
		return b.String()
	}
	b.WriteString(m.tabsView())
	b.WriteByte('\n')
	height := m.height - chromeLines
	switch {
	case m.showHelp:
		m.helpView(&b, height)
	default:
		if m.tab == tabOverview && m.overviewLines() > 0 {
			height -= m.overviewView(&b)
		}
		renderTable(&b, &m.styles, m.table(), m.scroll[m.tab], m.width, height)
	}
	b.WriteString(m.footerView())
	return b.String()
}

// headerView is the title and the feed's status on the left, the age of the
// last event and the clock on the right. The status is cut short first.
func (m *Model) headerView() string {
	st := &m.styles
	left := m.statusView()
	if m.title != "" {
		left = st.title.Render(m.title) + "  " + left
	}
	lastEvent := "no events yet"
	if at := m.health.LastEventAt; !at.IsZero() {
		lastEvent = "last event " + age(m.clock.Sub(at)) + " ago"
	}
	right := st.dim.Render(lastEvent) + "  " + m.clock.Format("15:04:05")
	return spread(left, right, m.width)
}

// statusView is the connection state, coloured, with why it is down.
func (m *Model) statusView() string {
	st, h := &m.styles, &m.health
	if m.stopped {
		return st.down.Render("● feed stopped")
	}
	if h.State == feed.Live {
		return st.live.Render(strings.TrimSpace("● live " + h.Protocol))
	}
	s := "● " + h.State.String()
	if h.State == feed.Connecting {
		s = "● connecting…"
	}
	if reason := strings.TrimSpace(sanitize(h.Reason)); reason != "" {
		s += ": " + reason
	}
	if !h.DownSince.IsZero() {
		s += " — data frozen " + age(m.clock.Sub(h.DownSince))
	}
	if h.NextRetry.After(m.clock) {
		s += " — retry in " + age(h.NextRetry.Sub(m.clock))
	}
	if h.State == feed.Connecting && h.DownSince.IsZero() {
		return st.connecting.Render(s)
	}
	return st.down.Render(s)
}

// tabsView names the tabs, the active one marked, and which rows are on
// screen.
func (m *Model) tabsView() string {
	st := &m.styles
	var b strings.Builder
	for t := range tabCount {
		if t == m.tab {
			b.WriteString(st.activeTab.Render("[" + t.String() + "]"))
		} else {
			b.WriteString(st.tab.Render(" " + t.String() + " "))
		}
		b.WriteByte(' ')
	}
	n, pos := m.rowCount(m.tab), ""
	if n > 0 {
		first := m.scroll[m.tab].offset + 1
		last := min(first+m.visibleRows(m.tab)-1, n)
		pos = st.dim.Render("rows " + strconv.Itoa(first) + "–" + strconv.Itoa(last) + " of " + strconv.Itoa(n))
	}
	return spread(b.String(), pos, m.width)
}

// footerView is the key help on the left, the counts on the right.
func (m *Model) footerView() string {
	counts := "agents " + strconv.Itoa(len(m.agents))
	if n := m.health.Rejected; n > 0 {
		counts += "  " + m.styles.warn.Render("rejected "+strconv.Itoa(n))
	}
	left := m.narrowingView()
	if m.editing {
		left = m.input.View()
	}
	if left == "" {
		h := m.help
		h.Width = max(m.width-lipgloss.Width(counts)-2, 0)
		left = h.View(m.keys)
	}
	return spread(left, counts, m.width)
}

// narrowingView says what the active tab is narrowed to, "" when nothing.
func (m *Model) narrowingView() string {
	var parts []string
	if q := m.narrowed[m.tab].query; q != "" {
		parts = append(parts, "filter “"+sanitize(q)+"”")
	}
	if m.tab == tabAgents && m.stateFilter != "" {
		parts = append(parts, "state "+strings.ReplaceAll(string(m.stateFilter), "_", " "))
	}
	if m.tab == tabAgents && m.group != "" {
		parts = append(parts, "group "+sanitize(m.groupName(m.group)))
	}
	if len(parts) == 0 {
		return ""
	}
	return m.styles.warn.Render(strings.Join(parts, " · ")) + m.styles.dim.Render("  (esc clears)")
}

// helpView is the full key help and the definitions behind the figures,
// drawn in place of the table.
func (m *Model) helpView(b *strings.Builder, height int) {
	h := m.help
	h.ShowAll = true
	h.Width = m.width
	text := h.View(m.keys) + "\n\n" +
		"Service level: calls answered within the threshold ÷ (answered + abandoned),\n" +
		"abandons shorter than the short-abandon time counted in neither.\n" +
		"ASA: the mean wait of the calls answered today.  ? closes this help."
	lines := strings.Split(text, "\n")
	for i := 0; i < height; i++ {
		if i < len(lines) {
			b.WriteString(ansi.Truncate(lines[i], m.width, "…"))
		}
		b.WriteByte('\n')
	}
}

// spread puts left and right on one line width cells wide, right-aligned
// right. When they do not fit, right is dropped and left cut with "…".
func spread(left, right string, width int) string {
	lw, rw := lipgloss.Width(left), lipgloss.Width(right)
	if right != "" && lw+2+rw <= width {
		return left + strings.Repeat(" ", width-lw-rw) + right
	}
	if right != "" && rw+2 < width {
		return ansi.Truncate(left, width-rw-2, "…") + "  " + right
	}
	return ansi.Truncate(left, width, "…")
}
