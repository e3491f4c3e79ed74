package tui

import (
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// splitKeys turns one key message into the keys a person pressed. Over ssh
// keys typed quickly, or pasted without bracketing, arrive in one read, and
// Bubble Tea delivers the printable ones as one KeyRunes message; an Esc
// followed quickly by a key arrives as alt+key. The board binds nothing to
// alt: such a message is Esc, then the key. A bracketed paste stays whole.
func splitKeys(msg tea.KeyMsg) []tea.KeyMsg {
	if msg.Paste {
		return []tea.KeyMsg{msg}
	}
	var keys []tea.KeyMsg
	if msg.Alt {
		keys = append(keys, tea.KeyMsg{Type: tea.KeyEscape})
		msg.Alt = false
	}
	if msg.Type != tea.KeyRunes || len(msg.Runes) <= 1 {
		return append(keys, msg)
	}
	for _, r := range msg.Runes {
		k := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}
		if r == ' ' {
			k.Type = tea.KeySpace
		}
		keys = append(keys, k)
	}
	return keys
}

// updateKeys handles every key of msg in turn, each as if pressed alone in
// the mode the keys before it left the board in. A key that quits ends the
// burst.
func (m Model) updateKeys(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	tab, nw := m.tab, m.current().base().narrowing
	m.narrowAgain = false
	for _, k := range splitKeys(msg) {
		cmd, quit := m.handleKey(k)
		if quit {
			m.noteSettings()
			return m, tea.Quit
		}
		if cmd != nil {
			cmds = append(cmds, cmd)
		}
	}
	m.followWall()
	// The rows are narrowed again only when what narrows them changed: a
	// burst of text refused by a full filter costs nothing per row.
	if m.tab != tab || m.current().base().narrowing != nw || m.narrowAgain {
		m.narrow()
	}
	m.clampAll()
	m.noteSettings()
	return m, tea.Batch(cmds...)
}

// handleKey handles one key in the board's current mode: the filter being
// typed, the help, the wall, or the board.
func (m *Model) handleKey(k tea.KeyMsg) (cmd tea.Cmd, quit bool) {
	if k.Type == tea.KeyCtrlC {
		return nil, true
	}
	if !m.editing && !m.showHelp && key.Matches(k, m.keys.Reset) {
		m.resetSettings()
		return nil, false
	}
	switch {
	case m.editing:
		return m.filterKey(k), false
	case m.showHelp:
		return nil, m.helpKey(k)
	case m.wall:
		return m.wallKey(k)
	}
	return m.boardKey(k)
}

// filterKey edits the filter: enter keeps it, esc clears it, F1 keeps it
// and opens the help (F1 is no text; ? is), anything else is text, a
// paste included.
func (m *Model) filterKey(k tea.KeyMsg) tea.Cmd {
	switch {
	case !k.Paste && key.Matches(k, m.keys.Keep):
		m.editing, m.filterFull = false, false
		m.input.Blur()
	case !k.Paste && k.Type == tea.KeyF1:
		m.editing, m.filterFull = false, false
		m.input.Blur()
		m.showHelp = true
	case !k.Paste && key.Matches(k, m.keys.Clear):
		m.editing, m.filterFull = false, false
		m.input.Blur()
		m.current().base().narrowing.query = ""
	default:
		nw := &m.current().base().narrowing
		text := k.Type == tea.KeyRunes || k.Type == tea.KeySpace
		before := utf8.RuneCountInString(nw.query) // the input's value, kept as typed
		if text && before >= MaxFilter {
			m.filterFull = true // refused, and said so in the footer
			return nil
		}
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(k)
		nw.query = m.input.Value()
		after := utf8.RuneCountInString(nw.query)
		m.filterFull = text && after >= MaxFilter && after-before < len(k.Runes)
		return cmd
	}
	return nil
}

// helpKey closes the help on q, esc or ? (as htop does); the table's
// keys scroll it (scrollHelp), others do nothing while it is shown.
func (m *Model) helpKey(k tea.KeyMsg) (quit bool) {
	if key.Matches(k, m.keys.Quit, m.keys.Clear, m.keys.Help) {
		m.showHelp, m.helpOffset = false, 0
		return false
	}
	m.scrollHelp(k)
	return false
}

// wallKey handles a key on the wall. w leaves it and q quits; keys that
// change what the board shows (a tab, the filter, the help) leave the wall
// first, so that they are seen; the table keys do nothing.
func (m *Model) wallKey(k tea.KeyMsg) (tea.Cmd, bool) {
	ks := m.keys
	switch {
	case m.pageKey(k):
	case key.Matches(k, ks.Wall):
		m.wall = false
	case key.Matches(k, ks.Quit):
		return nil, true
	case key.Matches(k, ks.Tabs, ks.Next, ks.Prev, ks.Filter, ks.Help):
		m.wall = false
		return m.boardKey(k)
	case k.Paste:
		m.wall = false
		return m.boardKey(k)
	}
	return nil, false
}

// boardKey handles a key on the board.
func (m *Model) boardKey(k tea.KeyMsg) (tea.Cmd, bool) {
	ks := m.keys
	if key.Matches(k, ks.Up, ks.Down, ks.PageUp, ks.PageDown, ks.Home, ks.End) {
		// The rows as the keys before this one left them.
		m.narrow()
		m.clampAll()
	}
	c := m.current()
	if c.Update(&m.shared, k) {
		m.narrowAgain = true
		return nil, false
	}
	tv := c.base()
	switch {
	case k.Paste:
		// A paste on the board is text to find, not keys to obey.
		m.editing = true
		m.input.SetValue(tv.narrowing.query)
		m.input.CursorEnd()
		return tea.Batch(m.input.Focus(), m.filterKey(k)), false
	case key.Matches(k, ks.Filter):
		m.editing = true
		m.input.SetValue(tv.narrowing.query)
		m.input.CursorEnd()
		return m.input.Focus(), false
	case key.Matches(k, ks.Clear):
		c.clearFilters()
		m.narrowAgain = true
	case key.Matches(k, ks.Sort):
		nextSort(c, &m.shared)
	case key.Matches(k, ks.Reverse):
		reverseSort(c)
	case key.Matches(k, ks.Help):
		m.showHelp = true
	case key.Matches(k, ks.Wall):
		m.wall = true
	case key.Matches(k, ks.Quit):
		return nil, true
	case key.Matches(k, ks.Tabs):
		if t := tab(k.String()[0] - '1'); int(t) < len(m.tabs) {
			m.tab = t
		}
	case key.Matches(k, ks.Next):
		m.tab = (m.tab + 1) % tab(len(m.tabs))
	case key.Matches(k, ks.Prev):
		m.tab = (m.tab + tab(len(m.tabs)) - 1) % tab(len(m.tabs))
	case key.Matches(k, ks.Up, ks.Down, ks.PageUp, ks.PageDown, ks.Home, ks.End):
		tv.moveCursor(cursorMove(k, ks, tv))
		tv.hold(c.tables(&m.shared), true) // on another subject, which it stays on
	}
	return nil, false
}

// cursorMove is the rows a key of the table moves the cursor by on tv.
func cursorMove(k tea.KeyMsg, ks *keyMap, tv *tabView) int {
	switch {
	case key.Matches(k, ks.Up):
		return -1
	case key.Matches(k, ks.Down):
		return 1
	case key.Matches(k, ks.PageUp):
		return -tv.visibleRows()
	case key.Matches(k, ks.PageDown):
		return tv.visibleRows()
	case key.Matches(k, ks.Home):
		return -tv.rows()
	}
	return tv.rows()
}
