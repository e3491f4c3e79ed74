//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package journal

import (
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"callboard/feed"
)

// BenchmarkCompressedDay: four hours of the simulator's traffic (282 bytes
// a line, as a busy center's journal) compressed as a closed day is (made,
// checked, renamed), then read (Replay: read, parsed, decoded) from its
// plain file and from its compressed one, alternately, one pair an
// iteration and at least 5; medians of each.
func BenchmarkCompressedDay(b *testing.B) {
	data := simDay(yesterday, 4*time.Hour)
	plainDir, zstDir := b.TempDir(), b.TempDir()
	for _, dir := range []string{plainDir, zstDir} {
		if err := os.WriteFile(filepath.Join(dir, "2026-11-23.jsonl"), data, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	d, err := openDir(zstDir)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	began, cpu := time.Now(), processCPU()
	if err := (&compressor{d: d, dir: zstDir, files: &sync.Mutex{}}).compress("2026-11-23"); err != nil {
		b.Fatal(err)
	}
	took, cpu := time.Since(began), processCPU()-cpu
	fi, err := os.Stat(filepath.Join(zstDir, "2026-11-23.jsonl.zst"))
	if err != nil {
		b.Fatal(err)
	}
	read := func(dir string) time.Duration {
		began := time.Now()
		st, err := Replay(dir, time.UTC, yesterday, func(feed.Message) {})
		if err != nil || st.Messages == 0 || st.Skipped != 0 || st.Damaged != 0 {
			b.Fatalf("replay %+v, %v", st, err)
		}
		return time.Since(began)
	}
	var plain, compressed []time.Duration
	pair := func() {
		plain = append(plain, read(plainDir))
		compressed = append(compressed, read(zstDir))
	}
	for b.Loop() {
		pair()
	}
	for len(plain) < 5 {
		pair()
	}
	median := func(ds []time.Duration) float64 {
		slices.Sort(ds)
		return float64(ds[len(ds)/2].Microseconds()) / 1000
	}
	b.ReportMetric(float64(len(data))/float64(fi.Size()), "ratio")
	b.ReportMetric(float64(len(data))/1e6/took.Seconds(), "MB/s-compressed")
	b.ReportMetric(float64(len(data))/1e6/cpu.Seconds(), "MB/cpu-s-compressed")
	b.ReportMetric(median(plain), "ms/read-plain")
	b.ReportMetric(median(compressed), "ms/read-compressed")
	b.Logf("%.1f MB plain, %.2f MB compressed in %v (CPU %v); read %d pairs", float64(len(data))/1e6, float64(fi.Size())/1e6, took.Round(time.Millisecond), cpu.Round(time.Millisecond), len(plain))
}

// processCPU is the CPU time this process used so far, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
