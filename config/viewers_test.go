package config

import (
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"callboard/internal/testkit"
)

// newKey is a fresh ed25519 public key as an authorized_keys line's key
// (comment), and its fingerprint.
func newKey(t *testing.T, comment string) (line, fingerprint string) {
	t.Helper()
	k := testkit.PublicKey(t)
	line = strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k)))
	if comment != "" {
		line += " " + comment
	}
	return line, gossh.FingerprintSHA256(k)
}

func TestViewersAreRead(t *testing.T) {
	anne, anneFP := newKey(t, "anne@desk")
	_, tvFP := newKey(t, "")
	path := write(t, minimal+`
[display]
caller_id = "mask"

[[serve.viewers]]
name = "support-lead"
keys = ["`+anne+`"]
queues = ["391"]
groups = ["Support"]
caller_id = "hide"
start = "Agents"

[[serve.viewers]]
name = "tv"
keys = ["`+tvFP+`"]
start = "wall"
`, 0o600)
	cfg, _, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	vs := cfg.Serve.Viewers
	if len(vs) != 2 || vs[0].Name != "support-lead" || vs[0].CallerID != "hide" || vs[0].Start != "Agents" || vs[1].Start != "wall" {
		t.Fatalf("viewers = %+v", vs)
	}
	for i, want := range []string{anneFP, tvFP} {
		if fp, err := ViewerKeyFingerprint(vs[i].Keys[0]); err != nil || fp != want {
			t.Errorf("viewer %d's key is %q (%v), want %s", i, fp, err, want)
		}
	}
}

func TestViewersAreChecked(t *testing.T) {
	key, fp := newKey(t, "")
	other, _ := newKey(t, "x@y")
	viewer := func(fields string) string { return "[[serve.viewers]]\n" + fields + "\n" }
	named := func(name, fields string) string {
		return viewer("name = \"" + name + "\"\n" + fields)
	}
	cases := []struct{ name, body, want string }{
		{"no name", viewer(`keys = ["` + key + `"]`), "serve.viewers[1].name: missing"},
		{"odd name", named("a lead", `keys = ["`+key+`"]`), `serve.viewers[1].name: "a lead": want letters, digits and . _ - @`},
		{"escape in name", named(`a\u001b[31m`, `keys = ["`+key+`"]`), `"a\x1b[31m": want letters`},
		{"name starts with a dot", named(".hidden", `keys = ["`+key+`"]`), "starting with a letter or a digit"},
		{"long name", named(strings.Repeat("a", 33), `keys = ["`+key+`"]`), "longer than 32 characters"},
		{"same name", named("Lead", `keys = ["`+key+`"]`) + named("lead", `keys = ["`+other+`"]`), `serve.viewers "lead": a second viewer of that name (the first is "Lead")`},
		{"no keys", named("lead", ""), `serve.viewers "lead".keys: none`},
		{"not a key", named("lead", `keys = ["ssh-ed25519 AAAAnotakey"]`), `serve.viewers "lead".keys: "ssh-ed25519 AAAAnotakey": not a public key`},
		{"short fingerprint", named("lead", `keys = ["SHA256:abc"]`), `"SHA256:abc": not a SHA256 fingerprint`},
		{"key with options", named("lead", `keys = ["command=\"sh\" `+key+`"]`), "a key with options"},
		{"key in two viewers", named("a", `keys = ["`+key+`"]`) + named("b", `keys = ["`+fp+`"]`), `serve.viewers "b".keys: ` + fp + ` is viewer "a"'s too`},
		{"key twice", named("a", `keys = ["`+key+`", "`+fp+`"]`), fp + " listed twice"},
		{"blank queue", named("a", `keys = ["`+key+`"]`+"\nqueues = [\" \"]"), `serve.viewers "a".queues[0]: empty`},
		{"control in group", named("a", `keys = ["`+key+`"]`+"\ngroups = [\"S\\u202eupport\"]"), `serve.viewers "a".groups[0]: "S\u202eupport"`},
		{"too many", named("a", `keys = ["`+key+`"]`+"\nqueues = ["+strings.Repeat(`"1",`, 60)+"]\ngroups = ["+strings.Repeat(`"2",`, 41)+"]"), `serve.viewers "a": 101 queues and groups: want at most 100`},
		{"unknown caller_id", named("a", `keys = ["`+key+`"]`+"\ncaller_id = \"some\""), `serve.viewers "a".caller_id: "some": want mask, full or hide`},
		{"more than the board", named("a", `keys = ["`+key+`"]`+"\ncaller_id = \"full\""), `serve.viewers "a".caller_id: full shows more than display.caller_id (mask)`},
		{"start blank", named("a", `keys = ["`+key+`"]`+"\nstart = \" wall\""), `serve.viewers "a".start: " wall"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Load(write(t, minimal+c.body, 0o600))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one saying %q", err, c.want)
			}
		})
	}
	// hiding more than the board, or as much, is allowed
	for _, mode := range []string{"mask", "hide"} {
		if _, _, err := Load(write(t, minimal+named("a", `keys = ["`+key+`"]`+"\ncaller_id = \""+mode+"\""), 0o600)); err != nil {
			t.Errorf("caller_id %s under display's mask: %v", mode, err)
		}
	}
}
