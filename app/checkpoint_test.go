package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callboard/feed"
	"callboard/hub"
	"callboard/internal/testkit"
	"callboard/internal/testkit/busyday"
	"callboard/internal/testkit/feedtest"
	"callboard/journal"
	"callboard/state"
)

// TestAReportFromACheckpointIsTheWholeReplays: the report of a day (the
// day before, followed into the next day's file, and today's) read from
// the journal's newest checkpoint and the lines after it has the view
// and report of the report read from the journal's first line (its
// checkpoints removed), field by field; a corrupt checkpoint is ignored,
// said, and the report is the same.
func TestAReportFromACheckpointIsTheWholeReplays(t *testing.T) {
	start := time.Date(2025, 3, 3, 21, 0, 0, 0, time.UTC)
	end := start.Add(4 * time.Hour)
	ms := feedtest.SimDay(4, start, end,
		feedtest.Outage{From: start.Add(40 * time.Minute), To: start.Add(43 * time.Minute)},
		feedtest.Outage{From: start.Add(178 * time.Minute), To: start.Add(183 * time.Minute)})
	opts := state.Options{Location: time.UTC, EventLogSize: 40}
	dir := filepath.Join(t.TempDir(), "acct")
	clock := start
	k := journal.OpenKeeper(journal.KeeperConfig{Dir: dir, Location: time.UTC, Write: true, Now: func() time.Time { return clock }})
	cfg := hub.Config{Options: opts, Now: func() time.Time { return clock }, Start: start, MinInterval: time.Hour, TickInterval: time.Hour,
		FollowMessages: true, CheckpointEvery: 7 * time.Minute}
	k.Attach(&cfg)
	ch := make(chan feed.Message, len(ms))
	for _, m := range ms[:len(ms)*9/10] { // the rest not checkpointed
		ch <- m
	}
	close(ch)
	if err := hub.New(cfg).Run(context.Background(), ch); err != nil {
		t.Fatal(err)
	}
	k.Close()
	w, err := journal.Open(journal.Config{Dir: dir, Location: time.UTC}, feed.MessageTime(ms[len(ms)*9/10]))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms[len(ms)*9/10:] {
		w.Record(m)
	}
	if err := w.Close(end); err != nil {
		t.Fatal(err)
	}

	// the days in either form: the keeper compresses the closed ones while
	// it writes, as far as it got before it closed
	whole := testkit.CopyFiles(t, dir, "*.jsonl", "*.jsonl.zst")
	now := func() time.Time { return end.Add(time.Hour) }
	report := func(dir string, date time.Time) (*state.View, string) {
		v, skipped, err := reportDay(context.Background(), dir, date, opts, now)
		if err != nil {
			t.Fatal(err)
		}
		return v, skipped
	}
	same := func(what string, want, got *state.View) {
		t.Helper()
		for _, diff := range testkit.DifferentFields(*want, *got, nil) {
			t.Errorf("%s: %s", what, diff)
		}
	}
	for _, date := range []time.Time{time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC), time.Date(2025, 3, 4, 12, 0, 0, 0, time.UTC)} {
		want, _ := report(whole, date)
		got, skipped := report(dir, date)
		if skipped != "" {
			t.Errorf("%s: skipped %q", date.Format(time.DateOnly), skipped)
		}
		same(date.Format(time.DateOnly), want, got)
	}
	today := filepath.Join(dir, "2025-03-04.ckpt")
	data, err := os.ReadFile(today)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-10] ^= 1
	if err := os.WriteFile(today, data, 0o600); err != nil {
		t.Fatal(err)
	}
	date := time.Date(2025, 3, 4, 12, 0, 0, 0, time.UTC)
	want, _ := report(whole, date)
	got, skipped := report(dir, date)
	if !strings.Contains(skipped, "1 checkpoints could not be read") {
		t.Errorf("a corrupt checkpoint: skipped %q", skipped)
	}
	same("a corrupt checkpoint", want, got)
}

// TestTheBusyDaysReportIsTheSameFromItsCheckpoints: the report of the
// generated busy day (small), and of the day before it, read from the
// checkpoints callboard's writer kept, is the report read from the
// journal's first line, field by field; and the day's from the day
// before's last checkpoint (the day's own lost), across midnight.
func TestTheBusyDaysReportIsTheSameFromItsCheckpoints(t *testing.T) {
	o := busyday.Small(5)
	o.Yesterday, o.Checkpoints = true, true
	dir := t.TempDir()
	if _, err := busyday.Write(dir, busyday.Date, busyday.Location, o); err != nil {
		t.Fatal(err)
	}
	whole := testkit.CopyFiles(t, dir, "*.jsonl")
	opts := busyday.CheckpointOptions(busyday.Location)
	now := func() time.Time { return busyday.Date.AddDate(0, 0, 2) }
	report := func(dir string, date time.Time) *state.View {
		t.Helper()
		v, skipped, err := reportDay(context.Background(), dir, date, opts, now)
		if err != nil || skipped != "" {
			t.Fatalf("%s: %v, skipped %q", date.Format(time.DateOnly), err, skipped)
		}
		return v
	}
	same := func(what string, date time.Time) {
		t.Helper()
		want, got := report(whole, date), report(dir, date)
		for _, diff := range testkit.DifferentFields(*want, *got, testkit.SameJSON(t)) {
			t.Errorf("%s: %.600s", what, diff)
		}
	}
	date := time.Date(busyday.Date.Year(), busyday.Date.Month(), busyday.Date.Day(), 12, 0, 0, 0, time.UTC)
	same("the day", date)
	same("the day before", date.AddDate(0, 0, -1))
	if err := os.Remove(filepath.Join(dir, date.Format(time.DateOnly)+".ckpt")); err != nil {
		t.Fatal(err)
	}
	same("the day, from the day before's checkpoint", date)
}

// TestAReplayOfADayFileToItsEndIsTheSameFromItsCheckpoint: replay
// --snapshot of the busy day's file (small), a journal begun that day, is
// read from the checkpoint beside it and gives the snapshot of the file
// read from its first line (alone in another directory); a day whose
// checkpoint carries the day before (a journal that kept it) is read from
// its first line, as the file alone makes its board; a corrupt checkpoint
// is ignored, and said.
func TestAReplayOfADayFileToItsEndIsTheSameFromItsCheckpoint(t *testing.T) {
	opts := busyday.CheckpointOptions(busyday.Location)
	snapshot := func(rec *replayFile) string {
		t.Helper()
		defer rec.close()
		snap, err := replaySnapshot(context.Background(), rec, opts)
		if err != nil {
			t.Fatal(err)
		}
		snap.GeneratedAt = time.Time{}
		out, err := json.Marshal(snap)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	for _, yesterday := range []bool{false, true} {
		o := busyday.Small(6)
		o.Yesterday, o.Checkpoints = yesterday, true
		dir := t.TempDir()
		d, err := busyday.Write(dir, busyday.Date, busyday.Location, o)
		if err != nil {
			t.Fatal(err)
		}
		path := d.Paths[len(d.Paths)-1]
		alone := filepath.Join(testkit.CopyFiles(t, dir, filepath.Base(path)), filepath.Base(path))
		whole, err := openReplay(alone, busyday.Location, true, opts)
		if err != nil {
			t.Fatal(err)
		}
		fromCk, err := openReplay(path, busyday.Location, true, opts)
		if err != nil {
			t.Fatal(err)
		}
		if whole.ck != nil || (fromCk.ck != nil) == yesterday || fromCk.ignored != 0 {
			t.Errorf("yesterday %v: the file alone read from %v, beside its checkpoint from %v (%d ignored)", yesterday, whole.ck, fromCk.ck, fromCk.ignored)
		}
		if want, got := snapshot(whole), snapshot(fromCk); got != want {
			t.Errorf("yesterday %v: replayed from the checkpoint\n%.2000s\nwant\n%.2000s", yesterday, got, want)
		}
		if yesterday {
			continue
		}
		ckPath := strings.TrimSuffix(path, ".jsonl") + ".ckpt"
		data, err := os.ReadFile(ckPath)
		if err != nil {
			t.Fatal(err)
		}
		data[len(data)-10] ^= 1
		if err := os.WriteFile(ckPath, data, 0o600); err != nil {
			t.Fatal(err)
		}
		corrupt, err := openReplay(path, busyday.Location, true, opts)
		if err != nil {
			t.Fatal(err)
		}
		if said := ignoredCheckpoints(skippedLines(corrupt.r), corrupt.ignored, "the file read from its start"); corrupt.ck != nil || !strings.Contains(said, "1 checkpoints could not be read") {
			t.Errorf("a corrupt checkpoint: read from %v, said %q", corrupt.ck, said)
		}
		corrupt.close()
	}
}
