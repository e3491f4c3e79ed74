package record

import (
	"strings"
	"testing"
	"time"

	"callboard/feed"
)

// TestAnUpdateLineHidesTheControlsAndReadsBackTheSame: the characters
// feed.EscapeInvisible escapes are escaped in an update line too, which
// reads back the payload as it came.
func TestAnUpdateLineHidesTheControlsAndReadsBackTheSame(t *testing.T) {
	t.Parallel()
	hostile := "a\u009b31mred\u202eevil\u2066x\u200bz\ufeffé—\U0001F600R\u200fA\u061cL\u2028P\u2029T\U000e0041V\ufe0fS\u00ad"
	raw := `{"event":{"type_notification":"UI","event":"login","msg":{"id_operator":"` + hostile + `"}}}`
	line := string(appendUpdateLine(nil, &feed.Event{Received: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), Raw: []byte(raw)}))
	for _, r := range hostile {
		if feed.Invisible(r) && strings.ContainsRune(line, r) {
			t.Errorf("%U is raw in the update line %s", r, line)
		}
	}
	if ev, ok := parseUpdateLine([]byte(strings.TrimSuffix(line, "\n"))); !ok || string(ev.Raw) != raw {
		t.Errorf("the update line %s reads back %v", line, ev)
	}
}

func TestRecordingsEscapeInvisibleCharactersAndReadBackTheSame(t *testing.T) {
	t.Parallel()
	var buf strings.Builder
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	r := NewRecorder(&buf, at)
	raw := "{\"event\":{\"type_notification\":\"UI\",\"event\":\"login\",\"msg\":{\"id_operator\":\"1\u009b2J\u202e\"}}}"
	r.Record(&feed.Event{Received: at, Raw: []byte(raw)})
	r.Record(&feed.DirectoryMsg{At: at, Directory: feed.Directory{Agents: []feed.Agent{{ID: "1", Name: "Eve\u2067il\u009b"}}}})
	if err := r.Close(at); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, bad := range []string{"\u009b", "\u202e", "\u2067"} {
		if strings.Contains(text, bad) {
			t.Errorf("the recording carries %q raw", bad)
		}
	}
	rec, err := readRecording(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if ev, ok := rec.Messages[0].(*feed.Event); !ok || string(ev.Raw) != raw {
		t.Errorf("read back %v, want the payload as it came", rec.Messages[0])
	}
	if d, ok := rec.Messages[1].(*feed.DirectoryMsg); !ok || d.Directory.Agents[0].Name != "Eve\u2067il\u009b" {
		t.Errorf("read back %v, want the name as it came", rec.Messages[1])
	}
}
