package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"syscall"
	"testing"
	"time"

	"callboard/internal/testkit"
	"callboard/internal/testkit/nodepeer"
	"callboard/state"
)

// journalEndHolds reports whether the end of the newest day file below dir
// holds text.
func journalEndHolds(dir, text string) bool {
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.jsonl"))
	if len(files) == 0 {
		return false
	}
	sort.Strings(files)
	f, err := os.Open(files[len(files)-1])
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return false
	}
	end := make([]byte, min(st.Size(), 64<<10))
	n, _ := f.ReadAt(end, st.Size()-int64(len(end)))
	return bytes.Contains(end[:n], []byte(text))
}

var cptInLine = regexp.MustCompile(`"cpt":(\d+),`)

// journalCpts lists the cpt of every update line of the day files below
// dir, in the order of the files and their lines.
func journalCpts(t *testing.T, dir string) []int {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.jsonl"))
	sort.Strings(files)
	var cpts []int
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if !bytes.Contains(sc.Bytes(), []byte(`"kind":"update"`)) {
				continue
			}
			if m := cptInLine.FindSubmatch(sc.Bytes()); m != nil {
				n, _ := strconv.Atoi(string(m[1]))
				cpts = append(cpts, n)
			}
		}
		f.Close()
	}
	return cpts
}

// floodDirectory is what the official server's stand-in answers to the
// login in TestAFloodAcrossARestartLosesNoLine: the queues and agents of
// its /control/flood.
const floodDirectory = `{
 "ops": [{"id": 101, "nom": "Agent 101", "groupes": [391, 1024]}, {"id": 102, "nom": "Agent 102", "groupes": [391, 1024]},
  {"id": 103, "nom": "Agent 103", "groupes": [391, 1024]}, {"id": 104, "nom": "Agent 104", "groupes": [391, 1024]}],
 "groupes": [{"id": 391, "nom": "Support"}, {"id": 1024, "nom": "Ventes"}],
 "trunks": [], "pauses": [], "target": 5207
}`

// TestAFloodAcrossARestartLosesNoLine: a headless board writing the
// journal sees 150,000 updates from the official Node Socket.IO server and
// is killed (-9) once they are journaled; started again, it replays them
// while the server floods it with 150,000 more as soon as it streams. The
// journal holds every update once, in order, nothing was dropped, and the
// counters are those of a run that saw the 300,000 updates from the same
// server without a restart.
func TestAFloodAcrossARestartLosesNoLine(t *testing.T) {
	bin := testkit.Binary(t)
	nodepeer.Require(t)
	directory := nodepeer.Directory(t, floodDirectory)
	for _, g := range nodepeer.Generations {
		t.Run(g.Name(), func(t *testing.T) {
			t.Parallel()
			floodAcrossARestart(t, bin, g, directory)
		})
	}
}

// floodAcrossARestart is TestAFloodAcrossARestartLosesNoLine on the
// official server g, whose login answers directory (Start's environment
// entry).
func floodAcrossARestart(t *testing.T, bin string, g nodepeer.Generation, directory string) {
	// The server generates the calls (/control/flood), in lines of about
	// 1 KB: the 4 MB the journal queues are a few thousand, which the
	// restarted board, catching up on what came during its replay, hands it
	// faster than the writer's pace (a write every 50 ms).
	const half, pad = 150_000, 800
	const n = 2 * half
	firstHalf := func(srv *nodepeer.Server) int64 { return srv.Flood(t, half, 0, pad) }
	secondHalf := func(srv *nodepeer.Server) int64 { return srv.Flood(t, half, half/5, pad) }
	start := func() *nodepeer.Server {
		// the official server's own heartbeat: a client busy with a flood
		// answers the ping late, and must not be cut off for it
		return nodepeer.Start(t, g.Major, "pw", "QUIET=1", directory, "PING=25000,20000")
	}

	t0 := time.Now()
	whole := start()
	want := runSnapshotBeside(t, bin, writeProtocolConfig(t, whole.URL, g.Protocol), func() int { return whole.Stats(t).Streaming }, n, func() {
		firstHalf(whole)
		secondHalf(whole)
	})
	if want.Totals.Answered != n/5 {
		t.Fatalf("the uninterrupted run answered %d calls, want %d; the server: %+v", want.Totals.Answered, n/5, whole.Stats(t))
	}
	t.Logf("uninterrupted run: %v", time.Since(t0))

	srv := start()
	cfg := writeProtocolConfig(t, srv.URL, g.Protocol)
	journal := filepath.Join(filepath.Dir(cfg), "journal")
	killed := startMetrics(t, bin, cfg)
	srv.WaitStreaming(t, 1)
	last := firstHalf(srv)
	t.Logf("first half sent: %v", time.Since(t0))
	const dropped = "callboard_journal_dropped_lines_total"
	// (or lines dropped: no use waiting then)
	testkit.Eventually(t, "the first half in the journal", func() bool {
		return journalEndHolds(journal, fmt.Sprintf(`"cpt":%d,`, last)) || killed.metric(t, dropped) != "0"
	}, func() string { return killed.page(t) })
	if d := killed.metric(t, dropped); d != "0" {
		t.Fatalf("before the kill: %s journal lines dropped, want 0", d)
	}
	killed.cmd.Process.Signal(syscall.SIGKILL)
	killed.cmd.Wait()
	srv.WaitStreaming(t, 0)
	t.Logf("first half journaled, killed: %v", time.Since(t0))

	// started again, the flood comes as soon as it streams, its replay
	// under way
	again := startMetrics(t, bin, cfg)
	srv.WaitStreaming(t, 1)
	last = secondHalf(srv)
	t.Logf("second half sent: %v", time.Since(t0))
	testkit.Eventually(t, "the second half in the journal", func() bool {
		return journalEndHolds(journal, fmt.Sprintf(`"cpt":%d,`, last)) || again.metric(t, dropped) != "0"
	}, func() string {
		return fmt.Sprintf("%s%s\nthe server: %+v", again.page(t), again.stderr.String(), srv.Stats(t))
	})
	t.Logf("second half journaled: %v", time.Since(t0))
	if d, w := again.metric(t, dropped), again.metric(t, "callboard_journal_writing"); d != "0" || w != "1" {
		t.Fatalf("after the restart: %s journal lines dropped, journal_writing %s; want 0 and 1\n%s", d, w, again.stderr.String())
	}
	for _, q := range want.Queues {
		answered := fmt.Sprintf(`callboard_queue_answered_today{queue=%q,queue_id=%q}`, q.Name, q.ID)
		abandoned := fmt.Sprintf(`callboard_queue_abandoned_today{queue=%q,queue_id=%q}`, q.Name, q.ID)
		testkit.Eventually(t, "queue "+q.ID+"'s calls of the whole flood", func() bool {
			return again.metric(t, answered) == fmt.Sprint(q.Answered) && again.metric(t, abandoned) == fmt.Sprint(q.Abandoned)
		}, func() string { return again.page(t) })
	}
	if st := srv.Stats(t); st.LostStreams != 1 {
		t.Errorf("the server lost %d streams (the last: %s), want 1: the writer killed", st.LostStreams, st.LastLoss)
	}
	again.cmd.Process.Signal(syscall.SIGTERM)
	again.cmd.Wait()

	// the day the journal keeps is the uninterrupted run's
	days, _ := filepath.Glob(filepath.Join(journal, "*", "*.jsonl"))
	if len(days) != 1 {
		t.Fatalf("day files %v, want one", days)
	}
	replay := exec.Command(bin, "replay", "--snapshot", "--config", cfg, days[0])
	replay.Env = append(os.Environ(), "CALLBOARD_TEST_PASSWORD=pw")
	var errs bytes.Buffer
	replay.Stderr = &errs
	out, err := replay.Output()
	var replayed state.Snapshot
	if err == nil {
		err = json.Unmarshal(out, &replayed)
	}
	if err != nil {
		t.Fatalf("replay --snapshot: %v: %s", err, errs.String())
	}
	if got, w := countersOf(replayed), countersOf(want); !sameCounters(got, w) {
		t.Errorf("the journal's day: %+v\nthe uninterrupted run's: %+v", got, w)
	}

	cpts := journalCpts(t, journal)
	if len(cpts) != n {
		t.Errorf("%d updates in the journal, want %d", len(cpts), n)
	}
	for i, c := range cpts {
		if c != i+1 {
			t.Fatalf("update %d of the journal has cpt %d, want %d: a line lost or out of order", i+1, c, i+1)
		}
	}
	t.Logf("done: %v", time.Since(t0))
}
