package tui

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"callboard/state"
)

// alertsTab is the Alerts tab: the rules raised now, newest first, each
// with its figure against its limit, since when and for how long, and who
// acknowledged it.
type alertsTab struct{ tabView }

func newAlertsTab() *alertsTab { return &alertsTab{newTabView(1)} }

func (c *alertsTab) Title() string { return "Alerts" }

// View draws the alerts, and under them what became of the last
// acknowledgement asked (sh.ackNote): the only place a refusal shows.
func (c *alertsTab) View(sh *shared, b *strings.Builder, height int) {
	note := ackNoteLines(sh, height)
	drawTables(c, sh, b, height-len(note))
	for _, l := range note {
		b.WriteString(sh.styles.warn.Render(fit(l, sh.width, false)))
		b.WriteByte('\n')
	}
}

// SetSize leaves the line of the acknowledgement's note under the table.
func (c *alertsTab) SetSize(sh *shared, width, height int) {
	c.setTableSize(width, height-len(ackNoteLines(sh, height)))
}

// ackNoteLines is the line under the table saying what became of the last
// acknowledgement asked; none before any, or in a body of fewer than 4
// lines, which the table keeps.
func ackNoteLines(sh *shared, height int) []string {
	if sh.ackNote == "" || height < 4 {
		return nil
	}
	return []string{" " + sh.ackNote}
}

// setView follows the acknowledgement asked in the new view.
func (c *alertsTab) setView(sh *shared) { sh.ackSeen() }

// Update acknowledges the alert under the cursor (keys.Ack).
func (c *alertsTab) Update(sh *shared, k tea.KeyMsg) bool {
	if !key.Matches(k, sh.keys.Ack) {
		return false
	}
	if a, ok := c.selected(sh); ok {
		sh.acknowledge(a)
	} else {
		sh.ackNote = "no alert to acknowledge"
	}
	return true
}

func (c *alertsTab) Keys(sh *shared) []key.Binding { return []key.Binding{sh.keys.Ack} }

// selected is the alert under the cursor, if any.
func (c *alertsTab) selected(sh *shared) (state.Alert, bool) {
	p := &c.panes[0]
	if p.scroll.cursor < 0 || p.scroll.cursor >= len(p.order) {
		return state.Alert{}, false
	}
	i := p.order[p.scroll.cursor]
	if i < 0 || i >= len(sh.view.Alerts) {
		return state.Alert{}, false
	}
	return sh.view.Alerts[i], true
}

// alertRowKey names an alert's row (table.key): its rule and subject.
func alertRowKey(a *state.Alert) string {
	return a.Rule + "\x00" + a.QueueID + "\x00" + a.AgentID
}

func (c *alertsTab) helpNotes() string {
	return "Alerts: the rules of [alerts] and [queues] raised now, newest first: each stays until its figure is back within its limit."
}

// By rank: what and about whom, the figure against its limit, for how
// long, then the rest.
var alertColumns = []column{
	{title: "Alert", width: 13, least: 12, rank: 0},
	{title: "Subject", width: 12, least: 8, grow: 1, rank: 1},
	{title: "Now", width: 10, right: true, rank: 2, worst: true}, // "!! 0:10:00"
	{title: "Limit", width: 8, least: 7, right: true, rank: 3, worst: true},
	{title: "Since", width: 8, right: true, rank: 5},
	{title: "For", width: 7, right: true, rank: 4, worst: true},
	{title: "Acknowledged", short: "Ack", width: 12, least: 8, grow: 1, rank: 6},
}

// alertRuleTexts name each rule in words: the Alerts tab's and the
// Overview's.
var alertRuleTexts = map[string]string{
	state.RuleWaitingMax:     "Calls waiting",
	state.RuleLongestWaitMax: "Longest wait",
	state.RuleAvailableMin:   "Available",
	state.RuleLoggedInMin:    "Logged in",
	state.RuleAbandonRateMax: "Abandon rate",
	state.RulePauseMax:       "Paused",
	state.RuleCallMax:        "On a call",
	state.RuleRingingMax:     "Ringing",
	state.RuleUnavailableMax: "Unavailable",
}

// alertRuleText is rule in words.
func alertRuleText(rule string) string {
	if t, ok := alertRuleTexts[rule]; ok {
		return t
	}
	return sanitize(rule)
}

// alertFigure is a figure of an alert's rule as the board writes it: a
// duration h:mm:ss, a rate in percent, a count.
func alertFigure(rule string, v float64) string {
	switch rule {
	case state.RuleLongestWaitMax, state.RulePauseMax, state.RuleCallMax, state.RuleRingingMax, state.RuleUnavailableMax:
		return state.Clock(time.Duration(v * float64(time.Second)))
	case state.RuleAbandonRateMax:
		return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) + " %"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// tables is the alerts, newest first.
func (c *alertsTab) tables(sh *shared) []table {
	alerts := sh.view.Alerts
	loc := sh.location()
	return []table{{items: [2]string{"alert", "alerts"}, cols: alertColumns, n: len(alerts), empty: "no alert: every figure is within its limits", key: func(i int) string { return alertRowKey(&alerts[i]) }, row: func(i int) []cell {
		a := &alerts[i]
		ack := cell{text: "—", style: &sh.styles.dim}
		if k := a.Acknowledged; k != nil {
			ack = cell{text: sanitize(k.By) + " " + k.At.In(loc).Format("15:04")}
		}
		now := sh.levelCell(alertFigure(a.Rule, a.Value), state.LevelCritical)
		if a.Acknowledged != nil {
			now = cell{text: alertFigure(a.Rule, a.Value)}
		}
		return []cell{
			{text: alertRuleText(a.Rule)},
			{text: sanitize(a.Subject)},
			now,
			{text: alertFigure(a.Rule, a.Limit)},
			{text: a.Since.In(loc).Format("15:04:05")},
			{text: state.Clock(max(sh.view.AsOf.Sub(a.Since), 0))},
			ack,
		}
	}}}
}

// alertLine says how many alerts are active and the newest, for the
// Overview and the wall ("4 alerts · newest: Support: available 1 < 2 for
// 0:00:12"): "" when none.
func (sh *shared) alertLine() string {
	alerts := sh.view.Alerts
	if len(alerts) == 0 || !sh.view.Feed.HasData() {
		return ""
	}
	a := &alerts[0]
	n := "1 alert"
	if len(alerts) > 1 {
		n = strconv.Itoa(len(alerts)) + " alerts"
	}
	past := " > "
	if a.Rule == state.RuleAvailableMin || a.Rule == state.RuleLoggedInMin {
		past = " < "
	}
	return n + " · newest: " + sanitize(a.Subject) + ": " + strings.ToLower(alertRuleText(a.Rule)) + " " +
		alertFigure(a.Rule, a.Value) + past + alertFigure(a.Rule, a.Limit) + " for " + state.Clock(max(sh.view.AsOf.Sub(a.Since), 0))
}
