package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// narrowBoard has four agents in two groups, in four states.
func narrowBoard(t *testing.T) Model {
	t.Helper()
	m := New(Config{})
	dir := &feed.DirectoryMsg{Directory: feed.Directory{
		Agents: []feed.Agent{
			{ID: "1", Name: "Hélène Roux", Groups: []feed.Text{"10"}},
			{ID: "2", Name: "Bob Durand", Groups: []feed.Text{"20"}},
			{ID: "3", Name: "Zoé Petit", Groups: []feed.Text{"10", "20"}},
			{ID: "4", Name: "Anne Morel", Groups: []feed.Text{"20"}},
		},
		Groups: []feed.Named{{ID: "10", Name: "Support"}, {ID: "20", Name: "Ventes"}},
	}}
	status := func(id int, s string) feed.Message {
		return feedtest.Event(start, fmt.Sprintf(`{"event":{"type_notification":"operator","event":"status","msg":{"id_operator":%d,"status":%q}}}`, id, s))
	}
	pause := feedtest.Event(start, `{"event":{"type_notification":"UI","event":"pause","msg":{"id_operator":4,"supp":"9"}}}`)
	m, _ = update(t, m, sizeMsg(100, 12))
	m = newTestBoard(t, state.Options{}).send(m, dir, status(1, "available"), status(2, "connected"), status(3, "ringing"), pause)
	m, _ = update(t, m, keyRunes("2"))
	return m
}

func shown(m Model) []string {
	var names []string
	for _, i := range m.tabs[tabAgents].base().panes[0].order {
		names = append(names, m.view.Agents[i].Name)
	}
	return names
}

func keys(t *testing.T, m Model, ks ...string) Model {
	t.Helper()
	for _, k := range ks {
		var msg tea.KeyMsg
		switch k {
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		case "home":
			msg = tea.KeyMsg{Type: tea.KeyHome}
		case "end":
			msg = tea.KeyMsg{Type: tea.KeyEnd}
		default:
			msg = keyRunes(k)
		}
		m, _ = update(t, m, msg)
	}
	return m
}

func TestFilterIsCaseAndAccentInsensitive(t *testing.T) {
	m := narrowBoard(t)
	m = keys(t, m, "/", "H", "E", "L", "E", "N")
	if got := shown(m); len(got) != 1 || got[0] != "Hélène Roux" || !m.editing {
		t.Fatalf("typing HELEN: %q (editing %v)", got, m.editing)
	}
	m = keys(t, m, "enter")
	if got := shown(m); m.editing || len(got) != 1 || !strings.Contains(m.View(), "filter “HELEN”") {
		t.Errorf("enter keeps the filter: %q, editing %v\n%s", got, m.editing, m.View())
	}
	m = keys(t, m, "/", "esc")
	if got := shown(m); len(got) != 4 {
		t.Errorf("esc clears: %q", got)
	}
	m = keys(t, m, "/", "v", "e", "n", "t", "e", "s", "enter") // the group column is searched too
	if got := shown(m); len(got) != 3 {
		t.Errorf("filter on a group name: %q", got)
	}
	m = keys(t, m, "/", "z", "z", "z", "enter")
	if !strings.Contains(m.View(), "nothing matches") {
		t.Errorf("no match is said:\n%s", m.View())
	}
}

func TestSortCyclesColumnsAndReverses(t *testing.T) {
	m := narrowBoard(t)
	m = keys(t, m, "s")
	if got := shown(m); strings.Join(got, ",") != "Anne Morel,Bob Durand,Hélène Roux,Zoé Petit" {
		t.Errorf("by name: %q", got)
	}
	if !strings.Contains(m.View(), "Name ↑") {
		t.Errorf("the sort column is not marked:\n%s", m.View())
	}
	m = keys(t, m, "S")
	if got := shown(m); strings.Join(got, ",") != "Zoé Petit,Hélène Roux,Bob Durand,Anne Morel" {
		t.Errorf("by name, reversed: %q", got)
	}
	m = keys(t, m, "S", "s") // by state
	if got := shown(m); got[0] != "Hélène Roux" || got[3] != "Zoé Petit" {
		t.Errorf("by state (available, on call, paused, ringing): %q", got)
	}
	// The sort goes through the columns shown only.
	shown := columnsShown(m)
	if len(shown) == len(agentColumns) {
		t.Fatalf("at 100 columns every column shows: %q", shown)
	}
	for _, title := range shown[2:] {
		m = keys(t, m, "s")
		if got := sortTitle(m.tabs[tabAgents], &m.shared); got != title {
			t.Errorf("s after the column before %s sorts on %s", title, got)
		}
	}
	m = keys(t, m, "s")
	if m.tabs[tabAgents].base().narrowing.sortCol != -1 {
		t.Errorf("after the last column the board's order comes back, got column %d", m.tabs[tabAgents].base().narrowing.sortCol)
	}
}

func TestHelpListsEveryBinding(t *testing.T) {
	m := narrowBoard(t)
	m, _ = update(t, m, sizeMsg(160, 45))
	m = keys(t, m, "?")
	v := m.View()
	for _, b := range []string{"1-8", "filter", "sort column", "reverse sort", "agents available", "agents paused", "next group", "clear filters", "quit", "Service level:"} {
		if !strings.Contains(v, b) {
			t.Errorf("the help does not show %q:\n%s", b, v)
		}
	}
	// The Agents tab's own keys are in its help only.
	m = keys(t, m, "?", "3", "?")
	v = m.View()
	for _, b := range []string{"agents available", "agents paused", "agents on a call", "next group"} {
		if strings.Contains(v, b) {
			t.Errorf("the Queues tab's help shows %q", b)
		}
	}
	if !strings.Contains(v, "sort column") {
		t.Errorf("the Queues tab's help lacks the board's keys:\n%s", v)
	}
}

func sortStrings(s []string) {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
}

func TestWallModeKeyAndResize(t *testing.T) {
	m := narrowBoard(t)
	m = keys(t, m, "w")
	for _, size := range [][2]int{{80, 24}, {160, 45}, {97, 31}} {
		m, _ = update(t, m, sizeMsg(size[0], size[1]))
		v := m.View()
		lines := strings.Split(v, "\n")
		if len(lines) != size[1] {
			t.Errorf("%dx%d: %d lines", size[0], size[1], len(lines))
		}
		if !strings.Contains(lines[0], "last event") || !strings.Contains(v, "CALLS WAITING") && !strings.Contains(v, "WAITING") || !strings.Contains(v, "█") {
			t.Errorf("%dx%d: wall mode should keep the header and draw big digits:\n%s", size[0], size[1], v)
		}
		if strings.Contains(v, "Agents") {
			t.Errorf("%dx%d: wall mode shows the tabs", size[0], size[1])
		}
	}
	m = keys(t, m, "w")
	if v := m.View(); !strings.Contains(v, "[Agents]") {
		t.Errorf("w again returns to the board:\n%s", v)
	}
	if !New(Config{Wall: true}).wall {
		t.Error("Config.Wall does not start in wall mode")
	}
}

func TestSortingTheNameColumnIsTheBoardsOrder(t *testing.T) {
	m := New(Config{})
	var agents []feed.Agent
	for i, name := range []string{"Élodie", "Zoé", "Clara", "émile", "Céline", "Bob", "alice"} {
		agents = append(agents, feed.Agent{ID: feed.Text(fmt.Sprint(i + 1)), Name: name})
	}
	m, _ = update(t, m, sizeMsg(100, 20))
	m = newTestBoard(t, state.Options{}).send(m, &feed.DirectoryMsg{Directory: feed.Directory{Agents: agents}})
	m, _ = update(t, m, keyRunes("2"))
	want := []string{"alice", "Bob", "Céline", "Clara", "Élodie", "émile", "Zoé"}
	if got := shown(m); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the board's order: %q, want %q", got, want)
	}
	m, _ = update(t, m, keyRunes("s"))
	if got := shown(m); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("sorted on Name: %q, want %q", got, want)
	}
	m, _ = update(t, m, keyRunes("S"))
	if got := shown(m); got[0] != "Zoé" || got[6] != "alice" {
		t.Errorf("reversed: %q", got)
	}
}
