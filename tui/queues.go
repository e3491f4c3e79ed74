package tui

import (
	"slices"
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
	notes := ruleNoteLines(sh, height)
	drawTables(c, sh, b, height-len(notes))
	for _, l := range notes { // under the table
		b.WriteString(sh.styles.warn.Render(fit(l, sh.width, false)))
		b.WriteByte('\n')
	}
}

// SetSize leaves the lines of the rules' notes under the table.
func (c *queuesTab) SetSize(sh *shared, width, height int) {
	c.setTableSize(width, height-len(ruleNoteLines(sh, height)))
}

// ruleNoteLines are the lines under the Queues tab's table that say what
// the board made of the [queues."…"] keys it ignored or found no queue
// for (View.RuleNotes): at most two, the second saying how many more when
// there are; none in a body of fewer than 8 lines, which the table keeps.
func ruleNoteLines(sh *shared, height int) []string {
	notes := sh.view.RuleNotes
	if len(notes) == 0 || height < 8 {
		return nil
	}
	lines := []string{" " + sanitize(notes[0])}
	switch {
	case len(notes) == 2:
		lines = append(lines, " "+sanitize(notes[1]))
	case len(notes) > 2:
		lines = append(lines, " and "+strconv.Itoa(len(notes)-1)+" more of [queues]: callboard snapshot lists them (queue_rule_notes)")
	}
	return lines
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
	targets := slices.ContainsFunc(queues, func(r state.QueueRow) bool { return r.Rule.Target > 0 })
	cols := withTargets(withAtStart(queueColumns, queues, func(r *state.QueueRow) int { return r.AnsweredBeforeStart }), targets)
	return sh.beforeData(table{items: [2]string{"queue", "queues"}, cols: cols, n: len(queues), empty: "no queues yet", key: func(i int) string { return queues[i].ID }, row: func(i int) []cell {
		r := &queues[i]
		waiting := sh.levelCell(strconv.Itoa(r.Waiting), r.Levels.Waiting)
		longest := cell{text: noValue}
		if r.Waiting > 0 {
			longest = sh.levelCell(state.Clock(r.LongestWait), r.Levels.LongestWait)
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
			sh.levelCell(slText(r.ServiceLevel, r.HasServiceLevel, r.Rule.Target), r.Levels.ServiceLevel),
			{text: asaText(r.ASA, r.Answered)},
			{text: strconv.Itoa(r.AgentsAvailable) + "/" + strconv.Itoa(r.AgentsLoggedIn)},
			{text: strconv.Itoa(r.AnsweredBeforeStart)},
		}
	}})
}

// slColumn is the title of the service level's column, the queues'
// (Queues, Overview) and the intervals' (Day).
const slColumn = "SL %"

// slText is a service level beside its queue's target, "74 % / 80" (its
// level is against the target), or alone in the same form, "74 %", for a queue without one.
func slText(sl float64, ok bool, target float64) string {
	value := percentText(sl, ok)
	if target <= 0 {
		return value
	}
	return value + " / " + strconv.FormatFloat(target, 'f', -1, 64)
}

// withTargets is cols with the service level's column made room for
// "100 % / 80" and titled for it when a row has a target; cols itself
// when none has.
func withTargets(cols []column, targets bool) []column {
	i := slices.IndexFunc(cols, func(c column) bool { return c.title == slColumn })
	if !targets || i < 0 {
		return cols
	}
	cols = slices.Clone(cols)
	cols[i].title, cols[i].short, cols[i].width, cols[i].least = "SL / target", "SL", 11, 10
	return cols
}

// countAside says, after the count of the queues, the queues their rule
// hides: left off the rows, counted in the totals.
func (c *queuesTab) countAside(sh *shared) []string { return hiddenQueuesAside(sh) }

func (c *overviewTab) countAside(sh *shared) []string { return hiddenQueuesAside(sh) }

// hiddenQueuesAside is what the footer says of the hidden queues, from its
// longest form to its shortest; none when no queue is hidden.
func hiddenQueuesAside(sh *shared) []string {
	n := sh.view.Totals.HiddenQueues
	if n == 0 {
		return nil
	}
	k := strconv.Itoa(n)
	return []string{k + " hidden, in the totals", k + " hidden"}
}
