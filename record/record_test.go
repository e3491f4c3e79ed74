package record

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"callboard/feed"
)

func TestRecordingKeepsNoTokenAndReadsBack(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 123456789, time.UTC)
	var buf bytes.Buffer
	rec := NewRecorder(&buf, t0)
	dir := feed.Directory{Agents: []feed.Agent{{ID: "1", Name: "Alice", Groups: []feed.Text{"391"}}}, Groups: []feed.Named{{ID: "391", Name: "Support"}}, Target: "5207", Token: "tok-s3cret", Expires: t0.Add(2 * time.Hour)}
	msgs := []feed.Message{
		&feed.StatusMsg{State: feed.Connecting, Reason: "authenticating", At: t0},
		&feed.DirectoryMsg{Directory: dir, At: t0.Add(time.Millisecond)},
		&feed.StatusMsg{State: feed.Live, Protocol: feed.ProtocolV4, At: t0.Add(2 * time.Millisecond)},
		&feed.Event{Received: t0.Add(3 * time.Millisecond), Raw: []byte(`{"cpt":1,"event":{"type_notification":"UI","event":"login","msg":{"id_operator":"1"}}}`)},
		&feed.Event{Received: t0.Add(4 * time.Millisecond), Raw: []byte("not json \x1b[31m")},
		&feed.StatusMsg{State: feed.Disconnected, Reason: "connection lost: EOF", At: t0.Add(5 * time.Millisecond)},
	}
	for _, m := range msgs {
		rec.Record(m)
	}
	if err := rec.Close(t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "tok-s3cret") {
		t.Fatalf("the recording holds the token:\n%s", buf.String())
	}
	back, err := readRecording(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Start.Equal(t0) || !back.End.Equal(t0.Add(time.Second)) || len(back.Messages) != len(msgs) {
		t.Fatalf("read back %v–%v, %d messages", back.Start, back.End, len(back.Messages))
	}
	d := back.Messages[1].(*feed.DirectoryMsg).Directory
	if d.Token != "" || d.Target != "5207" || len(d.Agents) != 1 || d.Agents[0].Groups[0] != "391" || !d.Expires.Equal(dir.Expires) {
		t.Errorf("directory read back as %+v", d)
	}
	if ev := back.Messages[3].(*feed.Event); ev.Err != nil || ev.Update.Msg.Operator != "1" || !ev.Received.Equal(t0.Add(3*time.Millisecond)) {
		t.Errorf("update read back as %+v", ev)
	}
	if ev := back.Messages[4].(*feed.Event); ev.Err == nil || string(ev.Raw) != "not json \x1b[31m" {
		t.Errorf("a rejected payload must come back byte for byte and rejected again: %+v", ev)
	}
	if st := back.Messages[5].(*feed.StatusMsg); st.State != feed.Disconnected || st.Reason != "connection lost: EOF" {
		t.Errorf("status read back as %+v", st)
	}
}

func TestReadRecordingRefusesOtherFiles(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"", "hello\n", `{"t":"2026-01-01T00:00:00Z","kind":"update"}` + "\n", `{"t":"2026-01-01T00:00:00Z","kind":"mystery"}` + "\n"} {
		if _, err := readRecording(strings.NewReader(text)); err == nil {
			t.Errorf("%q accepted", text)
		}
	}
}

// TestAJournalReadsRunsOneAfterTheOther: a start line after another run's
// lines is a restart: a Disconnected status dated at the last line before
// it, "not running"; a continue line is the same run going on.
func TestAJournalReadsRunsOneAfterTheOther(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 24, 23, 59, 0, 0, time.UTC)
	login := &feed.Event{Received: t0.Add(time.Second), Raw: []byte(`{"cpt":1,"event":{"type_notification":"UI","event":"login","msg":{"id_operator":"1"}}}`)}
	var text []byte
	text = AppendMark(text, MarkStart, t0)
	text = Append(text, &feed.Batch{Events: []*feed.Event{login, login}})
	text = AppendMark(text, MarkContinue, t0.Add(time.Minute))
	text = Append(text, &feed.StatusMsg{State: feed.Live, At: t0.Add(2 * time.Minute)})
	text = AppendMark(text, MarkStart, t0.Add(time.Hour))
	text = Append(text, &feed.StatusMsg{State: feed.Connecting, Reason: "authenticating", At: t0.Add(time.Hour)})
	r := NewReader(bytes.NewReader(text), false)
	got := readAll(t, r)
	if len(got) != 5 {
		t.Fatalf("%d messages, want 5: two updates, live, the gap, connecting", len(got))
	}
	gap, ok := got[3].(*feed.StatusMsg)
	if !ok || gap.State != feed.Disconnected || gap.Reason != feed.ReasonNotRunning || !gap.At.Equal(t0.Add(2*time.Minute)) {
		t.Errorf("the restart read as %#v, want disconnected, not running, at the last line before", got[3])
	}
	if !r.Start.Equal(t0) || !r.End.IsZero() || r.Skipped != 0 {
		t.Errorf("start %v, end %v, skipped %d", r.Start, r.End, r.Skipped)
	}
}

// TestATakeoverIsNoRestart: a takeover line after another run's lines
// (and its end line) is a process that saw all that came since: no time
// not running is reported there, and the runs read as one.
func TestATakeoverIsNoRestart(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	var text []byte
	text = AppendMark(text, MarkStart, t0)
	text = Append(text, &feed.StatusMsg{State: feed.Live, At: t0})
	text = AppendMark(text, MarkEnd, t0.Add(time.Minute))
	text = AppendMark(text, MarkTakeover, t0.Add(time.Minute+time.Second))
	text = Append(text, &feed.StatusMsg{State: feed.Live, At: t0.Add(time.Minute + time.Second)})
	r := NewReader(bytes.NewReader(text), false)
	var got []string
	for _, m := range readAll(t, r) {
		st := m.(*feed.StatusMsg)
		got = append(got, st.State.String()+" "+st.Reason)
	}
	if g := strings.Join(got, " | "); g != "live  | live " {
		t.Errorf("read %q, want the two live statuses and no time not running", g)
	}
	if !r.Start.Equal(t0) || !r.End.IsZero() {
		t.Errorf("start %v, end %v: want the first start, and no end (the run goes on)", r.Start, r.End)
	}
	// alone, a day file that begins with a takeover line reads
	alone := AppendMark(nil, MarkTakeover, t0)
	alone = Append(alone, &feed.StatusMsg{State: feed.Live, At: t0})
	r = NewReader(bytes.NewReader(alone), true)
	if _, err := r.Next(); err != nil {
		t.Errorf("a file that begins with a takeover line: %v", err)
	}
}

// recording is a recording read back.
type recording struct {
	Start, End time.Time      // End is zero when the recording was cut short
	Messages   []feed.Message // in order, each dated (Event.Received, At)
}

// readRecording reads a whole recording, strictly: a line it cannot read
// is an error (a misdated one is skipped, as by any Reader).
func readRecording(rd io.Reader) (*recording, error) {
	r := NewReader(rd, false)
	rec := &recording{}
	for {
		m, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		rec.Messages = append(rec.Messages, m)
	}
	rec.Start, rec.End = r.Start, r.End
	return rec, nil
}

// readAll reads r's messages to its end.
func readAll(t *testing.T, r *Reader) []feed.Message {
	t.Helper()
	var got []feed.Message
	for {
		m, err := r.Next()
		if err == io.EOF {
			return got
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
}

// TestALenientReaderSkipsWhatItCannotRead: corrupt lines anywhere and a
// torn last line are skipped and counted.
func TestALenientReaderSkipsWhatItCannotRead(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	ev := &feed.Event{Received: t0, Raw: []byte(`{"cpt":1}`)}
	var text []byte
	text = AppendMark(text, MarkStart, t0)
	text = Append(text, ev)
	text = append(text, "\x00\x00garbage\n"...)
	text = Append(text, ev)
	whole := Append(nil, ev)
	text = append(text, whole[:len(whole)/2]...) // torn: kill -9 mid-line
	for _, lenient := range []bool{true, false} {
		r := NewReader(bytes.NewReader(text), lenient)
		n, err := readToTheEnd(r)
		if lenient && (err != io.EOF || n != 2 || r.Skipped != 2) {
			t.Errorf("lenient: %d messages, %d skipped, %v; want 2, 2, EOF", n, r.Skipped, err)
		}
		if !lenient && (err == io.EOF || !strings.Contains(err.Error(), "line 3")) {
			t.Errorf("strict: %v, want an error at line 3", err)
		}
	}
}

// TestALineTooLongIsSkippedAndTheRestRead: a lenient reader skips a line
// past the longest it reads and reads on; a strict one names it.
func TestALineTooLongIsSkippedAndTheRestRead(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	ev := &feed.Event{Received: t0, Raw: []byte(`{"cpt":1}`)}
	text := AppendMark(nil, MarkStart, t0)
	text = Append(text, ev)
	text = append(text, bytes.Repeat([]byte("x"), maxRecordLine+10)...)
	text = append(text, '\n')
	text = Append(text, ev)
	text = Append(text, ev)
	for _, lenient := range []bool{true, false} {
		r := NewReader(bytes.NewReader(text), lenient)
		n, err := readToTheEnd(r)
		if lenient && (err != io.EOF || n != 3 || r.Skipped != 1) {
			t.Errorf("lenient: %d messages, %d skipped, %v; want 3, 1, EOF", n, r.Skipped, err)
		}
		if !lenient && (err == io.EOF || !strings.Contains(err.Error(), "line 3: line longer than 64 MB")) {
			t.Errorf("strict: %v, want line 3 named too long", err)
		}
	}
}

// readToTheEnd reads r's messages until its first error, and returns how
// many it read and that error.
func readToTheEnd(r *Reader) (int, error) {
	for n := 0; ; n++ {
		if _, err := r.Next(); err != nil {
			return n, err
		}
	}
}

// TestAMisdatedLineOfARecordingIsSkipped: in a recording (no day bounds),
// a line dated in 2099 or hours back among the others is skipped and
// counted as misdated, by a strict reader too; the end line stays where
// it is.
func TestAMisdatedLineOfARecordingIsSkipped(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for _, wild := range []time.Time{time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), t0.Add(-3 * time.Hour)} {
		var buf bytes.Buffer
		rec := NewRecorder(&buf, t0)
		for i := range 20 {
			if i == 10 {
				rec.Record(&feed.StatusMsg{State: feed.Live, At: wild})
			}
			rec.Record(&feed.StatusMsg{State: feed.Live, At: t0.Add(time.Duration(i) * time.Second)})
		}
		end := t0.Add(time.Minute)
		if err := rec.Close(end); err != nil {
			t.Fatal(err)
		}
		for _, lenient := range []bool{false, true} {
			r := NewReader(bytes.NewReader(buf.Bytes()), lenient)
			var last time.Time
			n := 0
			for m, err := r.Next(); err != io.EOF; m, err = r.Next() {
				if err != nil {
					t.Fatal(err)
				}
				if at := feed.MessageTime(m); at.Before(last) || at.Year() != 2026 {
					t.Errorf("wild %v: a message at %v after %v", wild, at, last)
				}
				last = feed.MessageTime(m)
				n++
			}
			if n != 20 || r.Skipped != 1 || r.Misdated != 1 || !r.End.Equal(end) {
				t.Errorf("wild %v, lenient %v: %d messages, %d skipped, %d misdated, end %v; want 20, 1, 1, %v", wild, lenient, n, r.Skipped, r.Misdated, r.End, end)
			}
		}
	}
}

// TestAQuarantinedUpdateReadsBackRejected: an update whose application
// crashed the board is written with "rejected" and read back rejected
// (ReasonQuarantined, the panic's message), its cpt still read, by the
// appender the journal uses and by Append alike.
func TestAQuarantinedUpdateReadsBackRejected(t *testing.T) {
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	raw := []byte(`{"cpt":7,"event":{"type_notification":"UI","event":"login","msg":{"id_operator":1}}}`)
	ev := &feed.Event{Received: at, Raw: raw, Err: &feed.DecodeError{Reason: feed.ReasonQuarantined, Detail: "runtime error: boom"}}
	var a Appender
	for _, data := range [][]byte{a.Append(AppendMark(nil, MarkStart, at), ev), Append(AppendMark(nil, MarkStart, at), ev)} {
		if !bytes.Contains(data, []byte(`"rejected":"runtime error: boom"`)) {
			t.Errorf("the line does not say it was rejected: %s", data)
		}
		r := NewReader(bytes.NewReader(data), false)
		m, err := r.Next()
		back, ok := m.(*feed.Event)
		if err != nil || !ok || !back.Quarantined() || back.Err.Error() != "made the board crash: runtime error: boom" || back.Update.Seq != 7 || !back.Update.HasSeq || !bytes.Equal(back.Raw, raw) {
			t.Errorf("read back %+v (%v)", m, err)
		}
	}
}

// TestLinesFlaggedAheadWaitForTheWritersWord: lines a journal's writer
// flagged as written during a jump of its clock (ClockAhead) are kept,
// in order, when it says it followed the jump (ClockFollowed), beyond
// HoldLines of them or not; skipped as misdated at an unflagged line, a
// start, an end line or the end of the file; and no more than AheadLines
// of them are held, the oldest skipped as misdated.
func TestLinesFlaggedAheadWaitForTheWritersWord(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	status := func(at time.Time) []byte { return Append(nil, &feed.StatusMsg{State: feed.Live, At: at}) }
	for _, c := range []struct {
		name           string
		flagged        int
		then           []byte
		kept, misdated int
	}{
		{"followed", 20, AppendFollowed(nil, t0.Add(5*time.Hour+time.Minute)), 20, 0},
		{"a line back", 20, status(t0.Add(time.Minute)), 0, 20},
		{"a start", 20, AppendMark(nil, MarkStart, t0.Add(2*time.Minute)), 0, 20},
		{"an end", 20, AppendMark(nil, MarkEnd, t0.Add(time.Minute)), 0, 20},
		{"the file's end", 20, nil, 0, 20},
		{"beyond the bound, followed", AheadLines + 3, AppendFollowed(nil, t0.Add(6*time.Hour)), AheadLines, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			file := AppendMark(nil, MarkStart, t0)
			file = append(file, status(t0.Add(time.Second))...)
			var ahead []byte
			for i := range c.flagged {
				ahead = append(ahead, status(t0.Add(5*time.Hour+time.Duration(i)*time.Millisecond))...)
			}
			file = append(append(file, MarkAhead(ahead)...), c.then...)
			r := NewReader(bytes.NewReader(file), false)
			got := readAll(t, r)
			var kept int
			var last time.Time
			for _, m := range got {
				at := feed.MessageTime(m)
				if at.Before(last) {
					t.Fatalf("a message at %v after %v", at, last)
				}
				last = at
				if at.Sub(t0) >= 5*time.Hour {
					kept++
				}
			}
			if kept != c.kept || r.Misdated != c.misdated || r.Skipped != c.misdated {
				t.Errorf("kept %d flagged lines, %d misdated, %d skipped; want %d, %d, %d", kept, r.Misdated, r.Skipped, c.kept, c.misdated, c.misdated)
			}
			if c.kept == AheadLines && !feed.MessageTime(got[len(got)-1]).Equal(t0.Add(5*time.Hour+time.Duration(c.flagged-1)*time.Millisecond)) {
				t.Errorf("the last kept at %v, want the newest flagged", feed.MessageTime(got[len(got)-1]))
			}
		})
	}
}
