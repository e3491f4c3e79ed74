package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"callboard/app"
	"callboard/feed"
	"callboard/record"
	"callboard/state"
)

// aBusyMorning is an hour from start: three agents answer a call every
// 20 s, each talked 30 s.
func aBusyMorning(t *testing.T, start time.Time) []feed.Message {
	steps := []step{
		{0, "UI", "login", `{"id_operator":1,"supp":""}`},
		{0, "UI", "login", `{"id_operator":2,"supp":""}`},
		{0, "UI", "login", `{"id_operator":3,"supp":""}`},
	}
	for i := range 180 {
		at := 10*time.Second + time.Duration(i)*20*time.Second
		call, agent := i+1, 1+i%3
		steps = append(steps,
			step{at, "queue", "insert_call", fmt.Sprintf(`{"id_call":%d,"id_queue":10,"caller_id_num":"33611111111","duration_in_queue":0}`, call)},
			step{at + 5*time.Second, "operator", "status", fmt.Sprintf(`{"id_operator":%d,"status":"connected","id_call":%d,"id_queue":10,"caller_id_num":"33611111111"}`, agent, call)},
			step{at + 5*time.Second, "queue", "connect_call", fmt.Sprintf(`{"id_call":%d,"id_queue":10,"id_operator":%d}`, call, agent)},
			step{at + 35*time.Second, "queue", "delete_call", fmt.Sprintf(`{"id_call":%d,"id_queue":10}`, call)},
			step{at + 35*time.Second, "operator", "status", fmt.Sprintf(`{"id_operator":%d,"status":"available"}`, agent)},
		)
	}
	slices.SortStableFunc(steps, func(a, b step) int { return int(a.at - b.at) })
	return append(connected(start), events(t, start, steps)...)
}

// writeDayFile writes msgs as the day file of fx's journal for start's
// day, between a start line at start and an end line at end, as they are
// (the writer's choice of file is not in the way).
func (fx reportFixture) writeDayFile(t *testing.T, start, end time.Time, msgs []feed.Message) string {
	t.Helper()
	data := record.AppendMark(nil, record.MarkStart, start)
	for _, m := range msgs {
		data = record.Append(data, m)
	}
	data = record.AppendMark(data, record.MarkEnd, end)
	if err := os.MkdirAll(fx.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(fx.dir, start.In(fx.loc).Format(time.DateOnly)+".jsonl")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// restarted is the board of a process started at now on fx's journal: the
// day replayed through the hub (the session's journal keeper), as a
// restart does, and nothing after.
func (fx reportFixture) restarted(t *testing.T, now time.Time) *state.View {
	t.Helper()
	s, err := app.Open(context.Background(), app.Options{ConfigPath: fx.config, Offline: true, Journal: app.ReadJournal, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	<-s.Done()
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return s.Hub.Latest()
}

// comparable is a snapshot without what differs between two takes of the
// same board.
func comparable(s state.Snapshot) state.Snapshot {
	s.GeneratedAt = time.Time{}
	s.Feed = state.SnapshotFeed{}
	return s
}

// TestAMisdatedLineDoesNotWipeTheDay: a day file with a line dated in
// 2099, tomorrow 03:00, or hours back in its middle gives, at a restart,
// in `report` and in `replay --snapshot`, the same day as the file without
// that line, the line counted as skipped.
func TestAMisdatedLineDoesNotWipeTheDay(t *testing.T) {
	clean := newReportFixture(t)
	start := time.Date(2025, 3, 10, 9, 0, 0, 0, clean.loc)
	end := start.Add(time.Hour + time.Minute)
	day := aBusyMorning(t, start)
	cleanFile := clean.writeDayFile(t, start, end, day)
	now := end.Add(time.Minute)
	want := clean.restarted(t, now)
	if want.Totals.Answered != 180 || want.Journal.Skipped != 0 {
		t.Fatalf("the clean day: %d answered, %d skipped; want 180, 0", want.Totals.Answered, want.Journal.Skipped)
	}
	wantIntervals := clean.report(t, "--day", "2025-03-10", "--csv", "intervals")
	wantSnap := replaySnapshotOf(t, cleanFile, clean.config)
	if len(wantIntervals.rows) < 8 || wantSnap.Since.Year() != 2025 {
		t.Fatalf("the clean day: %d interval rows, since %v", len(wantIntervals.rows), wantSnap.Since)
	}

	for _, c := range []struct {
		name string
		at   time.Time
	}{
		{"2099", time.Date(2099, 3, 10, 9, 30, 0, 0, clean.loc)},
		{"tomorrow 03:00", time.Date(2025, 3, 11, 3, 0, 0, 0, clean.loc)},
		{"hours back", start.Add(-3 * time.Hour)},
	} {
		t.Run(c.name, func(t *testing.T) {
			fx := newReportFixture(t)
			wild := events(t, c.at, []step{{0, "queue", "insert_call", `{"id_call":999,"id_queue":10,"caller_id_num":"33699999999","duration_in_queue":0}`}})
			mid := len(day) / 2
			file := fx.writeDayFile(t, start, end, slices.Concat(day[:mid], wild, day[mid:]))

			got := fx.restarted(t, now)
			if !reflect.DeepEqual(comparable(got.Snapshot()), comparable(want.Snapshot())) || got.Journal.Skipped != 1 {
				t.Errorf("restart: %d answered, %d waiting, since %v, %d skipped; want %d, %d, %v, 1",
					got.Totals.Answered, got.Totals.CallsWaiting, got.Day.Since, got.Journal.Skipped, want.Totals.Answered, want.Totals.CallsWaiting, want.Day.Since)
			}
			if intervals := fx.report(t, "--day", "2025-03-10", "--csv", "intervals"); !reflect.DeepEqual(intervals, wantIntervals) {
				t.Errorf("report --csv intervals: %d rows, want %d: %v", len(intervals.rows), len(wantIntervals.rows), intervals.rows)
			}
			if snap := replaySnapshotOf(t, file, fx.config); !reflect.DeepEqual(comparable(snap), comparable(wantSnap)) {
				t.Errorf("replay --snapshot: since %v, %d answered; want since %v, %d", snap.Since, snap.Totals.Answered, wantSnap.Since, wantSnap.Totals.Answered)
			}
		})
	}
}

// TestAMisdatedLineIsSaid: report and replay (with the writer's zone from
// --config, or without) say on stderr how many lines they skipped for
// their time.
func TestAMisdatedLineIsSaid(t *testing.T) {
	fx := newReportFixture(t)
	start := time.Date(2025, 3, 10, 9, 0, 0, 0, fx.loc)
	day := aBusyMorning(t, start)
	wild := events(t, time.Date(2099, 3, 10, 9, 30, 0, 0, fx.loc), []step{{0, "UI", "login", `{"id_operator":4,"supp":""}`}})
	file := fx.writeDayFile(t, start, start.Add(2*time.Hour), slices.Concat(day[:9], wild, day[9:]))
	const said = "1 lines skipped: 0 torn or corrupt, 1 misdated (outside the file's day, or out of order)"
	for _, args := range [][]string{
		{"report", "--config", fx.config, "--day", "2025-03-10", "--csv", "calls"},
		{"replay", file, "--snapshot", "--config", fx.config},
		{"replay", file, "--snapshot"}, // without the writer's zone: the day anywhere on Earth
	} {
		if code, _, errs := runCommand(args...); code != exitOK || !strings.Contains(errs, said) {
			t.Errorf("%s: exit %d, stderr %q; want it to say %q", args[0], code, errs, said)
		}
	}
}
