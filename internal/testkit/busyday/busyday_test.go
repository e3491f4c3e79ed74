package busyday

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit"
	"callboard/journal"
	"callboard/state"
)

func writeSmall(t *testing.T, seed int64) (string, Day) {
	t.Helper()
	o := Small(seed)
	o.Yesterday = true
	dir := t.TempDir()
	d, err := Write(dir, Date, Location, o)
	if err != nil {
		t.Fatal(err)
	}
	return dir, d
}

func TestTheDayReplaysWhole(t *testing.T) {
	dir, d := writeSmall(t, 1)
	if len(d.Paths) != 2 {
		t.Fatalf("wrote %v, want the day before and the day", d.Paths)
	}
	var updates, rejected, notRunning, disconnected, continues int
	var last time.Time
	st, err := journal.Replay(dir, Location, Date.AddDate(0, 0, -1), func(m feed.Message) {
		at := feed.MessageTime(m)
		if at.Before(last) {
			t.Errorf("%T at %v, after a message at %v", m, at, last)
		}
		last = at
		switch m := m.(type) {
		case *feed.Event:
			updates++
			if m.Err != nil {
				rejected++
			}
		case *feed.StatusMsg:
			switch {
			case m.Reason == feed.ReasonNotRunning:
				notRunning++
			case m.State == feed.Disconnected:
				disconnected++
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Skipped != 0 || st.Misdated != 0 || st.Files != 2 {
		t.Errorf("replay: %+v, want 2 files, nothing skipped or misdated", st)
	}
	if rejected != 0 {
		t.Errorf("%d of %d updates rejected by the decoder", rejected, updates)
	}
	// one stretch not running a day; two disconnections a day
	if notRunning != 2 || disconnected != 4 {
		t.Errorf("%d stretches not running, %d disconnections; want 2 and 4", notRunning, disconnected)
	}
	data, err := os.ReadFile(d.Paths[1])
	if err != nil {
		t.Fatal(err)
	}
	continues = bytes.Count(data, []byte(`"kind":"continue"`))
	if continues != 1 || !bytes.HasPrefix(data, []byte(`{"t":"2026-11-24T00:00:00+01:00","kind":"continue"}`)) {
		t.Errorf("the day's file begins %.80q (%d continue lines), want the continue line at its midnight", data, continues)
	}
	if n := bytes.Count(data, []byte{'\n'}); n != d.Lines || int64(len(data)) != d.Bytes {
		t.Errorf("the day's file has %d lines, %d bytes; Write said %d, %d", n, len(data), d.Lines, d.Bytes)
	}
}

func TestTheDaysFiguresArePlausible(t *testing.T) {
	o := Small(1)
	dir, d := writeSmall(t, 1)
	v, err := Restart(dir, Location, d.End.Add(time.Second/2), state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Agents) != o.Agents || len(v.Queues) != o.Queues || len(v.Trunks) != o.Trunks {
		t.Errorf("%d agents, %d queues, %d trunks; want %d, %d, %d", len(v.Agents), len(v.Queues), len(v.Trunks), o.Agents, o.Queues, o.Trunks)
	}
	offered, answered, abandoned := 0, 0, 0
	for _, in := range v.Intervals {
		offered += in.Total.Offered
	}
	for _, q := range v.Queues {
		answered += q.Answered
		abandoned += q.Abandoned
	}
	trunks := 0
	for _, tr := range v.Trunks {
		trunks += tr.Total
	}
	if offered != d.QueueCalls || trunks != d.TrunkCalls {
		t.Errorf("the board offered %d queue calls and %d trunk calls; the day has %d and %d", offered, trunks, d.QueueCalls, d.TrunkCalls)
	}
	if calls := d.QueueCalls + d.TrunkCalls; calls < o.Calls*85/100 || calls > o.Calls*115/100 {
		t.Errorf("%d calls, want about %d", calls, o.Calls)
	}
	if answered != d.Answered || abandoned == 0 || answered+abandoned > offered || answered < offered*3/4 {
		t.Errorf("%d answered (the day: %d), %d abandoned of %d offered", answered, d.Answered, abandoned, offered)
	}
	outbound, paused, worked := 0, time.Duration(0), 0
	for _, a := range v.Agents {
		outbound += a.Today.Outbound
		paused += a.Today.Paused
		if a.Today.Answered > 0 {
			worked++
		}
	}
	// at most 63 % of the agents are on shift at once
	if outbound == 0 || paused == 0 || worked < o.Agents/2 {
		t.Errorf("%d outbound calls, %v paused, %d agents of %d answered calls", outbound, paused, worked, o.Agents)
	}
}

func TestTheDayIsTheSeeds(t *testing.T) {
	_, a := writeSmall(t, 7)
	_, b := writeSmall(t, 7)
	_, c := writeSmall(t, 8)
	read := func(d Day) []byte {
		data, err := os.ReadFile(d.Paths[1])
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	if !bytes.Equal(read(a), read(b)) {
		t.Error("the same seed wrote two days")
	}
	if bytes.Equal(read(a), read(c)) {
		t.Error("seeds 7 and 8 wrote the same day")
	}
}

// TestCheckpointsLeaveTheLinesAsTheyAre: the day written with its
// checkpoints has the day files of the day written without, byte for
// byte, and a checkpoint beside each, which the journal reads as valid.
func TestCheckpointsLeaveTheLinesAsTheyAre(t *testing.T) {
	o := Small(3)
	o.Yesterday = true
	plain, with := t.TempDir(), t.TempDir()
	a, err := Write(plain, Date, Location, o)
	if err != nil {
		t.Fatal(err)
	}
	o.Checkpoints = true
	b, err := Write(with, Date, Location, o)
	if err != nil {
		t.Fatal(err)
	}
	if a.Lines != b.Lines || a.Bytes != b.Bytes || a.Updates != b.Updates || len(a.Paths) != len(b.Paths) {
		t.Fatalf("without checkpoints %+v, with %+v", a, b)
	}
	for i := range a.Paths {
		pa, err := os.ReadFile(a.Paths[i])
		if err != nil {
			t.Fatal(err)
		}
		pb, err := os.ReadFile(b.Paths[i])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(pa, pb) {
			t.Errorf("%s differs with checkpoints", filepath.Base(a.Paths[i]))
		}
	}
	if ckpts, _ := filepath.Glob(filepath.Join(plain, "*.ckpt")); len(ckpts) != 0 {
		t.Errorf("checkpoints written without the option: %v", ckpts)
	}
	yesterday, today := Date.AddDate(0, 0, -1).Format(time.DateOnly), Date.Format(time.DateOnly)
	for _, day := range []string{yesterday, today} {
		ck, ignored := journal.NewestCheckpoint(with, day, day, CheckpointOptions(Location))
		if ck == nil || ignored != 0 {
			t.Errorf("%s: checkpoint %v, %d ignored", day, ck, ignored)
		}
	}
}

// TestARestartFromTheDaysCheckpointShowsWhatAWholeReplayDoes: a board
// restarted at the end of the day (the day before in the journal) from
// the newest checkpoint (the one its stop took) shows, field by field,
// what one restarted from the journal's first line shows; and so does one
// restarted from the day before's last checkpoint (the day's own lost),
// the day's lines read after it.
func TestARestartFromTheDaysCheckpointShowsWhatAWholeReplayDoes(t *testing.T) {
	o := Small(4)
	o.Yesterday, o.Checkpoints = true, true
	dir := t.TempDir()
	d, err := Write(dir, Date, Location, o)
	if err != nil {
		t.Fatal(err)
	}
	whole := testkit.CopyFiles(t, dir, "*.jsonl")
	same := func(what string, now time.Time, dir, whole string) {
		t.Helper()
		want, err := Restart(whole, Location, now, CheckpointOptions(Location))
		if err != nil {
			t.Fatal(err)
		}
		got, err := Restart(dir, Location, now, CheckpointOptions(Location))
		if err != nil {
			t.Fatal(err)
		}
		if got.Journal.Checkpoint.IsZero() || !want.Journal.Checkpoint.IsZero() || got.Journal.CheckpointsIgnored != 0 {
			t.Errorf("%s: restarted from %+v, the whole replay from %+v", what, got.Journal, want.Journal)
		}
		sameJSON := testkit.SameJSON(t)
		for _, diff := range testkit.DifferentFields(*want, *got, func(w, g any) bool {
			if _, ok := w.(state.JournalHealth); ok {
				return true // what was read differs: the figures do not
			}
			return sameJSON(w, g)
		}) {
			t.Errorf("%s: %.600s", what, diff)
		}
	}
	end := d.End.Add(time.Second / 2)
	same("at the day's end", end, dir, whole)
	if err := os.Remove(filepath.Join(dir, Date.Format(time.DateOnly)+".ckpt")); err != nil {
		t.Fatal(err)
	}
	same("from the day before's checkpoint", end, dir, whole)
}

// TestACheckpointIgnoredAtARestartIsInTheSnapshot: a board restarted on
// the day whose newest checkpoint is corrupt starts from the one before
// (the day before's), and its snapshot's journal says one was ignored;
// none is said when none was.
func TestACheckpointIgnoredAtARestartIsInTheSnapshot(t *testing.T) {
	o := Small(2)
	o.Yesterday, o.Checkpoints = true, true
	dir := t.TempDir()
	d, err := Write(dir, Date, Location, o)
	if err != nil {
		t.Fatal(err)
	}
	journalJSON := func() (state.SnapJournal, string) {
		t.Helper()
		v, err := Restart(dir, Location, d.End.Add(time.Second/2), CheckpointOptions(Location))
		if err != nil {
			t.Fatal(err)
		}
		snap := v.Snapshot()
		out, err := json.Marshal(snap.Feed.Journal)
		if err != nil {
			t.Fatal(err)
		}
		return snap.Feed.Journal, string(out)
	}
	if j, out := journalJSON(); j.CheckpointsIgnored != 0 || bytes.Contains([]byte(out), []byte("checkpoints_ignored")) {
		t.Errorf("nothing ignored: %s", out)
	}
	path := filepath.Join(dir, Date.Format(time.DateOnly)+".ckpt")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 1
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if j, out := journalJSON(); j.CheckpointsIgnored != 1 || !bytes.Contains([]byte(out), []byte(`"checkpoints_ignored":1`)) {
		t.Errorf("a corrupt checkpoint: %s", out)
	}
}
