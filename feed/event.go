package feed

import (
	"bytes"
	"math"
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
	d := decoder{b: bytes.TrimSpace(b)}
	var sp span
	if err := d.alone(d.textValue(&sp)); err != nil {
		return err
	}
	*t = Text(d.stored()[sp.off:sp.end])
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
	d := decoder{b: bytes.TrimSpace(b)}
	var v Number
	if err := d.alone(d.numberValue(&v)); err != nil {
		return err
	}
	*n = v
	return nil
}

// MaxDuration is the longest elapse or duration an update may carry: a day.
// Anything longer is a server's error, not a figure.
const MaxDuration = 24 * time.Hour

// checkSeconds refuses a duration in seconds that is not finite, negative
// or beyond MaxDuration: such a number would become a wait or an ASA of
// centuries, or a time in the future.
func checkSeconds(field string, n Number) *DecodeError {
	if !n.Valid {
		return nil
	}
	var why string
	switch v := n.Value; {
	case math.IsNaN(v) || math.IsInf(v, 0):
		why = "not a finite number"
	case v < 0:
		why = strconv.FormatFloat(v, 'g', -1, 64) + " s is negative"
	case v > MaxDuration.Seconds():
		why = strconv.FormatFloat(v, 'g', -1, 64) + " s is beyond 24 h"
	default:
		return nil
	}
	return &DecodeError{Reason: "bad duration", Detail: field + ": " + why}
}

// checkDurations refuses an update whose elapse or msg durations cannot be
// figures (see checkSeconds); Decode's last check, after the payload's shape.
func checkDurations(elapse Number, m *Msg) *DecodeError {
	if err := checkSeconds("elapse", elapse); err != nil {
		return err
	}
	if err := checkSeconds("duration_in_queue", m.DurationInQueue); err != nil {
		return err
	}
	return checkSeconds("call_duration", m.CallDuration)
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
	Seq    int64         // cpt
	HasSeq bool          // cpt was a valid number, even in a rejected update
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

// ReasonQuarantined is the rejection reason of an update whose application
// crashed the board (its DecodeError's Detail is the panic's message): it
// is counted and shown rejected, kept so in a recording or a journal, and
// never applied again.
const ReasonQuarantined = "made the board crash"

// Quarantined reports whether ev was rejected because its application
// crashed the board.
func (ev *Event) Quarantined() bool { return ev.Err != nil && ev.Err.Reason == ReasonQuarantined }

// Decode turns one `update` payload into an Update. It never panics; a
// payload it cannot use yields a *DecodeError, whose Reason is one of
// "payload is not an object", "bad payload" (not JSON, or ts, elapse or cpt
// not a Number), "missing event", "event is not an object", "bad event"
// (type_notification or event not a Text), "missing type_notification",
// "msg is not an object", "bad msg field" (Detail names the field) and "bad
// duration" (an elapse, duration_in_queue or call_duration that is not
// finite, negative or beyond MaxDuration; Detail says which and why). With
// "bad payload" the Update is zero but for Seq; with the later reasons it
// holds Seq, Sent and Elapse, and with the msg ones also Kind, Name and the
// msg fields that came before the bad one.
//
// Seq and HasSeq are set whenever the payload is JSON and its cpt a valid
// Number (every cpt, when given twice: the last one is the Seq), whatever else
// is wrong in it, so that a rejected update still counts in the sequence.
//
// Decode is a hand-rolled single-pass decoder (decode_fast.go) that gives the
// results of the encoding/json decoder it replaced, with one deliberate
// difference: keys are matched exactly (after unescaping), where
// encoding/json also took case variants ("CPT", "Id_Call") as the field.
func Decode(raw []byte) (Update, *DecodeError) {
	return decodeUpdate(raw)
}
