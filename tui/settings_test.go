package tui

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"callboard/state"
)

// told collects the settings a board tells.
type told struct{ settings []Settings }

func (tl *told) save(s Settings) { tl.settings = append(tl.settings, s) }

func (tl *told) last(t *testing.T) Settings {
	t.Helper()
	if len(tl.settings) == 0 {
		t.Fatal("no settings told")
	}
	return tl.settings[len(tl.settings)-1]
}

// agentsBo are the settings of a viewer who left the Agents tab sorted on
// the name, descending, narrowed to "Bo" and the agents on a call, and the
// Calls tab to the callers to call back.
var agentsBo = Settings{Tab: "Agents", Tabs: map[string]TabSettings{
	"Agents": {Sort: "Name", Desc: true, Filter: "Bo", State: string(state.OnCall)},
	"Calls":  {CallBack: true},
}}

func TestSettingsAreToldWhenKeysChangeThem(t *testing.T) {
	var tl told
	m := New(Config{View: scriptedView(t, state.Audience{}), SaveSettings: tl.save})
	m, _ = update(t, m, sizeMsg(120, 30))
	m = keys(t, m, "j", "k")
	if len(tl.settings) != 0 {
		t.Fatalf("the cursor's moves told settings: %+v", tl.settings)
	}
	m = keys(t, m, "4", "b", "2", "s", "S", "/", "B", "o", "enter", "c")
	if got := tl.last(t); !reflect.DeepEqual(got, agentsBo) {
		t.Errorf("told %+v, want %+v", got, agentsBo)
	}
	n := len(tl.settings)
	m = keys(t, m, "j", "/", "enter")
	if len(tl.settings) != n {
		t.Errorf("keys that changed no setting told %+v", tl.settings[n:])
	}
	keys(t, m, "w")
	if got := tl.last(t); !got.Wall || got.Tab != "Agents" {
		t.Errorf("after w told %+v, want the wall over the Agents tab", got)
	}
	// a burst that ends in q tells what it changed before quitting
	tl = told{}
	m = New(Config{View: scriptedView(t, state.Audience{}), SaveSettings: tl.save})
	m, _ = update(t, m, sizeMsg(120, 30))
	if _, cmd := update(t, m, keyRunes("3q")); cmd == nil || tl.last(t).Tab != "Queues" {
		t.Errorf("3q told %+v", tl.settings)
	}
}

func TestSettingsAreRestored(t *testing.T) {
	// through JSON, as they are kept
	data, err := json.Marshal(agentsBo)
	if err != nil {
		t.Fatal(err)
	}
	var saved Settings
	if err := json.Unmarshal(data, &saved); err != nil {
		t.Fatal(err)
	}
	var tl told
	m := New(Config{View: scriptedView(t, state.Audience{}), Settings: &saved, Start: "Queues", SaveSettings: tl.save})
	m, _ = update(t, m, sizeMsg(120, 30))
	screen := m.View()
	if m.tab != tabAgents || !strings.Contains(screen, "Bob Durand") || strings.Contains(screen, "Alice Martin") || !strings.Contains(screen, "filter “Bo”") || !strings.Contains(screen, "Name ↓") {
		t.Errorf("restored %+v, the screen shows\n%s", saved, screen)
	}
	if got := m.settings(); !reflect.DeepEqual(got, agentsBo) {
		t.Errorf("the board's settings are %+v, want %+v", got, agentsBo)
	}
	m = keys(t, m, "4")
	if !m.callsTab().toCallBack || len(tl.settings) != 1 {
		t.Errorf("the Calls tab's own filter was not restored, or restoring told settings: %+v", tl.settings)
	}
	// the Day tab's rows per queue, and a sort on a column only they have
	day := Settings{Tab: "day", Tabs: map[string]TabSettings{"DAY": {PerQueue: true, Sort: "queue"}}}
	m = New(Config{View: scriptedView(t, state.Audience{}), Settings: &day})
	if m.tab != tabDay || !m.dayTab().perQueue || sortTitle(m.dayTab(), &m.shared) != "Queue" {
		t.Errorf("restored %+v: tab %v, per queue %v, sorted on %q", day, m.tab, m.dayTab().perQueue, sortTitle(m.dayTab(), &m.shared))
	}
}

// TestSettingsOfAnotherVersion: what this board does not know of a file
// (another version's, or edited) is left out field by field; the rest is
// restored.
func TestSettingsOfAnotherVersion(t *testing.T) {
	var s Settings
	data := `{"tab": 3, "wall": true, "theme": "dark",
		"tabs": {"Agents": {"sort": "Nope", "desc": "yes", "filter": "Bo\u001b[2J\u202e", "state": "asleep", "group": 7, "zoom": 2},
			"Calls": 7, "Weather": {"filter": "rain"}, "Queues": {"sort": "Waiting", "desc": true}}}`
	if err := json.Unmarshal([]byte(data), &s); err != nil {
		t.Fatal(err)
	}
	m := New(Config{View: scriptedView(t, state.Audience{}), Settings: &s, Start: "Calls"})
	want := Settings{Tab: "Calls", Wall: true, Tabs: map[string]TabSettings{
		"Agents": {Filter: "Bo"},
		"Queues": {Sort: "Waiting", Desc: true},
	}}
	if got := m.settings(); !reflect.DeepEqual(got, want) {
		t.Errorf("%s restored as %+v, want %+v", data, got, want)
	}
	for _, bad := range []string{`[]`, `"tab"`, `{"tab": "Agents"`, `{} {}`} {
		if err := json.Unmarshal([]byte(bad), &s); err == nil {
			t.Errorf("%s read as settings %+v", bad, s)
		}
	}
	long := Settings{Tabs: map[string]TabSettings{"Agents": {Filter: strings.Repeat("é", 3*MaxFilter)}}}
	m = New(Config{View: scriptedView(t, state.Audience{}), Settings: &long})
	if got := m.agentsTab().narrowing.query; got != strings.Repeat("é", MaxFilter) {
		t.Errorf("a remembered filter of %d characters restored as %d", 3*MaxFilter, len([]rune(got)))
	}
}

func TestTheStartWithoutSettings(t *testing.T) {
	for _, c := range []struct {
		start    string
		settings *Settings
		tab      tab
		wall     bool
	}{
		{"", nil, tabOverview, false},
		{"calls", nil, tabCalls, false},
		{" Events ", &Settings{}, tabEvents, false}, // nothing remembered: the start's
		{"wall", nil, tabOverview, true},
		{"Weather", nil, tabOverview, false},
		{"wall", &Settings{Tab: "Weather"}, tabOverview, false}, // remembered off the wall
		{"Day", &Settings{Tab: "Weather", Wall: true}, tabDay, true},
	} {
		m := New(Config{View: scriptedView(t, state.Audience{}), Start: c.start, Settings: c.settings})
		if m.tab != c.tab || m.wall != c.wall {
			t.Errorf("start %q, settings %+v: tab %v, wall %v; want %v, %v", c.start, c.settings, m.tab, m.wall, c.tab, c.wall)
		}
	}
	if m := New(Config{View: scriptedView(t, state.Audience{}), Settings: &agentsBo, Wall: true}); !m.wall || m.tab != tabAgents {
		t.Errorf("--wall with settings: tab %v, wall %v", m.tab, m.wall)
	}
}

func TestTheResetKey(t *testing.T) {
	for _, start := range []string{"Queues", "wall"} {
		var tl told
		m := New(Config{View: scriptedView(t, state.Audience{}), Settings: &agentsBo, Start: start, SaveSettings: tl.save})
		m, _ = update(t, m, sizeMsg(120, 30))
		m = keys(t, m, "7", "e", "s", "R")
		if got := tl.last(t); !reflect.DeepEqual(got, Settings{}) {
			t.Errorf("start %q: the reset told %+v, want nothing remembered", start, got)
		}
		want := Settings{Tab: "Queues"}
		if start == "wall" {
			want = Settings{Tab: "Overview", Wall: true}
		}
		if got := m.settings(); !reflect.DeepEqual(got, want) {
			t.Errorf("start %q: after the reset the board's settings are %+v, want %+v", start, got, want)
		}
		n := len(tl.settings)
		m = keys(t, m, "R")
		if len(tl.settings) != n+1 {
			t.Errorf("start %q: R again told nothing", start)
		}
		// R is text in the filter
		m = keys(t, m, "2", "/", "R")
		if got := m.agentsTab().narrowing.query; got != "R" {
			t.Errorf("start %q: R typed in the filter gave %q", start, got)
		}
	}
	// on the wall too
	var tl told
	m := New(Config{View: scriptedView(t, state.Audience{}), Settings: &Settings{Tab: "Agents", Wall: true}, Start: "Calls", SaveSettings: tl.save})
	m = keys(t, m, "R")
	if m.wall || m.tab != tabCalls {
		t.Errorf("R on the wall: tab %v, wall %v; want the Calls tab", m.tab, m.wall)
	}
}

// TestResetKeyProgram: a board left on the Agents tab narrowed to Bob,
// started on the Queues tab, goes back to it, every filter cleared.
func TestResetKeyProgram(t *testing.T) {
	v := scriptedView(t, state.Audience{})
	newModel := func(r *lipgloss.Renderer) tea.Model {
		return New(Config{Title: "callboard — demo", View: v, Renderer: r, Start: "Queues", Settings: &agentsBo})
	}
	end := playBoard(t, newModel(renderer(termenv.Ascii)), 80, 24, "R", "2")
	if !strings.Contains(end.screen, "Alice Martin") || strings.Contains(end.screen, "filter “Bo”") {
		t.Errorf("after R the Agents tab shows\n%s\nwant every agent", end.screen)
	}
	playGoldens(t, newModel, "R")
}

// TestSettingsAreToldWhenTheMouseChangesThem: a click on a tab, and on
// the wall (which leaves it), tell the settings; the wheel does not.
func TestSettingsAreToldWhenTheMouseChangesThem(t *testing.T) {
	var tl told
	m := New(Config{View: scriptedView(t, state.Audience{}), SaveSettings: tl.save})
	m, _ = update(t, m, sizeMsg(120, 30))
	m, _ = update(t, m, wheelDown(10, 5))
	if len(tl.settings) != 0 {
		t.Errorf("the wheel told %+v", tl.settings)
	}
	x := strings.Index(screenLines(m)[tabBarLine], "Calls")
	m, _ = update(t, m, clickAt(x, tabBarLine))
	if got := tl.last(t); got.Tab != "Calls" || got.Wall {
		t.Errorf("a click on the Calls tab told %+v", got)
	}
	m = keys(t, m, "w")
	update(t, m, clickAt(10, 10))
	if got := tl.last(t); got.Tab != "Calls" || got.Wall {
		t.Errorf("a click on the wall told %+v", got)
	}
}
