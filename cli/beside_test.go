package cli

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"

	"callboard/internal/testkit"
	"callboard/internal/testkit/simtest"
	"callboard/sim"
)

// TestBesideALiveWriterTheDayIsTheWriters: a headless writer (metrics)
// sees agents, an outage of the server, and is killed (-9) and started
// again; only the agents it heard of since its restart are not stale. A
// snapshot then taken beside it, while it writes, and a second headless
// process, which finds the journal locked, have the same stale set and
// the same stretches not live as the writer's /metrics: their own
// start-up is no outage. The writer killed again, the second process
// takes the journal over, and a snapshot beside it says what it says.
func TestBesideALiveWriterTheDayIsTheWriters(t *testing.T) {
	t.Parallel()
	bin := testkit.Binary(t)
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
		testkit.Eventually(t, what+" in the journal", func() bool {
			return journalHolds(journal, `"cpt":`+strconv.FormatInt(cpt, 10)+`,`)
		})
	}

	writer := startMetrics(t, bin, cfg)
	simtest.WaitStreaming(t, srv, 1)
	var login []sim.Event
	for _, a := range agents[:4] {
		login = append(login, sim.Event{Type: "UI", Name: "login", Msg: map[string]any{"id_operator": a, "supp": ""}})
	}
	inJournal("the logins", pushAll(srv, login))
	srv.DisconnectAll()
	testkit.Eventually(t, "the writer's new stream after the server's outage", func() bool { return srv.Stats().InitsAccepted == 2 })
	// live again with the first update of its new stream
	inJournal("the agents heard of after the outage", pushAll(srv, []sim.Event{status(agents[0]), status(agents[1]), status(agents[2])}))
	testkit.Eventually(t, "the writer live again after the server's outage", func() bool {
		return writer.metric(t, "callboard_feed_reconnects_total") == "1"
	}, func() string { return writer.page(t) })
	writer.cmd.Process.Signal(syscall.SIGKILL)
	writer.cmd.Wait()
	simtest.WaitStreaming(t, srv, 0)

	again := startMetrics(t, bin, cfg)
	simtest.WaitStreaming(t, srv, 1)
	inJournal("the agents heard of after the restart", pushAll(srv, []sim.Event{status(agents[0]), status(agents[1])}))
	wantStale := fmt.Sprint(len(agents) - 2)
	testkit.Eventually(t, "the writer's stale agents and stretches not live", func() bool {
		return again.metric(t, "callboard_agents_stale") == wantStale && again.metric(t, "callboard_feed_not_live_today") == "2"
	}, func() string { return again.page(t) })

	// A snapshot beside it, which hears of one more agent, as the writer
	// does, says what the writer says.
	heard := 2 // agents[:heard] were heard of since the restart
	sameAsWriter := func(who string, writer *metricsProcess) {
		t.Helper()
		ev := status(agents[heard])
		snap := runSnapshotWhile(t, bin, cfg, srv, 1, func() { srv.Push(ev) })
		heard++
		wantStale := fmt.Sprint(len(agents) - heard)
		testkit.Eventually(t, who+"'s stale agents after one more", func() bool {
			return writer.metric(t, "callboard_agents_stale") == wantStale
		}, func() string { return writer.page(t) })
		var stale, want []string
		for _, a := range snap.Agents {
			if a.Stale {
				stale = append(stale, a.ID)
			}
		}
		for _, a := range agents[heard:] {
			want = append(want, fmt.Sprint(a))
		}
		slices.Sort(stale)
		slices.Sort(want)
		if !slices.Equal(stale, want) {
			t.Errorf("the snapshot beside %s has %d stale agents %v\nwant the writer's %s: %v", who, len(stale), stale, wantStale, want)
		}
		if n, w := fmt.Sprint(len(snap.Feed.NotLiveToday)), writer.metric(t, "callboard_feed_not_live_today"); n != w || w != "2" {
			t.Errorf("the snapshot beside %s has %s stretches not live %+v, the writer %s, want 2", who, n, snap.Feed.NotLiveToday, w)
		}
		for _, s := range snap.Feed.NotLiveToday {
			if s.To == nil {
				t.Errorf("the snapshot beside %s says the day is not live since %v", who, s.From)
			}
		}
	}
	sameAsWriter("the writer", again)

	// A second headless process beside the writer, which finds the journal
	// locked, has the writer's stale agents and stretches not live too.
	second := startMetrics(t, bin, cfg)
	simtest.WaitStreaming(t, srv, 2)
	// its first update makes it live; the writer's last line, when it is
	// killed, is the second one, which it saw live
	for range 2 {
		inJournal("an agent heard of beside the second process", srv.Push(status(agents[heard])).Cpt)
		heard++
		wantStale = fmt.Sprint(len(agents) - heard)
		for _, p := range []*metricsProcess{again, second} {
			testkit.Eventually(t, "the stale agents of both processes", func() bool {
				return p.metric(t, "callboard_agents_stale") == wantStale && p.metric(t, "callboard_feed_not_live_today") == "2" && p.metric(t, "callboard_feed_up") == "1"
			}, func() string { return p.page(t) })
		}
	}

	// The writer killed, the second process takes the journal over; it saw
	// all that came since: its board, and a snapshot's, have no stretch
	// not live there.
	again.cmd.Process.Signal(syscall.SIGKILL)
	again.cmd.Wait()
	simtest.WaitStreaming(t, srv, 1)
	testkit.Eventually(t, "the second process writing the journal", func() bool {
		return second.metric(t, "callboard_journal_writing") == "1"
	}, func() string { return second.stderr.String() })
	sameAsWriter("the process that took the journal over", second)
}
