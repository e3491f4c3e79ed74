package feed

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestEscapeInvisibleKeepsTheDataAndHidesTheControls: C1 controls, bidi
// overrides and isolates, RLM, ALM, BOM, the zero-width space, the line and
// paragraph separators, a tag beyond U+FFFF (as a surrogate pair), a
// variation selector and the soft hyphen are escaped, and read back the
// same; other text is left as it is.
func TestEscapeInvisibleKeepsTheDataAndHidesTheControls(t *testing.T) {
	t.Parallel()
	hostile := "a\u009b31mred\u202eevil\u2066x\u200bz\ufeffé—\U0001F600R\u200fA\u061cL\u2028P\u2029T\U000e0041V\ufe0fS\u00ad"
	b, err := json.Marshal(map[string]string{"name": hostile})
	if err != nil {
		t.Fatal(err)
	}
	got := EscapeInvisible(b)
	for _, r := range hostile {
		if Invisible(r) && strings.ContainsRune(string(got), r) {
			t.Errorf("%U is still raw in %s", r, got)
		}
	}
	for _, want := range []string{`\u009b`, `\u202e`, `\u2066`, `\u200b`, `\ufeff`, "é—\U0001F600", `\u200f`, `\u061c`, `\u2028`, `\u2029`, `\udb40\udc41`, `\ufe0f`, `\u00ad`} {
		if !strings.Contains(string(got), want) {
			t.Errorf("%s lacks %q", got, want)
		}
	}
	var back map[string]string
	if err := json.Unmarshal(got, &back); err != nil || back["name"] != hostile {
		t.Errorf("read back %q (%v), want %q", back["name"], err, hostile)
	}
	plain := []byte(`{"name":"Hélène"}`)
	if out := EscapeInvisible(plain); &out[0] != &plain[0] {
		t.Error("plain JSON was copied")
	}
}

// TestInvisibleIsItsTables: the quick paths of Invisible and HasInvisible
// (ranges looked up in no table, lead bytes skipped) agree with the
// Unicode tables they stand for, over every rune.
func TestInvisibleIsItsTables(t *testing.T) {
	t.Parallel()
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want := r >= 0x80 && r <= 0x9f || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
		if Invisible(r) != want {
			t.Fatalf("Invisible(%U) = %v", r, !want)
		}
		if utf8.ValidRune(r) && HasInvisible([]byte("ab"+string(r)+"cdefghijk")) != want {
			t.Fatalf("HasInvisible of %U = %v", r, !want)
		}
	}
}
