package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// eventsTab is the Events tab: the feed's state and what it delivered,
// then every update as it came.
type eventsTab struct{ tabView }

func newEventsTab() *eventsTab { return &eventsTab{newTabView(1)} }

func (c *eventsTab) Title() string { return "Events" }

// SetSize leaves the lines of the feed's account above the table.
func (c *eventsTab) SetSize(sh *shared, width, height int) {
	c.setTableSize(width, height-len(feedStatusLines(sh)))
}

func (c *eventsTab) View(sh *shared, b *strings.Builder, height int) {
	for _, l := range feedStatusLines(sh) {
		b.WriteString(l)
		b.WriteByte('\n')
		height--
	}
	drawTables(c, sh, b, height)
}

var eventColumns = []column{
	{title: "Received", width: 8},
	{title: "Kind", width: 8},
	{title: "Event", width: 12},
	{title: "Note", width: 14, grow: 1},
	{title: "As received", width: 20, grow: 5},
}

// tables is the event log, newest first: every update as it came,
// rejected ones in red with the reason, unknown ones in yellow.
func (c *eventsTab) tables(sh *shared) []table {
	events := sh.view.Events
	return []table{{cols: eventColumns, n: len(events), empty: "no events yet", row: func(i int) []cell {
		e := &events[i]
		cells := []cell{
			{text: e.At.In(sh.view.Now.Location()).Format("15:04:05")},
			{text: sanitize(e.Kind)},
			{text: sanitize(e.Name)},
			{},
			{text: sanitize(string(e.Raw))},
		}
		switch {
		case e.Rejected != "":
			cells[3] = cell{text: "rejected: " + sanitize(e.Rejected), style: &sh.styles.down}
		case e.Unknown:
			cells[3] = cell{text: "unknown", style: &sh.styles.warn}
		}
		return cells
	}}}
}

// feedStatusLines are the Events tab's account of the feed: its state with
// the whole reason (the header may cut it), wrapped on up to three lines,
// and what it has delivered. None when the window is too low for them.
func feedStatusLines(sh *shared) []string {
	h := &sh.view.Feed
	word, detail, style := sh.statusParts()
	counts := strconv.Itoa(h.Events) + " events · " + strconv.Itoa(h.Rejected) + " rejected · " +
		strconv.Itoa(h.Unknown) + " unknown · " + strconv.Itoa(h.Gaps) + " gaps · " + strconv.Itoa(h.Reconnects) + " reconnects"
	text := strings.TrimPrefix(word, "● ") + detail.String()
	lines := strings.Split(ansi.Wrap("feed: "+text, sh.width, " "), "\n")
	if len(lines) > 3 {
		lines = lines[:3]
		lines[2] = ansi.Truncate(lines[2]+" …", sh.width, "…")
	}
	for i := range lines {
		lines[i] = style.Render(lines[i])
	}
	lines = append(lines, sh.styles.dim.Render(ansi.Truncate(counts, sh.width, "…")))
	if sh.height-chromeLines-titleLines-len(lines) < 2 {
		return nil
	}
	return lines
}
