package feed

import (
	"encoding/json"
	"testing"

	"github.com/zishang520/socket.io-go-parser/v2/parser"
)

func TestRawDecoderPassesUpdatePayloadAsBytes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		packet, nsp, name, arg string
		id                     int64
	}{
		{`2["update",{"cpt":1,"event":{"a":[1,2]}}]`, "/", "update", `{"cpt":1,"event":{"a":[1,2]}}`, -1},
		{`2/admin,["update",{"x":"é"}]`, "/admin", "update", `{"x":"é"}`, -1},
		{`217["update",{"x":1}]`, "/", "update", `{"x":1}`, 17},
		{`2/admin,5["update", {"x" : 1} ]`, "/admin", "update", `{"x" : 1}`, 5},
	}
	for _, c := range cases {
		d := newRawDecoder(nil)
		var got *parser.Packet
		d.On("decoded", func(args ...any) { got = args[0].(*parser.Packet) })
		if err := d.Add(c.packet); err != nil {
			t.Errorf("%s: %v", c.packet, err)
			continue
		}
		if got == nil || got.Type != parser.EVENT || got.Nsp != c.nsp {
			t.Errorf("%s: packet %+v", c.packet, got)
			continue
		}
		if (c.id < 0) != (got.Id == nil) || (got.Id != nil && int64(*got.Id) != c.id) {
			t.Errorf("%s: id %v, want %d", c.packet, got.Id, c.id)
		}
		args := got.Data.([]any)
		if len(args) != 2 || args[0] != c.name {
			t.Errorf("%s: args %v", c.packet, args)
			continue
		}
		if raw, ok := args[1].(json.RawMessage); !ok || string(raw) != c.arg {
			t.Errorf("%s: payload %#v, want raw %s", c.packet, args[1], c.arg)
		}
	}
}

func TestRawDecoderRefusesBadEvents(t *testing.T) {
	t.Parallel()
	for _, p := range []string{`2`, `2[]`, `2[1,2]`, `2["connect"]`, `2["update",`, `2/nsp`, `2{"a":1}`} {
		d := newRawDecoder(nil)
		decoded := false
		d.On("decoded", func(...any) { decoded = true })
		if err := d.Add(p); err == nil || decoded {
			t.Errorf("%q: err %v, decoded %v", p, err, decoded)
		}
	}
}

func TestRawDecoderLeavesOtherPacketsToTheStockDecoder(t *testing.T) {
	t.Parallel()
	d := newRawDecoder(nil)
	var got *parser.Packet
	d.On("decoded", func(args ...any) { got = args[0].(*parser.Packet) })
	if err := d.Add(`0{"sid":"abc"}`); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Type != parser.CONNECT {
		t.Fatalf("connect packet decoded as %+v", got)
	}
	if m, ok := got.Data.(map[string]any); !ok || m["sid"] != "abc" {
		t.Errorf("connect data = %#v", got.Data)
	}
}

func TestUpdateWithExtraArgumentsIsRejectedNotLost(t *testing.T) {
	t.Parallel()
	var got json.RawMessage
	d := newRawDecoder(func(u update) { got = u.payload })
	if err := d.Add(`2["update",{"cpt":1,"event":{"type_notification":"UI","event":"login","msg":{}}},5]`); err != nil {
		t.Fatal(err)
	}
	if _, err := Decode(got); err == nil || err.Reason != "bad payload" {
		t.Errorf("payload %s decoded with %v, want a rejection", got, err)
	}
}
