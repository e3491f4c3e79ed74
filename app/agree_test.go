package app

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"callboard/feed"
	"callboard/hub"
	"callboard/internal/testkit/feedtest"
	"callboard/metrics"
	"callboard/state"
	"callboard/tui"
)

// TestTheScreenTheSnapshotAndTheMetricsAgree: one stream received ten
// seconds before the board is looked at (a lag), one road, three readers of
// its view: the board's screen, the snapshot and /metrics give the same
// figures and the same durations (each update at its reception time).
func TestTheScreenTheSnapshotAndTheMetricsAgree(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	now := t0.Add(10 * time.Second)
	stream := []feed.Message{
		&feed.StatusMsg{State: feed.Live, Protocol: "v4", At: t0},
		&feed.DirectoryMsg{At: t0, Directory: feed.Directory{
			Agents: []feed.Agent{{ID: "1", Name: "Alice", Groups: []feed.Text{"391"}}, {ID: "2", Name: "Bob", Groups: []feed.Text{"391"}}},
			Groups: []feed.Named{{ID: "391", Name: "Support"}},
		}},
		feedtest.Update(t0, 1, "UI", "login", `{"id_operator":1,"supp":""}`),
		feedtest.Update(t0, 2, "UI", "login", `{"id_operator":2,"supp":""}`),
		feedtest.Update(t0, 3, "queue", "insert_call", `{"id_call":7,"id_queue":391,"caller_id_num":"33612345678","duration_in_queue":0}`),
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := startRoad(ctx, cancel, func(ctx context.Context, out chan<- feed.Message) {
		for _, m := range stream {
			out <- m
		}
	}, hub.Config{Options: state.Options{Location: time.UTC}, Start: t0, Now: func() time.Time { return now }})
	<-r.done
	v := r.hub.Latest()

	snap := v.Snapshot()
	e := metrics.New()
	e.Update(v)
	rec := httptest.NewRecorder()
	e.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	page := rec.Body.String()

	var screen tui.Model = tui.New(tui.Config{View: v})
	show := func(keys string) string {
		t.Helper()
		m, _ := screen.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		if keys != "" {
			m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(keys)})
		}
		return m.View()
	}

	// the figures
	if snap.Totals.AgentsAvailable != 2 || snap.Totals.CallsWaiting != 1 {
		t.Fatalf("snapshot totals %+v, want 2 available and 1 waiting", snap.Totals)
	}
	for _, want := range []string{`callboard_agents{state="available"} 2`, `callboard_queue_calls_waiting{queue="Support",queue_id="391"} 1`} {
		if !strings.Contains(page, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if line := lineWith(show(""), "Support"); !strings.Contains(line, " 1 ") || !strings.Contains(line, "0:00:10") {
		t.Errorf("the Overview's queue row %q does not say 1 waiting for 0:00:10", line)
	}
	// the durations: ten seconds, everywhere
	if a := snap.Agents[0]; a.StateSinceS != 10 {
		t.Errorf("snapshot: agent %s in state for %d s, want 10", a.ID, a.StateSinceS)
	}
	if q := snap.Queues[0]; q.LongestWaitS != 10 {
		t.Errorf("snapshot: longest wait %d s, want 10", q.LongestWaitS)
	}
	if !strings.Contains(page, `callboard_queue_longest_wait_seconds{queue="Support",queue_id="391"} 10`) {
		t.Error("/metrics: longest wait is not 10 s")
	}
	agents := show("2")
	for _, name := range []string{"Alice", "Bob"} {
		if line := lineWith(agents, name); !strings.Contains(line, "0:00:10") {
			t.Errorf("the Agents tab's %s row %q does not say 0:00:10 in state", name, line)
		}
	}
	if line := lineWith(show("3"), "Support"); !strings.Contains(line, "0:00:10") {
		t.Errorf("the Queues tab's row %q does not say a longest wait of 0:00:10", line)
	}
	if line := lineWith(show("4"), "Support"); !strings.Contains(line, "0:00:10") {
		t.Errorf("the Calls tab's row %q does not say the call waited 0:00:10", line)
	}
}

// lineWith is the first line of screen that holds text.
func lineWith(screen, text string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, text) {
			return l
		}
	}
	return ""
}
