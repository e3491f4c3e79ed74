package metrics

import (
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// TestActiveAlertsAreSeries: each active alert is a series of
// callboard_alert_active, by rule and queue_id or agent_id (the other
// empty), and callboard_alerts_active counts them by rule.
func TestActiveAlertsAreSeries(t *testing.T) {
	b := state.New(state.Options{Location: time.UTC, QueueLimits: state.QueueLimits{AvailableMin: 1}, Limits: state.Limits{PauseDefault: time.Minute}}, t0)
	b.SetDirectory(feed.Directory{
		Agents: []feed.Agent{{ID: "7", Name: "Alice", Groups: []feed.Text{"1"}}},
		Groups: []feed.Named{{ID: "1", Name: "Support"}, {ID: "2", Name: "Ventes"}},
	}, t0)
	b.Apply(feedtest.Update(t0, 1, "UI", "login", `{"id_operator":7,"supp":""}`), t0)
	b.Apply(feedtest.Update(t0, 2, "UI", "pause", `{"id_operator":7,"supp":"3"}`), t0)
	e := New()
	e.Update(b.View(t0.Add(2 * time.Minute)))
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(raw)
	for _, line := range []string{
		`callboard_alert_active{agent_id="",queue_id="1",rule="available_min"} 1`,
		`callboard_alert_active{agent_id="",queue_id="2",rule="available_min"} 1`,
		`callboard_alert_active{agent_id="7",queue_id="",rule="pause_max"} 1`,
		`callboard_alerts_active{rule="available_min"} 2`,
		`callboard_alerts_active{rule="pause_max"} 1`,
		`callboard_alerts_active{rule="waiting_max"} 0`,
	} {
		if !strings.Contains(page, line+"\n") {
			t.Errorf("no line %s in:\n%s", line, grepAlerts(page))
		}
	}
	if n := strings.Count(page, "\ncallboard_alert_active{"); n != 3 {
		t.Errorf("%d alert series, want 3", n)
	}
}

func grepAlerts(page string) string {
	var out []string
	for _, l := range strings.Split(page, "\n") {
		if strings.HasPrefix(l, "callboard_alert") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestAlertSeriesAreBounded: past maxAlertSeries alerts, the newest are
// series, all are counted; agent ids are label values as queue ids are
// (sanitised, told apart).
func TestAlertSeriesAreBounded(t *testing.T) {
	v := state.New(state.Options{Location: time.UTC}, t0).View(t0)
	for i := range maxAlertSeries + 100 {
		v.Alerts = append(v.Alerts, state.Alert{AlertKey: state.AlertKey{Rule: state.RuleCallMax, AgentID: fmt.Sprint(i)}, Since: t0.Add(-time.Duration(i) * time.Second)})
	}
	v.Alerts[0].AgentID = "\u202eevil"
	e := New()
	e.Update(v)
	got := scrape(t, e.Handler())
	if f := got["callboard_alert_active"]; f == nil || len(f.Metric) != maxAlertSeries {
		t.Fatalf("series: %v", f)
	}
	if n, ok := value(got, "callboard_alerts_active", map[string]string{"rule": "call_max"}); !ok || n != maxAlertSeries+100 {
		t.Errorf("counted %v %v", n, ok)
	}
	for _, m := range got["callboard_alert_active"].Metric {
		for _, l := range m.Label {
			if strings.ContainsRune(l.GetValue(), '\u202e') {
				t.Errorf("label %q", l.GetValue())
			}
		}
	}
}
