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

// Kind is an update's type_notification.
type Kind string

// The documented notification kinds. Other values are kept as they came.
const (
	KindOperator Kind = "operator"
	KindUI       Kind = "UI"
	KindQueue    Kind = "queue"
	KindTrunk    Kind = "trunk"
	KindPushCall Kind = "PUSHCALL"
)

// Text is a scalar taken leniently: a JSON string, number or boolean becomes
// its text (numbers keep their literal spelling, so 26903925 and "26903925"
// are the same Text). Null and absent fields are "". Ids, caller numbers and
// pause ids are Text because the vendor sends each of them both ways.
type Text string

// UnmarshalJSON accepts any JSON scalar and refuses objects and arrays.
func (t *Text) UnmarshalJSON(b []byte) error {
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
		*t = Text(s)
	case 'n':
		*t = ""
	case '{':
		return errors.New("expected a number or a string, got an object")
	case '[':
		return errors.New("expected a number or a string, got an array")
	default: // number, true, false
		*t = Text(b)
	}
	return nil
}

// Number is a quantity (seconds, counts) sent as a JSON number or as a string
// holding one. Valid is false when the field was absent, null or "".
type Number struct {
	Value float64
	Valid bool
}

// UnmarshalJSON accepts a number, a numeric string, "" or null.
func (n *Number) UnmarshalJSON(b []byte) error {
	var t Text
	if err := t.UnmarshalJSON(b); err != nil {
		return err
	}
	if t == "" {
		*n = Number{}
		return nil
	}
	v, err := strconv.ParseFloat(string(t), 64)
	if err != nil {
		return fmt.Errorf("expected a number, got %q", string(t))
	}
	*n = Number{Value: v, Valid: true}
	return nil
}

// Seconds returns the number as a duration of seconds (0 when invalid).
func (n Number) Seconds() time.Duration {
	if !n.Valid {
		return 0
	}
	return time.Duration(n.Value * float64(time.Second))
}

// Msg is the union of the fields an event's msg may carry. Fields a kind does
// not use stay empty.
type Msg struct {
	Status          Text   `json:"status"`
	Operator        Text   `json:"id_operator"`
	Call            Text   `json:"id_call"`
	Queue           Text   `json:"id_queue"`
	Trunk           Text   `json:"id_trunk"`
	Client          Text   `json:"id_client"`
	Caller          Text   `json:"caller_id_num"`
	CallDuration    Number `json:"call_duration"`
	DurationInQueue Number `json:"duration_in_queue"`
	Rec             Text   `json:"rec"`
	Step            Text   `json:"step"`
	SType           Text   `json:"stype"`
	Supp            Text   `json:"supp"`
	Priority        Text   `json:"priority"`
	VIPRate         Text   `json:"vip_rate"`
}

// Recorded reports whether rec says the call is recorded.
func (m Msg) Recorded() bool {
	switch m.Rec {
	case "", "0", "false":
		return false
	}
	return true
}

// Update is one decoded `update` payload.
type Update struct {
	Seq    int64 // cpt
	HasSeq bool
	Sent   time.Time     // ts; zero when absent
	Elapse time.Duration // time between the event and its sending
	Kind   Kind          // type_notification
	Name   string        // event
	Msg    Msg
}

// Event is one `update` as received: the raw payload, when it arrived, and
// either its decoded form or why it was rejected.
type Event struct {
	Received time.Time
	Raw      []byte
	Update   Update
	Err      *DecodeError // nil when Update is valid
}

// DecodeError says why a payload was rejected. Reason is short and stable
// (it is used to count rejections); Detail adds the specifics.
type DecodeError struct {
	Reason string
	Detail string
}

func (e *DecodeError) Error() string {
	if e.Detail == "" {
		return e.Reason
	}
	return e.Reason + ": " + e.Detail
}

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

// Decode turns one `update` payload into an Update. It never panics; a
// payload it cannot use yields a *DecodeError.
func Decode(raw []byte) (Update, *DecodeError) {
	var u Update
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return u, &DecodeError{Reason: "payload is not an object"}
	}
	var w wireUpdate
	if err := json.Unmarshal(trimmed, &w); err != nil {
		return u, fieldError("bad payload", err)
	}
	if w.Cpt.Valid {
		u.Seq, u.HasSeq = int64(w.Cpt.Value), true
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
		return u, nil
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
	return u, nil
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
