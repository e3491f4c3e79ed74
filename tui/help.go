package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// helpDefinitions is what the help says of the board's figures, after the
// keys: paragraphs, wrapped to the window.
const helpDefinitions = "Service level: calls answered within the queue's threshold ÷ (answered + " +
	"abandoned − short abandons), ÷ offered or ÷ answered, as its rule says.\n\n" +
	"ASA: the mean wait of the calls answered today. Durations read h:mm:ss.\n\n" +
	"q, esc, ? or F1 close this help."

// helpColumnGap is the space between two columns of keys.
const helpColumnGap = "   "

// helpView is the full key help and the definitions behind the figures,
// drawn in place of the table, height lines. What does not fit scrolls: the
// last line then says which lines are shown and how to scroll.
func (m *Model) helpView(b *strings.Builder, height int) {
	lines := m.helpLines(m.width)
	if len(lines) > height {
		visible := max(height-1, 0)
		from := m.helpFrom(len(lines), height)
		to := min(from+visible, len(lines))
		more := strconv.Itoa(from+1) + "–" + strconv.Itoa(to) + " of " + strconv.Itoa(len(lines)) + " · j/k pgup/pgdn scroll"
		lines = append(lines[from:to:to], m.styles.dim.Render(more))
	}
	for i := 0; i < height; i++ {
		if i < len(lines) {
			b.WriteString(ansi.Truncate(lines[i], m.width, "…"))
		}
		b.WriteByte('\n')
	}
}

// helpFrom is the first line of n on screen in height lines: the offset
// the keys left, kept within the help.
func (m *Model) helpFrom(n, height int) int {
	visible := max(height-1, 1)
	return max(min(m.helpOffset, n-visible), 0)
}

// scrollHelp moves the help by the table's keys: a line, a page, to the
// top or the bottom.
func (m *Model) scrollHelp(k tea.KeyMsg) {
	ks := m.keys
	height := m.height - chromeLines
	n := len(m.helpLines(m.width))
	page := max(height-1, 1)
	off := m.helpFrom(n, height)
	switch {
	case key.Matches(k, ks.Up):
		off--
	case key.Matches(k, ks.Down):
		off++
	case key.Matches(k, ks.PageUp):
		off -= page
	case key.Matches(k, ks.PageDown):
		off += page
	case key.Matches(k, ks.Home):
		off = 0
	case key.Matches(k, ks.End):
		off = n
	default:
		return
	}
	m.helpOffset = off
	m.helpOffset = m.helpFrom(n, height)
}

// helpLines is the help laid out for width: the keys of the board and of
// the active tab in their groups, as many groups side by side as the width
// holds and the others below; then the definitions and the tab's notes,
// wrapped. No key is cut: a description too long for the width wraps
// under itself.
func (m *Model) helpLines(width int) []string {
	var cols [][]string
	var widths []int
	for _, g := range m.helpKeys().FullHelp() {
		if col, w := m.helpColumn(g, width); len(col) > 0 {
			cols, widths = append(cols, col), append(widths, w)
		}
	}
	var lines []string
	gap := len(helpColumnGap)
	for i := 0; i < len(cols); {
		j, used := i+1, widths[i]
		for j < len(cols) && used+gap+widths[j] <= width {
			used += gap + widths[j]
			j++
		}
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, sideBySide(cols[i:j], widths[i:j])...)
		i = j
	}
	text := helpDefinitions
	if notes := m.current().helpNotes(); notes != "" {
		text += "\n\n" + notes
	}
	for _, para := range strings.Split(text, "\n\n") {
		// the notes' own line breaks are a narrower window's
		para = strings.Join(strings.Fields(para), " ")
		lines = append(lines, "")
		lines = append(lines, strings.Split(ansi.Wrap(para, width, " "), "\n")...)
	}
	return lines
}

// helpColumn is a group of keys as a column of lines, each key then its
// description, and the column's width.
func (m *Model) helpColumn(group []key.Binding, width int) (lines []string, w int) {
	st := m.help.Styles
	keyWidth := 0
	for _, b := range group {
		if b.Enabled() {
			keyWidth = max(keyWidth, ansi.StringWidth(b.Help().Key))
		}
	}
	room := max(width-keyWidth-1, 8)
	for _, b := range group {
		if !b.Enabled() {
			continue
		}
		h := b.Help()
		k := h.Key + strings.Repeat(" ", keyWidth-ansi.StringWidth(h.Key))
		for i, d := range strings.Split(ansi.Wrap(h.Desc, room, " "), "\n") {
			if i > 0 {
				k = strings.Repeat(" ", keyWidth)
			}
			lines = append(lines, st.FullKey.Render(k)+" "+st.FullDesc.Render(d))
			w = max(w, keyWidth+1+ansi.StringWidth(d))
		}
	}
	return lines, w
}

// sideBySide sets columns of lines side by side, each padded to its width.
func sideBySide(cols [][]string, widths []int) []string {
	rows := 0
	for _, c := range cols {
		rows = max(rows, len(c))
	}
	lines := make([]string, rows)
	for r := range lines {
		var l strings.Builder
		for i, c := range cols {
			if i > 0 {
				l.WriteString(helpColumnGap)
			}
			cell := ""
			if r < len(c) {
				cell = c[r]
			}
			l.WriteString(cell)
			if i < len(cols)-1 {
				l.WriteString(strings.Repeat(" ", widths[i]-lipgloss.Width(cell)))
			}
		}
		lines[r] = strings.TrimRight(l.String(), " ")
	}
	return lines
}
