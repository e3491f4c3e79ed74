package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"time"
)

// This file keeps the first Decode, written with encoding/json, as the
// oracle the hand-rolled decoder (decode_fast.go) is fuzzed against. Its
// behaviour is the specification: change it only together with Decode.

type wireUpdate struct {
	TS     Number          `json:"ts"`
	Elapse Number          `json:"elapse"`
	Cpt    Number          `json:"cpt"`
	Event  json.RawMessage `json:"event"`
}

type wireEvent struct {
	Kind Text            `json:"type_notification"`
	Name Text            `json:"event"`
	Msg  json.RawMessage `json:"msg"`
}

// decodeReference turns one `update` payload into an Update with
// encoding/json. It never panics; a payload it cannot use yields a
// *DecodeError.
func decodeReference(raw []byte) (Update, *DecodeError) {
	var u Update
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return u, &DecodeError{Reason: "payload is not an object"}
	}
	var seq struct {
		Cpt Number `json:"cpt"`
	}
	if json.Unmarshal(trimmed, &seq) == nil && seq.Cpt.Valid {
		u.Seq, u.HasSeq = int64(seq.Cpt.Value), true
	}
	var w wireUpdate
	if err := json.Unmarshal(trimmed, &w); err != nil {
		return u, fieldError("bad payload", err)
	}
	if w.TS.Valid {
		u.Sent = time.Unix(0, int64(w.TS.Value*float64(time.Second))).UTC()
	}
	if w.Elapse.Valid && w.Elapse.Value > 0 {
		u.Elapse = w.Elapse.Seconds()
	}
	ev := bytes.TrimSpace(w.Event)
	if len(ev) == 0 || ev[0] == 'n' {
		return u, &DecodeError{Reason: "missing event"}
	}
	if ev[0] != '{' {
		return u, &DecodeError{Reason: "event is not an object"}
	}
	var we wireEvent
	if err := json.Unmarshal(ev, &we); err != nil {
		return u, fieldError("bad event", err)
	}
	if we.Kind == "" {
		return u, &DecodeError{Reason: "missing type_notification"}
	}
	u.Kind, u.Name = Kind(we.Kind), string(we.Name)
	msg := bytes.TrimSpace(we.Msg)
	if len(msg) == 0 || msg[0] == 'n' {
		return u, checkDurations(w.Elapse, &u.Msg)
	}
	if msg[0] != '{' {
		return u, &DecodeError{Reason: "msg is not an object"}
	}
	if err := json.Unmarshal(msg, &u.Msg); err != nil {
		if field := failingField(msg); field != "" {
			return u, &DecodeError{Reason: "bad msg field", Detail: field + ": " + err.Error()}
		}
		return u, fieldError("bad msg field", err)
	}
	return u, checkDurations(w.Elapse, &u.Msg)
}

// failingField finds which field of msg made decoding fail, by decoding
// the fields one by one. It runs on the error path only.
func failingField(msg []byte) string {
	var fields map[string]json.RawMessage
	if json.Unmarshal(msg, &fields) != nil {
		return ""
	}
	t := reflect.TypeFor[Msg]()
	for i := range t.NumField() {
		f := t.Field(i)
		raw, ok := fields[f.Tag.Get("json")]
		if !ok {
			continue
		}
		if json.Unmarshal(raw, reflect.New(f.Type).Interface()) != nil {
			return f.Tag.Get("json")
		}
	}
	return ""
}

func fieldError(reason string, err error) *DecodeError {
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) && ute.Field != "" {
		return &DecodeError{Reason: reason, Detail: ute.Field + ": " + ute.Error()}
	}
	return &DecodeError{Reason: reason, Detail: err.Error()}
}
