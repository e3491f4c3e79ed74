package feed

import (
	"bytes"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
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
	updateHead    = `{"t":"`
	updateRawMid  = `","kind":"update","raw":"`
	updateRawTail = `"}`
	updateMid     = `","kind":"update","payload":`
	updateTail    = `}`
)

// appendUpdateLine appends ev's line to dst.
func appendUpdateLine(dst []byte, ev *Event) []byte {
	dst = append(dst, updateHead...)
	dst = appendRFC3339Nano(dst, ev.Received)
	if payloadAsIs(ev) {
		dst = append(dst, updateMid...)
		dst = append(dst, ev.Raw...)
		dst = append(dst, updateTail...)
		return append(dst, '\n')
	}
	dst = append(dst, updateRawMid...)
	dst = appendJSONString(dst, ev.Raw)
	dst = append(dst, updateRawTail...)
	return append(dst, '\n')
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
	if ns := t.Nanosecond(); ns != 0 {
		dst = append(dst, '.')
		digits := 9
		for ns%10 == 0 {
			ns /= 10
			digits--
		}
		dst = appendDigits(dst, ns, digits)
	}
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
func payloadAsIs(ev *Event) bool {
	raw := ev.Raw
	return ev.Err == nil && len(raw) > 0 && raw[0] == '{' &&
		bytes.IndexByte(raw, '\n') < 0 && bytes.IndexByte(raw, '\r') < 0 && !hasInvisible(raw)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends the inside of s as a JSON string, as
// encoding/json writes it (invalid UTF-8 as U+FFFD, <, >, & and U+2028,
// U+2029 escaped), with the characters EscapeInvisible rewrites escaped too.
func appendJSONString(dst, s []byte) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == 0x2028 || r == 0x2029 || invisible(r):
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
		default:
			i += n
			continue
		}
		i += n
		start = i
	}
	return append(dst, s[start:]...)
}

// parseUpdateLine reads an update line as appendUpdateLine or
// encoding/json writes it; ok is false for any other line, which then
// takes encoding/json. A payload that went in as it is comes back
// byte for byte; Decode checks it as it checked it live.
func parseUpdateLine(line []byte) (ev *Event, ok bool) {
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
		return &Event{Received: at, Raw: bytes.Clone(payload)}, true
	}
	rest, found = bytes.CutPrefix(rest, []byte(updateRawMid))
	if !found {
		return nil, false
	}
	body, found := bytes.CutSuffix(rest, []byte(updateRawTail))
	if !found {
		return nil, false
	}
	raw, ok := unquoteJSON(body)
	if !ok {
		return nil, false
	}
	return &Event{Received: at, Raw: raw}, true
}

// unquoteJSON reads the inside of a JSON string; ok is false when it is
// not one, or holds what encoding/json would rewrite (invalid UTF-8, lone
// surrogates), left to encoding/json.
func unquoteJSON(s []byte) ([]byte, bool) {
	if bytes.IndexByte(s, '\\') < 0 {
		if bytes.IndexByte(s, '"') >= 0 || !utf8.Valid(s) || hasControl(s) {
			return nil, false
		}
		return bytes.Clone(s), true
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c < 0x20:
			return nil, false
		case c != '\\':
			start := i
			for i < len(s) && s[i] != '\\' && s[i] != '"' && s[i] >= 0x20 {
				i++
			}
			if !utf8.Valid(s[start:i]) {
				return nil, false
			}
			out = append(out, s[start:i]...)
			continue
		}
		if i+1 >= len(s) {
			return nil, false
		}
		switch e := s[i+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'u':
			r, ok := hex4Quad(s[i+2:])
			if !ok {
				return nil, false
			}
			i += 6
			if utf16.IsSurrogate(r) {
				r2, ok := rune(0), false
				if i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
					r2, ok = hex4Quad(s[i+2:])
				}
				if !ok || utf16.DecodeRune(r, r2) == utf8.RuneError {
					return nil, false // a lone surrogate: encoding/json's U+FFFD
				}
				r = utf16.DecodeRune(r, r2)
				i += 6
			}
			out = utf8.AppendRune(out, r)
			continue
		default:
			return nil, false
		}
		i += 2
	}
	return out, true
}

func hex4Quad(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(s[:4]), 16, 16)
	return rune(n), err == nil
}

func hasControl(s []byte) bool {
	for _, c := range s {
		if c < 0x20 {
			return true
		}
	}
	return false
}
