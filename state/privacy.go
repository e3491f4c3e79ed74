package state

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Caller numbers are shown per Options.CallerID (showCaller, views.go)
// wherever the board shows them: the agents' current calls (AgentRow,
// Snapshot) and the event log (Events), whose raw payloads and rejection
// notes have their caller numbers treated the same way before anyone sees
// them. Recordings are made by the feed from what arrived and keep the full
// numbers.

// callerKeys are the payload keys whose values are caller numbers, in lower
// case: the documented caller_id_num, number (the number a PUSHCALL asks to
// call, in the simulator's guess at that undocumented event) and other
// spellings an undocumented event may use. Keys match case-insensitively,
// at any depth.
var callerKeys = map[string]bool{
	"caller_id_num": true, "caller_id": true, "callerid": true, "caller": true,
	"caller_num": true, "caller_number": true, "number": true, "phone": true,
	"phone_number": true, "numero": true, "called": true, "callee": true,
}

// privateEntry returns e with its caller numbers shown per Options.CallerID
// (see rewriteCallers and privateNote). e.Raw is never modified: a treated
// payload is a new slice.
func (b *Board) privateEntry(e LogEntry) LogEntry {
	if b.opts.CallerID == CallerFull {
		return e
	}
	var callers []string
	e.Raw, callers = rewriteCallers(e.Raw, b.showCaller, noteNumbers(e.Rejected))
	if e.Rejected != "" {
		e.Rejected = privateNote(e.Rejected, callers, b.showCaller)
	}
	return e
}

// rewriteCallers returns raw, JSON text, with its caller numbers replaced by
// show(number), and the numbers. A caller number is a value of one of
// callerKeys (a string or a number; in an object or an array under such a
// key, every string and number), or one of known, which the caller found
// elsewhere. Once found, a number longer than 5 characters is replaced in
// the other values too (the same number sent in a wrong field), so that it
// shows nowhere. Replaced values are written as JSON strings.
//
// The scan is lenient: a payload that is not valid JSON (a rejected one, cut
// short or malformed) still has the values that follow a caller key
// rewritten. raw itself is never modified; when nothing changes it is
// returned as is.
func rewriteCallers(raw []byte, show func(string) string, known []string) ([]byte, []string) {
	var callers []string
	scanValues(raw, func(v jsonValue) {
		if v.caller {
			callers = append(callers, v.text(raw))
		}
	})
	var sweep []string
	for _, c := range slices.Concat(callers, known) { // the payload's own first
		if utf8.RuneCountInString(c) > 5 {
			sweep = append(sweep, c)
		}
	}
	if len(callers) == 0 && len(sweep) == 0 {
		return raw, nil
	}
	var out []byte
	last := 0 // raw[:last] is in out
	scanValues(raw, func(v jsonValue) {
		if !v.caller && !v.escaped && !slices.ContainsFunc(sweep, func(c string) bool {
			return bytes.Contains(raw[v.start:v.end], []byte(c))
		}) {
			return // the cheap and usual case: nothing to replace
		}
		text := v.text(raw)
		shown := text
		if v.caller {
			shown = show(text)
		} else {
			for _, c := range sweep {
				shown = strings.ReplaceAll(shown, c, show(c))
			}
		}
		if shown == text {
			return
		}
		if out == nil {
			out = make([]byte, 0, len(raw)+8)
		}
		out = append(out, raw[last:v.start]...)
		out = appendJSONString(out, shown)
		last = v.end
	})
	if out == nil {
		return raw, callers
	}
	return append(out, raw[last:]...), callers
}

// jsonValue is a scalar value found by scanValues: raw[start:end] is a
// string (quotes included, the closing one missing when cut short) or a
// number or other bare word. caller says it is a caller number's.
type jsonValue struct {
	start, end           int
	str, closed, escaped bool
	caller               bool
}

// text returns the value: a string unescaped, a bare word as it is.
func (v jsonValue) text(raw []byte) string {
	if !v.str {
		return string(raw[v.start:v.end])
	}
	content := raw[v.start+1 : v.end]
	if v.closed {
		content = raw[v.start+1 : v.end-1]
	}
	return jsonStringValue(content, v.escaped)
}

// scanValues calls visit with every scalar value of raw, JSON text, except
// null, true and false, and keys. It does not validate: it reads whatever
// tokens it meets, so that a payload cut short or malformed is scanned too.
func scanValues(raw []byte, visit func(jsonValue)) {
	var (
		depth   int
		inside  = -1    // depth of the caller container being scanned, -1 when none
		pending = false // the next value is a caller's
	)
	for i := 0; i < len(raw); {
		switch raw[i] {
		case ' ', '\t', '\r', '\n', ':':
			i++
		case ',':
			pending = false
			i++
		case '{', '[':
			depth++
			if pending && inside < 0 {
				inside = depth
			}
			pending = false
			i++
		case '}', ']':
			if depth == inside {
				inside = -1
			}
			depth--
			i++
		case '"':
			end, closed, escaped := scanJSONString(raw, i)
			if isKey(raw, end) {
				pending = callerKey(raw[i+1:end-1], escaped)
			} else {
				visit(jsonValue{start: i, end: end, str: true, closed: closed, escaped: escaped, caller: pending || inside >= 0})
				pending = false
			}
			i = end
		default:
			end := i + 1
			for end < len(raw) && strings.IndexByte(" \t\r\n,:{}[]\"", raw[end]) < 0 {
				end++
			}
			if tok := raw[i:end]; string(tok) != "null" && string(tok) != "true" && string(tok) != "false" {
				visit(jsonValue{start: i, end: end, caller: pending || inside >= 0})
			}
			pending = false
			i = end
		}
	}
}

// scanJSONString returns the end (exclusive) of the JSON string starting
// at raw[start] == '"', whether it was closed, and whether it holds escapes.
// An unclosed string runs to the end of raw.
func scanJSONString(raw []byte, start int) (end int, closed, escaped bool) {
	for i := start + 1; i < len(raw); i++ {
		switch raw[i] {
		case '\\':
			escaped = true
			i++
		case '"':
			return i + 1, true, escaped
		}
	}
	return len(raw), false, escaped
}

// isKey reports whether the string ending at raw[end] is an object key:
// followed by a colon.
func isKey(raw []byte, end int) bool {
	for ; end < len(raw); end++ {
		switch raw[end] {
		case ' ', '\t', '\r', '\n':
		case ':':
			return true
		default:
			return false
		}
	}
	return false
}

// callerKey reports whether a key's content (between its quotes) is one of
// callerKeys.
func callerKey(content []byte, escaped bool) bool {
	if escaped {
		return callerKeys[strings.ToLower(jsonStringValue(content, true))]
	}
	var buf [16]byte
	if len(content) > len(buf) {
		return false
	}
	for i, c := range content {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return callerKeys[string(buf[:len(content)])]
}

// jsonStringValue unescapes the content of a JSON string; content that does
// not unescape (cut short, bad escapes) is taken as it is.
func jsonStringValue(content []byte, escaped bool) string {
	if escaped {
		var s string
		quoted := make([]byte, 0, len(content)+2)
		quoted = append(append(append(quoted, '"'), content...), '"')
		if json.Unmarshal(quoted, &s) == nil {
			return s
		}
	}
	return string(content)
}

// appendJSONString appends s as a JSON string.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			dst = append(dst, '\\', byte(r))
		case r < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hex[r>>4], hex[r&0xf])
		default:
			dst = utf8.AppendRune(dst, r)
		}
	}
	return append(dst, '"')
}

// noteNumbers returns the quoted values of a rejection note that look like
// phone numbers (the decoder quotes the values it could not read).
func noteNumbers(note string) []string {
	var numbers []string
	for rest := note; ; {
		start := strings.IndexByte(rest, '"')
		if start < 0 {
			return numbers
		}
		end := quotedEnd(rest, start)
		if end < 0 {
			return numbers
		}
		if v, err := strconv.Unquote(rest[start:end]); err == nil && phoneLike(v) {
			numbers = append(numbers, v)
		}
		rest = rest[end:]
	}
}

// privateNote replaces the caller numbers in a rejection note, those of
// the payload and those it quotes (noteNumbers), by their shown form,
// show(number).
func privateNote(note string, callers []string, show func(string) string) string {
	for _, c := range append(callers, noteNumbers(note)...) {
		if c == "" {
			continue
		}
		if q := strconv.Quote(c); strings.Contains(note, q) {
			note = strings.ReplaceAll(note, q, strconv.Quote(show(c)))
		}
		if utf8.RuneCountInString(c) > 5 { // shorter ones are not masked, and would match offsets and counts
			note = strings.ReplaceAll(note, c, show(c))
		}
	}
	return note
}

// quotedEnd returns the end (exclusive) of the Go-quoted string starting at
// s[start] == '"', or -1 when it is not closed.
func quotedEnd(s string, start int) int {
	for i := start + 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// phoneLike reports whether s reads as a phone number: at least 6 digits,
// and nothing else than digits, spaces and + - . ( ) /.
func phoneLike(s string) bool {
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			digits++
		case strings.IndexByte(" +-.()/", c) >= 0:
		default:
			return false
		}
	}
	return digits >= 6
}
