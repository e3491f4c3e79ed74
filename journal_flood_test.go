package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"syscall"
	"testing"
	"time"

	"callboard/sim"
)

// floodCalls is n updates (n a multiple of 5) of calls answered one after
// the other, in queues 391 and 1024 by agents 101 to 104.
func floodCalls(first, n int) []sim.Event {
	evs := make([]sim.Event, 0, n)
	for c := first; len(evs) < n; c++ {
		queue := []int{391, 1024}[c%2]
		evs = append(evs, answered(c, queue, 101+c%4)...)
	}
	return evs
}

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

// TestAFloodAcrossARestartLosesNoLine: a headless board writing the
// journal sees 150,000 updates and is killed (-9); started again, it
// replays them while the server floods it with 150,000 more, which it
// takes as fast as it can once the replay is done. The journal holds every
// update once, in order, nothing was dropped, and the counters are those of
// a run that saw the 300,000 updates without a restart.
func TestAFloodAcrossARestartLosesNoLine(t *testing.T) {
	bin := theBinary(t)
	const half = 150_000
	first, second := floodCalls(0, half), floodCalls(half/5, half)

	whole := startStreamingSim(t)
	want := runSnapshotWhile(t, bin, writeProtocolConfig(t, whole.URL(), "v4"), whole, 2*half, func() {
		pushAll(whole, first)
		pushAll(whole, second)
	})
	if want.Totals.Answered != 2*half/5 {
		t.Fatalf("the uninterrupted run answered %d calls, want %d", want.Totals.Answered, 2*half/5)
	}

	srv := startStreamingSim(t)
	cfg := writeProtocolConfig(t, srv.URL(), "v4")
	journal := filepath.Join(filepath.Dir(cfg), "journal")
	killed := startMetrics(t, bin, cfg)
	waitStreaming(t, srv, 1)
	last := pushAll(srv, first)
	eventually(t, 60*time.Second, "the first half in the journal", func() bool {
		return journalEndHolds(journal, fmt.Sprintf(`"cpt":%d,`, last))
	}, func() string { return killed.page(t) })
	killed.cmd.Process.Signal(syscall.SIGKILL)
	killed.cmd.Wait()
	waitStreaming(t, srv, 0)

	// started again, the flood comes as soon as it streams, its replay
	// under way
	again := startMetrics(t, bin, cfg)
	waitStreaming(t, srv, 1)
	last = pushAll(srv, second)
	eventually(t, 120*time.Second, "the second half in the journal", func() bool {
		return journalEndHolds(journal, fmt.Sprintf(`"cpt":%d,`, last))
	}, func() string { return again.page(t) + again.stderr.String() })
	for _, q := range want.Queues {
		answered := fmt.Sprintf(`callboard_queue_answered_today{queue=%q,queue_id=%q}`, q.Name, q.ID)
		eventually(t, 60*time.Second, "queue "+q.ID+"'s answered calls of the whole flood", func() bool {
			return again.metric(t, answered) == fmt.Sprint(q.Answered)
		}, func() string { return again.page(t) })
	}
	if d, w := again.metric(t, "callboard_journal_dropped_lines_total"), again.metric(t, "callboard_journal_writing"); d != "0" || w != "1" {
		t.Errorf("after the restart: %s journal lines dropped, journal_writing %s; want 0 and 1\n%s", d, w, again.stderr.String())
	}
	again.cmd.Process.Signal(syscall.SIGTERM)
	again.cmd.Wait()

	cpts := journalCpts(t, journal)
	if len(cpts) != 2*half {
		t.Errorf("%d updates in the journal, want %d", len(cpts), 2*half)
	}
	for i, c := range cpts {
		if c != i+1 {
			t.Fatalf("update %d of the journal has cpt %d, want %d: a line lost or out of order", i+1, c, i+1)
		}
	}
}
