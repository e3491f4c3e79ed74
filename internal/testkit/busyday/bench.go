package busyday

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The benchmarks' day is chosen by the environment:
//
//	CALLBOARD_BUSYDAY=small (or unset)   Small(1), a second to write
//	CALLBOARD_BUSYDAY=big                Big(1), the README's day
//	CALLBOARD_BUSYDAY=agents=500,queues=20,trunks=4,calls=30000,seed=2
//	CALLBOARD_BUSYDAY_CACHE=DIR          keep the days written in DIR and read them again
//
// A day other than the small one is skipped under -short.
const (
	SizeEnv  = "CALLBOARD_BUSYDAY"
	CacheEnv = "CALLBOARD_BUSYDAY_CACHE"
)

// Date is the day the benchmarks write, in Location.
var (
	Location = parisOr(time.FixedZone("CET", 3600))
	Date     = time.Date(2026, 11, 24, 12, 0, 0, 0, Location)
)

func parisOr(loc *time.Location) *time.Location {
	if paris, err := time.LoadLocation("Europe/Paris"); err == nil {
		return paris
	}
	return loc
}

// FromEnv is the day SizeEnv names.
func FromEnv() (Options, error) {
	switch s := os.Getenv(SizeEnv); s {
	case "", "small":
		return Small(1), nil
	case "big":
		return Big(1), nil
	default:
		o := Options{Seed: 1}
		for _, kv := range strings.Split(s, ",") {
			k, v, _ := strings.Cut(kv, "=")
			n, err := strconv.Atoi(v)
			if err != nil {
				return o, fmt.Errorf("%s=%q: %q is not a number", SizeEnv, s, v)
			}
			switch k {
			case "agents":
				o.Agents = n
			case "queues":
				o.Queues = n
			case "trunks":
				o.Trunks = n
			case "calls":
				o.Calls = n
			case "seed":
				o.Seed = int64(n)
			default:
				return o, fmt.Errorf("%s=%q: no size %q (agents, queues, trunks, calls, seed)", SizeEnv, s, k)
			}
		}
		return o, nil
	}
}

// ForBenchmark is the journal directory holding the day SizeEnv names, on
// Date in Location (and the day before with yesterday), without
// checkpoints, written for b, or found in CacheEnv's directory, where it
// is kept for the next runs. The benchmark's timer is stopped meanwhile.
func ForBenchmark(b *testing.B, yesterday bool) (string, Day, Options) {
	b.Helper()
	return ForBenchmarkOf(b, yesterday, false)
}

// ForBenchmarkOf is ForBenchmark, the journal keeping the board's
// checkpoints with checkpoints (Options.Checkpoints). In CacheEnv's
// directory the day is written once with its checkpoints, and the day
// without them is the same day files, linked, alone.
func ForBenchmarkOf(b *testing.B, yesterday, checkpoints bool) (string, Day, Options) {
	b.Helper()
	o, err := FromEnv()
	if err != nil {
		b.Fatal(err)
	}
	if testing.Short() && o != Small(1) {
		b.Skipf("%s=%s is not the small day: skipped under -short", SizeEnv, os.Getenv(SizeEnv))
	}
	o.Yesterday, o.Checkpoints = yesterday, checkpoints
	b.StopTimer()
	defer b.StartTimer()
	cache := os.Getenv(CacheEnv)
	if cache == "" {
		dir := b.TempDir()
		d, err := Write(dir, Date, Location, o)
		if err != nil {
			b.Fatal(err)
		}
		return dir, d, o
	}
	with := o
	with.Checkpoints = true
	dir, d, err := cached(cache, with)
	if err == nil && !checkpoints {
		dir, d, err = withoutCheckpoints(dir, d)
	}
	if err != nil {
		b.Fatal(err)
	}
	return dir, d, o
}

// cached is the day of o in the directory cache, written there when
// missing.
func cached(cache string, o Options) (string, Day, error) {
	dir := filepath.Join(cache, fmt.Sprintf("seed%d-a%d-q%d-t%d-c%d-y%v-ck%v", o.Seed, o.Agents, o.Queues, o.Trunks, o.Calls, o.Yesterday, o.Checkpoints))
	var d Day
	if data, err := os.ReadFile(dir + ".json"); err == nil && json.Unmarshal(data, &d) == nil {
		return dir, d, nil
	}
	os.RemoveAll(dir)
	d, err := Write(dir, Date, Location, o)
	if err != nil {
		return "", Day{}, err
	}
	data, err := json.Marshal(d)
	if err != nil {
		return "", Day{}, err
	}
	return dir, d, os.WriteFile(dir+".json", data, 0o600)
}

// withoutCheckpoints is the directory beside dir holding its day files
// alone (linked, made once).
func withoutCheckpoints(dir string, d Day) (string, Day, error) {
	plain := dir + "-plain"
	if err := os.MkdirAll(plain, 0o700); err != nil {
		return "", Day{}, err
	}
	for i, path := range d.Paths {
		to := filepath.Join(plain, filepath.Base(path))
		if _, err := os.Stat(to); err != nil {
			if err := os.Link(path, to); err != nil {
				return "", Day{}, err
			}
		}
		d.Paths[i] = to
	}
	return plain, d, nil
}

// Peaks watches the memory a benchmark's step takes at its highest: the
// heap (its objects, live or not yet collected, sampled every 10 ms) and
// the process's resident set (VmHWM, its peak since Watch, on Linux).
type Peaks struct {
	stop chan struct{}
	done chan uint64
	cpu  time.Duration // the process's CPU time at Watch
}

// Watch collects the garbage, gives the memory free back to the system
// and starts watching.
func Watch() *Peaks {
	debug.FreeOSMemory()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // VmHWM from here; nothing on other systems
	p := &Peaks{stop: make(chan struct{}), done: make(chan uint64, 1), cpu: cpuTime()}
	go func() {
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		peak := uint64(0)
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-p.stop:
				p.done <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return p
}

// Stop ends the watch and returns the peaks.
func (p *Peaks) Stop() Peak {
	close(p.stop)
	pk := Peak{HeapMB: float64(<-p.done) / 1e6, CPU: cpuTime() - p.cpu}
	if rss, ok := statusKB("VmHWM"); ok {
		pk.RSSMB = float64(rss) / 1e3
	}
	return pk
}

// Peak is what Peaks saw: the heap's and the resident set's highest, in
// MB (RSSMB 0 where the system does not say it), and the CPU time the
// process took meanwhile, all its threads (0 where the system does not
// say it): on a machine others load, a steadier figure than the time.
type Peak struct {
	HeapMB, RSSMB float64
	CPU           time.Duration
}

// Report reports the peaks on b as peak-heap-MB and peak-RSS-MB, and the
// CPU time as cpu-s/op; after b.Loop, which deletes the metrics reported
// before it.
func (pk Peak) Report(b *testing.B) {
	b.ReportMetric(pk.HeapMB, "peak-heap-MB")
	if pk.RSSMB > 0 {
		b.ReportMetric(pk.RSSMB, "peak-RSS-MB")
	}
	if pk.CPU > 0 {
		b.ReportMetric(pk.CPU.Seconds()/float64(b.N), "cpu-s/op")
	}
}

// statusKB is a field of /proc/self/status in kB.
func statusKB(field string) (int64, bool) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// LiveHeapMB collects the garbage and returns the heap left, in MB.
func LiveHeapMB() float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / 1e6
}

// Way is one of the ways a benchmark compares of doing the same thing.
type Way struct {
	Name string
	Run  func() error
}

// Rounds is how many times Alternate runs each way, at least.
const Rounds = 3

// Alternate runs each of ways rounds times (at least Rounds), one after
// the other in turn, each run watched alone (Watch), and reports on b the
// medians of each way's runs: <name>-s (wall), <name>-cpu-s (the
// process's CPU time), <name>-peak-RSS-MB (the resident set's peak in
// the run, from what the process held before it once its garbage was
// collected and given back) and <name>-peak-heap-MB; and the one-minute load
// average of the machine before and after (load-before, load-after): on
// a shared machine, what says whether the wall times mean anything.
func Alternate(b *testing.B, rounds int, ways ...Way) {
	b.Helper()
	rounds = max(rounds, Rounds)
	wall := make([][]float64, len(ways))
	cpu := make([][]float64, len(ways))
	rss := make([][]float64, len(ways))
	heap := make([][]float64, len(ways))
	before := loadAverage()
	for range rounds {
		for i, w := range ways {
			peaks := Watch()
			began := time.Now()
			if err := w.Run(); err != nil {
				b.Fatalf("%s: %v", w.Name, err)
			}
			took := time.Since(began)
			pk := peaks.Stop()
			wall[i] = append(wall[i], took.Seconds())
			cpu[i] = append(cpu[i], pk.CPU.Seconds())
			rss[i] = append(rss[i], pk.RSSMB)
			heap[i] = append(heap[i], pk.HeapMB)
		}
	}
	for i, w := range ways {
		b.ReportMetric(median(wall[i]), w.Name+"-s")
		b.ReportMetric(median(cpu[i]), w.Name+"-cpu-s")
		b.ReportMetric(median(rss[i]), w.Name+"-peak-RSS-MB")
		b.ReportMetric(median(heap[i]), w.Name+"-peak-heap-MB")
	}
	b.ReportMetric(before, "load-before")
	b.ReportMetric(loadAverage(), "load-after")
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// loadAverage is the machine's one-minute load average; 0 where the
// system does not say it.
func loadAverage() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(data))[0], 64)
	return f
}
