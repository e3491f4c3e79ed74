package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// span is the cells [from, to) of a line that a thing drawn takes.
type span struct{ from, to int }

func (s span) holds(x int) bool { return x >= s.from && x < s.to }

// tabForm is one way of naming the tabs in the tab bar: each tab's name,
// active or not, and what follows each.
type tabForm struct {
	name func(title string, active bool) string
	sep  string
}

// tabForms are the tab bar's forms, the widest first: the first that fits
// the window is drawn. The active tab is always named whole, in brackets.
var tabForms = []tabForm{
	{ // roomy: " Overview  [Agents]  Queues   Calls …"
		name: func(title string, active bool) string {
			if active {
				return "[" + title + "]"
			}
			return " " + title + " "
		},
		sep: " ",
	},
	{ // close: "Overview [Agents] Queues Calls …"
		name: func(title string, active bool) string {
			if active {
				return "[" + title + "]"
			}
			return title
		},
		sep: " ",
	},
	{ // short: "Ovw [Agents] Que Cal Trk Evt Day Alr", 38 cells at most
		name: func(title string, active bool) string {
			if active {
				return "[" + title + "]"
			}
			return shortTitle(title)
		},
		sep: " ",
	},
}

// shortTitles are the tabs' names when the window is too narrow for their
// titles (40 columns): three letters each, the active tab's title whole.
var shortTitles = map[string]string{
	"Overview": "Ovw",
	"Agents":   "Agt",
	"Queues":   "Que",
	"Calls":    "Cal",
	"Trunks":   "Trk",
	"Events":   "Evt",
	"Day":      "Day",
	"Alerts":   "Alr",
}

// shortTitle is title's short name: its own, or its first three
// characters.
func shortTitle(title string) string {
	if s, ok := shortTitles[title]; ok {
		return s
	}
	return ansi.Truncate(title, 3, "")
}

// tabBar is the tabs as the tab bar draws them, in the widest form that
// fits the window, each followed by its separator, and where each tab is
// on the line (a zero span: not drawn). It is the one layout of the tabs:
// the tab bar draws it and a click is found on it (tabAt).
func (m *Model) tabBar() (string, []span) {
	st := m.styles
	spots := make([]span, len(m.tabs))
	names := make([]string, len(m.tabs))
	form := tabForms[len(tabForms)-1]
	for _, f := range tabForms {
		width := 0
		for t, c := range m.tabs {
			width += ansi.StringWidth(f.name(c.Title(), tab(t) == m.tab) + f.sep)
		}
		if width-len(f.sep) <= m.width {
			form = f
			break
		}
	}
	for t, c := range m.tabs {
		names[t] = form.name(c.Title(), tab(t) == m.tab)
	}
	// Too narrow even so (titles longer than the board's own), the active
	// tab stays in sight: the tabs before it give way to "…", which stands
	// for the one before the first shown.
	first, x := 0, 0
	for first < int(m.tab) && ansi.StringWidth(strings.Join(names[first:m.tab+1], form.sep)) > m.width-min(first, 1) {
		first++
	}
	var b strings.Builder
	if first > 0 {
		b.WriteString("…")
		spots[first-1] = span{0, 1}
		x = 1
	}
	for t := first; t < len(names); t++ {
		if w := ansi.StringWidth(names[t]); x < m.width {
			// cut at the window's edge (tabsView cuts the line there)
			spots[t] = span{x, min(x+w, m.width)}
		}
		style := st.tab
		if tab(t) == m.tab {
			style = st.activeTab
		}
		b.WriteString(style.Render(names[t]) + form.sep)
		x += ansi.StringWidth(names[t] + form.sep)
	}
	line := b.String()
	if x > m.width { // the last tab's separator past the window's edge
		line = strings.TrimSuffix(line, form.sep)
	}
	return line, spots
}

// tabAt is the tab drawn at column x of the tab bar, if any.
func (m *Model) tabAt(x int) (tab, bool) {
	_, spots := m.tabBar()
	for t, s := range spots {
		if s.holds(x) {
			return tab(t), true
		}
	}
	return 0, false
}
