package config

import (
	"strings"
	"testing"
)

// TestWallPageEntriesAreCheckedAsAViewers: a page's queues and groups are
// a scope as a viewer's, refused as a viewer's are (a control, bidi or
// invisible character, more than 128 characters); its name holds no bidi
// or invisible character either.
func TestWallPageEntriesAreCheckedAsAViewers(t *testing.T) {
	for body, want := range map[string]string{
		"[wall]\npages = [{ queues = [\"\\u001b]0;x\\u0007Sup\"] }]\n":                        `wall.pages[0].queues[0]: "\x1b]0;x\aSup": want an id or a name`,
		"[wall]\npages = [{ name = \"a\" }, { groups = [\"Sup\\u202eport\"] }]\n":             "wall.pages[1].groups[0]",
		"[wall]\npages = [{ groups = [\"" + strings.Repeat("a", maxScopeEntry+1) + "\"] }]\n": "at most 128 printable characters",
		"[wall]\npages = [{ name = \"\\u202eevil\" }]\n":                                      "wall.pages[0].name",
	} {
		_, _, err := Load(write(t, minimal+body, 0o600))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q in it", body, err, want)
		}
	}
	if _, _, err := Load(write(t, minimal+"[wall]\npages = [{ name = \"Équipe Support\", queues = [\"Support client\", \"391\"] }]\n", 0o600)); err != nil {
		t.Errorf("a page of names with spaces and accents: %v", err)
	}
}
