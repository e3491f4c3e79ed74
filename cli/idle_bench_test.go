package cli

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"callboard/internal/testkit"
	"callboard/internal/testkit/simtest"
	"callboard/internal/testkit/testproc"
	"callboard/sim"
	"callboard/tui"
)

var (
	idleBenchWindow = flag.Duration("idle-bench-window", 10*time.Second, "BenchmarkIdle*: how long wake-ups and CPU are counted in each run")
	idleBenchRounds = flag.Int("idle-bench-rounds", 3, "BenchmarkIdle*: runs of each binary, alternating")
	idleBenchKeys   = flag.Int("idle-bench-keys", 30, "BenchmarkIdle*: keys typed in each run to time their echo")
	idleBenchBefore = flag.String("idle-bench-before", "", "BenchmarkIdle*: another callboard binary (e.g. built at the base commit) measured beside this one, alternately")
)

// BenchmarkIdleBoard measures the board (the binary, in a
// pseudo-terminal) on a feed that sends nothing once it is live: the
// wake-ups a second of all its threads (voluntary and involuntary context
// switches, /proc/PID/task/*/status), its CPU (/proc/PID/stat) over
// -idle-bench-window, then the echo of keys typed in the filter: the time
// from a key written to the terminal to the filter's text showing it.
// With -idle-bench-before the other binary runs beside it, alternately;
// the figures are the medians of the runs (the echo's over all keys).
func BenchmarkIdleBoard(b *testing.B) {
	benchIdle(b, func(b *testing.B, bin string) idleRun {
		srv := simtest.Start(b, sim.Options{Login: sim.DefaultLogin, Password: "pw", NoTraffic: true})
		cmd, term := startBoard(b, bin, "--config", writeConfig(b, srv.URL()))
		goLive(b, srv, term)
		return idleRun{pid: cmd.Process.Pid, term: term, exited: waitExit(cmd)}
	})
}

// BenchmarkIdleServe is BenchmarkIdleBoard for serve (the binary, its own
// process) watched by one OpenSSH viewer: the server's wake-ups and CPU,
// and the echo of the keys typed in the viewer's terminal, through ssh.
func BenchmarkIdleServe(b *testing.B) {
	benchIdle(b, func(b *testing.B, bin string) idleRun {
		fx := newServeFixtureWith(b, sim.Options{NoTraffic: true})
		fx.bin = bin
		cmd, _, port, _ := fx.startBinary(b)
		viewer := startViewer(b, fx.key, port)
		term := &terminal{cmd: viewer.cmd, ptmx: viewer.ptmx, screen: viewer.screen}
		goLive(b, fx.sim, term)
		exited := make(chan error, 1)
		go func() {
			// the viewer quits with q; serve then stops on SIGTERM
			if err := <-viewer.exited; err != nil {
				exited <- fmt.Errorf("ssh: %w", err)
				return
			}
			cmd.Process.Signal(syscall.SIGTERM)
			exited <- cmd.Wait()
		}()
		return idleRun{pid: cmd.Process.Pid, term: term, exited: exited}
	})
}

// BenchmarkIdleDemo is BenchmarkIdleBoard on --demo, which is not idle:
// the simulator in the process sends its traffic.
func BenchmarkIdleDemo(b *testing.B) {
	benchIdle(b, func(b *testing.B, bin string) idleRun {
		cmd, term := startBoard(b, bin, "--demo")
		term.screen.waitFor(b, "live")
		return idleRun{pid: cmd.Process.Pid, term: term, exited: waitExit(cmd)}
	})
}

// idleRun is a board started for a run of benchIdle: the process
// measured, the terminal its keys are typed in, and its exit once q is
// typed.
type idleRun struct {
	pid    int
	term   *terminal
	exited <-chan error
}

// idleFigures are what one run measured.
type idleFigures struct {
	wakeups float64 // a second
	cpu     float64 // % of a core
	echoes  []time.Duration
}

func benchIdle(b *testing.B, start func(b *testing.B, bin string) idleRun) {
	bins := []struct{ name, path string }{{"this", testkit.Binary(b)}}
	if *idleBenchBefore != "" {
		bins = append([]struct{ name, path string }{{"before", *idleBenchBefore}}, bins...)
	}
	runs := make([][]idleFigures, len(bins))
	b.ResetTimer()
	for range b.N {
		for round := range *idleBenchRounds {
			for i := range bins {
				i := (i + round) % len(bins) // alternate which goes first
				runs[i] = append(runs[i], measureIdle(b, start(b, bins[i].path)))
			}
		}
	}
	b.StopTimer()
	for i, bin := range bins {
		var wakeups, cpu []float64
		var echoes []time.Duration
		for _, r := range runs[i] {
			wakeups, cpu = append(wakeups, r.wakeups), append(cpu, r.cpu)
			echoes = append(echoes, r.echoes...)
		}
		slices.Sort(echoes)
		echoMedian, echoP90 := echoes[len(echoes)/2], echoes[len(echoes)*9/10]
		b.Logf("%-6s wake-ups %5.1f/s (runs %s), CPU %.2f %% (runs %s), key echo median %v, p90 %v over %d keys",
			bin.name, median(wakeups), figures(wakeups, "%.1f"), median(cpu), figures(cpu, "%.2f"),
			echoMedian.Round(100*time.Microsecond), echoP90.Round(100*time.Microsecond), len(echoes))
		if bin.name == "this" {
			b.ReportMetric(median(wakeups), "wakeups/s")
			b.ReportMetric(median(cpu), "cpu-%")
			b.ReportMetric(float64(echoMedian)/float64(time.Millisecond), "echo-median-ms")
		}
	}
}

// measureIdle counts run's wake-ups and CPU over the window, then times
// the echo of keys typed in the filter, and quits the board.
func measureIdle(b *testing.B, run idleRun) idleFigures {
	time.Sleep(2 * time.Second) // the start-up done
	switches0, cpu0 := threadSwitches(b, run.pid), processCPUOf(b, run.pid)
	start := time.Now()
	time.Sleep(*idleBenchWindow)
	switches1, cpu1 := threadSwitches(b, run.pid), processCPUOf(b, run.pid)
	elapsed := time.Since(start).Seconds()
	f := idleFigures{
		wakeups: float64(switches1-switches0) / elapsed,
		cpu:     100 * (cpu1 - cpu0).Seconds() / elapsed,
	}
	typed := "/"
	run.term.press(b, "/", "/")
	letters := "abcdefghijklmnopqrstuvwxyz"
	for i := range *idleBenchKeys {
		// a key at any phase of the renderer's frames
		time.Sleep(50*time.Millisecond + rand.N(100*time.Millisecond))
		if len(typed) > 40 {
			run.term.press(b, "\x1b", "")
			time.Sleep(200 * time.Millisecond)
			run.term.press(b, "/", "/")
			typed = "/"
		}
		k := string(letters[i%len(letters)])
		typed += k
		f.echoes = append(f.echoes, run.term.press(b, k, typed))
	}
	run.term.press(b, "\x1b", "")
	run.term.press(b, "q", "")
	testkit.Receive(b, "the board's end after q", run.exited)
	return f
}

// press types key and, when shows is set, waits until the screen shows it
// (escape sequences left out) and returns how long that took.
func (t *terminal) press(b *testing.B, key, shows string) time.Duration {
	from := len(t.screen.String())
	written := time.Now()
	if _, err := io.WriteString(t.ptmx, key); err != nil {
		b.Fatal(err)
	}
	if shows == "" {
		return 0
	}
	deadline := time.NewTimer(testkit.Patience)
	defer deadline.Stop()
	for !strings.Contains(ansi.Strip(t.screen.String()[from:]), shows) {
		select {
		case <-t.screen.changed:
		case <-deadline.C:
			b.Fatalf("%q typed: %q not shown within %v:\n%q", key, shows, testkit.Patience, tail(t.screen.String(), 2000))
		}
	}
	return time.Since(written)
}

// startBoard runs bin with args in a pseudo-terminal of 160×45.
func startBoard(b *testing.B, bin string, args ...string) (*exec.Cmd, *terminal) {
	term := startInTerminal(b, 160, 45, bin, args...)
	return term.cmd, term
}

func waitExit(cmd *exec.Cmd) <-chan error {
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	return exited
}

// goLive has the simulator send the board one update once it listens,
// and waits for the board to say it is live.
func goLive(b *testing.B, srv *sim.Server, term *terminal) {
	simtest.WaitStreaming(b, srv, 1)
	dir := srv.Directory()
	srv.Push(benchEvent(0, &dir))
	term.screen.waitFor(b, "live")
}

// threadSwitches is the context switches of all pid's threads so far:
// each is a wake-up.
func threadSwitches(b *testing.B, pid int) int64 {
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		b.Fatal(err)
	}
	var n int64
	for _, task := range tasks {
		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/status", pid, task.Name()))
		if err != nil {
			continue // the thread ended
		}
		for line := range strings.Lines(string(status)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.HasSuffix(k, "ctxt_switches") {
				c, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
				n += c
			}
		}
	}
	return n
}

func processCPUOf(b *testing.B, pid int) time.Duration {
	cpu, err := processCPU(pid)
	if err != nil {
		b.Fatal(err)
	}
	return cpu
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	return s[len(s)/2]
}

func figures(xs []float64, format string) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprintf(format, x)
	}
	return strings.Join(s, " ")
}

// BenchmarkIdleFloor measures what a board's idle wake-ups cannot go
// below: a process (this test binary, run again as
// TestRendererAloneProcess) whose only work is a Bubble Tea program whose
// view never changes, with one processor (as the board) and two (serve on
// this machine), drawn by Bubble Tea v1's renderer at tui.FrameRate and at
// other rates, then by the board's own frame writer (tui.Program). The
// renderer's ticker is the one timer: the wake-ups a second of all its
// threads over -idle-bench-window, as BenchmarkIdleBoard counts them, are
// that ticker's cost alone (the runtime's timer thread and its sysmon
// wake at each tick); the frame writer arms none while nothing changes.
func BenchmarkIdleFloor(b *testing.B) {
	for range b.N {
		for _, procs := range []int{1, 2} {
			for _, fps := range []string{strconv.Itoa(tui.FrameRate), "10", "1", frameWriterAlone} {
				cmd := exec.Command(os.Args[0], "-test.run=^TestRendererAloneProcess$")
				cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s", rendererAloneFPS, fps), fmt.Sprintf("GOMAXPROCS=%d", procs))
				if err := testproc.Start(b, cmd); err != nil {
					b.Fatal(err)
				}
				time.Sleep(time.Second) // the start-up done
				pid := cmd.Process.Pid
				switches0, cpu0 := threadSwitches(b, pid), processCPUOf(b, pid)
				start := time.Now()
				time.Sleep(*idleBenchWindow)
				switches1, cpu1 := threadSwitches(b, pid), processCPUOf(b, pid)
				elapsed := time.Since(start).Seconds()
				testproc.KillGroup(cmd)
				cmd.Wait()
				drawn := "Bubble Tea's renderer, " + fps + " frames a second"
				if fps == frameWriterAlone {
					drawn = "the board's frame writer"
				}
				b.Logf("GOMAXPROCS=%d, %s: %5.1f wake-ups/s, CPU %.2f %%", procs, drawn,
					float64(switches1-switches0)/elapsed, 100*(cpu1-cpu0).Seconds()/elapsed)
			}
		}
	}
}

// rendererAloneFPS, set, makes TestRendererAloneProcess the process of
// BenchmarkIdleFloor, drawn by Bubble Tea's renderer at that many frames a
// second, or by the board's frame writer when it is frameWriterAlone.
const (
	rendererAloneFPS = "CALLBOARD_RENDERER_ALONE_FPS"
	frameWriterAlone = "writer"
)

// TestRendererAloneProcess is BenchmarkIdleFloor's process: with
// rendererAloneFPS set, a Bubble Tea program whose view never changes,
// drawn to nowhere, until killed; skipped otherwise.
func TestRendererAloneProcess(t *testing.T) {
	rate := os.Getenv(rendererAloneFPS)
	if rate == frameWriterAlone {
		if err := tui.NewProgram(stillModel{}, nil, io.Discard).Run(); err != nil {
			t.Fatal(err)
		}
		return
	}
	fps, err := strconv.Atoi(rate)
	if err != nil {
		t.Skip("BenchmarkIdleFloor's process")
	}
	p := tea.NewProgram(stillModel{}, tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithoutSignalHandler(), tea.WithFPS(fps))
	if _, err := p.Run(); err != nil {
		t.Fatal(err)
	}
}

// stillModel is a board that never changes.
type stillModel struct{}

func (stillModel) Init() tea.Cmd                         { return nil }
func (m stillModel) Update(tea.Msg) (tea.Model, tea.Cmd) { return m, nil }
func (stillModel) View() string                          { return "a board that never changes" }
