package record

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"callboard/feed"
)

// readDay reads the lines of a journal's day, leniently, as the journal
// does: its messages and the reader.
func readDay(t *testing.T, lines []byte) ([]feed.Message, *Reader) {
	t.Helper()
	r := NewReader(bytes.NewReader(lines), true)
	var out []feed.Message
	for {
		m, err := r.Next()
		if err == io.EOF {
			return out, r
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
}

// TestAnAckLineReadsBack: an acknowledgement written between updates
// reads back in its place, as it was.
func TestAnAckLineReadsBack(t *testing.T) {
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	ack := &feed.AckMsg{Rule: "waiting_max", QueueID: "10", Since: at.Add(-time.Minute).In(time.FixedZone("CET", 3600)), By: "anne@desk", At: at}
	lines := AppendMark(nil, MarkStart, at.Add(-time.Hour))
	lines = Append(lines, &feed.Event{Received: at.Add(-time.Second), Raw: []byte(`{"cpt":1}`)})
	lines = Append(lines, ack)
	lines = Append(lines, &feed.Event{Received: at.Add(time.Second), Raw: []byte(`{"cpt":2}`)})
	if !bytes.Contains(lines, []byte(`"kind":"ack","rule":"waiting_max","queue_id":"10","since":"2026-12-07T09:59:00+01:00","by":"anne@desk"}`)) {
		t.Errorf("the ack line:\n%s", lines)
	}
	got, r := readDay(t, lines)
	if len(got) != 3 || r.Skipped != 0 {
		t.Fatalf("read %d messages, %d skipped", len(got), r.Skipped)
	}
	back, ok := got[1].(*feed.AckMsg)
	if !ok || back.Rule != ack.Rule || back.QueueID != ack.QueueID || back.AgentID != "" || !back.Since.Equal(ack.Since) || back.By != ack.By || !back.At.Equal(ack.At) {
		t.Errorf("read back as %+v, want %+v", got[1], ack)
	}
}

// TestAHostileAckLineIsSkipped: a line of kind ack without what it needs,
// or beyond the bounds, is skipped as unreadable (and counted).
func TestAHostileAckLineIsSkipped(t *testing.T) {
	start := string(AppendMark(nil, MarkStart, time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)))
	for _, line := range []string{
		`{"t":"2026-12-07T09:00:01Z","kind":"ack","rule":"waiting_max","queue_id":"10","by":"x"}`,
		`{"t":"2026-12-07T09:00:01Z","kind":"ack","queue_id":"10","since":"2026-12-07T09:00:00Z"}`,
		`{"t":"2026-12-07T09:00:01Z","kind":"ack","rule":"waiting_max","queue_id":"10","since":"2026-12-07T09:00:00Z","by":"` + strings.Repeat("x", maxAckBy+1) + `"}`,
		`{"t":"2026-12-07T09:00:01Z","kind":"ack","rule":"` + strings.Repeat("r", maxAckRule+1) + `","since":"2026-12-07T09:00:00Z"}`,
	} {
		got, r := readDay(t, []byte(start+line+"\n"))
		if len(got) != 0 || r.Skipped != 1 {
			t.Errorf("%s: read %v, %d skipped", line, got, r.Skipped)
		}
	}
}

// FuzzAckLine: whatever who acknowledged, the rule and the ids, an ack
// line is one line, with nothing a terminal would act on, that reads back
// the same (who cut to maxAckBy bytes at a character, invalid UTF-8 as
// U+FFFD, once a run in who, once a byte in the rest as encoding/json
// writes it).
func FuzzAckLine(f *testing.F) {
	for _, seed := range []string{"anne", "\x1b[2J\x07\u202e\u200bbob\n", "\xff\xfe", strings.Repeat("é", 200), `"},"kind":"update","payload":{`} {
		f.Add(seed, "pause_max", "7", int64(1764064800123456789))
	}
	f.Fuzz(func(t *testing.T, by, rule, id string, nanos int64) {
		at := time.Unix(0, nanos).UTC()
		if at.Year() < 1 || at.Year() > 9999 || rule == "" || len(validUTF8(rule)) > maxAckRule || len(validUTF8(id)) > maxAckID {
			return
		}
		ack := &feed.AckMsg{Rule: rule, AgentID: id, Since: at.Add(-time.Minute), By: by, At: at}
		line := Append(nil, ack)
		if bytes.Count(line, []byte("\n")) != 1 || line[len(line)-1] != '\n' || feed.HasInvisible(line) {
			t.Fatalf("line %q is not one clean line", line)
		}
		got, r := readDay(t, append(AppendMark(nil, MarkStart, at), line...))
		if len(got) != 1 || r.Skipped != 0 {
			t.Fatalf("line %q: read %v, %d skipped", line, got, r.Skipped)
		}
		back := got[0].(*feed.AckMsg)
		whole := strings.ToValidUTF8(by, "\uFFFD")
		cut := len(whole) > maxAckBy && len(back.By) > maxAckBy-utf8.UTFMax && strings.HasPrefix(whole, back.By)
		if len(back.By) > maxAckBy || back.By != whole && !cut || !utf8.ValidString(back.By) {
			t.Fatalf("by %q reads back as %q", by, back.By)
		}
		if back.Rule != validUTF8(rule) || back.AgentID != validUTF8(id) || !back.Since.Equal(ack.Since) || !back.At.Equal(at) {
			t.Fatalf("%+v reads back as %+v", ack, back)
		}
	})
}
