package feed

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestRecordingKeepsNoTokenAndReadsBack(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 123456789, time.UTC)
	var buf bytes.Buffer
	rec := NewRecorder(&buf, t0)
	dir := Directory{Agents: []Agent{{ID: "1", Name: "Alice", Groups: []Text{"391"}}}, Groups: []Named{{ID: "391", Name: "Support"}}, Target: "5207", Token: "tok-s3cret", Expires: t0.Add(2 * time.Hour)}
	msgs := []Message{
		&StatusMsg{State: Connecting, Reason: "authenticating", At: t0},
		&DirectoryMsg{Directory: dir, At: t0.Add(time.Millisecond)},
		&StatusMsg{State: Live, Protocol: ProtocolV4, At: t0.Add(2 * time.Millisecond)},
		&Event{Received: t0.Add(3 * time.Millisecond), Raw: []byte(`{"cpt":1,"event":{"type_notification":"UI","event":"login","msg":{"id_operator":"1"}}}`)},
		&Event{Received: t0.Add(4 * time.Millisecond), Raw: []byte("not json \x1b[31m")},
		&StatusMsg{State: Disconnected, Reason: "connection lost: EOF", At: t0.Add(5 * time.Millisecond)},
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
	back, err := ReadRecording(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Start.Equal(t0) || !back.End.Equal(t0.Add(time.Second)) || len(back.Messages) != len(msgs) {
		t.Fatalf("read back %v–%v, %d messages", back.Start, back.End, len(back.Messages))
	}
	d := back.Messages[1].(*DirectoryMsg).Directory
	if d.Token != "" || d.Target != "5207" || len(d.Agents) != 1 || d.Agents[0].Groups[0] != "391" || !d.Expires.Equal(dir.Expires) {
		t.Errorf("directory read back as %+v", d)
	}
	if ev := back.Messages[3].(*Event); ev.Err != nil || ev.Update.Msg.Operator != "1" || !ev.Received.Equal(t0.Add(3*time.Millisecond)) {
		t.Errorf("update read back as %+v", ev)
	}
	if ev := back.Messages[4].(*Event); ev.Err == nil || string(ev.Raw) != "not json \x1b[31m" {
		t.Errorf("a rejected payload must come back byte for byte and rejected again: %+v", ev)
	}
	if st := back.Messages[5].(*StatusMsg); st.State != Disconnected || st.Reason != "connection lost: EOF" {
		t.Errorf("status read back as %+v", st)
	}
}

func TestReadRecordingRefusesOtherFiles(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"", "hello\n", `{"t":"2026-01-01T00:00:00Z","kind":"update"}` + "\n", `{"t":"2026-01-01T00:00:00Z","kind":"mystery"}` + "\n"} {
		if _, err := ReadRecording(strings.NewReader(text)); err == nil {
			t.Errorf("%q accepted", text)
		}
	}
}
