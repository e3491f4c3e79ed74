package app

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"callboard/internal/testkit/feedtest"
	"callboard/record"
	"callboard/sim"
	"callboard/state"

	"github.com/klauspost/compress/zstd"
)

// TestAReportOfCompressedDaysIsTheSame: the report of a day, read with the
// day before (calls cross the midnight), is the same, figure for figure,
// when the journal's days are compressed.
func TestAReportOfCompressedDaysIsTheSame(t *testing.T) {
	dir := t.TempDir()
	start := time.Date(2026, 11, 22, 23, 0, 0, 0, time.UTC)
	tr := sim.NewTraffic(3, start, sim.TrafficOptions{Surprises: true})
	var stamp sim.Stamper
	var lines record.Appender
	days := map[string][]byte{}
	for now := start; now.Before(start.Add(4 * time.Hour)); now = now.Add(time.Second) {
		day := now.Format(time.DateOnly)
		if days[day] == nil {
			days[day] = record.AppendMark(nil, record.MarkStart, now)
		}
		evs := tr.Advance(now)
		if now == start {
			evs = tr.Snapshot()
		}
		for _, ev := range evs {
			raw, err := json.Marshal(stamp.Stamp(ev, now))
			if err != nil {
				t.Fatal(err)
			}
			days[day] = lines.Append(days[day], feedtest.Event(now, string(raw)))
		}
	}
	for day, data := range days {
		if err := os.WriteFile(filepath.Join(dir, day+".jsonl"), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	report := func() string {
		t.Helper()
		date := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		v, skipped, err := reportDay(context.Background(), dir, date, state.Options{Location: time.UTC}, func() time.Time { return date.AddDate(0, 0, 3) })
		if err != nil || skipped != "" {
			t.Fatalf("report: %v, skipped %q", err, skipped)
		}
		snap := v.Snapshot()
		snap.GeneratedAt = time.Time{}
		out, _ := json.Marshal(snap)
		return string(out)
	}
	plain := report()
	for day, data := range days {
		var zst bytes.Buffer
		enc, _ := zstd.NewWriter(&zst)
		enc.Write(data)
		enc.Close()
		if err := os.WriteFile(filepath.Join(dir, day+".jsonl.zst"), zst.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		os.Remove(filepath.Join(dir, day+".jsonl"))
	}
	if compressed := report(); compressed != plain {
		t.Errorf("the report of the compressed days:\n%s\nwant, as of the plain ones:\n%s", compressed, plain)
	}
	if len(plain) < 1000 {
		t.Errorf("a report of nothing: %s", plain)
	}
}
