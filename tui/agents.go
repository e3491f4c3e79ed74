package tui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"callboard/state"
)

// agentsTab is the Agents tab: every agent, its state and since when, its
// call and its day. Its own keys narrow it to the agents in one state (a,
// p, c) or of one group (o).
type agentsTab struct {
	tabView
	state state.AgentState // only the agents in this state ("": all)
	group string           // only the agents of this group id ("": all)
}

func newAgentsTab() *agentsTab { return &agentsTab{tabView: newTabView(1)} }

func (c *agentsTab) Title() string { return "Agents" }

func (c *agentsTab) View(sh *shared, b *strings.Builder, height int) {
	drawTables(c, sh, b, height)
}

// Update takes the state and group keys.
func (c *agentsTab) Update(sh *shared, k tea.KeyMsg) bool {
	switch ks := sh.keys; {
	case key.Matches(k, ks.Avail):
		c.toggleState(state.Available)
	case key.Matches(k, ks.Paused):
		c.toggleState(state.Paused)
	case key.Matches(k, ks.OnCall):
		c.toggleState(state.OnCall)
	case key.Matches(k, ks.Group):
		c.nextGroup(sh.view.Agents)
	default:
		return false
	}
	return true
}

func (c *agentsTab) Keys(sh *shared) []key.Binding {
	ks := sh.keys
	return []key.Binding{ks.Avail, ks.Paused, ks.OnCall, ks.Group}
}

// clearFilters clears the text filter, the state and the group.
func (c *agentsTab) clearFilters() {
	c.tabView.clearFilters()
	c.state, c.group = "", ""
}

// narrowedTo says the text filter, the state and the group.
func (c *agentsTab) narrowedTo(sh *shared) []string {
	parts := c.tabView.narrowedTo(sh)
	if c.state != "" {
		parts = append(parts, "state "+strings.ReplaceAll(string(c.state), "_", " "))
	}
	if c.group != "" {
		parts = append(parts, "group "+sanitize(groupName(sh.view.Agents, c.group)))
	}
	return parts
}

// toggleState narrows the tab to the agents in state s, or to all again.
func (c *agentsTab) toggleState(s state.AgentState) {
	if c.state == s {
		c.state = ""
	} else {
		c.state = s
	}
}

// nextGroup narrows the tab to the next group of agents, then to none.
func (c *agentsTab) nextGroup(agents []state.AgentRow) {
	groups := groups(agents)
	i := slices.Index(groups, c.group)
	switch {
	case c.group == "" && len(groups) > 0:
		c.group = groups[0]
	case i >= 0 && i+1 < len(groups):
		c.group = groups[i+1]
	default:
		c.group = ""
	}
}

// keeps applies the state and group filters.
func (c *agentsTab) keeps(r *state.AgentRow) bool {
	switch c.state {
	case "":
	case state.OnCall:
		if !r.State.OnACall() {
			return false
		}
	default:
		if r.State != c.state {
			return false
		}
	}
	return c.group == "" || slices.Contains(r.Groups, c.group)
}

// By rank, what a supervisor reads first: who, in which state and for how
// long (at 40 columns that is what stays), why paused, the call's queue,
// the calls answered today, then the caller, the calls placed, the groups.
var agentColumns = []column{
	{title: "Name", width: 12, least: 10, grow: 3},
	{title: "State", width: 15, rank: 1},
	{title: "In state", width: 8, right: true, rank: 2, worst: true},
	{title: "Pause reason", width: 12, grow: 2, rank: 3},
	{title: "Caller", width: 12, grow: 1, rank: 6},
	{title: "Queue", width: 10, grow: 2, rank: 4},
	{title: "Answered", width: 8, right: true, rank: 5, worst: true}, // inbound queue calls today
	{title: "Outbound", width: 8, right: true, rank: 7, worst: true}, // calls placed and answered today
	{title: "Groups", width: 10, grow: 2, rank: 8},
}

// tables is the agents, in the board's order, those the state and group
// filters keep.
func (c *agentsTab) tables(sh *shared) []table {
	agents := sh.view.Agents
	return []table{{items: [2]string{"agent", "agents"}, cols: agentColumns, n: len(agents), empty: "no agents yet", key: func(i int) string { return agents[i].ID }, keep: func(i int) bool { return c.keeps(&agents[i]) }, row: func(i int) []cell {
		r := &agents[i]
		st := sh.styles.agentState[r.State]
		if r.Stale {
			st = sh.styles.dim
		}
		cells := []cell{
			sh.nameCell(r.Name, r.Placeholder),
			{text: stateText(r), style: &st},
			{text: state.Clock(r.InState)},
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
			cells[1].style, cells[1].marker = sh.styles.level(state.LevelCritical)
			cells[2].style = cells[1].style
		}
		if c := r.Call; c != nil {
			cells[4].text = sanitize(c.Caller)
			cells[5].text = sanitize(c.QueueName)
		}
		return cells
	}}}
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

// groups lists the groups agents belong to, by name, for the group picker.
func groups(agents []state.AgentRow) []string {
	seen := map[string]string{}
	for i := range agents {
		for j, g := range agents[i].Groups {
			if j < len(agents[i].GroupNames) {
				seen[g] = agents[i].GroupNames[j]
			}
		}
	}
	ids := make([]string, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		return cmp.Or(strings.Compare(matchKey(seen[a]), matchKey(seen[b])), strings.Compare(a, b))
	})
	return ids
}

// groupName is the name of group id, as the agents of agents have it.
func groupName(agents []state.AgentRow, id string) string {
	for i := range agents {
		for j, g := range agents[i].Groups {
			if g == id && j < len(agents[i].GroupNames) {
				return agents[i].GroupNames[j]
			}
		}
	}
	return "#" + id
}

// exportOwn says the state and group the tab is narrowed to.
func (c *agentsTab) exportOwn(ts *TabSettings) { ts.State, ts.Group = string(c.state), c.group }

// importOwn narrows the tab to ts's state, when it is one of the tab's
// keys', and to its group.
func (c *agentsTab) importOwn(_ *shared, ts TabSettings) {
	c.state, c.group = "", ""
	if s := state.AgentState(ts.State); slices.Contains(agentStates, s) {
		c.state = s
	}
	if len(ts.Group) <= maxGroupID && sanitize(ts.Group) == ts.Group {
		c.group = ts.Group
	}
}

// agentStates are the states the tab narrows to (its keys a, p, c).
var agentStates = []state.AgentState{state.Available, state.Paused, state.OnCall}

// maxGroupID is the longest group id a remembered setting holds.
const maxGroupID = 64
