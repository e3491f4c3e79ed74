package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"time"
)

// This file keeps the first Decode, written with encoding/json, as the
// oracle the hand-rolled decoder (decode_fast.go) is fuzzed against, with the
// first UnmarshalJSON methods of Text and Number (refText, refNumber), which
// Text and Number's own methods are fuzzed against. Its behaviour is the
// specification: change it only together with Decode.

// refText is Text as its first UnmarshalJSON method took it.
type refText string

func (t *refText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return errors.New("empty value")
	}
	switch b[0] {
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = refText(s)
	case 'n':
		*t = ""
	case '{':
		return errors.New("expected a number or a string, got an object")
	case '[':
		return errors.New("expected a number or a string, got an array")
	default: // number, true, false
		*t = refText(b)
	}
	return nil
}

// refNumber is Number as its first UnmarshalJSON method took it.
type refNumber Number

func (n *refNumber) UnmarshalJSON(b []byte) error {
	var t refText
	if err := t.UnmarshalJSON(b); err != nil {
		return err
	}
	if t == "" {
		*n = refNumber{}
		return nil
	}
	v, err := strconv.ParseFloat(string(t), 64)
	if err != nil {
		return fmt.Errorf("expected a number, got %q", string(t))
	}
	*n = refNumber{Value: v, Valid: true}
	return nil
}

// refMsgType is Msg with refText and refNumber in place of Text and Number.
var refMsgType = func() reflect.Type {
	t := reflect.TypeFor[Msg]()
	fields := make([]reflect.StructField, t.NumField())
	for i := range fields {
		fields[i] = t.Field(i)
		switch fields[i].Type {
		case reflect.TypeFor[Text]():
			fields[i].Type = reflect.TypeFor[refText]()
		case reflect.TypeFor[Number]():
			fields[i].Type = reflect.TypeFor[refNumber]()
		}
	}
	return reflect.StructOf(fields)
}()

// unmarshalRefMsg decodes msg with encoding/json as a Msg of refText and
// refNumber fields; what it decoded is in m even on error.
func unmarshalRefMsg(msg []byte, m *Msg) error {
	ref := reflect.New(refMsgType)
	err := json.Unmarshal(msg, ref.Interface())
	dst := reflect.ValueOf(m).Elem()
	for i := range dst.NumField() {
		dst.Field(i).Set(ref.Elem().Field(i).Convert(dst.Field(i).Type()))
	}
	return err
}

type wireUpdate struct {
	TS     refNumber       `json:"ts"`
	Elapse refNumber       `json:"elapse"`
	Cpt    refNumber       `json:"cpt"`
	Event  json.RawMessage `json:"event"`
}

type wireEvent struct {
	Kind refText         `json:"type_notification"`
	Name refText         `json:"event"`
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
		Cpt refNumber `json:"cpt"`
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
	elapse := Number(w.Elapse)
	if elapse.Valid && elapse.Value > 0 {
		u.Elapse = elapse.Seconds()
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
		return u, checkDurations(elapse, &u.Msg)
	}
	if msg[0] != '{' {
		return u, &DecodeError{Reason: "msg is not an object"}
	}
	if err := unmarshalRefMsg(msg, &u.Msg); err != nil {
		if field := failingField(msg); field != "" {
			return u, &DecodeError{Reason: "bad msg field", Detail: field + ": " + err.Error()}
		}
		return u, fieldError("bad msg field", err)
	}
	return u, checkDurations(elapse, &u.Msg)
}

// failingField finds which field of msg made decoding fail, by decoding
// the fields one by one. It runs on the error path only.
func failingField(msg []byte) string {
	var fields map[string]json.RawMessage
	if json.Unmarshal(msg, &fields) != nil {
		return ""
	}
	t := refMsgType
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
