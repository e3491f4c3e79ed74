package metrics

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

var t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func scrape(t *testing.T, h http.Handler) map[string]*dto.MetricFamily {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return families
}

// value finds the sample of family name with the given labels; ok is false
// when there is none.
func value(families map[string]*dto.MetricFamily, name string, labels map[string]string) (float64, bool) {
	f := families[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.Metric {
		for _, l := range m.Label {
			if want, ok := labels[l.GetName()]; ok && want != l.GetValue() {
				continue next
			}
		}
		switch {
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		}
	}
	return 0, false
}

func TestScrapeMatchesTheSnapshot(t *testing.T) {
	b := state.New(state.Options{Location: time.UTC}, t0)
	b.SetStatus(&feed.StatusMsg{State: feed.Live, Protocol: "v4", At: t0})
	b.SetDirectory(feed.Directory{
		Agents:  []feed.Agent{{ID: "1", Name: "Alice", Groups: []feed.Text{"391"}}, {ID: "2", Name: "Bob", Groups: []feed.Text{"391"}}},
		Groups:  []feed.Named{{ID: "391", Name: "Support \x1b[31mred"}, {ID: "392", Name: "Ventes"}},
		Trunks:  []feed.Named{{ID: "34", Name: "Standard"}},
		Expires: t0.Add(2 * time.Hour),
	}, t0)
	at := t0
	for i, raw := range []string{
		`{"cpt":1,"event":{"type_notification":"UI","event":"login","msg":{"id_operator":1}}}`,
		`{"cpt":2,"event":{"type_notification":"operator","event":"status","msg":{"id_operator":2,"status":"connected"}}}`,
		`{"cpt":3,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":391,"id_call":1,"duration_in_queue":10}}}`,
		`{"cpt":4,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":391,"id_call":2}}}`,
		`{"cpt":5,"event":{"type_notification":"queue","event":"connect_call","msg":{"id_queue":391,"id_call":2}}}`,
		`{"cpt":7,"event":{"type_notification":"trunk","event":"insert_call","msg":{"id_trunk":34,"id_call":9}}}`,
		`{"cpt":8,"event":{"type_notification":"queue","event":"delete_call","msg":{"id_queue":391,"id_call":77}}}`,
	} {
		at = t0.Add(time.Duration(i+1) * time.Second)
		b.Apply(feedtest.Event(at, raw), at)
	}
	now := at.Add(5 * time.Second)
	e := New()
	e.Update(b.View(now))
	snap := b.Snapshot(now)
	got := scrape(t, e.Handler())

	for _, q := range snap.Queues {
		name := q.Name
		if q.ID == "391" {
			name = "Support red" // sanitised
		}
		labels := map[string]string{"queue_id": q.ID, "queue": name}
		for metric, want := range map[string]float64{
			"callboard_queue_calls_waiting":        float64(q.Waiting),
			"callboard_queue_longest_wait_seconds": float64(q.LongestWaitS),
			"callboard_queue_calls_in_progress":    float64(q.InProgress),
			"callboard_queue_answered_today":       float64(q.Answered),
			"callboard_queue_abandoned_today":      float64(q.Abandoned),
		} {
			if v, ok := value(got, metric, labels); !ok || v != want {
				t.Errorf("%s%v = %v (%v), want %v", metric, labels, v, ok, want)
			}
		}
		v, ok := value(got, "callboard_queue_service_level_ratio", labels)
		switch {
		case q.ServiceLevelPct == nil && ok:
			t.Errorf("queue %s: a service level ratio %v while undefined", q.ID, v)
		case q.ServiceLevelPct != nil && (!ok || v != *q.ServiceLevelPct/100):
			t.Errorf("queue %s: service level ratio %v (%v), want %v", q.ID, v, ok, *q.ServiceLevelPct/100)
		}
	}
	if _, ok := value(got, "callboard_queue_calls_waiting", map[string]string{"queue_id": "391"}); !ok {
		t.Fatal("queue 391 missing")
	}
	for state, want := range map[string]int{"available": snap.Totals.AgentsAvailable, "on_call": snap.Totals.AgentsOnCall, "unknown": snap.Totals.AgentsUnknown} {
		if v, ok := value(got, "callboard_agents", map[string]string{"state": state}); !ok || v != float64(want) {
			t.Errorf("callboard_agents{state=%q} = %v, want %d", state, v, want)
		}
	}
	if v, _ := value(got, "callboard_trunk_calls", map[string]string{"trunk_id": "34", "trunk": "Standard", "state": "ringing"}); v != 1 {
		t.Errorf("trunk ringing %v", v)
	}
	checks := map[string]float64{
		"callboard_feed_up":                        1,
		"callboard_feed_events_total":              float64(snap.Feed.Events),
		"callboard_feed_gaps_total":                1,
		"callboard_feed_reconnects_total":          0,
		"callboard_feed_not_live_today":            float64(len(snap.Feed.NotLiveToday)),
		"callboard_agents_stale":                   float64(staleAgents(snap)),
		"callboard_feed_last_event_age_seconds":    5,
		"callboard_token_expiry_timestamp_seconds": float64(t0.Add(2 * time.Hour).Unix()),
	}
	for metric, want := range checks {
		if v, ok := value(got, metric, nil); !ok || v != want {
			t.Errorf("%s = %v (%v), want %v", metric, v, ok, want)
		}
	}
	if v, ok := value(got, "callboard_feed_rejected_total", map[string]string{"reason": state.ReasonUnknownCall}); !ok || v != 1 {
		t.Errorf("rejected by reason: %v %v", v, ok)
	}
	if f := got["callboard_feed_events_total"]; f.GetType() != dto.MetricType_COUNTER {
		t.Errorf("events_total is a %v", f.GetType())
	}
}

func TestBeforeAnyUpdateOnlyTheFeedIsDown(t *testing.T) {
	got := scrape(t, New().Handler())
	if v, ok := value(got, "callboard_feed_up", nil); !ok || v != 0 {
		t.Errorf("feed_up %v %v", v, ok)
	}
	if len(got) != 1 {
		t.Errorf("families before any update: %v", fmt.Sprint(len(got)))
	}
}

func TestViewersShownOnceSet(t *testing.T) {
	e := New()
	if _, ok := value(scrape(t, e.Handler()), "callboard_viewers", nil); ok {
		t.Error("callboard_viewers shown before any SetViewers")
	}
	e.SetViewers(3)
	if v, ok := value(scrape(t, e.Handler()), "callboard_viewers", nil); !ok || v != 3 {
		t.Errorf("callboard_viewers %v %v, want 3", v, ok)
	}
	e.SetViewers(0)
	if v, ok := value(scrape(t, e.Handler()), "callboard_viewers", nil); !ok || v != 0 {
		t.Errorf("callboard_viewers %v %v, want 0", v, ok)
	}
}

// TestTheJournalIsShownWhenKept: callboard_journal_writing says whether this
// process writes its journal (0: it cannot, e.g. the disk is full), with the
// lines lost meanwhile; both are absent without a journal.
func TestTheJournalIsShownWhenKept(t *testing.T) {
	b := state.New(state.Options{Location: time.UTC}, t0)
	e := New()
	e.Update(b.View(t0))
	if _, ok := value(scrape(t, e.Handler()), "callboard_journal_writing", nil); ok {
		t.Error("callboard_journal_writing shown without a journal")
	}
	for _, j := range []state.JournalHealth{
		{On: true, Writing: true},
		{On: true, Problem: "not writing (disk full)", Dropped: 12},
	} {
		v := b.View(t0)
		v.Journal = j
		e.Update(v)
		got := scrape(t, e.Handler())
		want := 0.0
		if j.Writing {
			want = 1
		}
		if w, ok := value(got, "callboard_journal_writing", nil); !ok || w != want {
			t.Errorf("journal %+v: callboard_journal_writing %v (%v), want %v", j, w, ok, want)
		}
		if d, ok := value(got, "callboard_journal_dropped_lines_total", nil); !ok || d != float64(j.Dropped) {
			t.Errorf("journal %+v: callboard_journal_dropped_lines_total %v (%v)", j, d, ok)
		}
	}
}

// staleAgents counts the agents snap flags stale.
func staleAgents(snap state.Snapshot) int {
	n := 0
	for _, a := range snap.Agents {
		if a.Stale {
			n++
		}
	}
	return n
}
