package feed

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// EscapeInvisible rewrites, in encoded JSON, the characters a terminal or
// a reader would act on or hide rather than show, as \uXXXX escapes: C1
// controls (U+0080–U+009F, among them the one-byte CSI) and the bidi and
// zero-width formatting characters (U+061C, U+200B–U+200F, U+202A–U+202E,
// U+2060–U+2069, U+FEFF). encoding/json already escapes the C0 controls.
// The data is unchanged (any JSON reader reads the same strings back), but
// `cat` or `jq -r` of a snapshot or a recording cannot be made to clear a
// screen or reorder a line. Outside strings JSON is ASCII, so b is rewritten
// byte by byte; b is returned as it is when it holds none of them.
func EscapeInvisible(b []byte) []byte {
	if !hasInvisible(b) {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if invisible(r) {
			out = append(out, `\u`...)
			hex := strconv.FormatInt(int64(r), 16)
			for range 4 - len(hex) {
				out = append(out, '0')
			}
			out = append(out, hex...)
		} else {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return out
}

// hasInvisible is a quick look for the lead bytes of the runes
// EscapeInvisible rewrites.
func hasInvisible(b []byte) bool {
	return bytes.IndexByte(b, 0xC2) >= 0 || bytes.IndexByte(b, 0xD8) >= 0 || bytes.IndexByte(b, 0xE2) >= 0 || bytes.IndexByte(b, 0xEF) >= 0
}

func invisible(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9F, r == 0x061C, r >= 0x200B && r <= 0x200F,
		r >= 0x202A && r <= 0x202E, r >= 0x2060 && r <= 0x2069, r == 0xFEFF:
		return true
	}
	return false
}
