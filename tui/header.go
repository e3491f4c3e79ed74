package tui

import (
	"regexp"
	"strings"

	"callboard/state"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// headerView is, on the left, the title, the account and the feed's
// status; on the right, a journal that does not write, the age of the last
// event and the clock. When the width runs short what matters least goes
// first: the account, the last event, the title; then the journal's note
// is shortened, then it goes, then the clock; the status's detail is cut
// last, keeping the address its reason names, and the state word stays.
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

	// line draws the parts that are not "", or reports that they do not fit.
	line := func(title, account, status, journal, lastEvent, clock string) (string, bool) {
		var names, right []string
		if title != "" {
			names = append(names, st.title.Render(title))
		}
		if account != "" {
			names = append(names, st.plain.Render(account))
		}
		left := style.Render(status)
		if len(names) > 0 {
			left = strings.Join(names, st.dim.Render(" · ")) + "  " + left
		}
		for _, p := range []struct {
			text  string
			style lipgloss.Style
		}{{journal, st.warn}, {lastEvent, st.dim}, {clock, st.plain}} {
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
	for _, try := range [][3]string{
		{m.title, m.account, lastEvent},
		{m.title, "", lastEvent},
		{m.title, "", ""},
		{"", "", ""},
	} {
		if l, ok := line(try[0], try[1], status, journal, try[2], clock); ok {
			return l
		}
	}
	// The journal's note takes what the status and the clock leave.
	if room := m.width - ansi.StringWidth(status) - ansi.StringWidth(clock) - 4; journal != "" && room >= len("journal: …") {
		if l, ok := line("", "", status, ansi.Truncate(journal, room, "…"), "", clock); ok {
			return l
		}
	}
	for _, c := range []string{clock, ""} {
		if l, ok := line("", "", status, "", "", c); ok {
			return l
		}
	}
	room := m.width - ansi.StringWidth(word)
	if room < 2 {
		return style.Render(ansi.Truncate(word, m.width, "…"))
	}
	return style.Render(word + detail.fit(room))
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
