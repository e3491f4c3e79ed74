package state

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"callboard/internal/testkit/feedtest"
)

func TestRewriteCallers(t *testing.T) {
	cases := []struct {
		name, in, want string
		callers        []string
	}{
		{"vendor operator status",
			`{"msg": {"status": "connected", "rec": 1, "caller_id_num": "3363441111", "id_call": -17137, "id_operator": 8}, "type_notification": "operator", "event": "status"}`,
			`{"msg": {"status": "connected", "rec": 1, "caller_id_num": "336*****11", "id_call": -17137, "id_operator": 8}, "type_notification": "operator", "event": "status"}`,
			[]string{"3363441111"}},
		{"a number, not a string",
			`{"msg":{"caller_id_num":33612345678,"id_call":26903925}}`,
			`{"msg":{"caller_id_num":"336******78","id_call":26903925}}`,
			[]string{"33612345678"}},
		{"short numbers have nothing to mask",
			`{"msg":{"caller_id_num":"12345"}}`, `{"msg":{"caller_id_num":"12345"}}`, []string{"12345"}},
		{"null, true and false are not numbers",
			`{"caller_id_num":null,"caller":true,"number":false}`, `{"caller_id_num":null,"caller":true,"number":false}`, nil},
		{"escaped key and value",
			`{"caller\u005fid_num":"\u0033\u00336123456\u00378"}`, `{"caller\u005fid_num":"336******78"}`, []string{"33612345678"}},
		{"keys in any case",
			`{"Caller_ID_Num" : "33612345678"}`, `{"Caller_ID_Num" : "336******78"}`, []string{"33612345678"}},
		{"pushcall number, at any depth",
			`{"event":{"type_notification":"PUSHCALL","event":"push_call","msg":{"id_operator":3,"number":"+33612345678"}}}`,
			`{"event":{"type_notification":"PUSHCALL","event":"push_call","msg":{"id_operator":3,"number":"+33*******78"}}}`,
			[]string{"+33612345678"}},
		{"an array of numbers",
			`{"caller_id_num":["33612345678", 33698765432],"id_call":1}`,
			`{"caller_id_num":["336******78", "336******32"],"id_call":1}`,
			[]string{"33612345678", "33698765432"}},
		{"an object holding the number",
			`{"caller":{"num":"33612345678","x":[1234567]},"id_call":26903925}`,
			`{"caller":{"num":"336******78","x":["123**67"]},"id_call":26903925}`,
			[]string{"33612345678", "1234567"}},
		{"a key's name as a value is not a key",
			`{"stype":"caller_id_num","step":"33612345678"}`, `{"stype":"caller_id_num","step":"33612345678"}`, nil},
		{"cut short in the value",
			`{"event":{"msg":{"caller_id_num":"3361234567`, `{"event":{"msg":{"caller_id_num":"336*****67"`, []string{"3361234567"}},
		{"cut short in a number",
			`{"event":{"msg":{"caller_id_num":33612345`, `{"event":{"msg":{"caller_id_num":"336***45"`, []string{"33612345"}},
		{"not JSON at all", `caller_id_num 33612345678`, `caller_id_num 33612345678`, nil},
		{"quotes and controls in the number (the control stripped, no star)",
			`{"caller_id_num":"33\"6123\u00014\\5678"}`, `{"caller_id_num":"33\"********78"}`, []string{"33\"6123\x014\\5678"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := []byte(c.in)
			out, callers := rewriteCallers(in, maskCaller, nil)
			if string(out) != c.want {
				t.Errorf("rewritten\n%s\nwant\n%s", out, c.want)
			}
			if fmt.Sprint(callers) != fmt.Sprint(c.callers) {
				t.Errorf("callers %q, want %q", callers, c.callers)
			}
			if string(in) != c.in {
				t.Errorf("the input was modified: %s", in)
			}
			if json.Valid(in) && !json.Valid(out) {
				t.Errorf("valid JSON became invalid: %s", out)
			}
			if c.in == c.want && len(in) > 0 && &out[0] != &in[0] {
				t.Error("unchanged payload was copied")
			}
		})
	}
}

// privacyNumber is the caller number of privacyEvents, shown masked as
// privacyMasked.
const (
	privacyNumber = "33612345678"
	privacyMasked = "336******78"
)

// privacyEvents carry privacyNumber in every way an event may: documented
// events of each kind, an undocumented PUSHCALL, an update rejected with
// the number quoted in its note, and a payload that is not even JSON.
var privacyEvents = []string{
	`{"ts":1,"elapse":0,"cpt":1,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":10,"id_call":1,"caller_id_num":"33612345678","duration_in_queue":0}}}`,
	`{"ts":1,"elapse":0,"cpt":2,"event":{"type_notification":"operator","event":"status","msg":{"id_operator":1,"status":"ringing","id_call":1,"id_queue":10,"caller_id_num":33612345678}}}`,
	`{"ts":1,"elapse":0,"cpt":3,"event":{"type_notification":"trunk","event":"insert_call","msg":{"id_trunk":7,"id_call":1,"caller_id_num":"33612345678"}}}`,
	`{"ts":1,"elapse":0,"cpt":4,"event":{"type_notification":"PUSHCALL","event":"push_call","msg":{"id_operator":2,"number":"33612345678","caller_id_num":"33612345678"}}}`,
	`{"ts":1,"elapse":0,"cpt":5,"event":{"type_notification":"queue","event":"connect_call","msg":{"id_queue":10,"id_call":1,"caller_id_num":"33612345678","call_duration":"33612345678 "}}}`,
	`{"ts":1,"elapse":0,"cpt":6,"event":{"type_notification":"queue","event":"connect_call","msg":{"id_queue":10,"id_call":1,"duration_in_queue":"+33 6 12 34 56 78"}}}`,
	`{"ts":1,"elapse":0,"cpt":7,"event":{"type_notification":"operator","event":"status","msg":{"id_operator":1,"caller_id_num":"33612345678"`,
	`{"ts":"33612345678 s","event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":10,"id_call":2,"caller_id_num":"33612345678"}}}`,
}

func privacyBoard(t *testing.T, mode CallerDisplay) (*Board, [][]byte) {
	t.Helper()
	b := New(Options{CallerID: mode, Location: time.UTC}, t0)
	var raws [][]byte
	for i, p := range privacyEvents {
		at := t0.Add(time.Duration(i) * time.Second)
		ev := feedtest.Event(at, p)
		raws = append(raws, ev.Raw)
		b.Apply(ev, at)
	}
	return b, raws
}

// digitsOnly keeps the digits of s: a number written with separators or
// escapes still shows.
func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

func TestEventLogCallerDisplay(t *testing.T) {
	cases := []struct {
		mode CallerDisplay
		want []string // what the raw payloads show in place of the number, one of
	}{
		{CallerMask, []string{`"` + privacyMasked + `"`, `"+33************78"`}},
		{CallerHide, []string{`""`}},
		{CallerFull, nil},
	}
	for _, c := range cases {
		t.Run(string(c.mode), func(t *testing.T) {
			b, raws := privacyBoard(t, c.mode)
			events := b.Events()
			if len(events) != len(privacyEvents) {
				t.Fatalf("%d events logged, want %d", len(events), len(privacyEvents))
			}
			rejected := 0
			for _, e := range events {
				// what the Events tab shows and what its filter matches
				shown := Sanitize(string(e.Raw)) + " " + Sanitize(e.Rejected)
				leaks := strings.Contains(digitsOnly(shown), privacyNumber)
				if c.mode == CallerFull {
					if !strings.Contains(digitsOnly(string(e.Raw)), privacyNumber) {
						t.Errorf("full: raw %s lost the number", e.Raw)
					}
					continue
				}
				if leaks {
					t.Errorf("%s: the number shows in %q", c.mode, shown)
				}
				if !slices.ContainsFunc(c.want, func(w string) bool { return strings.Contains(string(e.Raw), w) }) {
					t.Errorf("%s: raw %s shows none of %q", c.mode, e.Raw, c.want)
				}
				if e.Rejected != "" {
					rejected++
				}
			}
			if c.mode != CallerFull && rejected != 4 {
				t.Errorf("%d rejected entries, want 4", rejected)
			}
			for i, raw := range raws {
				if string(raw) != privacyEvents[i] {
					t.Errorf("the received payload was modified (recordings share it): %s", raw)
				}
			}
			again := b.Events()
			for i := range events {
				if !bytes.Equal(again[i].Raw, events[i].Raw) || again[i].Rejected != events[i].Rejected {
					t.Errorf("second Events() differs: %s / %s", again[i].Raw, events[i].Raw)
				}
			}
		})
	}
}

func TestRejectionNotesCallerDisplay(t *testing.T) {
	// call_duration quoting the number: the note quotes it too
	const in = `{"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":1,"id_call":1,"call_duration":"+33 6 12 34 56 78"}}}`
	cases := map[CallerDisplay]string{
		CallerFull: `bad msg field: call_duration: expected a number, got "+33 6 12 34 56 78"`,
		CallerMask: `bad msg field: call_duration: expected a number, got "+33************78"`,
		CallerHide: `bad msg field: call_duration: expected a number, got ""`,
	}
	for mode, want := range cases {
		b := New(Options{CallerID: mode}, t0)
		b.Apply(feedtest.Event(t0, in), t0)
		if got := b.Events()[0].Rejected; got != want {
			t.Errorf("%s: note %q, want %q", mode, got, want)
		}
	}
	// notes that quote what is not a number are left alone
	b := New(Options{}, t0)
	b.Apply(feedtest.Event(t0, `{"elapse":"12 s"}`), t0)
	if got, want := b.Events()[0].Rejected, `bad payload: elapse: expected a number, got "12 s"`; got != want {
		t.Errorf("note %q, want %q", got, want)
	}
}

func TestSnapshotCallerDisplay(t *testing.T) {
	cases := []struct {
		mode   CallerDisplay
		caller string
	}{
		{CallerMask, privacyMasked},
		{CallerHide, ""},
		{CallerFull, privacyNumber},
	}
	for _, c := range cases {
		b, _ := privacyBoard(t, c.mode)
		snap := b.Snapshot(t0.Add(time.Minute))
		var call *SnapCall
		for _, a := range snap.Agents {
			if a.ID == "1" {
				call = a.Call
			}
		}
		if call == nil || call.Caller != c.caller {
			t.Errorf("%s: agent 1's call %+v, want caller %q", c.mode, call, c.caller)
		}
		js, err := json.Marshal(snap)
		if err != nil {
			t.Fatal(err)
		}
		if leaks := strings.Contains(string(js), privacyNumber); leaks != (c.mode == CallerFull) {
			t.Errorf("%s: the number in the snapshot: %v\n%s", c.mode, leaks, js)
		}
	}
}

// BenchmarkEvents measures Events on a full log of 500 entries carrying
// caller numbers: the first call treats them, later ones only copy.
func BenchmarkEvents(b *testing.B) {
	payloads := benchPayloads()
	board := New(Options{}, t0)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		for i := range 500 {
			board.Apply(feedtest.Event(t0, string(payloads[i%len(payloads)])), t0)
		}
		b.StartTimer()
		_ = board.Events()
	}
}

// TestMaskingCountsTheCharactersThatShow: a caller number carrying
// characters the board strips (a bidi override, a terminal escape) is
// masked once they are gone: its 11 digits show as 3, 6 stars and 2, not
// with a star for each character stripped.
func TestMaskingCountsTheCharactersThatShow(t *testing.T) {
	b := New(Options{CallerID: CallerMask, Location: time.UTC}, t0)
	b.Apply(feedtest.Event(t0, `{"ts":1,"elapse":0,"cpt":1,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":10,"id_call":1,"caller_id_num":"3361\u202e2345\u001b[31m678","duration_in_queue":0}}}`), t0)
	waiting := b.View(t0).Snapshot().Calls.Waiting
	if len(waiting) != 1 || waiting[0].Caller != privacyMasked {
		t.Errorf("waiting %+v, want one call from %q", waiting, privacyMasked)
	}
	if got := maskCaller("3361\u202e2345\x1b[31m678"); got != privacyMasked {
		t.Errorf("maskCaller = %q, want %q", got, privacyMasked)
	}
}
