package record

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"callboard/feed"
)

// FuzzUpdateLine: the hand-written update line reads back through
// encoding/json as the payload (invalid UTF-8 as U+FFFD, as encoding/json
// writes it), and the hand-written reader reads encoding/json's line and
// its own alike, or leaves the line to encoding/json.
func FuzzUpdateLine(f *testing.F) {
	for _, seed := range []string{
		`{"cpt":1,"event":{"type_notification":"UI","event":"login","msg":{"id_operator":"1"}}}`,
		"not json \x1b[31m\x00\n\t\"\\", "<&>\u2028\u2029\u202e\u200b\u0085", "\xff\xfe bad", "😀 é", "",
	} {
		f.Add(seed, int64(1764064800123456789))
	}
	f.Fuzz(func(t *testing.T, raw string, nanos int64) {
		at := time.Unix(0, nanos).UTC()
		ev := &feed.Event{Received: at, Raw: []byte(raw)}
		ev.Update, ev.Err = feed.Decode(ev.Raw)
		ours := appendUpdateLine(nil, ev)
		if bytes.Count(ours, []byte("\n")) != 1 || ours[len(ours)-1] != '\n' {
			t.Fatalf("line %q is not one line", ours)
		}
		var l recordLine
		if err := json.Unmarshal(ours, &l); err != nil {
			t.Fatalf("line %q: %v", ours, err)
		}
		want := validUTF8(raw)
		readBack := ""
		switch {
		case l.Payload != nil:
			readBack, want = string(l.Payload), raw // as it is: byte for byte
		case l.Raw != nil:
			readBack = *l.Raw
		}
		if l.Kind != "update" || readBack != want || !l.T.Equal(at) {
			t.Fatalf("line %q reads back as %q at %v, want %q at %v", ours, readBack, l.T, want, at)
		}
		theirs, _ := json.Marshal(recordLine{T: at, Kind: "update", Raw: &raw})
		for i, line := range [][]byte{bytes.TrimSpace(ours), feed.EscapeInvisible(theirs)} {
			got, ok := parseUpdateLine(line)
			if !ok {
				continue // left to encoding/json
			}
			w := want
			if i == 1 {
				w = validUTF8(raw) // encoding/json's line holds the string
			}
			if string(got.Raw) != w || !got.Received.Equal(at) {
				t.Fatalf("parseUpdateLine(%q) = %q at %v, want %q at %v", line, got.Raw, got.Received, w, at)
			}
		}
		if _, ok := parseUpdateLine(bytes.TrimSpace(ours)); !ok && nanos >= 0 && at.Year() < 10000 {
			t.Fatalf("our own line %q is left to encoding/json", ours)
		}
	})
}

// validUTF8 is s with each byte that is not UTF-8 as U+FFFD, as
// encoding/json writes it.
func validUTF8(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteString("\uFFFD")
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// FuzzRFC3339Nano: the hand-written time format is time's own.
func FuzzRFC3339Nano(f *testing.F) {
	f.Add(int64(1764064800123456789), 0)
	f.Add(int64(1764064800000000000), 3600)
	f.Add(int64(-62135596800000000000/1000), -34200)
	f.Add(int64(1764064800120000000), 19800)
	f.Fuzz(func(t *testing.T, nanos int64, offset int) {
		at := time.Unix(0, nanos).In(time.FixedZone("z", offset%(18*3600)))
		if got, want := string(appendRFC3339Nano([]byte("x"), at)), "x"+at.Format(time.RFC3339Nano); got != want {
			t.Fatalf("%v: %q, want %q", at, got, want)
		}
	})
}

// TestAnAppenderWritesWhatAppendDoes: the same lines, whatever
// the times (one second or many, across seconds and zones, odd years and
// offsets) and the messages.
func TestAnAppenderWritesWhatAppendDoes(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	raw := []byte(`{"cpt":1,"event":{"type_notification":"UI","event":"login","msg":{"id_operator":1}}}`)
	u, derr := feed.Decode(raw)
	ev := func(at time.Time) *feed.Event { return &feed.Event{Received: at, Raw: raw, Update: u, Err: derr} }
	base := time.Date(2026, 3, 29, 0, 59, 59, 999_999_000, time.UTC) // Paris changes its offset at 01:00 UTC
	var times []time.Time
	for i := range 50 {
		times = append(times, base.Add(time.Duration(i)*137*time.Microsecond), base.Add(time.Duration(i)*time.Second/3).In(paris))
	}
	times = append(times, time.Date(12000, 1, 1, 0, 0, 0, 5, time.UTC), base.In(time.FixedZone("odd", 30)), base.In(time.FixedZone("odd", 30)), base.Add(time.Second))
	var a Appender
	var got, want []byte
	for _, at := range times {
		got, want = a.Append(got, ev(at)), Append(want, ev(at))
	}
	batch := &feed.Batch{Events: []*feed.Event{ev(base), ev(base.Add(time.Nanosecond)), {Received: base, Raw: []byte("not json"), Err: &feed.DecodeError{Reason: "x"}}}}
	got, want = a.Append(got, batch), Append(want, batch)
	status := &feed.StatusMsg{State: feed.Live, At: base}
	got, want = a.Append(got, status), Append(want, status)
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("line %d:\n%s\nwant\n%s", i, gl[i], wl[i])
			}
		}
		t.Fatalf("%d lines, want %d", len(gl), len(wl))
	}
}
