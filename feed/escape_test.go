package feed

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestEscapeInvisibleKeepsTheDataAndHidesTheControls(t *testing.T) {
	t.Parallel()
	hostile := "a\u009b31mred\u202eevil\u2066x\u200bz\ufeffé—\U0001F600"
	b, err := json.Marshal(map[string]string{"name": hostile})
	if err != nil {
		t.Fatal(err)
	}
	got := EscapeInvisible(b)
	for _, bad := range []string{"\u009b", "\u202e", "\u2066", "\u200b", "\ufeff"} {
		if strings.Contains(string(got), bad) {
			t.Errorf("%q is still raw in %s", bad, got)
		}
	}
	for _, want := range []string{`\u009b`, `\u202e`, `\u2066`, `\u200b`, `\ufeff`, "é—\U0001F600"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("%s lacks %q", got, want)
		}
	}
	var back map[string]string
	if err := json.Unmarshal(got, &back); err != nil || back["name"] != hostile {
		t.Errorf("read back %q (%v), want %q", back["name"], err, hostile)
	}
	plain := []byte(`{"name":"Hélène"}`)
	if out := EscapeInvisible(plain); &out[0] != &plain[0] {
		t.Error("plain JSON was copied")
	}
}

func TestRecordingsEscapeInvisibleCharactersAndReadBackTheSame(t *testing.T) {
	t.Parallel()
	var buf strings.Builder
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	r := NewRecorder(&buf, at)
	raw := "{\"event\":{\"type_notification\":\"UI\",\"event\":\"login\",\"msg\":{\"id_operator\":\"1\u009b2J\u202e\"}}}"
	r.Record(&Event{Received: at, Raw: []byte(raw)})
	r.Record(&DirectoryMsg{At: at, Directory: Directory{Agents: []Agent{{ID: "1", Name: "Eve\u2067il\u009b"}}}})
	if err := r.Close(at); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, bad := range []string{"\u009b", "\u202e", "\u2067"} {
		if strings.Contains(text, bad) {
			t.Errorf("the recording carries %q raw", bad)
		}
	}
	rec, err := ReadRecording(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if ev, ok := rec.Messages[0].(*Event); !ok || string(ev.Raw) != raw {
		t.Errorf("read back %v, want the payload as it came", rec.Messages[0])
	}
	if d, ok := rec.Messages[1].(*DirectoryMsg); !ok || d.Directory.Agents[0].Name != "Eve\u2067il\u009b" {
		t.Errorf("read back %v, want the name as it came", rec.Messages[1])
	}
}
