package tui

import (
	"strconv"
	"strings"

	"callboard/state"
)

// queuesTab is the Queues tab: each queue's calls waiting, answered and
// lost today, its service level and its agents.
type queuesTab struct{ tabView }

func newQueuesTab() *queuesTab { return &queuesTab{newTabView(1)} }

func (c *queuesTab) Title() string { return "Queues" }

func (c *queuesTab) tables(sh *shared) []table { return []table{queueTable(sh)} }

func (c *queuesTab) View(sh *shared, b *strings.Builder, height int) {
	drawTables(c, sh, b, height)
}

var queueColumns = []column{
	{title: "Name", width: 12, grow: 1},
	{title: "Waiting", width: 7, right: true},
	{title: "Longest wait", width: 12, right: true},
	{title: "In progress", width: 11, right: true},
	{title: "Answered", width: 8, right: true},
	{title: "Abandoned", width: 9, right: true},
	{title: "SL %", width: 7, right: true},
	{title: "ASA", width: 7, right: true},
	{title: "Avail/Logged in", width: 15, right: true},
	{title: "At start", width: 8, right: true}, // calls already on the line when the board first heard of them
}

// queueTable is the queues, in the board's order: the Queues tab's table,
// and the Overview's.
func queueTable(sh *shared) table {
	queues := sh.view.Queues
	return sh.beforeData(table{cols: withAtStart(queueColumns, queues, func(r *state.QueueRow) int { return r.AnsweredBeforeStart }), n: len(queues), empty: "no queues yet", row: func(i int) []cell {
		r := &queues[i]
		waiting := sh.levelCell(strconv.Itoa(r.Waiting), r.Levels.Waiting)
		longest := cell{text: noValue}
		if r.Waiting > 0 {
			longest = sh.levelCell(clockDuration(r.LongestWait), r.Levels.LongestWait)
		}
		name := sh.nameCell(r.Name, r.Placeholder)
		if r.StaleCalls > 0 {
			name.text += " (" + strconv.Itoa(r.StaleCalls) + " stale)"
		}
		return []cell{
			name,
			waiting,
			longest,
			{text: strconv.Itoa(r.InProgress)},
			{text: strconv.Itoa(r.Answered)},
			{text: strconv.Itoa(r.Abandoned)},
			sh.levelCell(percentText(r.ServiceLevel, r.HasServiceLevel), r.Levels.ServiceLevel),
			{text: asaText(r.ASA, r.Answered)},
			{text: strconv.Itoa(r.AgentsAvailable) + "/" + strconv.Itoa(r.AgentsLoggedIn)},
			{text: strconv.Itoa(r.AnsweredBeforeStart)},
		}
	}})
}
