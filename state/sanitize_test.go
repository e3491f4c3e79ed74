package state

import (
	"strings"
	"testing"
	"unicode"
)

func TestSanitize(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Alice Martin", "Alice Martin"},
		{"Chloé 日本", "Chloé 日本"},
		{"red\x1b[31mtext\x1b[0m", "redtext"},
		{"clear\x1b[2J\x1b[H", "clear"},
		{"title\x1b]0;pwned\x07after", "titleafter"},
		{"link\x1b]8;;http://x\x1b\\here\x1b]8;;\x1b\\", "linkhere"},
		{"dcs\x1bPq#0;2\x1b\\end", "dcsend"},
		{"charset\x1b(Bok", "charsetok"},
		{"keypad\x1b=ok", "keypadok"},
		{"bell\a", "bell"},
		{"back\b\bspace", "backspace"},
		{"carriage\rreturn", "carriagereturn"},
		{"c1 csi\u009b31mred", "c1 csired"},
		{"c1 osc\u009d0;x\u009cafter", "c1 oscafter"},
		{"nel\u0085", "nel"},
		{"del\x7f", "del"},
		{"nul\x00", "nul"},
		{"tab\there", "tab here"},
		{"two\nlines", "two lines"},
		{"bidi\u202egnp.exe", "bidignp.exe"},
		{"bad\xffutf8", "bad\ufffdutf8"},
		{"unterminated\x1b]0;forever", "unterminated"},
		{"trailing\x1b", "trailing"},
		{"rlm\u200fname", "rlmname"},
		{"alm\u061cname", "almname"},
		{"bom\ufeffname", "bomname"},
		{"line\u2028sep", "line sep"},
		{"para\u2029sep", "para sep"},
		{"zw\u200b\u200c\u200d\u2060\u2061sp", "zwsp"},
		{"iso\u2066late\u2069", "isolate"},
		{"soft\u00adhyphen", "softhyphen"},
		{"tag\U000e0001\U000e0041\U000e007f", "tag"},
		{"vs\ufe0f\U000e0100", "vs"},
		{"mongol\u180e", "mongol"},
		{"filler\u3164\u115f\uffa0", "filler"},
		{"cgj\u034f", "cgj"},
		{"annot\ufff9\ufffb", "annot"},
		{"emoji \U0001F469\u200d\U0001F4BB", "emoji \U0001F469\U0001F4BB"},
	} {
		if got := Sanitize(c.in); got != c.want {
			t.Errorf("Sanitize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestSanitizeRemovesEveryFormatCharacter: no character of Unicode's
// format class (Cf), nor a line or paragraph separator, nor a variation
// selector, reaches the terminal.
func TestSanitizeRemovesEveryFormatCharacter(t *testing.T) {
	for _, table := range []*unicode.RangeTable{unicode.Cf, unicode.Zl, unicode.Zp, unicode.Variation_Selector} {
		for _, rng := range table.R16 {
			for r := rune(rng.Lo); r <= rune(rng.Hi); r += rune(rng.Stride) {
				if got := strings.TrimSpace(Sanitize("a" + string(r) + "b")); got != "ab" && got != "a b" {
					t.Errorf("Sanitize(a %U b) = %q", r, got)
				}
			}
		}
		for _, rng := range table.R32 {
			for r := rune(rng.Lo); r <= rune(rng.Hi); r += rune(rng.Stride) {
				if got := Sanitize("a" + string(r) + "b"); got != "ab" {
					t.Errorf("Sanitize(a %U b) = %q", r, got)
				}
			}
		}
	}
}
