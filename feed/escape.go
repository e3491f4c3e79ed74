package feed

import (
	"encoding/binary"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// EscapeInvisible rewrites, in encoded JSON, the characters Invisible
// names as \uXXXX escapes (a surrogate pair beyond U+FFFF). encoding/json
// already escapes the C0 controls. The data is unchanged (any JSON reader
// reads the same strings back), but `cat` or `jq -r` of a snapshot or a
// recording cannot be made to clear a screen, reorder a line or hide a
// character. Outside strings JSON is ASCII, so b is rewritten rune by rune;
// b is returned as it is when it holds none of them.
func EscapeInvisible(b []byte) []byte {
	if !HasInvisible(b) {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if Invisible(r) {
			out = appendEscapedRune(out, r)
		} else {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return out
}

// Invisible reports whether r is a character that a terminal acts on, or
// that hides itself, joins, reorders or breaks the text around it, rather
// than showing as a character: the C1 controls (U+0080–U+009F, among them
// the one-byte CSI), every format character (Unicode class Cf: the bidi
// marks, embeddings, overrides and isolates, U+061C, U+200B–U+200F with
// the zero-width joiners, U+2060–U+2064, U+FEFF, the soft hyphen, the tags
// U+E0000–U+E007F), the line and paragraph separators U+2028 and U+2029,
// the variation selectors, and the other default-ignorable code points
// (Hangul fillers, the combining grapheme joiner). The C0 controls and DEL
// are left to the caller: JSON escapes them already.
//
// The zero-width joiner goes too, though emoji sequences use it: a
// terminal may draw such a sequence one, two or more cells wide, and a
// table's columns would not line up; 👩‍💻 shows as 👩💻.
func Invisible(r rune) bool {
	switch {
	case r < 0x80:
		return false
	case r <= 0x9f:
		return true
	case r < 0x34f: // Latin, Greek, IPA, diacritics: the common case, looked up in no table
		return r == 0xad
	}
	return unicode.In(r, invisibleTables...)
}

// invisibleTables are the classes and properties Invisible names beyond
// the C1 controls.
var invisibleTables = []*unicode.RangeTable{unicode.Cf, unicode.Zl, unicode.Zp, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point}

// invisibleLead marks the bytes that begin the UTF-8 encoding of a rune
// Invisible names: the others are skipped without decoding.
var invisibleLead = func() (lead [256]bool) {
	var buf [utf8.UTFMax]byte
	mark := func(r rune) {
		utf8.EncodeRune(buf[:], r)
		lead[buf[0]] = true
	}
	for r := rune(0x80); r <= 0x9f; r++ {
		mark(r)
	}
	for _, t := range invisibleTables {
		for _, rng := range t.R16 {
			for r := rune(rng.Lo); r <= rune(rng.Hi); r += rune(rng.Stride) {
				mark(r)
			}
		}
		for _, rng := range t.R32 {
			for r := rune(rng.Lo); r <= rune(rng.Hi); r += rune(rng.Stride) {
				mark(r)
			}
		}
	}
	return lead
}()

// HasInvisible reports whether b holds a rune Invisible names, skipping
// ASCII eight bytes at a time.
func HasInvisible(b []byte) bool {
	for i := 0; i < len(b); {
		for i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 == 0 {
			i += 8
		}
		if i >= len(b) {
			return false
		}
		if !invisibleLead[b[i]] { // ASCII, a continuation byte, or the lead of none of them
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if Invisible(r) {
			return true
		}
		i += n
	}
	return false
}

// appendEscapedRune appends r as a JSON \uXXXX escape, or two (a surrogate
// pair) beyond U+FFFF.
func appendEscapedRune(dst []byte, r rune) []byte {
	if r > 0xffff {
		hi, lo := utf16.EncodeRune(r)
		return appendEscapedRune(appendEscapedRune(dst, hi), lo)
	}
	return append(dst, '\\', 'u', hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
}

const hexDigits = "0123456789abcdef"

// AppendJSONString appends the inside of s as a JSON string, as
// encoding/json writes it (invalid UTF-8 as U+FFFD, <, >, & and U+2028,
// U+2029 escaped), with the characters EscapeInvisible rewrites escaped too.
func AppendJSONString(dst, s []byte) []byte {
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
		case r == 0x2028 || r == 0x2029 || Invisible(r):
			dst = append(dst, s[start:i]...)
			dst = appendEscapedRune(dst, r)
		default:
			i += n
			continue
		}
		i += n
		start = i
	}
	return append(dst, s[start:]...)
}
