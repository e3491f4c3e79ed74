package state

import "testing"

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
	} {
		if got := Sanitize(c.in); got != c.want {
			t.Errorf("Sanitize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
