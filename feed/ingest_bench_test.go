package feed

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"callboard/internal/testkit"
	"callboard/internal/testkit/nodepeer"
	"callboard/internal/testkit/testproc"
)

// BenchmarkIngest measures whole processes, side by side: `callboard
// snapshot --events N` (login, Socket.IO, decoding, the hub's board, JSON
// out) and the official Node socket.io-client counting the same stream
// (internal/testkit/nodepeer/node/count-updates.js), each against the official Node
// socket.io server of its generation blasting N updates to every socket
// that inits (internal/testkit/nodepeer's standin.js with BLAST=N). One iteration is one
// pair of runs, in alternating order (at least minIngestPairs, whatever
// -benchtime says); the medians over the pairs are
// reported, with Node's CPU ÷ callboard's. CPU is user + system time of the
// whole process (startup included), from the kernel's accounting.
//
//	go test -run '^$' -bench Ingest -benchtime 5x ./feed/ [-ingest.n 200000]
//
// bench/ingest runs it as the README's figures were measured.
func BenchmarkIngest(b *testing.B) {
	bin := testkit.Binary(b)
	for _, g := range []struct {
		major    int
		protocol string
	}{{4, ProtocolV4}, {2, ProtocolV2}} {
		b.Run(fmt.Sprintf("socket.io@%d", g.major), func(b *testing.B) {
			n := *ingestN
			srv := nodepeer.StartOn(b, g.major, "secret", 0, fmt.Sprintf("BLAST=%d", n))
			client := nodepeer.Packages(b, fmt.Sprintf("socket.io-client-%d", g.major), fmt.Sprintf("socket.io-client@%d", g.major))
			config := filepath.Join(b.TempDir(), "callboard.toml")
			body := fmt.Sprintf("[axialys]\nurl = %q\nlogin = \"demo\"\npassword_env = \"CALLBOARD_PASSWORD\"\nprotocol = %q\n", srv.URL, g.protocol)
			if err := os.WriteFile(config, []byte(body), 0o600); err != nil {
				b.Fatal(err)
			}
			ours := func() run {
				return runIngest(b, n, exec.Command(bin, "snapshot", "--config", config, "--events", fmt.Sprint(n), "--wait", "10m", "--timeout", "60s"), checkSnapshot)
			}
			theirs := func() run {
				cmd := exec.Command("node", nodepeer.Script(b, "count-updates.js"), srv.URL, "demo", fmt.Sprint(n))
				cmd.Env = append(cmd.Environ(), "NODE_PATH="+client)
				return runIngest(b, n, cmd, checkCount)
			}
			var cb, node []run
			pair := func() {
				if len(cb)%2 == 0 {
					cb, node = append(cb, ours()), append(node, theirs())
				} else {
					node, cb = append(node, theirs()), append(cb, ours())
				}
			}
			for b.Loop() {
				pair()
			}
			for len(cb) < minIngestPairs { // a median of fewer says little
				pair()
			}
			c, o := medianRun(cb), medianRun(node)
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(c.cpu.Seconds(), "callboard-cpu-s")
			b.ReportMetric(o.cpu.Seconds(), "node-cpu-s")
			b.ReportMetric(o.cpu.Seconds()/c.cpu.Seconds(), "cpu-ratio")
			b.ReportMetric(c.wall.Seconds(), "callboard-wall-s")
			b.ReportMetric(o.wall.Seconds(), "node-wall-s")
			b.Logf("%d updates, %d pairs, medians: callboard wall %.2f s CPU %.2f s; Node client wall %.2f s CPU %.2f s; Node CPU ÷ callboard CPU %.2f",
				n, len(cb), c.wall.Seconds(), c.cpu.Seconds(), o.wall.Seconds(), o.cpu.Seconds(), o.cpu.Seconds()/c.cpu.Seconds())
		})
	}
}

var ingestN = flag.Int("ingest.n", 200_000, "updates per run of BenchmarkIngest")

// minIngestPairs is the fewest pairs of runs BenchmarkIngest takes its
// medians of, whatever -benchtime says.
const minIngestPairs = 5

type run struct{ wall, cpu time.Duration }

// runIngest runs cmd to its end and returns its wall and CPU time; check
// says whether its output shows the n updates received.
func runIngest(b *testing.B, n int, cmd *exec.Cmd, check func(out []byte, n int) error) run {
	b.Helper()
	cmd.Env = append(cmd.Environ(), "CALLBOARD_PASSWORD=secret")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	out, err := cmd.Output()
	wall := time.Since(start)
	if err != nil {
		b.Fatalf("%s: %v\n%s", cmd.Args[0], err, stderr.String())
	}
	if err := check(out, n); err != nil {
		b.Fatalf("%s: %v", filepath.Base(cmd.Args[0]), err)
	}
	st := cmd.ProcessState
	return run{wall: wall, cpu: st.UserTime() + st.SystemTime()}
}

// checkSnapshot: every update applied, none rejected, no gap in cpt.
func checkSnapshot(out []byte, n int) error {
	var snap struct {
		Feed struct {
			Events   int `json:"events"`
			Rejected int `json:"rejected"`
			Gaps     int `json:"gaps"`
		} `json:"feed"`
	}
	if err := json.Unmarshal(out, &snap); err != nil {
		return fmt.Errorf("not a snapshot: %v", err)
	}
	if f := snap.Feed; f.Events != n || f.Rejected != 0 || f.Gaps != 0 {
		return fmt.Errorf("%d events, %d rejected, %d gaps; want %d, none, none", f.Events, f.Rejected, f.Gaps, n)
	}
	return nil
}

func checkCount(out []byte, n int) error {
	var count struct{ Events int }
	if err := json.Unmarshal(out, &count); err != nil || count.Events != n {
		return fmt.Errorf("counted %s, want %d events", out, n)
	}
	return nil
}

func medianRun(runs []run) run {
	walls, cpus := make([]time.Duration, len(runs)), make([]time.Duration, len(runs))
	for i, r := range runs {
		walls[i], cpus[i] = r.wall, r.cpu
	}
	return run{wall: median(walls), cpu: median(cpus)}
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	if len(d)%2 == 1 {
		return d[len(d)/2]
	}
	return (d[len(d)/2-1] + d[len(d)/2]) / 2
}

// BenchmarkJournalCost measures what keeping the journal adds to ingest,
// whole processes side by side: `callboard metrics` (the headless board)
// with its journal and with --no-journal, alternating, on the official
// socket.io 4.x server blasting N updates; each run ends when the board
// has counted them (its /metrics, scraped every 20 ms by both alike).
//
//	go test -run '^$' -bench JournalCost -benchtime 5x ./feed/ [-ingest.n 200000]
func BenchmarkJournalCost(b *testing.B) {
	bin := testkit.Binary(b)
	n := *ingestN
	srv := nodepeer.StartOn(b, 4, "secret", 0, fmt.Sprintf("BLAST=%d", n))
	dir := b.TempDir()
	runBoard := func(journal bool) run {
		b.Helper()
		config := filepath.Join(dir, "callboard.toml")
		jdir, err := os.MkdirTemp(dir, "journal")
		if err != nil {
			b.Fatal(err)
		}
		body := fmt.Sprintf("[axialys]\nurl = %q\nlogin = \"demo\"\npassword_env = \"CALLBOARD_PASSWORD\"\nprotocol = \"v4\"\n[journal]\ndir = %q\n", srv.URL, jdir)
		if err := os.WriteFile(config, []byte(body), 0o600); err != nil {
			b.Fatal(err)
		}
		args := []string{"metrics", "--config", config, "--listen", "127.0.0.1:0"}
		if !journal {
			args = append(args, "--no-journal")
		}
		cmd := exec.Command(bin, args...)
		cmd.Env = append(cmd.Environ(), "CALLBOARD_PASSWORD=secret")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := testproc.Start(b, cmd); err != nil {
			b.Fatal(err)
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		url := strings.TrimSpace(strings.TrimPrefix(line, "callboard metrics: "))
		if err != nil || !strings.HasPrefix(url, "http://") {
			cmd.Process.Kill()
			b.Fatalf("metrics said %q, %v", line, err)
		}
		for deadline := time.Now().Add(time.Minute); eventsCounted(url) < n; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				b.Fatalf("fewer than %d events counted within a minute", n)
			}
		}
		wall := time.Since(start)
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		st := cmd.ProcessState
		return run{wall: wall, cpu: st.UserTime() + st.SystemTime()}
	}
	var with, without []run
	for b.Loop() {
		if len(with)%2 == 0 {
			with, without = append(with, runBoard(true)), append(without, runBoard(false))
		} else {
			without, with = append(without, runBoard(false)), append(with, runBoard(true))
		}
	}
	w, o := medianRun(with), medianRun(without)
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(w.cpu.Seconds(), "journal-cpu-s")
	b.ReportMetric(o.cpu.Seconds(), "no-journal-cpu-s")
	b.ReportMetric(100*(w.cpu.Seconds()/o.cpu.Seconds()-1), "overhead-%")
	b.Logf("%d updates, %d pairs, medians: with the journal CPU %.2f s (wall %.2f s), without %.2f s (wall %.2f s): +%.0f %%",
		n, len(with), w.cpu.Seconds(), w.wall.Seconds(), o.cpu.Seconds(), o.wall.Seconds(), 100*(w.cpu.Seconds()/o.cpu.Seconds()-1))
}

// eventsCounted is callboard_feed_events_total at a /metrics url, 0 when
// it cannot be read.
func eventsCounted(url string) int {
	resp, err := http.Get(url)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "callboard_feed_events_total "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return int(f)
		}
	}
	return 0
}
