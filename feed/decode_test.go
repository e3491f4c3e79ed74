package feed

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"callboard/internal/testkit/vendorexamples"
)

func TestDecodeVendorExamples(t *testing.T) {
	t.Parallel()
	payloads, err := vendorexamples.Read("testdata/vendor-events.txt", 1547651821, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		kind        Kind
		name        string
		op, call    Text
		queue, trnk Text
	}{
		{KindOperator, "status", "8", "-17137", "0", ""},
		{KindUI, "login", "1", "", "", ""},
		{KindUI, "pause", "1", "", "", ""},
		{KindQueue, "insert_call", "", "26", "391", ""},
		{KindQueue, "connect_call", "2", "-1713", "8", ""},
		{KindQueue, "delete_call", "", "26901513", "1023", ""},
		{KindTrunk, "insert_call", "", "269", "", "346223"},
		{KindTrunk, "connect_call", "", "26903925", "", "345940"},
		{KindTrunk, "delete_call", "", "2690", "", "34"},
		{KindOperator, "status", "1", "26", "", ""},
	}
	if len(payloads) != len(want) {
		t.Fatalf("%d payloads, want %d", len(payloads), len(want))
	}
	for i, p := range payloads {
		u, derr := Decode(p)
		if derr != nil {
			t.Fatalf("example %d: %v", i, derr)
		}
		w := want[i]
		if u.Kind != w.kind || u.Name != w.name || u.Msg.Operator != w.op || u.Msg.Call != w.call || u.Msg.Queue != w.queue || u.Msg.Trunk != w.trnk {
			t.Errorf("example %d = %s/%s op %q call %q queue %q trunk %q, want %+v", i, u.Kind, u.Name, u.Msg.Operator, u.Msg.Call, u.Msg.Queue, u.Msg.Trunk, w)
		}
	}
	last, _ := Decode(payloads[9])
	if !last.HasSeq || last.Seq != 2297 || !last.Sent.Equal(time.Unix(1547651821, 0)) || last.Msg.Status != "transfert_start" || last.Msg.SType != "3" || last.Msg.Client != "164645" {
		t.Errorf("complete packet decoded as %+v", last)
	}
	first, _ := Decode(payloads[0])
	if !first.Msg.Recorded() || first.Msg.Caller != "3363441111" {
		t.Errorf("operator example: rec/caller = %v/%q", first.Msg.Recorded(), first.Msg.Caller)
	}
	insert, _ := Decode(payloads[3])
	if insert.Msg.CallDuration.Seconds() != 43*time.Second || !insert.Msg.DurationInQueue.Valid || insert.Msg.DurationInQueue.Value != 0 {
		t.Errorf("insert durations = %+v / %+v", insert.Msg.CallDuration, insert.Msg.DurationInQueue)
	}
}

func TestDecodeLenientValues(t *testing.T) {
	t.Parallel()
	cases := []struct {
		msg  string
		get  func(Msg) string
		want string
	}{
		{`{"id_call": 26903925}`, func(m Msg) string { return string(m.Call) }, "26903925"},
		{`{"id_call": "26903925"}`, func(m Msg) string { return string(m.Call) }, "26903925"},
		{`{"id_call": -17137}`, func(m Msg) string { return string(m.Call) }, "-17137"},
		{`{"id_call": null}`, func(m Msg) string { return string(m.Call) }, ""},
		{`{"supp": 3}`, func(m Msg) string { return string(m.Supp) }, "3"},
		{`{"caller_id_num": 33612345678}`, func(m Msg) string { return string(m.Caller) }, "33612345678"},
		{`{"rec": true}`, func(m Msg) string { return map[bool]string{true: "rec", false: "-"}[m.Recorded()] }, "rec"},
		{`{"rec": "0"}`, func(m Msg) string { return map[bool]string{true: "rec", false: "-"}[m.Recorded()] }, "-"},
		{`{"duration_in_queue": "12"}`, func(m Msg) string { return m.DurationInQueue.Seconds().String() }, "12s"},
		{`{"duration_in_queue": ""}`, func(m Msg) string { return m.DurationInQueue.Seconds().String() }, "0s"},
	}
	for _, c := range cases {
		raw := `{"cpt":1,"event":{"type_notification":"queue","event":"insert_call","msg":` + c.msg + `}}`
		u, err := Decode([]byte(raw))
		if err != nil {
			t.Errorf("%s: %v", c.msg, err)
			continue
		}
		if got := c.get(u.Msg); got != c.want {
			t.Errorf("%s: got %q, want %q", c.msg, got, c.want)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	t.Parallel()
	cases := []struct{ raw, reason string }{
		{``, "payload is not an object"},
		{`"hello"`, "payload is not an object"},
		{`[1,2]`, "payload is not an object"},
		{`{"cpt":1`, "bad payload"},
		{`{"cpt":1}`, "missing event"},
		{`{"cpt":1,"event":null}`, "missing event"},
		{`{"cpt":1,"event":"x"}`, "event is not an object"},
		{`{"cpt":1,"event":{"event":"login","msg":{}}}`, "missing type_notification"},
		{`{"cpt":1,"event":{"type_notification":"UI","event":"login","msg":"x"}}`, "msg is not an object"},
		{`{"cpt":1,"event":{"type_notification":"UI","event":"login","msg":[1]}}`, "msg is not an object"},
		{`{"cpt":1,"event":{"type_notification":"UI","event":"login","msg":{"id_operator":{"a":1}}}}`, "bad msg field"},
		{`{"cpt":1,"event":{"type_notification":"queue","event":"insert_call","msg":{"duration_in_queue":"soon"}}}`, "bad msg field"},
		{`{"cpt":"x","event":{"type_notification":"UI","event":"login","msg":{}}}`, "bad payload"},
	}
	for _, c := range cases {
		_, err := Decode([]byte(c.raw))
		if err == nil {
			t.Errorf("%s: accepted", c.raw)
			continue
		}
		if err.Reason != c.reason {
			t.Errorf("%s: reason %q (%v), want %q", c.raw, err.Reason, err, c.reason)
		}
	}
}

// TestDecodeRejectedKeepsSeq: a rejected update whose cpt is a valid number
// still has its Seq, so that the board's sequence check can step over it; one
// whose cpt is missing, not a number or not in JSON has none.
func TestDecodeRejectedKeepsSeq(t *testing.T) {
	t.Parallel()
	const ev = `"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":1,"id_call":2}}`
	withSeq := []struct{ raw, reason string }{
		{`{"cpt":7,"elapse":-1,` + ev + `}`, "bad duration"},
		{`{"ts":"soon","cpt":7,` + ev + `}`, "bad payload"},
		{`{"cpt":"7","elapse":true,` + ev + `}`, "bad payload"},
		{`{"elapse":[],"ts":{},"cpt":7,` + ev + `}`, "bad payload"},
		{`{"cpt":6,"ts":"soon","cpt":"7",` + ev + `}`, "bad payload"},
		{`{"cpt":7}`, "missing event"},
		{`{"cpt":7,"event":[]}`, "event is not an object"},
		{`{"cpt":7,"event":{"type_notification":{}}}`, "bad event"},
		{`{"cpt":7,"event":{"event":"login"}}`, "missing type_notification"},
		{`{"cpt":7,"event":{"type_notification":"UI","msg":1}}`, "msg is not an object"},
		{`{"cpt":7,"event":{"type_notification":"UI","msg":{"id_call":[]}}}`, "bad msg field"},
	}
	for name, decode := range map[string]func([]byte) (Update, *DecodeError){"fast": Decode, "reference": decodeReference} {
		for _, c := range withSeq {
			u, err := decode([]byte(c.raw))
			if err == nil || err.Reason != c.reason {
				t.Errorf("%s %s: error %v, want %s", name, c.raw, err, c.reason)
			}
			if !u.HasSeq || u.Seq != 7 {
				t.Errorf("%s %s: Seq %d, HasSeq %v; want 7", name, c.raw, u.Seq, u.HasSeq)
			}
		}
		for _, raw := range []string{
			`{"ts":"soon",` + ev + `}`,
			`{"cpt":"x",` + ev + `}`,
			`{"ts":"soon","cpt":[7],` + ev + `}`,
			`{"cpt":7,"cpt":"x",` + ev + `}`,
			`{"cpt":"x","cpt":7,` + ev + `}`,
			`{"cpt":7,"cpt":null,"elapse":-1,` + ev + `}`,
			`{"cpt":7,"cpt":"","ts":true,` + ev + `}`,
			`{"cpt":7,"event":{"type_notification":"UI"}`,
			`{"cpt":7,` + ev + `} x`,
		} {
			u, err := decode([]byte(raw))
			if err == nil {
				t.Errorf("%s %s: accepted", name, raw)
			}
			if u.HasSeq {
				t.Errorf("%s %s: Seq %d, want none", name, raw, u.Seq)
			}
		}
	}
}

func TestDecodeErrorNamesTheField(t *testing.T) {
	t.Parallel()
	_, err := Decode([]byte(`{"event":{"type_notification":"UI","event":"login","msg":{"id_operator":[1]}}}`))
	if err == nil || !strings.Contains(err.Error(), "id_operator") {
		t.Errorf("err = %v, want it to name id_operator", err)
	}
}

func TestParseExpire(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2019-01-16T17-17-01.000000+GMT", time.Date(2019, 1, 16, 17, 17, 1, 0, time.UTC), true},
		{"2019-01-16T17:17:01Z", time.Date(2019, 1, 16, 17, 17, 1, 0, time.UTC), true},
		{"2019-01-16T18:17:01+01:00", time.Date(2019, 1, 16, 17, 17, 1, 0, time.UTC), true},
		{"2019-01-16 17:17:01", time.Date(2019, 1, 16, 17, 17, 1, 0, time.UTC), true},
		{"", time.Time{}, false},
		{"tomorrow", time.Time{}, false},
	}
	for _, c := range cases {
		got, ok := ParseExpire(c.in)
		if ok != c.ok || !got.Equal(c.want) {
			t.Errorf("ParseExpire(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestTokenNeverPrints(t *testing.T) {
	t.Parallel()
	d := Directory{Token: "s3cr3t-token"}
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := sprintf(f, d); strings.Contains(s, "s3cr3t") {
			t.Errorf("%s prints the token: %s", f, s)
		}
	}
}

// TestUnquoteJSONStringReadsAsEncodingJSON: the string at the start of b,
// unescaped as encoding/json unescapes it, and its length quotes included;
// a literal that is not well formed is refused.
func TestUnquoteJSONStringReadsAsEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, lit := range []string{`""`, `"plain"`, `"é\u00e9\n\t\"\\\/"`, `"\ud83d\ude00 \ud83d"`, "\"bad \xff utf-8\""} {
		var want string
		if err := json.Unmarshal([]byte(lit), &want); err != nil {
			t.Fatalf("%s: %v", lit, err)
		}
		b := []byte(lit + `,"after"`)
		s, n, ok := UnquoteJSONString(b)
		if !ok || string(s) != want || n != len(lit) {
			t.Errorf("%s: %q, %d, %v; want %q, %d", lit, s, n, ok, want, len(lit))
		}
		if len(s) > 0 && &s[0] == &b[1] {
			t.Errorf("%s: the string shares b's bytes", lit)
		}
	}
	for _, bad := range []string{``, `plain`, `"unterminated`, `"bad \x escape"`, `"\u12"`, "\"raw\ncontrol\""} {
		if s, n, ok := UnquoteJSONString([]byte(bad)); ok {
			t.Errorf("%q read as %q, %d", bad, s, n)
		}
	}
}
