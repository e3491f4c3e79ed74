package tui

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"callboard/state"
)

// eventsTab is the Events tab: the feed's state and what it delivered,
// then every update as it came.
//
// Its cursor stays on its event as new ones arrive, as the filter changes
// and as the oldest fall off the log (then on the nearest one left): the
// tab numbers the events it is shown (eventNumbers) and keeps the number of
// the one the viewer chose (anchor). At the top of the log it follows the
// newest (follow), as `less +F` does; moving down pauses it, going back to
// the top resumes it. Enter opens the detail of the event under the cursor
// (eventDetail).
type eventsTab struct {
	tabView
	ids    eventNumbers
	follow bool  // the cursor follows the newest event
	anchor int64 // the number of the event the viewer put the cursor on
	// placedAt is the cursor's row as the tab last left it: a cursor found
	// elsewhere was moved by the viewer since
	placedAt int
	seen     bool // the tab is on screen: its rows are those of the view
	body     int  // lines for the tab, the feed's account included
	// widestNote is the width of the widest note in the log
	widestNote int
	detail     *eventDetail // the detail open over the list, nil for none
}

func newEventsTab() *eventsTab { return &eventsTab{tabView: newTabView(1), follow: true} }

func (c *eventsTab) Title() string { return "Events" }

// setView numbers the new view's events and measures their notes.
func (c *eventsTab) setView(sh *shared) {
	c.ids.update(sh.view.Events, sh.view.Feed.Events)
	c.widestNote = 0
	for i := range sh.view.Events {
		c.widestNote = max(c.widestNote, ansi.StringWidth(eventNote(&sh.view.Events[i])))
	}
	if d := c.detail; d != nil {
		d.gone = d.number < c.ids.oldest()
	}
}

func (c *eventsTab) onScreen(*shared) { c.seen = true }

// SetSize leaves the lines of the feed's account above the table, and puts
// the cursor back on its event.
func (c *eventsTab) SetSize(sh *shared, width, height int) {
	c.body = height
	p := &c.panes[0]
	if p.scroll.cursor != c.placedAt {
		c.moved()
	}
	if c.seen {
		c.seen = false
		c.place()
	}
	c.setTableSize(width, height-len(feedStatusLines(sh, "", "")))
	c.placedAt = p.scroll.cursor
	if c.detail != nil {
		c.detail.setSize(sh, width, height)
	}
}

// moved takes the cursor's row, where the viewer moved it, as its event:
// at the top the tab follows the newest, elsewhere it stays on that event.
func (c *eventsTab) moved() {
	p := &c.panes[0]
	if len(p.order) == 0 {
		return
	}
	cur := min(max(p.scroll.cursor, 0), len(p.order)-1)
	c.follow = cur == 0
	c.anchor = c.ids.number(p.order[cur])
}

// place puts the cursor on the top row when following, else on the row of
// its event, or the nearest one shown when that event is filtered out or
// has left the log; the rows on screen move with it, so that its line stays.
func (c *eventsTab) place() {
	p := &c.panes[0]
	if len(p.order) == 0 {
		return
	}
	if c.follow {
		p.scroll.cursor, p.scroll.offset = 0, 0
		return
	}
	best, dist := 0, int64(-1)
	for i, e := range p.order {
		d := c.ids.number(e) - c.anchor
		if d < 0 {
			d = -d
		}
		if dist < 0 || d < dist {
			best, dist = i, d
		}
	}
	p.scroll.offset += best - p.scroll.cursor
	p.scroll.cursor = best
}

// newer is how many of the rows shown came after the cursor's event.
func (c *eventsTab) newer() int {
	p := &c.panes[0]
	if p.scroll.cursor >= len(p.order) {
		return 0
	}
	at := c.ids.number(p.order[p.scroll.cursor])
	n := 0
	for _, e := range p.order {
		if c.ids.number(e) > at {
			n++
		}
	}
	return n
}

// followText says whether the cursor follows the newest event, and while
// paused how many of the rows shown (those the filter keeps) are newer,
// when some are; short, in fewer words.
func (c *eventsTab) followText(short bool) string {
	following := c.following()
	switch {
	case following && c.narrowing.sortCol >= 0 && short:
		return "following top"
	case following && c.narrowing.sortCol >= 0:
		return "following the first row" // sorted: not the newest
	case following && short:
		return "following"
	case following:
		return "following newest"
	}
	if n := c.newer(); n > 0 && !short {
		return "paused: " + strconv.Itoa(n) + " newer"
	}
	return "paused"
}

// narrowedTo says the text filter, and that the cursor does not follow
// the newest event (esc resumes it).
func (c *eventsTab) narrowedTo(sh *shared) []string {
	if c.detail != nil {
		return nil
	}
	parts := c.tabView.narrowedTo(sh)
	if !c.following() {
		parts = append(parts, c.followText(false))
	}
	return parts
}

// escHint is what esc does to what the footer says the tab is narrowed
// to: paused without a filter, it follows the newest again.
func (c *eventsTab) escHint() string {
	if c.narrowing.query == "" {
		return "esc: follow"
	}
	return "esc clears"
}

// clearFilters clears the filter and resumes following the newest event.
func (c *eventsTab) clearFilters() {
	c.tabView.clearFilters()
	c.follow = true
}

// Update opens the detail of the cursor's event on enter; while the
// detail is open, it has the keys (eventDetail.key).
func (c *eventsTab) Update(sh *shared, k tea.KeyMsg) bool {
	if c.detail != nil {
		handled, closed := c.detail.key(sh, k)
		if closed {
			c.detail = nil
		}
		return handled
	}
	p := &c.panes[0]
	if k.Paste || !key.Matches(k, sh.keys.Detail) || p.scroll.cursor >= len(p.order) {
		return false
	}
	i := p.order[p.scroll.cursor]
	c.detail = newEventDetail(sh.view.Events[i], c.ids.number(i))
	c.detail.setSize(sh, c.width, c.body)
	return true
}

// Keys are enter for the detail, or the detail's keys while it is open.
func (c *eventsTab) Keys(sh *shared) []key.Binding {
	if c.detail != nil {
		return detailKeys(sh.keys)
	}
	return []key.Binding{sh.keys.Detail}
}

func (c *eventsTab) View(sh *shared, b *strings.Builder, height int) {
	if c.detail != nil {
		c.detail.view(sh, b, height)
		return
	}
	for _, l := range feedStatusLines(sh, c.followText(false), c.followText(true)) {
		b.WriteString(l)
		b.WriteByte('\n')
		height--
	}
	drawTables(c, sh, b, height)
}

// eventColumns are the columns of the log at width: the note (why an
// event was rejected) is given the room the widest needs, up to what
// leaves the payload its least width, before the payload gets the rest.
func eventColumns(width, widestNote int) []column {
	cols := []column{
		// newest first; a cell wider than its time, aligned right, so
		// that the flag in the gutter (eventFlag) stands apart
		{title: "Received", width: 9, right: true, worst: true},
		{title: "Kind", width: 8},
		{title: "Event", width: 12},
		{title: "Note", width: 14, grow: 1},
		{title: "As received", width: 20, grow: 5},
	}
	room := width - gutter - 4*colGap - cols[0].width - cols[1].width - cols[2].width - cols[4].width
	if widestNote <= room {
		cols[3].width, cols[3].grow = max(widestNote, ansi.StringWidth(cols[3].title)), 0
	} else {
		cols[3].width = max(room, cols[3].width)
	}
	return cols
}

// tables is the event log, newest first: every update as it came,
// rejected ones in yellow with the reason, unknown ones in yellow too,
// each marked in the gutter (eventFlag).
func (c *eventsTab) tables(sh *shared) []table {
	events := sh.view.Events
	flag := func(i int) cell { return eventFlag(&events[i], sh.styles) }
	return []table{{cols: eventColumns(sh.width, c.widestNote), n: len(events), empty: "no events yet", flag: flag, row: func(i int) []cell {
		e := &events[i]
		cells := []cell{
			{text: e.At.In(sh.location()).Format("15:04:05")},
			{text: sanitize(e.Kind)},
			{text: sanitize(e.Name)},
			{text: eventNote(e)},
			{text: sanitize(string(e.Raw))},
		}
		switch {
		case e.Rejected != "":
			cells[3].style = &sh.styles.warn
		case e.Unknown:
			cells[3].style = &sh.styles.warn
		}
		return cells
	}}}
}

// eventFlag marks e in the log's gutter: ✗ rejected, ? unknown, so that
// a narrow window, which hides the Note column, and a terminal without
// colour still tell them from the events applied.
func eventFlag(e *state.LogEntry, st *styles) cell {
	switch {
	case e.Rejected != "":
		return cell{text: "✗", style: &st.warn}
	case e.Unknown:
		return cell{text: "?", style: &st.warn}
	}
	return cell{}
}

// eventNote is what the log notes of e: why it was rejected, or that the
// board did not know it; "" for an event applied.
func eventNote(e *state.LogEntry) string {
	switch {
	case e.Rejected != "":
		return "rejected: " + sanitize(e.Rejected)
	case e.Unknown:
		return "unknown"
	}
	return ""
}

// feedStatusLines are the Events tab's account of the feed: its state with
// the whole reason (the header may cut it), wrapped on as many lines as it
// needs while the log keeps three rows (at least three lines), and what it
// has delivered, with follow (whether the cursor follows the
// newest event; shortFollow in fewer words) when it is said. None when the
// window is too low for them.
func feedStatusLines(sh *shared, follow, shortFollow string) []string {
	h := &sh.view.Feed
	word, detail, style := sh.statusParts()
	text := strings.TrimPrefix(word, "● ") + detail.String()
	lines := strings.Split(ansi.Wrap("feed: "+text, sh.width, " "), "\n")
	// as many lines as the reason needs, leaving the log three rows
	if most := max(sh.height-chromeLines-titleLines-1-3, 3); len(lines) > most {
		lines = lines[:most]
		lines[most-1] = ansi.Truncate(lines[most-1]+" …", sh.width, "…")
	}
	for i := range lines {
		lines[i] = style.Render(lines[i])
	}
	lines = append(lines, sh.styles.dim.Render(feedCountsLine(h, sh.view.Scope != nil, follow, shortFollow, sh.width)))
	lines = append(lines, notifyLines(sh)...)
	if sh.height-chromeLines-titleLines-len(lines) < 2 {
		return nil
	}
	return lines
}

// notifyLines are the Events tab's account of the alerts sent out
// ([notify]): what was sent, failed, dropped and held, and the last
// failure, on two lines at most (the second cut); in the warning's colour
// once one failed or was dropped. None without [notify].
func notifyLines(sh *shared) []string {
	n := sh.view.Notify
	text := n.Line(sh.location())
	if text == "" {
		return nil
	}
	style := sh.styles.dim
	if n.CommandFailures+n.WebhookFailures+n.Dropped > 0 {
		style = sh.styles.warn
	}
	lines := strings.Split(ansi.Wrap(sanitize(text), sh.width, " "), "\n")
	if len(lines) > 2 {
		lines = lines[:2]
		lines[1] = ansi.Truncate(lines[1]+" …", sh.width, "…")
	}
	for i := range lines {
		lines[i] = style.Render(lines[i])
	}
	return lines
}

// feedCountsLine says what the feed delivered and follow, in width cells:
// each in the longest form that fits (the counts without those at zero,
// then in short words; follow in fewer words), cut only when the
// shortest do not fit. On a scoped board the counts say they are the
// whole feed's, above a list of the scope's events.
func feedCountsLine(h *state.FeedHealth, scoped bool, follow, shortFollow string, width int) string {
	counts := feedCounts(h)
	if scoped {
		for i := range counts {
			counts[i] = "whole feed: " + counts[i]
		}
	}
	if follow == "" {
		for _, c := range counts {
			if ansi.StringWidth(c) <= width {
				return c
			}
		}
	}
	for _, f := range []string{follow, shortFollow} {
		for _, c := range counts {
			if f != "" && ansi.StringWidth(c)+2+ansi.StringWidth(f) <= width {
				return spread(c, f, width)
			}
		}
	}
	last := counts[len(counts)-1]
	if shortFollow != "" { // what the cursor does first: the counts give way
		last = shortFollow + " · " + last
	}
	return ansi.Truncate(last, width, "…")
}

// feedCounts are the ways of saying what the feed delivered, the longest
// first: every count; those not at zero (the events always); those in
// short words.
func feedCounts(h *state.FeedHealth) []string {
	counts := []struct {
		n           int
		word, short string
	}{{h.Events, "events", "events"}, {h.Rejected, "rejected", "rej"}, {h.Unknown, "unknown", "unk"}, {h.Gaps, "gaps", "gaps"}, {h.Reconnects, "reconnects", "reconn"}}
	var all, some, short []string
	for i, c := range counts {
		n := strconv.Itoa(c.n) + " "
		all = append(all, n+c.word)
		if c.n > 0 || i == 0 {
			some = append(some, n+c.word)
			short = append(short, n+c.short)
		}
	}
	return []string{strings.Join(all, " · "), strings.Join(some, " · "), strings.Join(short, " · ")}
}

// eventNumbers numbers the events of the views a viewer is shown, so that
// an event keeps its number from one view to the next: the newest has the
// highest, and an event the log no longer holds has a number below every
// one it holds. The log has no numbers of its own; an event is recognised
// by what the log keeps of it.
type eventNumbers struct {
	events   []state.LogEntry // those of the last view, newest first
	received int              // the updates the board had received then
	top      int64            // the number of events[0]
}

// update numbers events, the log of a new view (newest first), after the
// board had received received updates: the newest of the last view is found
// in it (where the updates received since put it, else wherever it is),
// and every event newer than it is new. When it is not found (the log went
// round since, or started again) every event is new.
func (n *eventNumbers) update(events []state.LogEntry, received int) {
	old := n.events
	n.events, n.received = events, received
	if len(old) == 0 {
		n.top += int64(len(events))
		return
	}
	guess := received - n.received
	if guess < 0 || guess >= len(events) {
		guess = 0
	}
	if sameLog(events, old, guess) {
		n.top += int64(guess)
		return
	}
	for d := range events {
		if d != guess && sameLog(events, old, d) {
			n.top += int64(d)
			return
		}
	}
	n.top += int64(len(events))
}

// sameLog reports whether events, from index d, begins as old does: the
// first few events they share (enough to tell apart updates that came
// alike), compared by what the log keeps of them.
func sameLog(events, old []state.LogEntry, d int) bool {
	const compared = 8
	for j := 0; j < compared && j < len(old) && d+j < len(events); j++ {
		a, b := &events[d+j], &old[j]
		if !a.At.Equal(b.At) || a.Kind != b.Kind || a.Name != b.Name || a.Rejected != b.Rejected ||
			a.Unknown != b.Unknown || !bytes.Equal(a.Raw, b.Raw) {
			return false
		}
	}
	return true
}

// number is the number of the view's event i.
func (n *eventNumbers) number(i int) int64 { return n.top - int64(i) }

// oldest is the number of the oldest event the log holds.
func (n *eventNumbers) oldest() int64 { return n.top - int64(len(n.events)) + 1 }

// covered reports whether an event's detail covers the list.
func (c *eventsTab) covered() bool { return c.detail != nil }

// countAside says in the footer, after the count, that the cursor follows
// the newest event (paused, the footer's left side says it).
func (c *eventsTab) countAside(*shared) []string {
	if c.detail != nil || !c.following() {
		return nil
	}
	return []string{c.followText(false)} // the first to go when short
}

// following reports whether the cursor follows the newest event (an
// empty log is followed).
func (c *eventsTab) following() bool { return c.follow || len(c.panes[0].order) == 0 }
