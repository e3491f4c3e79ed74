package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callboard/internal/testkit/busyday"
	"callboard/journal"
)

// BenchmarkReportBusyDay runs `callboard report --csv calls|intervals|agents`
// of a busy day, in process, its output discarded; s/report and the peaks
// are the README's figures (cpu-s/op, the CPU time of the process, says
// how much of the time was the machine's other load). The day is busyday's, sized by
// CALLBOARD_BUSYDAY (see busyday.FromEnv), with the day before:
//
//	CALLBOARD_BUSYDAY=big CALLBOARD_BUSYDAY_CACHE=/tmp/busyday go test ./cli -run '^$' -bench ReportBusyDay -benchtime 1x
func BenchmarkReportBusyDay(b *testing.B) {
	days, _, _ := busyday.ForBenchmark(b, true)
	config := journalConfig(b, days, "*.jsonl")
	date := busyday.Date.Format(time.DateOnly)
	later := func() time.Time { return busyday.Date.AddDate(0, 0, 2) }
	for _, table := range []string{"calls", "intervals", "agents"} {
		b.Run(table, func(b *testing.B) {
			peaks := busyday.Watch()
			for b.Loop() {
				var errs strings.Builder
				if err := runReport(context.Background(), []string{"--config", config, "--day", date, "--csv", table}, io.Discard, &errs, later); err != nil {
					b.Fatalf("%v: %s", err, errs.String())
				}
			}
			peaks.Stop().Report(b)
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/report")
		})
	}
}

// BenchmarkReportBusyDayFromCheckpoint runs `callboard report --csv
// calls|intervals|agents` of the busy day (the day before in the journal)
// from the journal's newest checkpoint, beside the same report from the
// day's first line (the same day files, no checkpoint), in process, in
// turn (busyday.Alternate): ckpt-* and whole-* are the medians of each.
// The two print the same bytes, or the benchmark fails.
//
//	CALLBOARD_BUSYDAY=big CALLBOARD_BUSYDAY_CACHE=/tmp/busyday go test ./cli -run '^$' -bench ReportBusyDayFromCheckpoint -benchtime 1x
func BenchmarkReportBusyDayFromCheckpoint(b *testing.B) {
	ck, _, _ := busyday.ForBenchmarkOf(b, true, true)
	whole, _, _ := busyday.ForBenchmarkOf(b, true, false)
	configs := map[string]string{"ckpt": journalConfig(b, ck, "*.jsonl", "*.ckpt"), "whole": journalConfig(b, whole, "*.jsonl")}
	date := busyday.Date.Format(time.DateOnly)
	later := func() time.Time { return busyday.Date.AddDate(0, 0, 2) }
	for _, table := range []string{"calls", "intervals", "agents"} {
		b.Run(table, func(b *testing.B) {
			printed := map[string][sha256.Size]byte{}
			report := func(name string) busyday.Way {
				return busyday.Way{Name: name, Run: func() error {
					// the table hashed as it is printed, as a file or a pipe
					// takes it: not held in the benchmark's memory
					out := sha256.New()
					var errs bytes.Buffer
					if err := runReport(context.Background(), []string{"--config", configs[name], "--day", date, "--csv", table}, out, &errs, later); err != nil {
						return fmt.Errorf("%v: %s", err, errs.String())
					}
					if errs.Len() > 0 {
						return fmt.Errorf("said %q", errs.String())
					}
					printed[name] = [sha256.Size]byte(out.Sum(nil))
					return nil
				}}
			}
			for b.Loop() {
				busyday.Alternate(b, busyday.Rounds, report("ckpt"), report("whole"))
			}
			if printed["ckpt"] != printed["whole"] {
				b.Fatal("the report from the checkpoint is not the report from the day's start")
			}
		})
	}
}

// journalConfig is the configuration of an account (its zone busyday's)
// whose journal holds the files of the directory days that match
// patterns, linked.
func journalConfig(b testing.TB, days string, patterns ...string) string {
	base := b.TempDir()
	const url, login = "https://callboard.test", "supervisor"
	config := filepath.Join(base, "config.toml")
	body := fmt.Sprintf("[axialys]\nurl = %q\nlogin = %q\npassword_env = \"CALLBOARD_BENCH_UNSET\"\n"+
		"[display]\ntimezone = %q\n[journal]\ndir = %q\n", url, login, busyday.Location.String(), filepath.Join(base, "journal"))
	if err := os.WriteFile(config, []byte(body), 0o600); err != nil {
		b.Fatal(err)
	}
	linkDays(b, days, journal.AccountDir(filepath.Join(base, "journal"), url, login), patterns...)
	return config
}

// linkDays puts the files of from that match patterns into the journal
// directory to, linked (copied where links cannot be made).
func linkDays(b testing.TB, from, to string, patterns ...string) {
	if err := os.MkdirAll(to, 0o700); err != nil {
		b.Fatal(err)
	}
	var files []string
	for _, p := range patterns {
		matched, err := filepath.Glob(filepath.Join(from, p))
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, matched...)
	}
	if len(files) == 0 {
		b.Fatalf("no day files in %s", from)
	}
	for _, f := range files {
		dst := filepath.Join(to, filepath.Base(f))
		if os.Link(f, dst) == nil {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o600); err != nil {
			b.Fatal(err)
		}
	}
}
