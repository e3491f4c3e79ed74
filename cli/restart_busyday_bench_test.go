package cli

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"callboard/internal/testkit"
	"callboard/internal/testkit/simtest"
	"callboard/journal"
	"callboard/sim"
)

// BenchmarkRestartBusyDayTUI measures the board (the binary, in a
// pseudo-terminal of 160×45) restarted on today's journal holding
// busyday's day cut at 20:00 (see BenchmarkServeBusyDay): the time from
// its start to its Overview showing the day's calls answered, its CPU, its
// resident set and the set's peak then. The journal is the one a board leaves when
// it stops at that time (it ran on the day's lines and stopped cleanly:
// its checkpoint is beside them); the restart from that checkpoint and
// the restart from the day's first line (the same files without the
// checkpoint) run in turn, -restart-bench-rounds of each; the figures are
// the medians:
//
//	CALLBOARD_BUSYDAY=big CALLBOARD_BUSYDAY_CACHE=/tmp/busyday go test ./cli -run '^$' -bench RestartBusyDayTUI -benchtime 1x
func BenchmarkRestartBusyDayTUI(b *testing.B) {
	day, dir := busyDayToday(b)
	bin := testkit.Binary(b)
	srv := simtest.Start(b, sim.Options{Login: sim.DefaultLogin, Password: "pw", NoTraffic: true, Directory: dir})
	base := b.TempDir()
	config := filepath.Join(base, "config.toml")
	body := fmt.Sprintf("[axialys]\nurl = %q\nlogin = %q\npassword_env = \"CALLBOARD_TEST_PASSWORD\"\n[display]\ntimezone = \"UTC\"\n[journal]\ndir = %q\n",
		srv.URL(), sim.DefaultLogin, filepath.Join(base, "journal"))
	if err := os.WriteFile(config, []byte(body), 0o600); err != nil {
		b.Fatal(err)
	}
	account := journal.AccountDir(filepath.Join(base, "journal"), srv.URL(), sim.DefaultLogin)
	copyFile(b, day, filepath.Join(account, filepath.Base(day)))

	// the board that ran on the day and stopped at its end: its checkpoint
	_, term := startBoard(b, bin, "--config", config)
	goLive(b, srv, term)
	quit(b, term)
	left := filepath.Join(base, "left")
	if err := os.Rename(account, left); err != nil {
		b.Fatal(err)
	}
	if ck, _ := filepath.Glob(filepath.Join(left, "*.ckpt")); len(ck) == 0 {
		b.Fatal("the board left no checkpoint at its stop")
	}
	answered := answeredToday(b, bin, config, left, account)

	ways := []string{"ckpt", "whole"}
	figures := map[string][]restartFigures{}
	for b.Loop() {
		for round := range *restartBenchRounds {
			for i := range ways {
				way := ways[(i+round)%len(ways)]
				os.RemoveAll(account)
				copyJournal(b, left, account, way == "ckpt")
				figures[way] = append(figures[way], restartTUI(b, bin, config, answered))
			}
		}
	}
	for _, way := range ways {
		f := figures[way]
		b.ReportMetric(medianOf(f, func(r restartFigures) float64 { return r.wall.Seconds() }), way+"-s")
		b.ReportMetric(medianOf(f, func(r restartFigures) float64 { return r.cpu.Seconds() }), way+"-cpu-s")
		b.ReportMetric(medianOf(f, func(r restartFigures) float64 { return r.peakMB }), way+"-peak-RSS-MB")
		b.ReportMetric(medianOf(f, func(r restartFigures) float64 { return r.rssMB }), way+"-RSS-MB")
	}
	load, _ := os.ReadFile("/proc/loadavg")
	b.Logf("%d calls answered on the day to %s; load average %s", answered, busyDayEnd().Format("15:04"), strings.TrimSpace(string(load)))
}

var restartBenchRounds = flag.Int("restart-bench-rounds", 3, "BenchmarkRestartBusyDayTUI: restarts of each way, in turn")

// restartFigures are one restart's: from the start to the day's figures
// on the screen.
type restartFigures struct {
	wall, cpu     time.Duration
	peakMB, rssMB float64 // the resident set's peak, and what it is then
}

// restartTUI starts the board on config's journal and waits for its
// screen to show answered, the day's calls answered, as a whole number.
func restartTUI(b *testing.B, bin, config string, answered int) restartFigures {
	figure := regexp.MustCompile(`(^|[^0-9:,.])` + strconv.Itoa(answered) + `($|[^0-9:,.])`)
	start := time.Now()
	cmd, term := startBoard(b, bin, "--config", config)
	deadline := time.NewTimer(testkit.Patience)
	defer deadline.Stop()
	for !figure.MatchString(ansi.Strip(term.screen.String())) {
		select {
		case <-term.screen.changed:
		case <-deadline.C:
			b.Fatalf("the board did not show %d calls answered within %v:\n%s", answered, testkit.Patience, tail(ansi.Strip(term.screen.String()), 3000))
		}
	}
	f := restartFigures{wall: time.Since(start), cpu: processCPUOf(b, cmd.Process.Pid), peakMB: statusMB(cmd.Process.Pid, "VmHWM"), rssMB: statusMB(cmd.Process.Pid, "VmRSS")}
	quit(b, term)
	return f
}

// quit types q on the board's terminal and waits for it to end.
func quit(b *testing.B, term *terminal) {
	exited := waitExit(term.cmd)
	term.press(b, "q", "")
	if err := testkit.Receive(b, "the board's end after q", exited); err != nil {
		b.Fatalf("the board after q: %v", err)
	}
}

// answeredToday is the day's calls answered as `report` of the journal
// from says them (the total rows of its intervals), read with config
// whose account directory is to.
func answeredToday(b *testing.B, bin, config, from, to string) int {
	copyJournal(b, from, to, true)
	defer os.RemoveAll(to)
	cmd := exec.Command(bin, "report", "--config", config, "--csv", "intervals")
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		b.Fatalf("report: %v: %s", err, errs.String())
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil || len(rows) < 2 {
		b.Fatalf("report: %v, %d rows", err, len(rows))
	}
	id, col := slices.Index(rows[0], "queue_id"), slices.Index(rows[0], "answered")
	n := 0
	for _, r := range rows[1:] {
		if r[id] == "total" {
			a, _ := strconv.Atoi(r[col])
			n += a
		}
	}
	return n
}

// copyJournal copies the files of the journal directory from into to,
// the checkpoints only when withCheckpoint.
func copyJournal(b *testing.B, from, to string, withCheckpoint bool) {
	entries, err := os.ReadDir(from)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || (!withCheckpoint && strings.HasSuffix(e.Name(), ".ckpt")) || e.Name() == "lock" {
			continue
		}
		copyFile(b, filepath.Join(from, e.Name()), filepath.Join(to, e.Name()))
	}
}

func medianOf(fs []restartFigures, of func(restartFigures) float64) float64 {
	xs := make([]float64, len(fs))
	for i, f := range fs {
		xs[i] = of(f)
	}
	return median(xs)
}
