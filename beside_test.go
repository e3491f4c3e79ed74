package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"callboard/sim"
	"callboard/state"
)

// TestBesideALiveWriterTheDayIsTheWriters: a headless writer (metrics)
// sees agents, an outage of the server, and is killed (-9) and started
// again; only the agents it heard of since its restart are not stale. A
// snapshot then taken beside it, while it writes, has the same stale set
// and the same stretches not live as the writer's /metrics: its own
// start-up is no outage.
func TestBesideALiveWriterTheDayIsTheWriters(t *testing.T) {
	t.Parallel()
	bin := theBinary(t)
	srv := startStreamingSim(t)
	cfg := writeProtocolConfig(t, srv.URL(), "v4")
	journal := filepath.Join(filepath.Dir(cfg), "journal")
	var agents []int64
	for _, op := range srv.Directory().Ops {
		agents = append(agents, op.ID.N)
	}
	status := func(agent int64) sim.Event {
		return sim.Event{Type: "operator", Name: "status", Msg: map[string]any{"id_operator": agent, "status": "available"}}
	}
	inJournal := func(what string, cpt int64) {
		t.Helper()
		eventually(t, 10*time.Second, what+" in the journal", func() bool {
			return journalHolds(journal, `"cpt":`+strconv.FormatInt(cpt, 10)+`,`)
		})
	}

	writer := startMetrics(t, bin, cfg)
	waitStreaming(t, srv, 1)
	var login []sim.Event
	for _, a := range agents[:4] {
		login = append(login, sim.Event{Type: "UI", Name: "login", Msg: map[string]any{"id_operator": a, "supp": ""}})
	}
	inJournal("the logins", pushAll(srv, login))
	srv.DisconnectAll()
	eventually(t, 30*time.Second, "the writer's new stream after the server's outage", func() bool { return srv.Stats().InitsAccepted == 2 })
	// live again with the first update of its new stream
	inJournal("the agents heard of after the outage", pushAll(srv, []sim.Event{status(agents[0]), status(agents[1]), status(agents[2])}))
	eventually(t, 10*time.Second, "the writer live again after the server's outage", func() bool {
		return writer.metric(t, "callboard_feed_reconnects_total") == "1"
	}, func() string { return writer.page(t) })
	writer.cmd.Process.Signal(syscall.SIGKILL)
	writer.cmd.Wait()
	waitStreaming(t, srv, 0)

	again := startMetrics(t, bin, cfg)
	waitStreaming(t, srv, 1)
	inJournal("the agents heard of after the restart", pushAll(srv, []sim.Event{status(agents[0]), status(agents[1])}))
	wantStale := fmt.Sprint(len(agents) - 2)
	eventually(t, 30*time.Second, "the writer's stale agents and stretches not live", func() bool {
		return again.metric(t, "callboard_agents_stale") == wantStale && again.metric(t, "callboard_feed_not_live_today") == "2"
	}, func() string { return again.page(t) })

	// the snapshot beside it, which hears of one more agent, as the writer does
	cmd := exec.Command(bin, "snapshot", "--config", cfg, "--events", "1", "--wait", "1m", "--timeout", "60s")
	cmd.Env = append(os.Environ(), "CALLBOARD_TEST_PASSWORD=pw")
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitStreaming(t, srv, 2)
	srv.Push(status(agents[2]))
	if err := cmd.Wait(); err != nil {
		t.Fatalf("snapshot: %v\n%s", err, errs.String())
	}
	var snap state.Snapshot
	if err := json.Unmarshal(out.Bytes(), &snap); err != nil {
		t.Fatalf("snapshot output: %v\n%s", err, out.String())
	}
	wantStale = fmt.Sprint(len(agents) - 3)
	eventually(t, 30*time.Second, "the writer's stale agents after the one more", func() bool {
		return again.metric(t, "callboard_agents_stale") == wantStale
	}, func() string { return again.page(t) })

	var stale []string
	for _, a := range snap.Agents {
		if a.Stale {
			stale = append(stale, a.ID)
		}
	}
	var want []string
	for _, a := range agents[3:] {
		want = append(want, fmt.Sprint(a))
	}
	slices.Sort(stale)
	slices.Sort(want)
	if !slices.Equal(stale, want) {
		t.Errorf("the snapshot beside the writer has %d stale agents %v\nwant the writer's %s: %v", len(stale), stale, wantStale, want)
	}
	if n := fmt.Sprint(len(snap.Feed.NotLiveToday)); n != again.metric(t, "callboard_feed_not_live_today") {
		t.Errorf("the snapshot beside the writer has %s stretches not live %+v, the writer %s", n, snap.Feed.NotLiveToday, again.metric(t, "callboard_feed_not_live_today"))
	}
	for _, s := range snap.Feed.NotLiveToday {
		if s.To == nil {
			t.Errorf("the snapshot beside the writer says the day is not live since %v", s.From)
		}
	}
}
