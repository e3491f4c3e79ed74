package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"callboard/internal/testkit"
	"callboard/internal/testkit/simtest"
	"callboard/internal/testkit/testproc"
	"callboard/sim"
	"callboard/state"
)

// The day's calls, in two halves: calls answered and abandoned in queue
// 391 and 1024 by agents 101 to 104, and call 5 inserted in the first half
// and answered in the second, across the restart.
func callsFirstHalf() []sim.Event {
	var evs []sim.Event
	for _, a := range []int{101, 102, 103, 104} {
		evs = append(evs, sim.Event{Type: "UI", Name: "login", Msg: map[string]any{"id_operator": a, "supp": ""}})
	}
	evs = append(evs, answered(1, 391, 101)...)
	evs = append(evs, abandoned(2, 391)...)
	evs = append(evs, answered(3, 1024, 102)...)
	evs = append(evs, inserted(5, 391))
	return evs
}

func callsSecondHalf() []sim.Event {
	evs := []sim.Event{
		{Type: "queue", Name: "connect_call", Msg: map[string]any{"id_call": 5, "id_queue": 391, "id_operator": 103, "status": "connected"}},
		{Type: "queue", Name: "delete_call", Msg: map[string]any{"id_call": 5, "id_queue": 391}},
	}
	evs = append(evs, answered(6, 1024, 104)...)
	evs = append(evs, abandoned(7, 1024)...)
	evs = append(evs, answered(8, 391, 101)...)
	return evs
}

func inserted(call, queue int) sim.Event {
	return sim.Event{Type: "queue", Name: "insert_call", Msg: map[string]any{"id_call": call, "id_queue": queue, "caller_id_num": "33612345678", "duration_in_queue": 0}}
}

func answered(call, queue, agent int) []sim.Event {
	return []sim.Event{
		inserted(call, queue),
		{Type: "operator", Name: "status", Msg: map[string]any{"id_operator": agent, "status": "connected", "id_call": call, "id_queue": queue}},
		{Type: "queue", Name: "connect_call", Msg: map[string]any{"id_call": call, "id_queue": queue, "id_operator": agent, "status": "connected"}},
		{Type: "queue", Name: "delete_call", Msg: map[string]any{"id_call": call, "id_queue": queue}},
		{Type: "operator", Name: "status", Msg: map[string]any{"id_operator": agent, "status": "available"}},
	}
}

func abandoned(call, queue int) []sim.Event {
	return []sim.Event{inserted(call, queue), {Type: "queue", Name: "delete_call", Msg: map[string]any{"id_call": call, "id_queue": queue}}}
}

// counters are the figures of a day that a restart must not lose.
type counters struct {
	Answered, Abandoned int
	Queues              map[string][2]int // answered, abandoned
	Agents              map[string]int    // answered
}

func countersOf(s state.Snapshot) counters {
	c := counters{Answered: s.Totals.Answered, Abandoned: s.Totals.Abandoned, Queues: map[string][2]int{}, Agents: map[string]int{}}
	for _, q := range s.Queues {
		c.Queues[q.ID] = [2]int{q.Answered, q.Abandoned}
	}
	for _, a := range s.Agents {
		c.Agents[a.ID] = a.Today.Answered
	}
	return c
}

// TestKilledAndStartedAgainTheDayIsKept: callboard (headless metrics,
// journaling) sees the first half of the day's calls and is killed (-9);
// started again, it takes its journal back, replays it and sees the second
// half. Its counters, and then those of a snapshot that reads the journal,
// are those of a run that saw the whole day, and the snapshot says which
// stretches were not seen. Both protocols.
func TestKilledAndStartedAgainTheDayIsKept(t *testing.T) {
	bin := testkit.Binary(t)
	for _, protocol := range []string{"v4", "v2"} {
		t.Run(protocol, func(t *testing.T) {
			t.Parallel()
			first, second := callsFirstHalf(), callsSecondHalf()

			// the run that sees the whole day
			whole := startStreamingSim(t)
			cfg := writeProtocolConfig(t, whole.URL(), protocol)
			want := runSnapshotWhile(t, bin, cfg, whole, len(first)+len(second), func() {
				pushAll(whole, first)
				pushAll(whole, second)
			})

			srv := startStreamingSim(t)
			cfg = writeProtocolConfig(t, srv.URL(), protocol)
			metrics := exec.Command(bin, "metrics", "--config", cfg, "--listen", "127.0.0.1:0")
			metrics.Env = append(os.Environ(), "CALLBOARD_TEST_PASSWORD=pw")
			t.Cleanup(func() { metrics.Wait() }) // after testproc's cleanup, which kills
			if err := testproc.Start(t, metrics); err != nil {
				t.Fatal(err)
			}
			simtest.WaitStreaming(t, srv, 1)
			last := pushAll(srv, first)
			journal := filepath.Join(filepath.Dir(cfg), "journal")
			testkit.Eventually(t, "the first half in the journal", func() bool {
				return journalHolds(journal, fmt.Sprintf(`"cpt":%d,`, last))
			})
			metrics.Process.Signal(syscall.SIGKILL)
			metrics.Wait()
			simtest.WaitStreaming(t, srv, 0)

			// started again, it takes the journal back, replays it and
			// sees the second half: its counters are the whole day's
			again := startMetrics(t, bin, cfg)
			simtest.WaitStreaming(t, srv, 1)
			last = pushAll(srv, second)
			for _, q := range want.Queues {
				answered := fmt.Sprintf(`callboard_queue_answered_today{queue=%q,queue_id=%q}`, q.Name, q.ID)
				abandoned := fmt.Sprintf(`callboard_queue_abandoned_today{queue=%q,queue_id=%q}`, q.Name, q.ID)
				testkit.Eventually(t, "queue "+q.ID+"'s counters of the whole day after the restart", func() bool {
					return again.metric(t, answered) == fmt.Sprint(q.Answered) && again.metric(t, abandoned) == fmt.Sprint(q.Abandoned)
				}, func() string { return again.page(t) })
			}
			if w := again.metric(t, "callboard_journal_writing"); w != "1" {
				t.Errorf("the restarted process does not write the journal: callboard_journal_writing %q\n%s", w, again.stderr.String())
			}
			testkit.Eventually(t, "the second half in the journal", func() bool {
				return journalHolds(journal, fmt.Sprintf(`"cpt":%d,`, last))
			})
			again.cmd.Process.Signal(syscall.SIGTERM)
			again.cmd.Wait()
			simtest.WaitStreaming(t, srv, 0)

			// and a snapshot, which reads the journal, says the same
			late := inserted(9, 391)
			got := runSnapshotWhile(t, bin, cfg, srv, 1, func() { srv.Push(late) })
			if g, w := countersOf(got), countersOf(want); !sameCounters(g, w) {
				t.Errorf("after kill -9 and restart: %+v\nwhole day: %+v", g, w)
			}
			if got.Totals.Answered != 5 || got.Totals.Abandoned != 2 {
				t.Errorf("%d answered, %d abandoned, want 5 and 2", got.Totals.Answered, got.Totals.Abandoned)
			}
			if n := len(got.Feed.NotLiveToday); n != 2 || got.Feed.NotLiveToday[0].To == nil {
				t.Errorf("not live today: %+v, want the stretches between the kill and the restart, and since the second process stopped", got.Feed.NotLiveToday)
			}
			if j := got.Feed.Journal; !j.On || j.Replayed == 0 {
				t.Errorf("journal %+v, want it read", j)
			}
		})
	}
}

func sameCounters(a, b counters) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

// startStreamingSim is a simulator that sends only what the test pushes.
func startStreamingSim(t *testing.T) *sim.Server {
	t.Helper()
	return simtest.Start(t, sim.Options{Seed: 1, NoTraffic: true, AllowEIO3: true, Login: sim.DefaultLogin, Password: "pw"})
}

func writeProtocolConfig(t *testing.T, url, protocol string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	body := fmt.Sprintf("[axialys]\nurl = %q\nlogin = %q\npassword_env = \"CALLBOARD_TEST_PASSWORD\"\nprotocol = %q\n[journal]\ndir = %q\n",
		url, sim.DefaultLogin, protocol, filepath.Join(dir, "journal"))
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// pushAll streams evs and returns the cpt of the last.
func pushAll(srv *sim.Server, evs []sim.Event) int64 {
	var last int64
	for _, ev := range evs {
		last = srv.Push(ev).Cpt
	}
	return last
}

// journalHolds reports whether a day file of the journal below dir holds
// text.
func journalHolds(dir, text string) bool {
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.jsonl"))
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil && strings.Contains(string(b), text) {
			return true
		}
	}
	return false
}

// runSnapshotWhile runs `callboard snapshot` for n events, doing push once
// it streams (beside the clients streaming already), and returns its
// snapshot.
func runSnapshotWhile(t *testing.T, bin, cfg string, srv *sim.Server, n int, push func()) state.Snapshot {
	t.Helper()
	return runSnapshotBeside(t, bin, cfg, func() int { return srv.Stats().Streaming }, n, push)
}

// runSnapshotBeside is runSnapshotWhile on any server that says how many
// clients it streams to.
func runSnapshotBeside(t *testing.T, bin, cfg string, streamingNow func() int, n int, push func()) state.Snapshot {
	t.Helper()
	streaming := streamingNow()
	cmd := exec.Command(bin, "snapshot", "--config", cfg, "--events", fmt.Sprint(n), "--wait", "1m", "--timeout", "60s")
	cmd.Env = append(os.Environ(), "CALLBOARD_TEST_PASSWORD=pw")
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := testproc.Start(t, cmd); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, fmt.Sprintf("%d streaming clients", streaming+1), func() bool { return streamingNow() == streaming+1 })
	push()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("snapshot: %v\n%s", err, errs.String())
	}
	var snap state.Snapshot
	if err := json.Unmarshal(out.Bytes(), &snap); err != nil {
		t.Fatalf("snapshot output: %v\n%s", err, out.String())
	}
	return snap
}

// TestTheDemoKeepsNoJournal: --demo neither reads nor writes a journal.
func TestTheDemoKeepsNoJournal(t *testing.T) {
	if code, out, errs := runCommand("snapshot", "--demo", "--wait", "100ms"); code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	} else if !strings.Contains(out, `"on": false`) {
		t.Errorf("the demo's snapshot says a journal is on:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(os.Getenv("XDG_STATE_HOME"), "callboard")); !os.IsNotExist(err) {
		t.Errorf("the demo touched the state directory: %v", err)
	}
}
