package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"callboard/feed"
	"callboard/state"
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
		return tooSmall(m.width, m.height)
	}
	var b strings.Builder
	b.WriteString(m.headerView())
	b.WriteByte('\n')
	if m.wall && len(m.rot.pages) > 0 {
		m.pageView(&b, m.height-1)
		return b.String()
	}
	if m.wall {
		b.WriteString(m.wallView(m.height - 1))
		return b.String()
	}
	b.WriteString(m.tabsView())
	b.WriteByte('\n')
	height := m.height - chromeLines
	switch {
	case m.showHelp:
		m.helpView(&b, height)
	default:
		m.current().View(&m.shared, &b, height)
	}
	b.WriteString(m.footerView())
	return b.String()
}

// tooSmall says, in a window too small for the board, what it needs.
func tooSmall(width, height int) string {
	need := "needs " + strconv.Itoa(minWidth) + "×" + strconv.Itoa(minHeight)
	lines := []string{"window too small:", need, "(now " + strconv.Itoa(width) + "×" + strconv.Itoa(height) + ")"}
	if height < len(lines) {
		lines = []string{"too small: " + need}
	}
	for i := range lines {
		lines[i] = ansi.Truncate(lines[i], width, "…")
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines[:height], "\n")
}

// statusParts is the connection state: its word ("● disconnected"), the
// detail that follows it (why, for how long, the next try) and its style.
func (sh *shared) statusParts() (word string, detail reasoned, style lipgloss.Style) {
	st, h, now := sh.styles, &sh.view.Feed, sh.view.Now
	switch {
	case sh.stopped:
		return "● feed stopped", reasoned{}, st.down
	case h.Live():
		return strings.TrimSpace("● live " + h.Protocol), reasoned{}, st.live
	case h.State == feed.Connecting:
		word = "● connecting…"
	default:
		word = "● " + h.State.String()
	}
	if reason := strings.TrimSpace(sanitize(h.Reason)); reason != "" {
		detail.head = ": " + reason
	}
	if !h.DownSince.IsZero() {
		detail.tail += " — data frozen " + state.Clock(now.Sub(h.DownSince))
	}
	if h.NextRetry.After(now) {
		detail.retry = " — retry in " + state.Clock(h.NextRetry.Sub(now))
	}
	if h.State == feed.Connecting && h.DownSince.IsZero() {
		return word, detail, st.connecting
	}
	return word, detail, st.down
}

// notLiveText says, while the figures are not live, why and since when:
// "disconnected: authentication refused — data from 14:02".
func (sh *shared) notLiveText() reasoned {
	h, now := &sh.view.Feed, sh.view.Now
	what := h.State.String()
	if sh.stopped {
		what = "feed stopped"
	}
	if reason := strings.TrimSpace(sanitize(h.Reason)); reason != "" {
		what += ": " + reason
	}
	var rest, retry string
	switch {
	case !h.HasData():
		rest = " — no data yet"
	case !h.DownSince.IsZero():
		rest = " — data from " + h.DownSince.In(sh.location()).Format("15:04")
	}
	if h.NextRetry.After(now) {
		retry = " — retry in " + state.Clock(h.NextRetry.Sub(now))
	}
	return reasoned{head: what, tail: rest, retry: retry}
}

// reasoned is an account of the feed's state: what it is and why (head),
// then since when the data is frozen (tail) and when the next try comes
// (retry). In a line too short for it the why is cut first, keeping the
// address it names (where the connection went), the next try going before
// that address does: how old the figures are stays.
type reasoned struct{ head, tail, retry string }

func (r reasoned) String() string { return r.head + r.tail + r.retry }

// fit is r in at most width cells.
func (r reasoned) fit(width int) string {
	whole := r.String()
	if ansi.StringWidth(whole) <= width {
		return whole
	}
	tails := []string{r.tail + r.retry, r.tail}
	for i, tail := range tails {
		room := width - ansi.StringWidth(tail)
		if cut, kept := keepAddress(r.head, room); room >= 8 && (kept || i == len(tails)-1) {
			return cut + tail
		}
	}
	cut, _ := keepAddress(r.head, width)
	return cut
}

// daySpanText says since when today's counters count: "today since 00:00,
// Wed 25 Nov" or "since 13:58 (start-up), Wed 25 Nov".
func (sh *shared) daySpanText() string {
	since := sh.view.Day.Since
	if since.IsZero() {
		return ""
	}
	date := since.Format("Mon 2 Jan")
	text := "since " + since.Format("15:04") + " (start-up), " + date
	if sh.view.Day.FromMidnight {
		text = "today since 00:00, " + date
	}
	return text + sh.notLiveToday()
}

// notLiveToday names the stretches of today the board did not see, once
// over (the one going on is the NOT LIVE banner's): " · not live
// 12:04–12:31", or " · not live 3 times, last 12:04–12:31".
func (sh *shared) notLiveToday() string {
	var over []state.Interval
	for _, in := range sh.view.Day.NotLive {
		if !in.To.IsZero() {
			over = append(over, in)
		}
	}
	if len(over) == 0 {
		return ""
	}
	last := over[len(over)-1]
	span := last.From.Format("15:04") + "–" + last.To.Format("15:04")
	if len(over) == 1 {
		return " · not live " + span
	}
	return fmt.Sprintf(" · not live %d times, last %s", len(over), span)
}

// tabsView names the tabs, the active one marked.
func (m *Model) tabsView() string {
	tabs, _ := m.tabBar()
	// What the tab shows of its rows and columns is said in the footer.
	return ansi.Truncate(tabs, m.width, "…")
}

// filterCountsRoom is what the filter being typed leaves of the footer:
// the counts, the prompt and the cursor.
const filterCountsRoom = 30

// filterView is the filter being typed. Without colours (NO_COLOR, a
// terminal without them) the input's cursor, drawn in reverse video, would
// not show: an underscore stands for it.
func (m *Model) filterView() string {
	if !m.styles.colourless {
		return m.input.View()
	}
	value := []rune(m.input.Value())
	pos := min(m.input.Position(), len(value))
	text := string(value[:pos]) + "_" + string(value[pos:])
	if room := max(m.width-filterCountsRoom, 1); len(value)+1 > room {
		// the part around the cursor that fits
		from := max(min(pos-room+1, len(value)+1-room), 0)
		text = string([]rune(text)[from : from+room])
	}
	return m.input.Prompt + text
}

// footerView is, on the left, the filter being typed, or what the active
// tab is narrowed to, or else the key help; on the right what its list
// shows (listNotes): how many rows of how many first, whatever the width.
func (m *Model) footerView() string {
	left := m.narrowingView()
	// what it is narrowed to, without how to clear it, whole when short
	// ("paused: 12 newer")
	bare := lipgloss.Width(strings.TrimSuffix(left, m.escNote()))
	leftRoom := min(lipgloss.Width(left), max(narrowingRoom, min(bare, narrowingRoom+4)))
	switch {
	case m.editing:
		left = m.filterView()
		leftRoom = lipgloss.Width(left)
	case left == "":
		leftRoom = m.width / 3 // the help's first keys
	}
	notes := m.listNotes()
	right, position := m.fitNotes(notes, m.width-leftRoom-2)
	if left == "" && !position && hasPosition(notes) {
		// which rows are on screen before the help's keys, down to "? help …"
		if r, ok := m.fitNotes(notes, m.width-m.leastHelp()-2); ok {
			right = r
		}
	}
	room := m.width - lipgloss.Width(right) - 2
	switch {
	case left == "":
		left = m.shortHelp(room)
	case !m.editing && lipgloss.Width(left) > room:
		// what the tab is narrowed to, before how to clear it
		left = strings.TrimSuffix(left, m.escNote())
	}
	return spread(left, right, m.width)
}

// shortHelp is the footer's help in width cells: the first keys that fit
// whole, " …" after them when some were left out and it fits (bubbles'
// help adds a key that does not fit when its ellipsis would not either).
func (m *Model) shortHelp(width int) string {
	keys := m.helpKeys().ShortHelp()
	if o, ok := m.current().(coverer); ok && o.covered() {
		keys = append(m.current().Keys(&m.shared), keys[0], m.keys.Quit)
	}
	h := m.help
	h.Width = 0
	for n := len(keys); n > 0; n-- {
		view := h.ShortHelpView(keys[:n])
		if n < len(keys) {
			if more := view + " " + m.styles.dim.Render(h.Ellipsis); lipgloss.Width(more) <= width {
				return more
			}
		}
		if lipgloss.Width(view) <= width {
			return view
		}
	}
	return ""
}

// leastHelp is the width of the shortest help the footer gives: its
// first key and " …" ("? help …").
func (m *Model) leastHelp() int {
	h := m.help
	h.Width = 0
	first := h.ShortHelpView(m.helpKeys().ShortHelp()[:1])
	return lipgloss.Width(first + " " + h.Ellipsis)
}

// narrowingRoom is what the footer keeps, when short, for what the tab is
// narrowed to: "filter “Ch”", "state paused".
const narrowingRoom = 14

// narrowingView says what the active tab is narrowed to, "" when nothing.
func (m *Model) narrowingView() string {
	parts := m.current().narrowedTo(&m.shared)
	if len(parts) == 0 {
		return ""
	}
	return m.styles.warn.Render(strings.Join(parts, " · ")) + m.escNote()
}

// escNote says, after what the tab is narrowed to, what esc does: it
// clears it, or as the tab says (escHinter).
func (m *Model) escNote() string {
	hint := "esc clears"
	if h, ok := m.current().(escHinter); ok {
		hint = h.escHint()
	}
	return m.styles.dim.Render("  (" + hint + ")")
}

// escHinter is a tab that says what esc does to what it is narrowed to.
type escHinter interface{ escHint() string }

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
