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

// By rank, what says a queue is in trouble: its calls waiting and for how
// long, its service level, the agents who could take them (at 40 columns
// the first three stay, with short titles), then the day's counts.
var queueColumns = []column{
	{title: "Name", width: 12, least: 10, grow: 1},
	{title: "Waiting", short: "Wait", width: 7, least: 5, right: true, rank: 1, worst: true},           // "!! 12"
	{title: "Longest wait", short: "Longest", width: 12, least: 10, right: true, rank: 2, worst: true}, // "!! 0:12:34"
	{title: "In progress", short: "In prog", width: 11, least: 7, right: true, rank: 7, worst: true},
	{title: "Answered", width: 8, right: true, rank: 6, worst: true},
	{title: "Abandoned", width: 9, right: true, rank: 5, worst: true},
	{title: "SL %", width: 7, right: true, rank: 3}, // the lowest is the worst
	{title: "ASA", width: 7, right: true, rank: 8, worst: true},
	{title: "Avail/Logged in", short: "Avail", width: 15, least: 7, right: true, rank: 4}, // the fewest available first
	{title: "At start", width: 8, right: true, rank: 9, worst: true},                      // calls already on the line when the board first heard of them
}

// queueTable is the queues, in the board's order: the Queues tab's table,
// and the Overview's.
func queueTable(sh *shared) table {
	queues := sh.view.Queues
	return sh.beforeData(table{items: [2]string{"queue", "queues"}, cols: withAtStart(queueColumns, queues, func(r *state.QueueRow) int { return r.AnsweredBeforeStart }), n: len(queues), empty: "no queues yet", key: func(i int) string { return queues[i].ID }, row: func(i int) []cell {
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
