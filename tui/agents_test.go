package tui

import (
	"strings"
	"testing"
)

func TestQuickStateFiltersAndGroupPicker(t *testing.T) {
	m := narrowBoard(t)
	for _, c := range []struct {
		key  string
		want string
	}{
		{"a", "Hélène Roux"},
		{"p", "Anne Morel"},
		{"c", "Bob Durand,Zoé Petit"}, // on a call: connected, ringing, calling
		{"c", "Anne Morel,Bob Durand,Hélène Roux,Zoé Petit"},
	} {
		m = keys(t, m, c.key)
		got := shown(m)
		sortStrings(got)
		if strings.Join(got, ",") != c.want {
			t.Errorf("after %q: %q, want %s", c.key, got, c.want)
		}
	}
	m = keys(t, m, "o")
	if got := shown(m); len(got) != 2 || !strings.Contains(m.View(), "group Support") {
		t.Errorf("first group (Support): %q\n%s", got, m.View())
	}
	m = keys(t, m, "o")
	if got := shown(m); len(got) != 3 || !strings.Contains(m.View(), "group Ventes") {
		t.Errorf("second group (Ventes): %q", got)
	}
	m = keys(t, m, "o")
	if got := shown(m); len(got) != 4 {
		t.Errorf("after the last group, all agents: %q", got)
	}
	m = keys(t, m, "o", "a", "esc")
	if got := shown(m); len(got) != 4 || m.agentsTab().group != "" || m.agentsTab().state != "" {
		t.Errorf("esc clears the state and group filters: %q", got)
	}
	// The Agents tab's own keys are its alone: elsewhere they do nothing.
	m = keys(t, m, "3", "a", "o", "p", "2")
	if a := m.agentsTab(); len(shown(m)) != 4 || a.narrowing != (narrowing{sortCol: -1}) || a.state != "" || a.group != "" {
		t.Errorf("the Agents keys pressed on Queues narrowed Agents: %+v, state %q, group %q, %q", a.narrowing, a.state, a.group, shown(m))
	}
}
