package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"callboard/internal/testkit/busyday"
	"callboard/journal"
	"callboard/sim"
)

// BenchmarkServeBusyDay is BenchmarkServe50Viewers on a late-day board:
// serve (the binary) restarts on today's journal holding busyday's day
// (CALLBOARD_BUSYDAY, see busyday.FromEnv) written for today in UTC and
// cut at 20:00, then -serve-bench-viewers OpenSSH viewers (160x45) watch
// it while the feed sends -serve-bench-rate events a second. It reports
// the server's CPU (cores), its resident set (the highest sampled once a
// second over the window, and the kernel's peak since start, the restart's
// replay included) and the view ages, as BenchmarkServe50Viewers does:
//
//	CALLBOARD_BUSYDAY=big CALLBOARD_BUSYDAY_CACHE=/tmp/busyday go test ./cli -run '^$' -bench ServeBusyDay -benchtime 1x -serve-bench-viewers 200
//
// Before 20:00 UTC the day is cut a minute before now.
func BenchmarkServeBusyDay(b *testing.B) {
	day, dir := busyDayToday(b)
	n := *serveBenchViewers + 10
	fx := newServeFixtureWith(b, sim.Options{NoTraffic: true, Directory: dir},
		fmt.Sprintf("max_sessions = %d\nmax_startups = %d\n[display]\ntimezone = \"UTC\"\n", n, n))
	fx.bin = *serveBenchBin
	account := journal.AccountDir(filepath.Join(fx.dir, "journal"), fx.sim.URL(), sim.DefaultLogin)
	copyFile(b, day, filepath.Join(account, filepath.Base(day)))
	f, rate := benchServe(b, fx, dir, 3*time.Minute)
	b.Logf("%d viewers on the busy day's board to %s, %.0f events/s: %s", f.viewers, busyDayEnd().Format("15:04"), rate, f)
}

// busyDayEnd is when the day of BenchmarkServeBusyDay is cut: 20:00 UTC
// today, or a minute ago when it is earlier.
func busyDayEnd() time.Time {
	now := time.Now().UTC()
	end := time.Date(now.Year(), now.Month(), now.Day(), 20, 0, 0, 0, time.UTC)
	if now.Before(end.Add(time.Minute)) {
		end = now.Add(-time.Minute).Truncate(time.Minute)
	}
	return end
}

// busyDayToday is the path of a day file of busyday's day (sized by
// CALLBOARD_BUSYDAY) dated today in UTC, cut at busyDayEnd: what the
// journal holds at that time when callboard stopped then, and the
// center's directory, for the feed. It is kept in
// CALLBOARD_BUSYDAY_CACHE's directory when set.
func busyDayToday(b *testing.B) (string, *sim.Directory) {
	b.Helper()
	o, err := busyday.FromEnv()
	if err != nil {
		b.Fatal(err)
	}
	end := busyDayEnd()
	dir := busyDayDirectory(o, end)
	name := fmt.Sprintf("today-seed%d-a%d-q%d-t%d-c%d-until-%s", o.Seed, o.Agents, o.Queues, o.Trunks, o.Calls, end.Format("2006-01-02T1504"))
	cache := os.Getenv(busyday.CacheEnv)
	if cache == "" {
		cache = b.TempDir()
	}
	out := filepath.Join(cache, name, end.Format(time.DateOnly)+".jsonl")
	if _, err := os.Stat(out); err == nil {
		return out, dir
	}
	b.StopTimer()
	defer b.StartTimer()
	whole := filepath.Join(cache, name+".whole")
	os.RemoveAll(whole)
	defer os.RemoveAll(whole)
	d, err := busyday.Write(whole, end, time.UTC, o)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
		b.Fatal(err)
	}
	if err := cutDay(d.Paths[len(d.Paths)-1], out+".part", end); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(out+".part", out); err != nil {
		b.Fatal(err)
	}
	return out, dir
}

// busyDayDirectory is the directory of the center busyday writes with o
// on day's date in UTC: its traffic model's, which depends on the sizes
// and the seed only.
func busyDayDirectory(o busyday.Options, day time.Time) *sim.Directory {
	flat := func(time.Time) float64 { return 1 }
	midnight := day.UTC().Truncate(24 * time.Hour)
	center := &sim.Center{Agents: o.Agents, Queues: o.Queues, Trunks: o.Trunks, QueueRate: 1, Load: flat, Staffing: flat}
	dir := sim.NewTraffic(o.Seed, midnight, sim.TrafficOptions{Center: center}).Directory()
	return &dir
}

// cutDay copies the lines of the day file from, in UTC, to to up to the
// first made at end or later.
func cutDay(from, to string, end time.Time) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	r, w := bufio.NewReaderSize(in, 1<<20), bufio.NewWriterSize(out, 1<<20)
	prefix, cut := []byte(`{"t":"`), []byte(end.UTC().Format("2006-01-02T15:04:05"))
	for {
		line, err := r.ReadSlice('\n')
		if len(line) >= len(prefix)+len(cut) && bytes.HasPrefix(line, prefix) && bytes.Compare(line[len(prefix):len(prefix)+len(cut)], cut) >= 0 {
			break
		}
		if err == bufio.ErrBufferFull {
			err = nil // a long line: the rest follows
		}
		if _, werr := w.Write(line); werr != nil {
			out.Close()
			return werr
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			out.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// copyFile copies from to to, 0600, its directory made.
func copyFile(b *testing.B, from, to string) {
	b.Helper()
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		b.Fatal(err)
	}
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}

// statusMB is a size field of /proc/PID/status (VmRSS, VmHWM), in MB.
func statusMB(pid int, field string) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1000
		}
	}
	return 0
}
