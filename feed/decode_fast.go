package feed

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// This file is Decode's hand-rolled decoder: one pass over the payload that
// validates its JSON syntax as it goes and decodes the fields Decode keeps,
// without reflection, maps or encoding/json. Its results are those of the
// encoding/json version it replaced, which decode_reference_test.go keeps as
// the oracle of the differential fuzz test (decode_fuzz_test.go). What that
// version did, and this one therefore does:
//
//   - The whole payload must be valid JSON (encoding/json's grammar, with its
//     nesting limit) before anything is decoded: a syntax error anywhere, even
//     inside an ignored field, is "bad payload".
//   - ts, elapse and cpt are Numbers; an error in one of them ("bad payload")
//     beats every error inside event. Within one object the first error in
//     document order wins, and decoding that object stops there, but for cpt
//     (see Decode: Seq is set whenever cpt is a valid number).
//   - A key given twice is decoded twice, in order; the last value stays. For
//     event and msg the last occurrence is the one decoded (they were kept raw
//     and decoded afterwards), so errors inside earlier occurrences do not count.
//   - Text and Number decode as their first UnmarshalJSON methods did (the
//     methods now run this file's textValue and numberValue, as Decode does);
//     strings are unescaped as encoding/json does (lone surrogates and invalid
//     UTF-8 bytes become U+FFFD).
//
// One difference is deliberate: keys are matched exactly, after unescaping,
// where encoding/json also accepted any case variant of a field's name (with
// Unicode simple folding, so "CPT" or "Id_Call" or even "\u212a" for k). The
// vendor's keys are lower case; matching them exactly is faster and avoids
// surprises such as "Event" overriding "event".

// maxNesting is encoding/json's limit on nested arrays and objects.
const maxNesting = 10000

// The keys Decode reads, a type for each level of a payload; the zero of each
// is any other key.
type (
	topField   uint8
	eventField uint8
	msgField   uint8
)

const (
	topOther topField = iota
	topTS
	topElapse
	topCpt
	topEvent
)

const (
	eventOther eventField = iota
	eventKind
	eventName
	eventMsg
)

const (
	msgOther msgField = iota
	msgStatus
	msgOperator
	msgCall
	msgQueue
	msgTrunk
	msgClient
	msgCaller
	msgRec
	msgStep
	msgSType
	msgSupp
	msgPriority
	msgVIPRate
	msgCallDuration // the Number fields come last: the Text ones index decoder.text
	msgDurationInQueue
)

// msgFieldNames names the msg fields, for error details.
var msgFieldNames = [...]string{
	msgStatus:          "status",
	msgOperator:        "id_operator",
	msgCall:            "id_call",
	msgQueue:           "id_queue",
	msgTrunk:           "id_trunk",
	msgClient:          "id_client",
	msgCaller:          "caller_id_num",
	msgRec:             "rec",
	msgStep:            "step",
	msgSType:           "stype",
	msgSupp:            "supp",
	msgPriority:        "priority",
	msgVIPRate:         "vip_rate",
	msgCallDuration:    "call_duration",
	msgDurationInQueue: "duration_in_queue",
}

func lookupTop(k []byte) topField {
	switch string(k) {
	case "ts":
		return topTS
	case "elapse":
		return topElapse
	case "cpt":
		return topCpt
	case "event":
		return topEvent
	}
	return topOther
}

func lookupEvent(k []byte) eventField {
	switch string(k) {
	case "type_notification":
		return eventKind
	case "event":
		return eventName
	case "msg":
		return eventMsg
	}
	return eventOther
}

func lookupMsg(k []byte) msgField {
	switch string(k) {
	case "status":
		return msgStatus
	case "id_operator":
		return msgOperator
	case "id_call":
		return msgCall
	case "id_queue":
		return msgQueue
	case "id_trunk":
		return msgTrunk
	case "id_client":
		return msgClient
	case "caller_id_num":
		return msgCaller
	case "call_duration":
		return msgCallDuration
	case "duration_in_queue":
		return msgDurationInQueue
	case "rec":
		return msgRec
	case "step":
		return msgStep
	case "stype":
		return msgSType
	case "supp":
		return msgSupp
	case "priority":
		return msgPriority
	case "vip_rate":
		return msgVIPRate
	}
	return msgOther
}

// presence is what a payload held under a key kept raw (event, msg).
type presence uint8

const (
	absent presence = iota
	isNull
	notObject
	isObject
)

// span is a decoded Text: bytes [off, end) of the decoder's text store.
type span struct{ off, end int32 }

// decoder is the state of one Decode. It lives on Decode's stack: it keeps
// no pointer to the stack, so that its small text store stays there too.
type decoder struct {
	b     []byte
	i     int          // next byte to read
	depth int          // open arrays and objects
	err   *DecodeError // the first syntax error

	// Decoded text goes to small, then, once that is full, to big (which
	// then holds everything): one string is made of it at the end.
	small  [256]byte
	nSmall int
	big    []byte

	// top level
	topErr          *DecodeError // the first error of ts, elapse or cpt
	cptErr          *DecodeError // the first error of cpt
	ts, elapse, cpt Number

	// the last event value
	event    presence
	eventErr *DecodeError
	kind     span
	name     span

	// the last msg value of that event
	msg                           presence
	msgErr                        *DecodeError
	text                          [msgCallDuration]span
	callDuration, durationInQueue Number
	keyBuf                        [32]byte // an escaped key, unescaped
}

// decodeUpdate is Decode.
func decodeUpdate(raw []byte) (Update, *DecodeError) {
	b := bytes.TrimSpace(raw)
	if len(b) == 0 || b[0] != '{' {
		return Update{}, &DecodeError{Reason: "payload is not an object"}
	}
	var d decoder
	d.b = b
	d.topObject()
	if d.err == nil {
		d.skipSpace()
		if d.i < len(d.b) {
			d.syntaxError("after top-level value")
		}
	}
	if d.err != nil {
		return Update{}, d.err
	}
	return d.result()
}

// result builds the Update, checking what the payload held in the order the
// reference decoder did.
func (d *decoder) result() (Update, *DecodeError) {
	var u Update
	if d.cpt.Valid && d.cptErr == nil {
		u.Seq, u.HasSeq = int64(d.cpt.Value), true
	}
	if d.topErr != nil {
		return u, d.topErr
	}
	if d.ts.Valid {
		u.Sent = time.Unix(0, int64(d.ts.Value*float64(time.Second))).UTC()
	}
	if d.elapse.Valid && d.elapse.Value > 0 {
		u.Elapse = d.elapse.Seconds()
	}
	switch d.event {
	case absent, isNull:
		return u, &DecodeError{Reason: "missing event"}
	case notObject:
		return u, &DecodeError{Reason: "event is not an object"}
	}
	if d.eventErr != nil {
		return u, d.eventErr
	}
	if d.kind.end == d.kind.off {
		return u, &DecodeError{Reason: "missing type_notification"}
	}
	s := string(d.stored())
	u.Kind, u.Name = Kind(s[d.kind.off:d.kind.end]), s[d.name.off:d.name.end]
	switch d.msg {
	case absent, isNull:
		return u, checkDurations(d.elapse, &u.Msg)
	case notObject:
		return u, &DecodeError{Reason: "msg is not an object"}
	}
	t := &d.text
	m := &u.Msg
	m.Status = Text(s[t[msgStatus].off:t[msgStatus].end])
	m.Operator = Text(s[t[msgOperator].off:t[msgOperator].end])
	m.Call = Text(s[t[msgCall].off:t[msgCall].end])
	m.Queue = Text(s[t[msgQueue].off:t[msgQueue].end])
	m.Trunk = Text(s[t[msgTrunk].off:t[msgTrunk].end])
	m.Client = Text(s[t[msgClient].off:t[msgClient].end])
	m.Caller = Text(s[t[msgCaller].off:t[msgCaller].end])
	m.CallDuration = d.callDuration
	m.DurationInQueue = d.durationInQueue
	m.Rec = Text(s[t[msgRec].off:t[msgRec].end])
	m.Step = Text(s[t[msgStep].off:t[msgStep].end])
	m.SType = Text(s[t[msgSType].off:t[msgSType].end])
	m.Supp = Text(s[t[msgSupp].off:t[msgSupp].end])
	m.Priority = Text(s[t[msgPriority].off:t[msgPriority].end])
	m.VIPRate = Text(s[t[msgVIPRate].off:t[msgVIPRate].end])
	if d.msgErr != nil {
		return u, d.msgErr
	}
	return u, checkDurations(d.elapse, m)
}

// topObject decodes the payload's object; d.b[0] is '{'.
func (d *decoder) topObject() {
	if !d.openObject() {
		return
	}
	for {
		f := lookupTop(d.memberKey())
		if d.err != nil {
			return
		}
		switch f {
		case topTS:
			if p := d.numberValue(&d.ts); p != "" {
				firstError(&d.topErr, "ts", p)
			}
		case topElapse:
			if p := d.numberValue(&d.elapse); p != "" {
				firstError(&d.topErr, "elapse", p)
			}
		case topCpt:
			if p := d.numberValue(&d.cpt); p != "" {
				firstError(&d.cptErr, "cpt", p)
				firstError(&d.topErr, "cpt", p)
			}
		case topEvent:
			d.eventValue()
		default:
			d.skipValue()
		}
		if d.err != nil || !d.nextMember() {
			return
		}
	}
}

// eventValue decodes an event value, replacing any earlier one.
func (d *decoder) eventValue() {
	d.eventErr, d.kind, d.name = nil, span{}, span{}
	d.resetMsg(absent)
	switch d.peek() {
	case 'n':
		d.event = isNull
		d.literal("null")
	case '{':
		d.event = isObject
		d.eventObject()
	default:
		d.event = notObject
		d.skipValue()
	}
}

func (d *decoder) eventObject() {
	if !d.openObject() {
		return
	}
	for {
		f := lookupEvent(d.memberKey())
		switch {
		case d.err != nil:
			return
		case d.eventErr != nil || f == eventOther:
			d.skipValue()
		case f == eventKind:
			if p := d.textValue(&d.kind); p != "" {
				d.eventErr = badField("bad event", "type_notification", p)
			}
		case f == eventName:
			if p := d.textValue(&d.name); p != "" {
				d.eventErr = badField("bad event", "event", p)
			}
		case f == eventMsg:
			d.msgValue()
		}
		if d.err != nil || !d.nextMember() {
			return
		}
	}
}

func (d *decoder) resetMsg(p presence) {
	d.msg, d.msgErr = p, nil
	d.text = [msgCallDuration]span{}
	d.callDuration, d.durationInQueue = Number{}, Number{}
}

// msgValue decodes a msg value, replacing any earlier one.
func (d *decoder) msgValue() {
	switch d.peek() {
	case 'n':
		d.resetMsg(isNull)
		d.literal("null")
	case '{':
		d.resetMsg(isObject)
		d.msgObject()
	default:
		d.resetMsg(notObject)
		d.skipValue()
	}
}

func (d *decoder) msgObject() {
	if !d.openObject() {
		return
	}
	for {
		f := lookupMsg(d.memberKey())
		var p string
		switch {
		case d.err != nil:
			return
		case d.msgErr != nil || f == msgOther:
			d.skipValue()
		case f == msgCallDuration:
			p = d.numberValue(&d.callDuration)
		case f == msgDurationInQueue:
			p = d.numberValue(&d.durationInQueue)
		default:
			p = d.textValue(&d.text[f])
		}
		if p != "" {
			d.msgErr = badField("bad msg field", msgFieldNames[f], p)
		}
		if d.err != nil || !d.nextMember() {
			return
		}
	}
}

// firstError sets *errp to a "bad payload" naming field unless it holds one
// already. The values that follow an error are decoded all the same, for
// their syntax, and not used: result uses no ts, elapse or cpt after topErr,
// and no cpt after cptErr.
func firstError(errp **DecodeError, field, problem string) {
	if *errp == nil {
		*errp = badField("bad payload", field, problem)
	}
}

func badField(reason, field, problem string) *DecodeError {
	return &DecodeError{Reason: reason, Detail: field + ": " + problem}
}

// The lenient rules of Text and Number, for Decode and for the UnmarshalJSON
// methods alike: textValue, and numberValue over it.

// textValue decodes the value at d.i as a Text into dst: a string stands for
// its content, a number, true or false for its literal, null for "". An
// object or an array is skipped and no Text: it returns why ("" for a Text).
func (d *decoder) textValue(dst *span) (problem string) {
	start := d.i
	switch d.peek() {
	case '"':
		if esc, ok := d.scanString(); ok {
			*dst = d.store(d.b[start+1:d.i-1], esc)
		}
	case 'n':
		if d.literal("null") {
			*dst = span{}
		}
	case 't':
		if d.literal("true") {
			*dst = d.put(d.b[start:d.i])
		}
	case 'f':
		if d.literal("false") {
			*dst = d.put(d.b[start:d.i])
		}
	case '{':
		d.skipValue()
		return "expected a number or a string, got an object"
	case '[':
		d.skipValue()
		return "expected a number or a string, got an array"
	default:
		if d.scanNumber() {
			*dst = d.put(d.b[start:d.i])
		}
	}
	return ""
}

// numberValue decodes the value at d.i as a Number into dst: the number its
// Text spells in strconv.ParseFloat's syntax ("12", "1e3", "-0", "Infinity",
// "NaN" and "0x1p-2" alike) and float64's range, none for "". It returns why
// the value is no Number ("" for a Number).
func (d *decoder) numberValue(dst *Number) (problem string) {
	var t []byte
	if c := d.peek(); c == '-' || '0' <= c && c <= '9' {
		// A number is its own Text: read in place, not through the store.
		start := d.i
		if !d.scanNumber() {
			return ""
		}
		t = d.b[start:d.i]
	} else {
		mark := d.mark()
		var sp span
		if problem := d.textValue(&sp); problem != "" {
			return problem
		}
		t = d.stored()[sp.off:sp.end]
		d.rewind(mark) // t is left as it is until the next put
	}
	if len(t) == 0 {
		*dst = Number{}
		return ""
	}
	if v, ok := smallInteger(t); ok {
		*dst = Number{Value: v, Valid: true}
		return ""
	}
	v, err := strconv.ParseFloat(string(t), 64)
	if err != nil {
		return "expected a number, got " + strconv.Quote(string(t))
	}
	*dst = Number{Value: v, Valid: true}
	return ""
}

// smallInteger converts an integer of 1 to 15 decimal digits, with an
// optional minus sign: exactly, as strconv.ParseFloat would.
func smallInteger(lit []byte) (float64, bool) {
	neg := lit[0] == '-'
	digits := lit
	if neg {
		digits = lit[1:]
	}
	if len(digits) == 0 || len(digits) > 15 {
		return 0, false
	}
	var n int64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		if n == 0 {
			return math.Copysign(0, -1), true
		}
		n = -n
	}
	return float64(n), true
}

// store puts the content of a string (its bytes between the quotes, already
// validated by scanString) unescaped into the text store.
func (d *decoder) store(s []byte, esc uint8) span {
	if esc == 0 || esc == nonASCII && utf8.Valid(s) {
		return d.put(s)
	}
	if d.big == nil {
		room := d.small[d.nSmall:d.nSmall]
		out := appendUnquoted(room, s)
		if len(out) <= cap(room) { // it was written in place
			sp := span{int32(d.nSmall), int32(d.nSmall + len(out))}
			d.nSmall += len(out)
			return sp
		}
		return d.put(out)
	}
	off := len(d.big)
	d.big = appendUnquoted(d.big, s)
	return span{int32(off), int32(len(d.big))}
}

// mark is where the text store ends, for rewind.
func (d *decoder) mark() int {
	if d.big != nil {
		return len(d.big)
	}
	return d.nSmall
}

// rewind drops from the text store what was put after mark.
func (d *decoder) rewind(mark int) {
	if d.big != nil {
		d.big = d.big[:mark]
	} else {
		d.nSmall = mark
	}
}

// stored is the content of the text store.
func (d *decoder) stored() []byte {
	if d.big != nil {
		return d.big
	}
	return d.small[:d.nSmall]
}

// alone ends the reading of a value that must be all of d.b, as in an
// UnmarshalJSON method: it returns the syntax error, if any, else the value's
// problem.
func (d *decoder) alone(problem string) error {
	if d.err == nil {
		d.skipSpace()
		if d.i < len(d.b) {
			d.syntaxError("after top-level value")
		}
	}
	if d.err != nil {
		return errors.New(d.err.Detail)
	}
	if problem != "" {
		return errors.New(problem)
	}
	return nil
}

// put copies p into the text store.
func (d *decoder) put(p []byte) span {
	if d.big == nil && d.nSmall+len(p) <= len(d.small) {
		copy(d.small[d.nSmall:], p)
		sp := span{int32(d.nSmall), int32(d.nSmall + len(p))}
		d.nSmall += len(p)
		return sp
	}
	d.spill()
	off := len(d.big)
	d.big = append(d.big, p...)
	return span{int32(off), int32(len(d.big))}
}

// spill moves the text store to the heap, where it can grow.
func (d *decoder) spill() {
	if d.big == nil {
		d.big = make([]byte, 0, 2*len(d.small)+len(d.b))
		d.big = append(d.big, d.small[:d.nSmall]...)
	}
}

// UnquoteJSONString reads the JSON string whose opening quote is b[0] as
// Decode reads strings: it returns the string's content unescaped as
// encoding/json unescapes it (invalid UTF-8 as U+FFFD), in a new slice, and
// the length of the literal in b, quotes included; ok is false when b does
// not begin with a well-formed string.
func UnquoteJSONString(b []byte) (s []byte, n int, ok bool) {
	if len(b) == 0 || b[0] != '"' {
		return nil, 0, false
	}
	d := decoder{b: b}
	esc, ok := d.scanString()
	if !ok {
		return nil, 0, false
	}
	inside := b[1 : d.i-1]
	if esc == 0 {
		return bytes.Clone(inside), d.i, true
	}
	return appendUnquoted(make([]byte, 0, len(inside)), inside), d.i, true
}

// appendUnquoted appends the content of a JSON string (validated: escapes
// are well formed, there are no control characters nor quotes) unescaped as
// encoding/json does it.
func appendUnquoted(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\':
			switch s[i+1] {
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'n':
				dst = append(dst, '\n')
			case 'r':
				dst = append(dst, '\r')
			case 't':
				dst = append(dst, '\t')
			case 'u':
				r := hex4(s[i+2 : i+6])
				i += 6
				if utf16.IsSurrogate(r) {
					if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
						if dec := utf16.DecodeRune(r, hex4(s[i+2:i+6])); dec != utf8.RuneError {
							dst = utf8.AppendRune(dst, dec)
							i += 6
							continue
						}
					}
					r = utf8.RuneError
				}
				dst = utf8.AppendRune(dst, r)
				continue
			default: // '"', '\\', '/'
				dst = append(dst, s[i+1])
			}
			i += 2
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			r, size := utf8.DecodeRune(s[i:])
			dst = utf8.AppendRune(dst, r)
			i += size
		}
	}
	return dst
}

// hex4 decodes four validated hexadecimal digits.
func hex4(h []byte) rune {
	var r rune
	for _, c := range h[:4] {
		switch {
		case c <= '9':
			c -= '0'
		case c >= 'a':
			c -= 'a' - 10
		default:
			c -= 'A' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// The JSON scanner.

func (d *decoder) peek() byte {
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

func (d *decoder) skipSpace() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// syntaxError records a syntax error at d.i, found while doing what context
// says, unless there is one already.
func (d *decoder) syntaxError(context string) {
	if d.err != nil {
		return
	}
	detail := "unexpected end of JSON input"
	if d.i < len(d.b) {
		detail = "invalid character " + quoteChar(d.b[d.i]) + " " + context + " at offset " + strconv.Itoa(d.i)
	}
	d.err = &DecodeError{Reason: "bad payload", Detail: detail}
}

func quoteChar(c byte) string {
	switch c {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	s := strconv.QuoteToASCII(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}

// openObject enters the object whose '{' is at d.i and reports whether it
// has members; if it has, d.i is at the first key.
func (d *decoder) openObject() bool {
	d.depth++ // at most 3 here: no need to check the limit
	d.i++
	d.skipSpace()
	if d.peek() == '}' {
		d.i++
		d.depth--
		return false
	}
	return true
}

// memberKey reads a member's key and its colon, leaving d.i at the value,
// and returns the key, unescaped; nil for a key with bytes beyond ASCII (no
// key Decode reads) and on a syntax error.
func (d *decoder) memberKey() []byte {
	if d.peek() != '"' {
		d.syntaxError("looking for beginning of object key string")
		return nil
	}
	start := d.i + 1
	esc, ok := d.scanString()
	if !ok {
		return nil
	}
	k := d.b[start : d.i-1]
	switch {
	case esc&escaped != 0:
		k = appendUnquoted(d.keyBuf[:0], k)
	case esc != 0:
		k = nil
	}
	d.skipSpace()
	if d.peek() != ':' {
		d.syntaxError("after object key")
		return nil
	}
	d.i++
	d.skipSpace()
	return k
}

// nextMember reads what follows a member's value and reports whether another
// member follows; if one does, d.i is at its key.
func (d *decoder) nextMember() bool {
	d.skipSpace()
	switch d.peek() {
	case ',':
		d.i++
		d.skipSpace()
		return true
	case '}':
		d.i++
		d.depth--
		return false
	}
	d.syntaxError("after object key:value pair")
	return false
}

// literal reads the literal lit (true, false or null) at d.i.
func (d *decoder) literal(lit string) bool {
	for j := 0; j < len(lit); j++ {
		if d.i >= len(d.b) || d.b[d.i] != lit[j] {
			d.syntaxError("in literal " + lit)
			return false
		}
		d.i++
	}
	return true
}

// scanNumber reads a number (JSON grammar) at d.i.
func (d *decoder) scanNumber() bool {
	b, i := d.b, d.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i >= len(b):
		d.i = i
		d.syntaxError("in numeric literal")
		return false
	case i == d.i && !(b[i] >= '0' && b[i] <= '9'):
		d.syntaxError("looking for beginning of value")
		return false
	case b[i] == '0':
		i++
	case '1' <= b[i] && b[i] <= '9':
		i++
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	default:
		d.i = i
		d.syntaxError("in numeric literal")
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			d.i = i
			d.syntaxError("after decimal point in numeric literal")
			return false
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			d.i = i
			d.syntaxError("in exponent of numeric literal")
			return false
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	d.i = i
	return true
}

// What scanString saw in a string.
const (
	escaped  = 1 << iota // a backslash escape
	nonASCII             // a byte >= 0x80
)

// plain[c] is whether byte c stands for itself in a string and is ASCII.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// scanString reads the string whose opening quote is at d.i, leaving d.i
// after its closing quote, and says whether it holds escapes or non-ASCII
// bytes.
func (d *decoder) scanString() (esc uint8, ok bool) {
	b, i := d.b, d.i+1
	for {
		for i < len(b) && plain[b[i]] {
			i++
		}
		if i >= len(b) {
			d.i = i
			d.syntaxError("in string literal")
			return 0, false
		}
		switch c := b[i]; {
		case c == '"':
			d.i = i + 1
			return esc, true
		case c == '\\':
			esc |= escaped
			i++
			if i >= len(b) {
				d.i = i
				d.syntaxError("in string escape code")
				return 0, false
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				i++
				for j := 0; j < 4; j++ {
					if i >= len(b) || !isHex(b[i]) {
						d.i = i
						d.syntaxError(`in \u hexadecimal character escape`)
						return 0, false
					}
					i++
				}
			default:
				d.i = i
				d.syntaxError("in string escape code")
				return 0, false
			}
		case c < 0x20:
			d.i = i
			d.syntaxError("in string literal")
			return 0, false
		default:
			esc |= nonASCII
			i++
		}
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// skipValue reads the value at d.i, checking its syntax, nesting included.
func (d *decoder) skipValue() {
	switch d.peek() {
	case '{', '[':
		d.skipNested()
	case '"':
		d.scanString()
	case 't':
		d.literal("true")
	case 'f':
		d.literal("false")
	case 'n':
		d.literal("null")
	default:
		d.scanNumber()
	}
}

// skipNested reads the array or object at d.i, iteratively.
func (d *decoder) skipNested() {
	base := d.depth
	var objects bitStack // whether each open container is an object
	b := d.b
	for {
		// Read a value: d.i is at its first byte.
		switch c := d.peek(); c {
		case '{', '[':
			d.depth++
			if d.depth > maxNesting {
				d.syntaxError("exceeding the maximum nesting depth")
				return
			}
			objects.push(c == '{')
			d.i++
			d.skipSpace()
			if d.peek() == c+2 { // '}' or ']': empty
				d.i++
				d.depth--
				objects.pop()
				break
			}
			if c == '{' && !d.objectKey() {
				return
			}
			continue
		case '"':
			if _, ok := d.scanString(); !ok {
				return
			}
		case 't':
			if !d.literal("true") {
				return
			}
		case 'f':
			if !d.literal("false") {
				return
			}
		case 'n':
			if !d.literal("null") {
				return
			}
		default:
			if !d.scanNumber() {
				return
			}
		}
		// A value ended: close containers until one has a next value.
		for {
			if d.depth == base {
				return
			}
			d.skipSpace()
			if d.i >= len(b) {
				d.syntaxError("")
				return
			}
			obj := objects.top()
			c := b[d.i]
			if c == ',' {
				d.i++
				d.skipSpace()
				if obj && !d.objectKey() {
					return
				}
				break
			}
			if obj && c == '}' || !obj && c == ']' {
				d.i++
				d.depth--
				objects.pop()
				continue
			}
			if obj {
				d.syntaxError("after object key:value pair")
			} else {
				d.syntaxError("after array element")
			}
			return
		}
	}
}

// objectKey reads a key and its colon in an object skipNested reads.
func (d *decoder) objectKey() bool {
	if d.peek() != '"' {
		d.syntaxError("looking for beginning of object key string")
		return false
	}
	if _, ok := d.scanString(); !ok {
		return false
	}
	d.skipSpace()
	if d.peek() != ':' {
		d.syntaxError("after object key")
		return false
	}
	d.i++
	d.skipSpace()
	return true
}

// bitStack is a stack of booleans, on the stack up to 64 deep.
type bitStack struct {
	n    int
	low  uint64
	high []bool
}

func (s *bitStack) push(v bool) {
	if s.n < 64 {
		if v {
			s.low |= 1 << s.n
		} else {
			s.low &^= 1 << s.n
		}
	} else {
		s.high = append(s.high[:s.n-64], v)
	}
	s.n++
}

func (s *bitStack) pop() { s.n-- }

func (s *bitStack) top() bool {
	if s.n <= 64 {
		return s.low&(1<<(s.n-1)) != 0
	}
	return s.high[s.n-65]
}
