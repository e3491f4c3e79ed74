package cli

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"callboard/sim"
)

var (
	serveBenchWindow  = flag.Duration("serve-bench-window", 10*time.Second, "BenchmarkServe50Viewers: how long the load is measured")
	serveBenchViewers = flag.Int("serve-bench-viewers", 50, "BenchmarkServe50Viewers: ssh viewers")
	serveBenchRate    = flag.Int("serve-bench-rate", 1000, "BenchmarkServe50Viewers: events a second")
	serveBenchBin     = flag.String("serve-bench-bin", "", "BenchmarkServe50Viewers, BenchmarkServeBusyDay: the callboard binary to measure (default: this module's, built)")
)

// benchDirectory is a 5,000-agent center in 200 queues, as the simulator
// lists it.
func benchDirectory() *sim.Directory {
	dir := &sim.Directory{Target: sim.ID{N: 1}}
	for q := 1; q <= 200; q++ {
		dir.Groupes = append(dir.Groupes, sim.Named{ID: sim.ID{N: int64(q)}, Nom: fmt.Sprintf("Queue %03d", q)})
	}
	for a := 1; a <= 5000; a++ {
		dir.Ops = append(dir.Ops, sim.Op{ID: sim.ID{N: int64(1000 + a)}, Nom: fmt.Sprintf("Agent %04d", a), Groupes: []sim.ID{{N: int64(1 + a%200)}}})
	}
	return dir
}

// benchEvent is the i-th of a stream of calls over dir: a call queued, its
// agent connected to it, the call ended, the agent ready again.
func benchEvent(i int, dir *sim.Directory) sim.Event {
	c := i / 4
	op, queue, call := dir.Ops[(c*7)%len(dir.Ops)].ID, dir.Groupes[c%len(dir.Groupes)].ID, sim.ID{N: 5_000_000 + int64(c)}
	switch i % 4 {
	case 0:
		return sim.Event{Type: "queue", Name: "insert_call", Msg: map[string]any{
			"id_queue": queue, "id_call": call, "caller_id_num": "0612345678", "duration_in_queue": 0}}
	case 1:
		return sim.Event{Type: "operator", Name: "status", Msg: map[string]any{
			"status": "connected", "id_queue": queue, "id_call": call, "id_operator": op}}
	case 2:
		return sim.Event{Type: "queue", Name: "delete_call", Msg: map[string]any{"id_queue": queue, "id_call": call}}
	}
	return sim.Event{Type: "operator", Name: "status", Msg: map[string]any{"status": "available", "id_operator": op}}
}

// headerClock is the view's time at the right of the header, after the
// age of the last event.
var headerClock = regexp.MustCompile(`(?:ago|yet)(?:\x1b\[[0-9;]*m)*  (\d\d:\d\d:\d\d)`)

// benchViewer is an ssh -tt client in a pseudo-terminal whose output is
// read as it comes and kept only as far as the newest header clock.
type benchViewer struct {
	cmd  *exec.Cmd
	ptmx *os.File

	mu     sync.Mutex
	live   bool
	clock  string   // the newest header clock seen, 15:04:05
	clocks []string // every header clock seen, in order, each change once
	bytes  int64
}

func startBenchViewer(b *testing.B, key, port string) *benchViewer {
	return startClockViewer(b, key, port, 160, 45)
}

// read drains the terminal, answering its queries as an xterm would.
func (v *benchViewer) read() {
	answers := map[string]string{"\x1b[c": "\x1b[?62;22c"}
	for q, a := range terminalAnswers {
		answers[q] = a
	}
	buf := make([]byte, 64<<10)
	var carry []byte
	for {
		n, err := v.ptmx.Read(buf)
		if n > 0 {
			s := append(carry, buf[:n]...)
			// a query is new when it ends past what was carried over
			for q, a := range answers {
				for i, from := 0, 0; ; from = i + 1 {
					j := strings.Index(string(s[from:]), q)
					if j < 0 {
						break
					}
					i = from + j
					if i+len(q) > len(carry) {
						v.ptmx.WriteString(a)
					}
				}
			}
			m := headerClock.FindAllSubmatchIndex(s, -1)
			live := strings.Contains(string(s), "live")
			v.mu.Lock()
			v.bytes += int64(n)
			for _, c := range m {
				// a clock is new when it ends past what was carried over
				if clock := string(s[c[2]:c[3]]); c[1] > len(carry) && clock != v.clock {
					v.clock = clock
					v.clocks = append(v.clocks, clock)
				}
			}
			v.live = v.live || live
			v.mu.Unlock()
			keep := min(len(s), 96)
			carry = append([]byte(nil), s[len(s)-keep:]...)
		}
		if err != nil {
			return
		}
	}
}

// age is how old the newest view this viewer shows is at now, in seconds;
// ok is false before it showed one.
func (v *benchViewer) age(now time.Time) (age float64, ok bool) {
	v.mu.Lock()
	clock, live := v.clock, v.live
	v.mu.Unlock()
	if clock == "" || !live {
		return 0, false
	}
	hms, err := time.ParseInLocation("15:04:05", clock, now.Location())
	if err != nil {
		return 0, false
	}
	at := time.Date(now.Year(), now.Month(), now.Day(), hms.Hour(), hms.Minute(), hms.Second(), 0, now.Location())
	if at.After(now.Add(time.Hour)) {
		at = at.AddDate(0, 0, -1) // across midnight
	}
	return now.Sub(at).Seconds(), true
}

// processCPU is the user and system time a process used so far.
func processCPU(pid int) (time.Duration, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	s := string(stat)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: %q", pid, s)
	}
	return time.Duration(utime+stime) * time.Second / 100, nil // USER_HZ
}

// machineBusy is the machine's busy and total jiffies, all CPUs.
func machineBusy() (busy, total int64) {
	stat, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(stat), "\n")
	for i, f := range strings.Fields(line)[1:] {
		n, _ := strconv.ParseInt(f, 10, 64)
		total += n
		if i != 3 && i != 4 { // idle, iowait
			busy += n
		}
	}
	return busy, total
}

// BenchmarkServe50Viewers is issue 16's benchmark: serve (the binary, its
// own process) on a 5,000-agent board at 1,000 events a second, watched by
// 50 OpenSSH viewers, each reading its screen as it comes. It reports the
// server's CPU (cores: CPU seconds a second) and the age of the newest
// view each viewer shows (wall clock − its header clock, which has a
// resolution of a second: the age of a view that shows at once ranges
// over 0–1 s), sampled once a second per viewer, the viewers' phases
// spread over the second. The flags -serve-bench-window,
// -serve-bench-viewers and -serve-bench-rate change the load. The ssh clients, the simulator and the readers
// share the machine with the server.
func BenchmarkServe50Viewers(b *testing.B) {
	dir := benchDirectory()
	fx := newServeFixtureWith(b, sim.Options{NoTraffic: true, Directory: dir})
	fx.bin = *serveBenchBin
	f, rate := benchServe(b, fx, dir, 60*time.Second)
	b.Logf("%d viewers, %d agents, %.0f events/s: %s", f.viewers, len(dir.Ops), rate, f)
}

// benchServe starts fx's serve (the binary), -serve-bench-viewers viewers
// and the load of -serve-bench-rate events a second over dir, waits until
// every viewer shows a live board (within liveWithin), and measures
// (measureServe); it reports and returns the figures and the rate the load
// achieved.
func benchServe(b *testing.B, fx *serveFixture, dir *sim.Directory, liveWithin time.Duration) (serveFigures, float64) {
	cmd, exited, port, stderr := fx.startBinary(b)
	b.Cleanup(func() { // before the state directory goes
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
		}
	})
	viewers := make([]*benchViewer, *serveBenchViewers)
	for i := range viewers {
		viewers[i] = startBenchViewer(b, fx.key, port)
	}
	// the load, from now on: the board is live from its first event
	stopPushing := pushEvents(b, fx.sim, dir, *serveBenchRate)
	waitViewersLive(b, viewers, stderr, liveWithin)
	time.Sleep(2 * time.Second) // the board under load before measuring
	f := measureServe(b, cmd.Process.Pid, viewers)
	rate := stopPushing()
	f.report(b)
	return f, rate
}

// waitViewersLive waits until every viewer shows a live board.
func waitViewersLive(b *testing.B, viewers []*benchViewer, stderr *lockedBuffer, within time.Duration) {
	b.Helper()
	deadline := time.Now().Add(within)
	for {
		ready := 0
		for _, v := range viewers {
			if _, ok := v.age(time.Now()); ok {
				ready++
			}
		}
		if ready == len(viewers) {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d viewers showed a live board within %v:\n%s", ready, len(viewers), within, tail(stderr.String(), 2000))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// serveFigures are what measureServe saw of serve under its viewers.
type serveFigures struct {
	viewers          int
	elapsed          time.Duration
	cores            float64 // the server's CPU seconds a second
	median, worst    float64 // the viewers' view ages, in seconds
	samples, missing int
	machine          float64 // CPUs of the machine busy
	load0, load1     string  // /proc/loadavg before and after
	bytes            int64   // written to the viewers
	rssMB, hwmMB     float64 // the server's highest resident set sampled over the window, and the kernel's peak since it started
}

// measureServe samples the view age of each viewer once a second for
// -serve-bench-window, their phases spread over the second (the header
// clock counts whole seconds), and the server's CPU (the kernel's
// accounting) and resident set meanwhile.
func measureServe(b *testing.B, pid int, viewers []*benchViewer) serveFigures {
	b.Helper()
	f := serveFigures{viewers: len(viewers)}
	var ages []float64
	cpu0, err := processCPU(pid)
	if err != nil {
		b.Fatal(err)
	}
	busy0, total0 := machineBusy()
	load0, _ := os.ReadFile("/proc/loadavg")
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		second := time.Now()
		for range max(1, int(*serveBenchWindow/time.Second)) {
			f.rssMB = max(f.rssMB, statusMB(pid, "VmRSS"))
			for j, v := range viewers {
				time.Sleep(time.Until(second.Add(time.Second * time.Duration(j) / time.Duration(len(viewers)))))
				if a, ok := v.age(time.Now()); ok {
					ages = append(ages, a)
				} else {
					f.missing++
				}
			}
			second = second.Add(time.Second)
		}
	}
	f.elapsed = time.Since(start)
	b.StopTimer()
	cpu1, err := processCPU(pid)
	if err != nil {
		b.Fatal(err)
	}
	f.rssMB = max(f.rssMB, statusMB(pid, "VmRSS"))
	f.hwmMB = statusMB(pid, "VmHWM")
	busy1, total1 := machineBusy()
	load1, _ := os.ReadFile("/proc/loadavg")
	f.load0, f.load1 = strings.TrimSpace(string(load0)), strings.TrimSpace(string(load1))

	slices.Sort(ages)
	if len(ages) == 0 {
		b.Fatal("no view age sampled")
	}
	f.samples, f.median, f.worst = len(ages), ages[len(ages)/2], ages[len(ages)-1]
	f.cores = (cpu1 - cpu0).Seconds() / f.elapsed.Seconds()
	if total1 > total0 {
		f.machine = float64(busy1-busy0) / float64(total1-total0) * float64(runtime.NumCPU())
	}
	for _, v := range viewers {
		v.mu.Lock()
		f.bytes += v.bytes
		v.mu.Unlock()
	}
	return f
}

// report reports f's figures on b.
func (f serveFigures) report(b *testing.B) {
	b.ReportMetric(f.cores, "server-cores")
	b.ReportMetric(f.median, "view-age-median-s")
	b.ReportMetric(f.worst, "view-age-max-s")
	b.ReportMetric(f.rssMB, "server-RSS-MB")
	b.ReportMetric(f.hwmMB, "server-peak-RSS-MB")
}

// String is f as the benchmark's log says it.
func (f serveFigures) String() string {
	return fmt.Sprintf("for %.0f s: server %.2f cores, RSS %.0f MB (peak since start %.0f MB); view age median %.2f s, max %.2f s over %d samples (%d missing); machine %.2f of %d cores busy; load %s → %s; %.1f MB to the viewers",
		f.elapsed.Seconds(), f.cores, f.rssMB, f.hwmMB, f.median, f.worst, f.samples, f.missing, f.machine, runtime.NumCPU(), f.load0, f.load1, float64(f.bytes)/1e6)
}
