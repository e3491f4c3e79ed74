package tui

import (
	"strconv"
	"strings"

	"callboard/state"
)

// trunksTab is the Trunks tab: each trunk's calls ringing and connected
// now, and its day.
type trunksTab struct{ tabView }

func newTrunksTab() *trunksTab { return &trunksTab{newTabView(1)} }

func (c *trunksTab) Title() string { return "Trunks" }

func (c *trunksTab) View(sh *shared, b *strings.Builder, height int) {
	drawTables(c, sh, b, height)
}

// By rank: the calls on each trunk now, then the missed, then the day.
var trunkColumns = []column{
	{title: "Name", width: 12, least: 10, grow: 1},
	{title: "Ringing", width: 7, right: true, rank: 1, worst: true},
	{title: "Connected", width: 9, right: true, rank: 2, worst: true},
	{title: "Total", width: 6, right: true, rank: 4, worst: true},
	{title: "Answered", width: 8, right: true, rank: 5, worst: true},
	{title: "Missed", width: 6, right: true, rank: 3, worst: true},
	{title: "At start", width: 8, right: true, rank: 6, worst: true}, // calls already connected when the board first heard of them
}

// tables is the trunks, in the board's order.
func (c *trunksTab) tables(sh *shared) []table {
	trunks := sh.view.Trunks
	empty := "no trunks yet"
	if sh.view.Scope != nil {
		empty = "no trunks in a scope: a trunk is a routing, not a queue"
	}
	return []table{sh.beforeData(table{items: [2]string{"trunk", "trunks"}, cols: withAtStart(trunkColumns, trunks, func(r *state.TrunkRow) int { return r.AnsweredBeforeStart }), n: len(trunks), empty: empty, key: func(i int) string { return trunks[i].ID }, row: func(i int) []cell {
		r := &trunks[i]
		name := sh.nameCell(r.Name, r.Placeholder)
		if r.StaleCalls > 0 {
			name.text += " (" + strconv.Itoa(r.StaleCalls) + " stale)"
		}
		return []cell{
			name,
			{text: strconv.Itoa(r.Ringing)},
			{text: strconv.Itoa(r.Connected)},
			{text: strconv.Itoa(r.Total)},
			{text: strconv.Itoa(r.Answered)},
			{text: strconv.Itoa(r.Missed)},
			{text: strconv.Itoa(r.AnsweredBeforeStart)},
		}
	}})}
}
