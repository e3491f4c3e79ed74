package config

import (
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	gossh "golang.org/x/crypto/ssh"
)

// Viewer is one audience of `callboard serve` ([[serve.viewers]]): the
// ssh keys it logs in with, the scope it sees, how it sees caller numbers
// and the view it starts on. A key in authorized_keys that is in no viewer
// gets the defaults: the whole center, display.caller_id, the Overview.
// The viewers let nobody in: a key logs in only when it is in
// authorized_keys, and this table then says what it sees.
type Viewer struct {
	Name string `toml:"name"`
	// Keys are the viewer's public keys, each an authorized_keys line's
	// key ("ssh-ed25519 AAAA…", a comment allowed) or its SHA256
	// fingerprint ("SHA256:…"). A key must also be in authorized_keys.
	Keys []string `toml:"keys"`
	// Queues and Groups are the viewer's scope, ids or names
	// (state.Scope); both empty: the whole center.
	Queues []string `toml:"queues"`
	Groups []string `toml:"groups"`
	// CallerID is how the viewer sees caller numbers: mask, full or hide;
	// "" display.caller_id. Never more than display.caller_id shows.
	CallerID string `toml:"caller_id"`
	// Start is the view the viewer starts on: a tab's name or "wall"; ""
	// the Overview. The file's reader cannot know the board's tabs: serve
	// checks it at start.
	Start string `toml:"start"`
}

// MaxViewerName is the most characters a viewer's name has: it is shown
// in the board's header, logged, and names the viewer's acknowledgements.
const MaxViewerName = 32

// The bounds of a scope in the file (a viewer's, a wall page's): its
// queues and groups together, and the characters of each.
const (
	maxScopeEntries = 100
	maxScopeEntry   = 128
)

// checkScope says what is wrong with the queues and groups of the table
// named table (a viewer's, a wall page's): more than maxScopeEntries of
// them, or one blank, longer than maxScopeEntry or not printable.
func checkScope(table string, queues, groups []string) error {
	if n := len(queues) + len(groups); n > maxScopeEntries {
		return fmt.Errorf("%s: %d queues and groups: want at most %d", table, n, maxScopeEntries)
	}
	for _, f := range []struct {
		key     string
		entries []string
	}{{"queues", queues}, {"groups", groups}} {
		for j, e := range f.entries {
			switch {
			case strings.TrimSpace(e) == "":
				return fmt.Errorf("%s.%s[%d]: empty: want a queue's or group's id or name", table, f.key, j)
			case utf8.RuneCountInString(e) > maxScopeEntry || !graphic(e):
				return fmt.Errorf("%s.%s[%d]: %q: want an id or a name (at most %d printable characters)", table, f.key, j, abbreviated(e), maxScopeEntry)
			}
		}
	}
	return nil
}

// ViewerKeyFingerprint is the SHA256 fingerprint ("SHA256:…", as
// ssh-keygen -l prints it) of key, a viewer's key: an authorized_keys
// line's key without options (its comment allowed), or a fingerprint
// itself.
func ViewerKeyFingerprint(key string) (string, error) {
	key = strings.TrimSpace(key)
	if b64, ok := strings.CutPrefix(key, "SHA256:"); ok {
		sum, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(b64, "="))
		if err != nil || len(sum) != 32 {
			return "", fmt.Errorf("%q: not a SHA256 fingerprint (SHA256: and 43 characters of base64, as ssh-keygen -l prints it)", abbreviated(key))
		}
		return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum), nil
	}
	k, _, options, rest, err := gossh.ParseAuthorizedKey([]byte(key))
	switch {
	case err != nil:
		return "", fmt.Errorf("%q: not a public key (\"ssh-ed25519 AAAA…\", as in authorized_keys) nor a SHA256 fingerprint", abbreviated(key))
	case len(options) > 0:
		return "", fmt.Errorf("%q: a key with options: give the key alone (its options belong in authorized_keys)", abbreviated(key))
	case len(strings.TrimSpace(string(rest))) > 0:
		return "", fmt.Errorf("%q: more than one key in one entry: give each its own", abbreviated(key))
	}
	return gossh.FingerprintSHA256(k), nil
}

// abbreviated is key cut to what names it in a message (%q escapes the
// rest).
func abbreviated(key string) string {
	if utf8.RuneCountInString(key) > 40 {
		key = string([]rune(key)[:40]) + "…"
	}
	return key
}

// callerStrictness orders the caller_id modes by how much they hide.
var callerStrictness = map[string]int{CallerFull: 0, CallerMask: 1, CallerHide: 2}

// validateViewers checks [[serve.viewers]]: each named (unique, whatever
// the case), keys each parsed and in one viewer only, scope entries not
// blank, caller_id no more than display shows.
func validateViewers(viewers []Viewer, display string) error {
	names := map[string]string{} // lower-case name: the name
	keys := map[string]string{}  // fingerprint: the viewer that has it
	for i := range viewers {
		v := &viewers[i]
		table := fmt.Sprintf("serve.viewers[%d]", i+1)
		if err := validViewerName(v.Name); err != nil {
			return fmt.Errorf("%s.name: %v", table, err)
		}
		table = fmt.Sprintf("serve.viewers %q", v.Name)
		if first, ok := names[strings.ToLower(v.Name)]; ok {
			return fmt.Errorf("%s: a second viewer of that name (the first is %q): give each its own", table, first)
		}
		names[strings.ToLower(v.Name)] = v.Name
		if len(v.Keys) == 0 {
			return fmt.Errorf("%s.keys: none: a viewer logs in with one of its keys", table)
		}
		for _, k := range v.Keys {
			fp, err := ViewerKeyFingerprint(k)
			if err != nil {
				return fmt.Errorf("%s.keys: %v", table, err)
			}
			switch other, ok := keys[fp]; {
			case ok && other == v.Name:
				return fmt.Errorf("%s.keys: %s listed twice", table, fp)
			case ok:
				return fmt.Errorf("%s.keys: %s is viewer %q's too: a key is one viewer's", table, fp, other)
			}
			keys[fp] = v.Name
		}
		if err := checkScope(table, v.Queues, v.Groups); err != nil {
			return err
		}
		switch want, ok := callerStrictness[v.CallerID]; {
		case v.CallerID == "":
		case !ok:
			return fmt.Errorf("%s.caller_id: %q: want mask, full or hide (or leave it out: display.caller_id)", table, v.CallerID)
		case want < callerStrictness[display]:
			return fmt.Errorf("%s.caller_id: %s shows more than display.caller_id (%s): a viewer sees no more than the board shows; use %s or hide it more", table, v.CallerID, display, display)
		}
		if v.Start != strings.TrimSpace(v.Start) || !graphic(v.Start) || utf8.RuneCountInString(v.Start) > maxScopeEntry {
			return fmt.Errorf("%s.start: %q: want a tab's name or wall", table, abbreviated(v.Start))
		}
	}
	return nil
}

// validViewerName says what is wrong with name, a viewer's: it names the
// viewer in the header, the log and its acknowledgements (and its
// remembered settings), so it is letters, digits and . _ - @, at most
// MaxViewerName, starting with a letter or a digit.
func validViewerName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("missing: each viewer has a name")
	case utf8.RuneCountInString(name) > MaxViewerName:
		return fmt.Errorf("%q: longer than %d characters", abbreviated(name), MaxViewerName)
	}
	for i, r := range name {
		letter := unicode.IsLetter(r) || unicode.IsDigit(r)
		if !letter && (i == 0 || !strings.ContainsRune("._-@", r)) {
			return fmt.Errorf("%q: want letters, digits and . _ - @, starting with a letter or a digit", name)
		}
	}
	return nil
}

// graphic reports whether s is valid UTF-8 of graphic characters and
// spaces only: no control, format (bidi, zero-width) or invalid byte.
func graphic(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsGraphic(r) {
			return false
		}
	}
	return true
}
