package cli

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"callboard/internal/testkit"
	"callboard/internal/testkit/simtest"
	"callboard/internal/testkit/testproc"
)

// metricsProcess is a running `callboard metrics` and the page it serves.
type metricsProcess struct {
	cmd    *exec.Cmd
	url    string
	stderr *lockedBuffer
}

// startMetrics runs `callboard metrics` with args and waits for its
// address.
func startMetrics(t *testing.T, bin, cfg string, args ...string) *metricsProcess {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"metrics", "--config", cfg, "--listen", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "CALLBOARD_TEST_PASSWORD=pw")
	p := &metricsProcess{cmd: cmd, stderr: &lockedBuffer{}}
	cmd.Stderr = p.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Wait() }) // after testproc's cleanup, which kills
	if err := testproc.Start(t, cmd); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("metrics said no address: %v\n%s", err, p.stderr.String())
	}
	go io.Copy(io.Discard, out)
	_, p.url, _ = strings.Cut(strings.TrimSpace(line), ": ")
	return p
}

// page is what p serves on /metrics.
func (p *metricsProcess) page(t *testing.T) string {
	t.Helper()
	resp, err := http.Get(p.url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}

// metric is the value of the line of the page that starts with name, ""
// when none does.
func (p *metricsProcess) metric(t *testing.T, name string) string {
	t.Helper()
	for _, line := range strings.Split(p.page(t), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return v
		}
	}
	return ""
}

// TestOneWriterManyReaders: a second process on the account's journal says
// another one writes it, shows so on /metrics, and still has the day from
// it; one with --no-journal neither reads nor writes it; a snapshot reads it
// and leaves it as it was.
func TestOneWriterManyReaders(t *testing.T) {
	t.Parallel()
	bin := testkit.Binary(t)
	srv := startStreamingSim(t)
	cfg := writeProtocolConfig(t, srv.URL(), "v4")
	journal := filepath.Join(filepath.Dir(cfg), "journal")

	writer := startMetrics(t, bin, cfg)
	simtest.WaitStreaming(t, srv, 1)
	last := pushAll(srv, callsFirstHalf())
	testkit.Eventually(t, "the first half in the journal", func() bool {
		return journalHolds(journal, `"cpt":`+strconv.FormatInt(last, 10)+`,`)
	})
	if w := writer.metric(t, "callboard_journal_writing"); w != "1" {
		t.Errorf("the writer shows callboard_journal_writing %q, want 1", w)
	}

	second := startMetrics(t, bin, cfg)
	testkit.Eventually(t, "the second process's answered calls from the journal", func() bool {
		return second.metric(t, `callboard_queue_answered_today{queue="Support",queue_id="391"}`) == "1"
	}, func() string { return second.page(t) })
	if w, d := second.metric(t, "callboard_journal_writing"), second.metric(t, "callboard_journal_dropped_lines_total"); w != "0" || d != "0" {
		t.Errorf("the second process shows callboard_journal_writing %q and %q lines dropped, want 0 and 0: the other one keeps them", w, d)
	}
	// said by the journal's watcher, which may come after the page shows the day
	testkit.Eventually(t, "the second process saying another one writes the journal", func() bool {
		return strings.Contains(second.stderr.String(), "another process writes it")
	}, func() string { return second.stderr.String() })

	none := startMetrics(t, bin, cfg, "--no-journal")
	simtest.WaitStreaming(t, srv, 3)
	if w := none.metric(t, "callboard_journal_writing"); w != "" {
		t.Errorf("--no-journal shows callboard_journal_writing %q", w)
	}
	if a := none.metric(t, `callboard_queue_answered_today{queue="Support",queue_id="391"}`); a != "" && a != "0" {
		t.Errorf("--no-journal has %s answered calls from a journal it should not read", a)
	}
	if e := none.stderr.String(); strings.Contains(e, "journal") {
		t.Errorf("--no-journal speaks of the journal:\n%s", e)
	}

	for _, p := range []*metricsProcess{writer, second, none} {
		p.cmd.Process.Signal(syscall.SIGTERM)
		p.cmd.Wait()
	}
	simtest.WaitStreaming(t, srv, 0) // so that what is pushed next goes to the snapshot
	before := dayFileBytes(t, journal)
	snap := runSnapshotWhile(t, bin, cfg, srv, 1, func() { pushAll(srv, callsSecondHalf()[:1]) })
	if j := snap.Feed.Journal; !j.On || j.Writing || j.Replayed == 0 {
		t.Errorf("the snapshot's journal %+v, want read, not written", j)
	}
	if after := dayFileBytes(t, journal); !bytes.Equal(before, after) {
		t.Errorf("the snapshot wrote to the journal:\n%s", after[len(before):])
	}
}

// dayFileBytes is the content of the one day file below dir.
func dayFileBytes(t *testing.T, dir string) []byte {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.jsonl"))
	if len(files) != 1 {
		t.Fatalf("day files %v, want one", files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	return b
}
