package record

import (
	"bytes"
	"time"

	"callboard/feed"
)

// The update line is nearly every line of a recording or a journal: it is
// written and read here by hand, at a fraction of encoding/json's cost,
// and what it writes reads back the same through encoding/json. A payload
// that Decode found to be JSON, on one line and with nothing a terminal
// would act on or hide, goes in as it is, `{"t":"…","kind":"update",
// "payload":{…}}`: no escaping to write, none to undo. Any other payload
// goes in as a string, `{"t":"…","kind":"update","raw":"…"}`, escaped as
// encoding/json would. Lines the hand-written reader does not know take
// encoding/json.

const (
	updateHead   = `{"t":"`
	updateRawMid = `","kind":"update","raw":"`
	updateMid    = `","kind":"update","payload":`
	updateTail   = `}`
)

// appendUpdateLine appends ev's line to dst.
func appendUpdateLine(dst []byte, ev *feed.Event) []byte {
	return appendUpdateLineAt(dst, ev, appendRFC3339Nano)
}

// appendUpdateLineAt appends ev's line to dst, its time by appendTime.
func appendUpdateLineAt(dst []byte, ev *feed.Event, appendTime func([]byte, time.Time) []byte) []byte {
	if ev.Quarantined() { // rare: encoding/json writes it
		raw := string(ev.Raw)
		return appendLine(dst, recordLine{T: ev.Received, Kind: "update", Raw: &raw, Rejected: ev.Err.Detail})
	}
	dst = append(dst, updateHead...)
	dst = appendTime(dst, ev.Received)
	if payloadAsIs(ev) {
		dst = append(dst, updateMid...)
		dst = append(dst, ev.Raw...)
		dst = append(dst, updateTail...)
		return append(dst, '\n')
	}
	dst = append(dst, updateRawMid...)
	dst = feed.AppendJSONString(dst, ev.Raw)
	dst = append(dst, `"}`...)
	return append(dst, '\n')
}

// Appender appends recording lines as Append does, keeping the
// text of the second its last update line was in: the lines of a flood,
// many a second, have their date and zone written out once a second. Its
// zero value is ready; it is not safe for concurrent use.
type Appender struct {
	sec    int64 // the Unix second of prefix and suffix
	loc    *time.Location
	prefix []byte // "2006-01-02T15:04:05"
	suffix []byte // "Z" or "+01:00"
	ok     bool   // prefix and suffix hold sec's, in loc
}

// Append appends m's lines to dst.
func (a *Appender) Append(dst []byte, m feed.Message) []byte {
	for m := range feed.Unbatched(m) {
		if ev, ok := m.(*feed.Event); ok {
			dst = appendUpdateLineAt(dst, ev, a.appendTime)
		} else {
			dst = appendMessage(dst, m)
		}
	}
	return dst
}

// appendTime appends t as appendRFC3339Nano does.
func (a *Appender) appendTime(dst []byte, t time.Time) []byte {
	if sec := t.Unix(); !a.ok || sec != a.sec || t.Location() != a.loc {
		_, offset := t.Zone()
		if y := t.Year(); y < 0 || y > 9999 || offset%60 != 0 { // left to AppendFormat
			a.ok = false
			return appendRFC3339Nano(dst, t)
		}
		full := appendRFC3339Nano(a.prefix[:0], t.Truncate(time.Second))
		a.prefix, a.suffix = full[:19], append(a.suffix[:0], full[19:]...)
		a.sec, a.loc, a.ok = sec, t.Location(), true
	}
	dst = append(dst, a.prefix...)
	dst = appendNanos(dst, t.Nanosecond())
	return append(dst, a.suffix...)
}

// appendRFC3339Nano appends t as t.AppendFormat(dst, time.RFC3339Nano)
// does, a few times faster.
func appendRFC3339Nano(dst []byte, t time.Time) []byte {
	year, month, day := t.Date()
	_, offset := t.Zone()
	if year < 0 || year > 9999 || offset%60 != 0 {
		return t.AppendFormat(dst, time.RFC3339Nano)
	}
	hour, minute, sec := t.Clock()
	dst = appendDigits(dst, year, 4)
	dst = append(dst, '-')
	dst = appendDigits(dst, int(month), 2)
	dst = append(dst, '-')
	dst = appendDigits(dst, day, 2)
	dst = append(dst, 'T')
	dst = appendDigits(dst, hour, 2)
	dst = append(dst, ':')
	dst = appendDigits(dst, minute, 2)
	dst = append(dst, ':')
	dst = appendDigits(dst, sec, 2)
	dst = appendNanos(dst, t.Nanosecond())
	if offset == 0 {
		return append(dst, 'Z')
	}
	sign := byte('+')
	if offset < 0 {
		sign, offset = '-', -offset
	}
	dst = append(dst, sign)
	dst = appendDigits(dst, offset/3600, 2)
	dst = append(dst, ':')
	return appendDigits(dst, offset/60%60, 2)
}

// appendNanos appends the fraction of a second of ns nanoseconds as
// RFC3339Nano has it: none when 0, else a dot and its digits without the
// trailing zeros.
func appendNanos(dst []byte, ns int) []byte {
	if ns == 0 {
		return dst
	}
	var buf [10]byte
	buf[0] = '.'
	for i := 9; i > 1; i -= 2 { // two digits at a time
		pair := ns % 100 * 2
		buf[i-1], buf[i] = digitPairs[pair], digitPairs[pair+1]
		ns /= 100
	}
	buf[1] = byte('0' + ns)
	n := len(buf)
	for buf[n-1] == '0' {
		n--
	}
	return append(dst, buf[:n]...)
}

// digitPairs are "00" to "99", one after the other.
const digitPairs = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"

// appendDigits appends n in width digits, zeros first.
func appendDigits(dst []byte, n, width int) []byte {
	var buf [9]byte
	for i := width - 1; i >= 0; i-- {
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return append(dst, buf[:width]...)
}

// payloadAsIs reports whether ev's payload can go in a line as it is: an
// object Decode read through (it checks the whole payload's syntax first;
// rejected payloads, rare, go as strings), on one line, with nothing
// EscapeInvisible would rewrite.
func payloadAsIs(ev *feed.Event) bool {
	raw := ev.Raw
	return ev.Err == nil && len(raw) > 0 && raw[0] == '{' &&
		bytes.IndexByte(raw, '\n') < 0 && bytes.IndexByte(raw, '\r') < 0 && !feed.HasInvisible(raw)
}

// parseUpdateLine reads an update line as appendUpdateLine or
// encoding/json writes it; ok is false for any other line, which then
// takes encoding/json. A payload that went in as it is comes back
// byte for byte; Decode checks it as it checked it live.
func parseUpdateLine(line []byte) (ev *feed.Event, ok bool) {
	rest, found := bytes.CutPrefix(line, []byte(updateHead))
	if !found {
		return nil, false
	}
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return nil, false
	}
	at, err := time.Parse(time.RFC3339Nano, string(rest[:end]))
	if err != nil {
		return nil, false
	}
	rest = rest[end:]
	if body, found := bytes.CutPrefix(rest, []byte(updateMid)); found {
		payload, found := bytes.CutSuffix(body, []byte(updateTail))
		if !found || len(payload) == 0 || payload[0] != '{' {
			return nil, false
		}
		return &feed.Event{Received: at, Raw: bytes.Clone(payload)}, true
	}
	if !bytes.HasPrefix(rest, []byte(updateRawMid)) || !bytes.HasSuffix(line, []byte("}")) {
		return nil, false
	}
	// the raw string, read as the decoder reads strings
	open := len(line) - len(rest) + len(updateRawMid) - 1
	raw, n, ok := feed.UnquoteJSONString(line[open:])
	if !ok || open+n != len(line)-1 {
		return nil, false
	}
	return &feed.Event{Received: at, Raw: raw}, true
}
