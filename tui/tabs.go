package tui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"callboard/state"
)

// tab is one of the board's pages.
type tab int

const (
	tabOverview tab = iota
	tabAgents
	tabQueues
	tabCalls
	tabTrunks
	tabEvents
	tabDay
	tabCount
)

func (t tab) String() string {
	switch t {
	case tabOverview:
		return "Overview"
	case tabAgents:
		return "Agents"
	case tabQueues:
		return "Queues"
	case tabCalls:
		return "Calls"
	case tabTrunks:
		return "Trunks"
	case tabEvents:
		return "Events"
	case tabDay:
		return "Day"
	}
	return "tab " + strconv.Itoa(int(t))
}

// tables returns the active tab's tables: the rows the user narrowed each
// to, in the order asked.
func (m *Model) tables() []table {
	c := &m.tabs[m.tab]
	sortTitle := m.sortTitle(m.tab)
	bases := m.baseTables(m.tab)
	for i, base := range bases {
		order := c.panes[i].order
		t := base
		t.n, t.row = len(order), func(j int) []cell { return base.row(order[j]) }
		if base.n > 0 && len(order) == 0 {
			t.empty = cmp.Or(base.unmatched, "nothing matches: esc clears the filters")
		}
		if col := columnIndex(t.cols, sortTitle); col >= 0 {
			t.cols = slices.Clone(t.cols)
			t.cols[col].arrow = " ↑"
			if c.narrowing.desc {
				t.cols[col].arrow = " ↓"
			}
		}
		bases[i] = t
	}
	return bases
}

var agentColumns = []column{
	{title: "Name", width: 12, grow: 3},
	{title: "State", width: 15},
	{title: "In state", width: 8, right: true},
	{title: "Pause reason", width: 12, grow: 2},
	{title: "Caller", width: 12, grow: 1},
	{title: "Queue", width: 10, grow: 2},
	{title: "Answered", width: 8, right: true}, // inbound queue calls today
	{title: "Outbound", width: 8, right: true}, // calls placed and answered today
	{title: "Groups", width: 10, grow: 2},
}

func (m *Model) agentTable() table {
	return table{cols: agentColumns, n: len(m.agents), empty: "no agents yet", row: func(i int) []cell {
		r := &m.agents[i]
		st := m.styles.agentState[r.State]
		if r.Stale {
			st = m.styles.dim
		}
		cells := []cell{
			m.nameCell(r.Name, r.Placeholder),
			{text: stateText(r), style: &st},
			{text: clockDuration(r.InState)},
			{text: sanitize(r.PauseReason)},
			{}, {},
			{text: strconv.Itoa(r.Today.Answered)},
			{text: strconv.Itoa(r.Today.Outbound)},
			{text: sanitize(strings.Join(r.GroupNames, ", "))},
		}
		if r.Alert != state.AlertNone {
			// Past a limit: critical, and marked before the state, which
			// names the limit (pause, call, ringing, unavailable) and
			// stays at any width.
			cells[1].style, cells[1].marker = &m.styles.critical, levelMarker(state.LevelCritical)
			cells[2].style = &m.styles.critical
		}
		if c := r.Call; c != nil {
			cells[4].text = sanitize(c.Caller)
			cells[5].text = sanitize(c.QueueName)
		}
		return cells
	}}
}

// stateText names an agent's state; an operator status the board does not
// know is shown as it came.
func stateText(r *state.AgentRow) string {
	if r.Stale {
		return stateName(r) + " ?"
	}
	return stateName(r)
}

func stateName(r *state.AgentRow) string {
	switch r.State {
	case state.Other:
		if r.Status != "" {
			return sanitize(r.Status)
		}
	case state.OnCall:
		return "on call"
	case state.LoggedOut:
		return "logged out"
	}
	return string(r.State)
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

func (m *Model) queueTable() table {
	return table{cols: withAtStart(queueColumns, m.queues, func(r state.QueueRow) int { return r.AnsweredBeforeStart }), n: len(m.queues), empty: "no queues yet", row: func(i int) []cell {
		r := &m.queues[i]
		waiting := m.levelCell(strconv.Itoa(r.Waiting), r.Levels.Waiting)
		longest := cell{text: noValue}
		if r.Waiting > 0 {
			longest = m.levelCell(clockDuration(r.LongestWait), r.Levels.LongestWait)
		}
		name := m.nameCell(r.Name, r.Placeholder)
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
			m.levelCell(percentText(r.ServiceLevel, r.HasServiceLevel), r.Levels.ServiceLevel),
			{text: asaText(r.ASA, r.Answered)},
			{text: strconv.Itoa(r.AgentsAvailable) + "/" + strconv.Itoa(r.AgentsLoggedIn)},
			{text: strconv.Itoa(r.AnsweredBeforeStart)},
		}
	}}
}

// levelCell is a figure coloured and marked by its level.
func (m *Model) levelCell(text string, l state.Level) cell {
	return cell{text: text, style: m.styles.level(l), marker: levelMarker(l)}
}

var trunkColumns = []column{
	{title: "Name", width: 12, grow: 1},
	{title: "Ringing", width: 7, right: true},
	{title: "Connected", width: 9, right: true},
	{title: "Total", width: 6, right: true},
	{title: "Answered", width: 8, right: true},
	{title: "Missed", width: 6, right: true},
	{title: "At start", width: 8, right: true}, // calls already connected when the board first heard of them
}

func (m *Model) trunkTable() table {
	return table{cols: withAtStart(trunkColumns, m.trunks, func(r state.TrunkRow) int { return r.AnsweredBeforeStart }), n: len(m.trunks), empty: "no trunks yet", row: func(i int) []cell {
		r := &m.trunks[i]
		name := m.nameCell(r.Name, r.Placeholder)
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
	}}
}

// nameCell shows a name; dimmed when the directory did not have it.
func (m *Model) nameCell(name string, placeholder bool) cell {
	c := cell{text: sanitize(name)}
	if placeholder {
		c.style = &m.styles.dim
	}
	return c
}

var eventColumns = []column{
	{title: "Received", width: 8},
	{title: "Kind", width: 8},
	{title: "Event", width: 12},
	{title: "Note", width: 14, grow: 1},
	{title: "As received", width: 20, grow: 5},
}

// eventTable is the event log, newest first: every update as it came,
// rejected ones in red with the reason, unknown ones in yellow.
func (m *Model) eventTable() table {
	return table{cols: eventColumns, n: len(m.events), empty: "no events yet", row: func(i int) []cell {
		e := &m.events[i]
		cells := []cell{
			{text: e.At.In(m.clock.Location()).Format("15:04:05")},
			{text: sanitize(e.Kind)},
			{text: sanitize(e.Name)},
			{},
			{text: sanitize(string(e.Raw))},
		}
		switch {
		case e.Rejected != "":
			cells[3] = cell{text: "rejected: " + sanitize(e.Rejected), style: &m.styles.down}
		case e.Unknown:
			cells[3] = cell{text: "unknown", style: &m.styles.warn}
		}
		return cells
	}}
}

// withAtStart is cols, whose last is "At start", without it when no row
// had a call on the line at start: a column that would read 0 all day on a
// board started before the first call leaves its room to the names.
func withAtStart[R any](cols []column, rows []R, atStart func(R) int) []column {
	for _, r := range rows {
		if atStart(r) > 0 {
			return cols
		}
	}
	return cols[:len(cols)-1]
}

// beforeStartText says how many of today's calls were already on the line
// when the board first heard of them: counted in no other figure.
func beforeStartText(n int) string {
	return strconv.Itoa(n) + " already on the line at start"
}
