package metrics

import (
	"strings"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// twoTeams is a board of two queues, Support (391) and Ventes (392), with
// an agent and a waiting call in each.
func twoTeams(t *testing.T) *state.View {
	t.Helper()
	b := state.New(state.Options{Location: time.UTC}, t0)
	b.SetStatus(&feed.StatusMsg{State: feed.Live, Protocol: "v4", At: t0})
	b.SetDirectory(feed.Directory{
		Agents: []feed.Agent{{ID: "1", Name: "Alice", Groups: []feed.Text{"391"}}, {ID: "2", Name: "Bob", Groups: []feed.Text{"392"}}},
		Groups: []feed.Named{{ID: "391", Name: "Support"}, {ID: "392", Name: "Ventes"}},
	}, t0)
	at := t0
	for i, raw := range []string{
		`{"cpt":1,"event":{"type_notification":"operator","event":"status","msg":{"id_operator":1,"status":"connected"}}}`,
		`{"cpt":2,"event":{"type_notification":"operator","event":"status","msg":{"id_operator":2,"status":"connected"}}}`,
		`{"cpt":3,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":391,"id_call":1}}}`,
		`{"cpt":4,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":392,"id_call":2}}}`,
		`{"cpt":5,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":392,"id_call":3}}}`,
	} {
		at = t0.Add(time.Duration(i+1) * time.Second)
		b.Apply(feedtest.Event(at, raw), at)
	}
	return b.View(at.Add(time.Second))
}

// TestAScopedPageNamesItsScopeOnEverySeries: the page of a scope's views,
// parsed as Prometheus parses it, has scope="<name>" on every series, its
// scope's queues and agents only, and callboard_scope_info saying what the
// scope matched as the view says it; the whole center's page has neither.
func TestAScopedPageNamesItsScopeOnEverySeries(t *testing.T) {
	whole := twoTeams(t)
	scope := state.Scope{Queues: []string{"Support"}}
	v := whole.For(state.Audience{Scope: scope})
	e := NewScoped(scope)
	e.Update(v)
	got := scrape(t, e.Handler())
	if len(got) == 0 {
		t.Fatal("an empty page")
	}
	for name, f := range got {
		for _, m := range f.Metric {
			has := false
			for _, l := range m.Label {
				has = has || (l.GetName() == "scope" && l.GetValue() == "queues=Support")
			}
			if !has {
				t.Errorf("%s %v: no scope=\"queues=Support\"", name, m.Label)
			}
		}
	}
	for _, m := range got["callboard_queue_calls_waiting"].GetMetric() {
		for _, l := range m.Label {
			if l.GetName() == "queue_id" && l.GetValue() != "391" {
				t.Errorf("queue %s on Support's page", l.GetValue())
			}
		}
	}
	if w, ok := value(got, "callboard_queue_calls_waiting", map[string]string{"queue_id": "391", "scope": "queues=Support"}); !ok || w != 1 {
		t.Errorf("Support's calls waiting %v (%v), want 1", w, ok)
	}
	agents := 0.0
	for _, m := range got["callboard_agents"].GetMetric() {
		agents += m.GetGauge().GetValue()
	}
	tt := v.Totals.Snap()
	if want := tt.AgentsAvailable + tt.AgentsRinging + tt.AgentsCalling + tt.AgentsOnCall + tt.AgentsPaused + tt.AgentsUnavailable + tt.AgentsLoggedOut + tt.AgentsUnknown + tt.AgentsOther; agents != float64(want) || agents != 1 {
		t.Errorf("callboard_agents sum to %v; the scoped view's totals to %d; Support has one agent", agents, want)
	}
	info := map[string]string{"scope": "queues=Support", "name": v.Scope.Name,
		"queue_ids": strings.Join(v.Scope.QueueIDs, ","), "group_ids": strings.Join(v.Scope.GroupIDs, ","), "unmatched": strings.Join(v.Scope.Unmatched, ",")}
	if one, ok := value(got, "callboard_scope_info", info); !ok || one != 1 {
		t.Errorf("callboard_scope_info%v = %v (%v), want 1", info, one, ok)
	}

	e = New()
	e.Update(whole)
	got = scrape(t, e.Handler())
	if got["callboard_scope_info"] != nil {
		t.Error("callboard_scope_info on the whole center's page")
	}
	for name, f := range got {
		for _, m := range f.Metric {
			for _, l := range m.Label {
				if l.GetName() == "scope" {
					t.Errorf("%s has a scope label on the whole center's page", name)
				}
			}
		}
	}
}

// TestScopeNameIsStable: the scope label is the scope's name, else its
// entries as given, sorted and deduplicated, sanitised; "" for the whole
// center.
func TestScopeNameIsStable(t *testing.T) {
	for _, c := range []struct {
		scope state.Scope
		want  string
	}{
		{state.Scope{}, ""},
		{state.Scope{Name: "Support", Queues: []string{"391"}}, "Support"},
		{state.Scope{Queues: []string{"Ventes", "391", "Ventes"}}, "queues=391,Ventes"},
		{state.Scope{Groups: []string{"12"}}, "groups=12"},
		{state.Scope{Queues: []string{"391"}, Groups: []string{"12", "11"}}, "queues=391 groups=11,12"},
		{state.Scope{Name: "Sup\x1b[31mport", Queues: []string{"391"}}, "Support"},
	} {
		if got := ScopeName(c.scope); got != c.want {
			t.Errorf("ScopeName(%+v) = %q, want %q", c.scope, got, c.want)
		}
	}
}
