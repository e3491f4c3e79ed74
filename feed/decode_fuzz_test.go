package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"callboard/internal/testkit/vendorexamples"
)

// FuzzDecode checks that Decode never panics and decodes every input as
// decodeReference (the encoding/json decoder it replaced) does: the same
// Update, and on error the same Reason with a specific Detail. It checks
// Text and Number's UnmarshalJSON methods against the reference's too.
func FuzzDecode(f *testing.F) {
	for _, seed := range decodeSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		checkSameMethods(t, raw)
		got, gotErr := Decode(raw)
		if hasCaseVariantKey(raw) {
			t.Skip("a key is a case variant of a known key: Decode matches keys exactly, by design")
		}
		want, wantErr := decodeReference(raw)
		checkSameDecode(t, raw, got, gotErr, want, wantErr)
	})
}

// TestDecodeMatchesReference runs the differential check on inputs too big
// for seeds: nesting at and beyond encoding/json's limit, and long texts.
func TestDecodeMatchesReference(t *testing.T) {
	t.Parallel()
	nest := func(depth int) []byte {
		// The payload is one level, event another, msg a third.
		inner := strings.Repeat("[", depth-3) + strings.Repeat("]", depth-3)
		return []byte(`{"event":{"type_notification":"UI","msg":{"x":` + inner + `,"id_call":1}}}`)
	}
	nestObjects := func(depth int) []byte {
		inner := strings.Repeat(`{"a":`, depth-1) + "1" + strings.Repeat("}", depth-1)
		return []byte(`{"x":` + inner + `,"event":{"type_notification":"UI"}}`)
	}
	long := strings.Repeat("é\\u00e9\\ud83d\\ude00x\\\"", 200)
	inputs := [][]byte{
		nest(maxNesting - 1),
		nest(maxNesting),
		nest(maxNesting + 1),
		nestObjects(maxNesting),
		nestObjects(maxNesting + 1),
		nest(63), nest(64), nest(65), nest(66), nest(200),
		[]byte(`{"event":{"type_notification":"` + long + `","event":"` + long + `","msg":{"status":"` + long + `","id_call":"\u0031` + strings.Repeat("2", 300) + `"}}}`),
		[]byte(`{"event":{"type_notification":"` + strings.Repeat("\xff", 300) + `","msg":{"id_call":` + strings.Repeat("7", 400) + `}}}`),
		[]byte(`{"cpt":"` + strings.Repeat("\\u0031", 100) + `","event":{"type_notification":"UI"}}`),
		[]byte(`{"event":{"type_notification":"UI","msg":{"status":"` + strings.Repeat("ab", 120) + `","id_call":"` + strings.Repeat("\xe9", 10) + `"}}}`),
	}
	for _, raw := range inputs {
		got, gotErr := Decode(raw)
		want, wantErr := decodeReference(raw)
		checkSameDecode(t, raw, got, gotErr, want, wantErr)
	}
	for _, raw := range decodeSeeds(t) {
		if hasCaseVariantKey(raw) {
			continue
		}
		got, gotErr := Decode(raw)
		want, wantErr := decodeReference(raw)
		checkSameDecode(t, raw, got, gotErr, want, wantErr)
	}
}

// TestDecodeKeysExactly pins the one difference from the reference: keys
// are matched exactly.
func TestDecodeKeysExactly(t *testing.T) {
	t.Parallel()
	raw := []byte(`{"CPT":"x","Event":null,"event":{"Type_Notification":"UI","type_notification":"queue","msg":{"ID_CALL":[],"id_call":"7"}}}`)
	if !hasCaseVariantKey(raw) {
		t.Fatal("hasCaseVariantKey misses case variants")
	}
	u, err := Decode(raw)
	if err != nil || u.HasSeq || u.Kind != KindQueue || u.Msg.Call != "7" {
		t.Errorf("Decode = %+v, %v", u, err)
	}
	if _, err := decodeReference(raw); err == nil || err.Reason != "bad payload" {
		t.Errorf("decodeReference error = %v, want bad payload from CPT", err)
	}
	for _, k := range []string{"cpt", "event", "msg", "id_call", "caller_id_num", "x", "Cpte", "ΚΑΤ"} {
		if isCaseVariant(k) {
			t.Errorf("%q taken for a case variant", k)
		}
	}
	for _, k := range []string{"CPT", "Event", "MSG", "Id_Call", "ſtatus", "caller_ID_num", "TYPE_NOTIFICATION"} {
		if !isCaseVariant(k) {
			t.Errorf("%q not taken for a case variant", k)
		}
	}
}

// checkSameDecode fails t unless Decode's result matches the reference's.
func checkSameDecode(t *testing.T, raw []byte, got Update, gotErr *DecodeError, want Update, wantErr *DecodeError) {
	t.Helper()
	switch {
	case (gotErr == nil) != (wantErr == nil):
		t.Fatalf("input %q:\nDecode error %v\nreference error %v", raw, gotErr, wantErr)
	case gotErr != nil && gotErr.Reason != wantErr.Reason:
		t.Fatalf("input %q:\nDecode error %v\nreference error %v", raw, gotErr, wantErr)
	}
	if diff := updateDiff(got, want); diff != "" {
		t.Fatalf("input %q:\nDecode %+v (%v)\nreference %+v (%v)\ndiffer in %s", raw, got, gotErr, want, wantErr, diff)
	}
	if gotErr == nil {
		return
	}
	// The detail must say as much as the reference's: a field name where it
	// gives one (possibly another one: the reference names the first failing
	// field in Msg's order, Decode the first in the payload's).
	fields := map[string][]string{
		"bad event":     {"type_notification", "event"},
		"bad msg field": msgFieldNames[:],
		"bad payload":   {"ts", "elapse", "cpt"},
	}[gotErr.Reason]
	switch {
	case wantErr.Detail != "" && gotErr.Detail == "":
		t.Fatalf("input %q: Decode error %q has no detail; reference: %q", raw, gotErr, wantErr)
	case strings.Contains(wantErr.Detail, "expected a"):
		named := false
		for _, f := range fields {
			named = named || f != "" && strings.HasPrefix(gotErr.Detail, f+": expected a")
		}
		if !named {
			t.Fatalf("input %q: Decode error %q does not name the field; reference: %q", raw, gotErr, wantErr)
		}
	}
}

// checkSameMethods fails t unless Text and Number's UnmarshalJSON methods
// take raw as refText and refNumber do, with the same error: alone when raw
// is one JSON value (encoding/json gives them nothing else), and as the
// fields of a Msg.
func checkSameMethods(t *testing.T, raw []byte) {
	t.Helper()
	errText := func(err error) string {
		var ute *json.UnmarshalTypeError
		switch {
		case err == nil:
			return ""
		case errors.As(err, &ute): // its message names the Go type, here not the same
			return fmt.Sprintf("cannot unmarshal %s into %q at %d", ute.Value, ute.Field, ute.Offset)
		}
		return err.Error()
	}
	if json.Valid(raw) {
		var text Text
		var wantText refText
		gotErr, wantErr := text.UnmarshalJSON(raw), wantText.UnmarshalJSON(raw)
		if errText(gotErr) != errText(wantErr) || string(text) != string(wantText) {
			t.Fatalf("input %q:\nText %q, %v\nreference %q, %v", raw, text, gotErr, wantText, wantErr)
		}
		var n Number
		var wantN refNumber
		gotErr, wantErr = n.UnmarshalJSON(raw), wantN.UnmarshalJSON(raw)
		if errText(gotErr) != errText(wantErr) || updateDiff(Update{Msg: Msg{CallDuration: n}}, Update{Msg: Msg{CallDuration: Number(wantN)}}) != "" {
			t.Fatalf("input %q:\nNumber %+v, %v\nreference %+v, %v", raw, n, gotErr, wantN, wantErr)
		}
	}
	var m, want Msg
	gotErr, wantErr := json.Unmarshal(raw, &m), unmarshalRefMsg(raw, &want)
	if errText(gotErr) != errText(wantErr) {
		t.Fatalf("input %q as a msg:\nerror %v\nreference %v", raw, gotErr, wantErr)
	}
	if diff := updateDiff(Update{Msg: m}, Update{Msg: want}); diff != "" {
		t.Fatalf("input %q as a msg:\n%+v\nreference %+v\ndiffer in %s", raw, m, want, diff)
	}
}

// updateDiff names the first field where a and b differ ("" if none).
// Numbers are compared bit for bit.
func updateDiff(a, b Update) string {
	num := func(x, y Number) bool {
		return x.Valid == y.Valid && math.Float64bits(x.Value) == math.Float64bits(y.Value)
	}
	am, bm := a.Msg, b.Msg
	switch {
	case a.Seq != b.Seq || a.HasSeq != b.HasSeq:
		return "Seq"
	case a.Sent != b.Sent:
		return "Sent"
	case a.Elapse != b.Elapse:
		return "Elapse"
	case a.Kind != b.Kind:
		return "Kind"
	case a.Name != b.Name:
		return "Name"
	case !num(am.CallDuration, bm.CallDuration):
		return "CallDuration"
	case !num(am.DurationInQueue, bm.DurationInQueue):
		return "DurationInQueue"
	}
	am.CallDuration, am.DurationInQueue = Number{}, Number{}
	bm.CallDuration, bm.DurationInQueue = Number{}, Number{}
	if am != bm {
		return "Msg"
	}
	return ""
}

// knownKeys are the keys Decode reads, at any level.
var knownKeys = func() map[string]bool {
	m := map[string]bool{"ts": true, "elapse": true, "cpt": true, "event": true, "type_notification": true, "msg": true}
	for _, k := range msgFieldNames {
		if k != "" {
			m[k] = true
		}
	}
	return m
}()

// keyProbe has a field for every known key, for encoding/json to say which
// keys it would take for one of them.
type keyProbe struct {
	TS              json.RawMessage `json:"ts"`
	Elapse          json.RawMessage `json:"elapse"`
	Cpt             json.RawMessage `json:"cpt"`
	Event           json.RawMessage `json:"event"`
	Kind            json.RawMessage `json:"type_notification"`
	Msg             json.RawMessage `json:"msg"`
	Status          json.RawMessage `json:"status"`
	Operator        json.RawMessage `json:"id_operator"`
	Call            json.RawMessage `json:"id_call"`
	Queue           json.RawMessage `json:"id_queue"`
	Trunk           json.RawMessage `json:"id_trunk"`
	Client          json.RawMessage `json:"id_client"`
	Caller          json.RawMessage `json:"caller_id_num"`
	CallDuration    json.RawMessage `json:"call_duration"`
	DurationInQueue json.RawMessage `json:"duration_in_queue"`
	Rec             json.RawMessage `json:"rec"`
	Step            json.RawMessage `json:"step"`
	SType           json.RawMessage `json:"stype"`
	Supp            json.RawMessage `json:"supp"`
	Priority        json.RawMessage `json:"priority"`
	VIPRate         json.RawMessage `json:"vip_rate"`
}

// isCaseVariant reports whether encoding/json matches key to a known key
// that it is not exactly.
func isCaseVariant(key string) bool {
	if knownKeys[key] {
		return false
	}
	doc, err := json.Marshal(map[string]int{key: 0})
	if err != nil {
		return false
	}
	var p keyProbe
	if json.Unmarshal(doc, &p) != nil {
		return false
	}
	return !reflect.ValueOf(p).IsZero()
}

// hasCaseVariantKey reports whether a valid JSON input has, anywhere, a
// key that is a case variant of a known key.
func hasCaseVariantKey(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	if !json.Valid(raw) {
		return false // a syntax error: keys do not matter
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // as float64, 1e400 would be an error
	type frame struct{ object, wantKey bool }
	var stack []frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		top := len(stack) - 1
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:top]
			continue
		}
		if top >= 0 && stack[top].object {
			if stack[top].wantKey {
				if isCaseVariant(tok.(string)) {
					return true
				}
				stack[top].wantKey = false
				continue
			}
			stack[top].wantKey = true
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, frame{object: d == '{', wantKey: d == '{'})
		}
	}
}

// decodeSeeds are the fuzz seeds: the vendor's examples, realistic payloads
// and messy ones.
func decodeSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	seeds, err := vendorexamples.Read("testdata/vendor-events.txt", 1547651821, 1)
	if err != nil {
		tb.Fatal(err)
	}
	seeds = append(seeds, benchUpdates()[:5]...)
	const ev = `"event":{"type_notification":"queue","event":"insert_call","msg":{"id_call":1}}`
	for _, s := range []string{
		// ids and quantities both ways, negative, null, empty
		`{"ts":1547651821,"elapse":0,"cpt":1,"event":{"type_notification":"operator","event":"status","msg":{"id_operator":-8,"id_call":"-17137","status":"ringing","id_queue":0}}}`,
		`{"cpt":"42","ts":"1547651821.5","elapse":"2.5","event":{"type_notification":"queue","event":"insert_call","msg":{"call_duration":"43","duration_in_queue":null,"id_queue":"391"}}}`,
		`{"cpt":null,"ts":"","elapse":-1,"event":{"type_notification":"UI","event":"login","msg":null}}`,
		`{"cpt":1e3,"ts":1.5e9,"elapse":1E-3,"event":{"type_notification":"trunk","event":"delete_call"}}`,
		`{"cpt":-0,"ts":-0.0,"elapse":0.25,"event":{"type_notification":"PUSHCALL","event":null,"msg":{}}}`,
		`{"cpt":123456789012345678,"ts":9007199254740993,"elapse":"1_0",` + ev + `}`,
		`{"cpt":"+1","ts":"0x1p-2","elapse":"Infinity",` + ev + `}`,
		`{"cpt":"NaN","ts":"-inf",` + ev + `}`,
		`{"cpt":1e400,` + ev + `}`,
		`{"cpt":"1e400",` + ev + `}`,
		`{"cpt":1e-400,"elapse":5e-324,` + ev + `}`,
		`{"event":{"type_notification":"UI","event":"login","msg":{"rec":true,"step":false,"priority":1.50,"vip_rate":-0.0e-0,"supp":"","stype":null}}}`,
		`{"event":{"type_notification":1,"event":2.5e1,"msg":{"call_duration":43,"duration_in_queue":"0"}}}`,
		`{"event":{"type_notification":"queue","msg":{"call_duration":-0,"duration_in_queue":"-0"}}}`,
		`{"event":{"type_notification":true,"event":false}}`,
		// wrong types, at every level
		`{"cpt":true,` + ev + `}`,
		`{"cpt":[1],` + ev + `}`,
		`{"ts":{},` + ev + `}`,
		`{"elapse":"soon",` + ev + `}`,
		`{"ts":"soon","cpt":7,` + ev + `}`,
		`{"cpt":2,"elapse":true,"cpt":"3",` + ev + `}`,
		`{"elapse":[],"cpt":"x","ts":1,"cpt":4,` + ev + `}`,
		`{"cpt":5,"elapse":-1,"event":{"type_notification":"UI","msg":{"id_call":{}}}}`,
		`{` + ev + `,"cpt":"x"}`,
		`{"event":{"type_notification":{}},"cpt":"x"}`,
		`{"event":{"type_notification":["x"],"event":"login"}}`,
		`{"event":{"type_notification":"UI","event":{}}}`,
		`{"event":{"event":{},"type_notification":"UI"}}`,
		`{"event":{"type_notification":"","msg":{"id_call":[]}}}`,
		`{"event":{"type_notification":"UI","event":"login","msg":{"id_operator":[1],"status":{}}}}`,
		`{"event":{"type_notification":"UI","event":"login","msg":{"status":"a","id_call":[1],"id_operator":1}}}`,
		`{"event":{"type_notification":"UI","msg":{"id_call":[1],"id_call":1}}}`,
		`{"event":{"type_notification":"queue","msg":{"call_duration":"soon"}}}`,
		`{"event":{"type_notification":"queue","msg":{"call_duration":true,"id_call":1}}}`,
		`{"event":{"type_notification":"queue","msg":{"id_call":2,"duration_in_queue":1e999}}}`,
		`{"event":{"type_notification":"queue","msg":{"duration_in_queue":{"a":1}}}}`,
		`{"event":"x"}`, `{"event":1}`, `{"event":[]}`, `{"event":true}`, `{"event":null}`, `{}`,
		`{"event":{"type_notification":"UI","msg":"x"}}`,
		`{"event":{"type_notification":"UI","msg":[1]}}`,
		`{"event":{"type_notification":"UI","msg":false}}`,
		`{"event":{"type_notification":"UI","msg":0}}`,
		// escapes and unicode, in values and keys
		`{"event":{"type_notification":"\u0055I","event":"lo\"gin\\\/\b\f\n\r\t","msg":{"caller_id_num":"\u00e9\ud83d\ude00\ud800\udc00x\udc00\ud800\u0041","supp":"caf\u00e9 \u0000"}}}`,
		`{"event":{"type_notification":"UI","msg":{"status":"\ud800","step":"\ud800\ud800\udc00","rec":"\udc00\ud800","stype":"\uDBFF\uDFFFz","supp":"\ud800\n"}}}`,
		`{"\u0063pt":5,"\u0065vent":{"type_\u006eotification":"queue","msg":{"id_\u0063all":7,"id\u005fqueue":"\u0033"}}}`,
		`{"cpt":"\u0031\u0032","ts":"1\u002e5",` + ev + `}`,
		"{\"event\":{\"type_notification\":\"é日本語\",\"event\":\"\xff\xfe\",\"msg\":{\"status\":\"\xed\xa0\x80\",\"supp\":\"\xc0\xaf\xe2\x82\",\"id_call\":\"\xef\xbf\xbd\"}}}",
		"{\"évent\":1,\"event\":{\"type_notification\":\"UI\",\"\xffmsg\":[],\"msg\":{\"id_call\\u00e9\":[]}}}",
		// duplicates
		`{"cpt":1,"cpt":"x",` + ev + `}`,
		`{"cpt":"x","cpt":1,` + ev + `}`,
		`{"cpt":1,"cpt":null,"ts":1,"ts":"",` + ev + `}`,
		`{"event":{"type_notification":{}},"event":{"type_notification":"UI"}}`,
		`{"event":{"type_notification":"UI"},"event":{"type_notification":{}}}`,
		`{"event":{"type_notification":"UI"},"event":null}`,
		`{"event":{"type_notification":"UI","msg":{"id_call":[]},"msg":{"id_call":1}}}`,
		`{"event":{"type_notification":"UI","msg":{"id_call":1},"msg":"x"}}`,
		`{"event":{"type_notification":"UI","msg":{"id_call":1},"msg":null}}`,
		`{"event":{"type_notification":"UI","type_notification":""}}`,
		`{"event":{"type_notification":"UI","event":"a","event":null,"msg":{"status":"x","status":null,"status":7}}}`,
		// deep nesting and odd values in ignored fields
		`{"x":[[[[{"a":[{}]}]]]],"event":{"type_notification":"UI","y":{"z":[1,2,{"w":null}]},"msg":{"q":[[[]]],"id_call":1,"r":{"s":{"t":"u"}}}}}`,
		`{"x":[1,"a",true,false,null,{},[],-0.5e+7],"event":{"type_notification":"UI"}}`,
		`{"x":{"a":[1,]},"event":{"type_notification":"UI"}}`,
		`{"event":{"type_notification":"UI","msg":{"q":[1 2],"id_call":1}}}`,
		`{"event":{"type_notification":"UI","msg":{"q":{"a" 1}}}}`,
		`{"event":{"type_notification":"UI","msg":{"id_call":1,"q":"\x01"}}}`,
		`{"event":{"type_notification":"UI","msg":{"id_call":"a	b"}}}`,
		"{\"event\":{\"type_notification\":\"UI\",\"msg\":{\"id_call\":\"a\x1fb\"}}}",
		"{\"event\":{\"type_notification\":\"UI\",\"msg\":{\"id_call\":\"a\x7f\x20b\"}}}",
		`{"x":"\q",` + ev + `}`,
		`{"x":"\u12g4",` + ev + `}`,
		// truncated
		`{"cpt":1,"event":{"type_notification":"UI"`,
		`{"cpt":1,"event":{"type_notification":"U`,
		`{"cpt":-`, `{"cpt":1.`, `{"cpt":1e`, `{"cpt":1e+`, `{"a":"\u12`, `{"a":"\`, `{"a":tru`, `{"a"`, `{"a":`, `{"a":1,`, `{`,
		// bad numbers
		`{"cpt":01,` + ev + `}`, `{"cpt":.5,` + ev + `}`, `{"cpt":+1,` + ev + `}`, `{"cpt":1.e5,` + ev + `}`, `{"cpt":-a,` + ev + `}`, `{"cpt":0x10,` + ev + `}`,
		// trailing garbage, spaces
		`{"cpt":1,"event":null} x`, `{"cpt":1}{}`, `{} ,`, `{}}`,
		" \t{\"cpt\":1," + ev + "}\n\r ",
		"\u00a0\u2003{\"cpt\":1," + ev + "}\u00a0\v\f",
		"{\"cpt\":1," + ev + "} \v{}",
		"{\"cpt\":1\v," + ev + "}",
		"{}\x00",
		// lone values and msgs, for Text and Number's methods
		`"\ud800x\u00e9\/"`, `"12"`, `"-"`, `"-7"`, `" 7"`, `"0x1p-2"`, `"1_000"`, `"inf"`, `1e400`, `-0`, `123456789012345678`, `true`, ` 1.5 `, `{}`, `[1]`,
		`{"id_call":"\u0031","call_duration":"-","status":7,"caller_id_num":"+33 1"}`,
		`{"call_duration":"1e3","duration_in_queue":-0,"supp":null,"rec":true,"step":false,"id_queue":{}}`,
		`{"duration_in_queue":"","call_duration":null,"id_trunk":-17137,"priority":[]}`,
		// not objects, bad objects
		``, `   `, `null`, `[]`, `"x"`, `}`, `{1:2}`, `{"a" 1}`, `{"a":1,}`, `{,}`, `{"a":1 "b":2}`, `[1,]`,
		// case variants (Decode and the reference differ on purpose)
		`{"CPT":1,"Event":{"Type_notification":"UI","MSG":{"ID_call":2}}}`,
	} {
		seeds = append(seeds, []byte(s))
	}
	return seeds
}
