package tui

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"callboard/state"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// headerView is, on the left, the title, the account, the viewer, the
// view's scope and the feed's status; on the right, a journal that does
// not write, the age of the last event and the clock. When the width runs
// short what matters least goes first: the account, the last event, the
// title, the viewer; then the scope says its unmatched entries shorter
// ("(2?)"); then the journal's note is shortened, then it goes, then the
// clock; then the scope's name and the status's detail are cut (the
// detail keeping the address its reason names), and the scope and the
// state word stay: a scoped board never looks like the whole center.
func (m *Model) headerView() string {
	st := m.styles
	word, detail, style := m.statusParts()
	status := word + detail.String()
	lastEvent := "no events yet"
	now := m.view.Now
	if at := m.view.Feed.LastEventAt; !at.IsZero() {
		lastEvent = "last event " + state.Clock(now.Sub(at)) + " ago"
	}
	clock := now.In(m.location()).Format("15:04:05")
	var journal string
	if j := m.view.Journal; j.On && j.Problem != "" {
		journal = "journal: " + strings.TrimSpace(sanitize(j.Problem))
	}
	scopeName, unmatched, unmatchedShort := scopeTexts(m.view.Scope)
	scope, scopeShort := scopeName+unmatched, scopeName+unmatchedShort

	// line draws the parts that are not "", or reports that they do not fit.
	line := func(p headerParts, status, journal, clock string) (string, bool) {
		var names, right []string
		for _, n := range []struct {
			text  string
			style lipgloss.Style
		}{{p.title, st.title}, {p.account, st.plain}, {p.viewer, st.plain}} {
			if n.text != "" {
				names = append(names, n.style.Render(n.text))
			}
		}
		left := style.Render(status)
		if p.scope != "" {
			left = st.title.Render(p.scope) + "  " + left
		}
		if len(names) > 0 {
			left = strings.Join(names, st.dim.Render(" · ")) + "  " + left
		}
		for _, p := range []struct {
			text  string
			style lipgloss.Style
		}{{journal, st.warn}, {p.lastEvent, st.dim}, {clock, st.plain}} {
			if p.text != "" {
				right = append(right, p.style.Render(p.text))
			}
		}
		l, r := left, strings.Join(right, "  ")
		lw, rw := lipgloss.Width(l), lipgloss.Width(r)
		switch {
		case rw == 0 && lw <= m.width:
			return l, true
		case rw > 0 && lw+2+rw <= m.width:
			return l + strings.Repeat(" ", m.width-lw-rw) + r, true
		}
		return "", false
	}
	for _, try := range []headerParts{
		{m.title, m.account, m.viewer, scope, lastEvent},
		{m.title, "", m.viewer, scope, lastEvent},
		{m.title, "", m.viewer, scope, ""},
		{"", "", m.viewer, scope, ""},
		{"", "", "", scope, ""},
		{"", "", "", scopeShort, ""},
	} {
		if l, ok := line(try, status, journal, clock); ok {
			return l
		}
	}
	bare := headerParts{scope: scopeShort}
	// The journal's note takes what the status, the scope and the clock leave.
	if room := m.width - ansi.StringWidth(status) - ansi.StringWidth(clock) - 4 - scopeRoom(scopeShort); journal != "" && room >= len("journal: …") {
		if l, ok := line(bare, status, ansi.Truncate(journal, room, "…"), clock); ok {
			return l
		}
	}
	for _, c := range []string{clock, ""} {
		if l, ok := line(bare, status, "", c); ok {
			return l
		}
	}
	// The scope's name is cut (its unmatched count kept) to leave the
	// state word its room, then the status's detail takes what is left.
	var left string
	if scopeShort != "" {
		room := max(m.width-ansi.StringWidth(word)-2-ansi.StringWidth(unmatchedShort), 1)
		left = st.title.Render(ansi.Truncate(scopeName, room, "…")+unmatchedShort) + "  "
	}
	room := m.width - lipgloss.Width(left) - ansi.StringWidth(word)
	if room < 2 {
		return left + style.Render(ansi.Truncate(word, max(m.width-lipgloss.Width(left), 1), "…"))
	}
	return left + style.Render(word+detail.fit(room))
}

// headerParts are the header's parts that give way, each "" when gone.
type headerParts struct {
	title, account, viewer, scope, lastEvent string
}

// scopeRoom is the room the scope's text takes on the header's left, the
// gap after it included.
func scopeRoom(scope string) int {
	if scope == "" {
		return 0
	}
	return ansi.StringWidth(scope) + 2
}

// scopeTexts are how the header says the view's scope: "scope: Support",
// then its unmatched entries, " (2 unmatched)" and short, " (2?)"; all ""
// for the whole center. A scope without a name is named by the ids it
// matched, or "nothing" when it matched none.
func scopeTexts(s *state.ScopeShown) (name, unmatched, unmatchedShort string) {
	if s == nil {
		return "", "", ""
	}
	name = strings.TrimSpace(sanitize(s.Name))
	if name == "" {
		ids := slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(s.QueueIDs), s.GroupIDs...))))
		name = strings.TrimSpace(sanitize(strings.Join(ids, ",")))
	}
	if name == "" {
		name = "nothing"
	}
	if n := len(s.Unmatched); n > 0 {
		return "scope: " + name, " (" + strconv.Itoa(n) + " unmatched)", " (" + strconv.Itoa(n) + "?)"
	}
	return "scope: " + name, "", ""
}

// addressPattern finds the address a reason names: host:port, the host a
// name, an IPv4 address or a bracketed IPv6 one (not a time as 15:04).
var addressPattern = regexp.MustCompile(`(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]*[A-Za-z.][A-Za-z0-9.-]*):[0-9]{1,5}\b`)

// leastBefore is the least of what precedes an address that keepAddress
// keeps (its "… " included): "disconnected: a… host:443" says little more
// than the address alone.
const leastBefore = 12

// keepAddress cuts s to width cells, keeping whole the first address it
// names (host:port, where the connection went): what follows it is cut
// first, then what precedes it ("connection refu… svc.example.com:443").
// Without an address s is cut at its end, and so it is, kept false, in a
// width too short for its address.
func keepAddress(s string, width int) (cut string, kept bool) {
	loc := addressPattern.FindStringIndex(s)
	if ansi.StringWidth(s) <= width {
		return s, true
	}
	if loc == nil {
		return ansi.Truncate(s, width, "…"), true
	}
	pre, addr, post := s[:loc[0]], s[loc[0]:loc[1]], s[loc[1]:]
	room := width - ansi.StringWidth(addr)
	if room < min(ansi.StringWidth(pre), leastBefore)+min(ansi.StringWidth(post), 1) {
		return ansi.Truncate(s, width, "…"), false
	}
	if post != "" {
		// what follows: what pre leaves of the room, "…" at least
		post = ansi.Truncate(post, max(room-ansi.StringWidth(pre), 1), "…")
	}
	return ansi.Truncate(pre, room-ansi.StringWidth(post), "… ") + addr + post, true
}
