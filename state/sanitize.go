package state

import (
	"strings"
	"unicode/utf8"

	"callboard/feed"
)

// Sanitize makes outside text safe to print on one line of the board: it
// removes terminal escape sequences (7-bit and 8-bit forms), C0 and C1
// control characters, DEL and every character that hides itself or
// reorders or joins the text around it (feed.Invisible: bidi marks and
// overrides, zero-width characters, BOM, tags, variation selectors…),
// turns tabs and line breaks (U+2028 and U+2029 too) into spaces and
// replaces invalid UTF-8 with U+FFFD.
func Sanitize(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == 0x1b:
			i = skipEscape(s, i+size)
			continue
		case r == 0x9b:
			i = skipCSI(s, i+size)
			continue
		case r == 0x90, r == 0x98, r == 0x9d, r == 0x9e, r == 0x9f: // DCS, SOS, OSC, PM, APC
			i = skipControlString(s, i+size)
			continue
		case r == '\t', r == '\n', r == '\v', r == '\f', r == '\u2028', r == '\u2029':
			b.WriteByte(' ')
		case dropped(r):
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// clean reports whether s can be printed as it is.
func clean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || dropped(r) || r == '\t' || r == '\n' {
			return false
		}
		i += size
	}
	return true
}

// dropped reports whether r is a control character or one feed.Invisible
// names, which could hide itself or reorder a table line.
func dropped(r rune) bool {
	return r < 0x20 || r == 0x7f || feed.Invisible(r)
}

// skipEscape returns the index just past the escape sequence whose ESC ends
// at i.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '[':
		return skipCSI(s, i+1)
	case c == ']', c == 'P', c == 'X', c == '^', c == '_':
		return skipControlString(s, i+1)
	case c >= 0x20 && c <= 0x2f: // intermediates, then one final byte
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
			i++
		}
		return i
	case c >= 0x30 && c <= 0x7e:
		return i + 1
	}
	return i
}

// skipCSI returns the index just past the parameters, intermediates and
// final byte of a control sequence starting at i.
func skipCSI(s string, i int) int {
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x3f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipControlString returns the index just past the terminator (BEL, ESC \
// or U+009C) of an OSC, DCS, SOS, PM or APC string starting at i. An
// unterminated string runs to the end of s.
func skipControlString(s string, i int) int {
	for ; i < len(s); i++ {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case s[i] == 0xc2 && i+1 < len(s) && s[i+1] == 0x9c:
			return i + 2
		}
	}
	return i
}
