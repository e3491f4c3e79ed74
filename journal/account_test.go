package journal

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestAccountDir(t *testing.T) {
	t.Parallel()
	base := filepath.Join("state", "journal")
	a := AccountDir(base, "https://api.axialys.com", "sup1")
	if want := filepath.Join(base, "sup1@api.axialys.com-4be17bf12083"); a != want {
		t.Errorf("AccountDir = %s, want %s: changing it loses every journal", a, want)
	}
	for _, same := range [][2]string{{"https://API.Axialys.com/", "sup1"}, {"https://api.axialys.com:443/ws/", "sup1"}, {" https://api.axialys.com", "sup1"}} {
		if d := AccountDir(base, same[0], same[1]); d != a {
			t.Errorf("%q %q: %s, want %s", same[0], same[1], d, a)
		}
	}
	hosts := []string{"https://api.axialys.com", "https://api2.axialys.com", "http://api.axialys.com:8080", "https://[::1]:8443", "not a url/../..", "", "http://a/b/../..", "http://x\x00y"}
	logins := []string{"sup1", "sup2", "Sup1", "../../etc", "..", ".", "", "a/b", `a\b`, "x\x00y", "-rf", strings.Repeat("é", 500), strings.Repeat("a", 500), strings.Repeat("a", 501), "sup1@api.axialys.com"}
	seen := map[string]string{}
	for _, h := range hosts {
		for _, l := range logins {
			d := AccountDir(base, h, l)
			name := filepath.Base(d)
			if filepath.Dir(d) != base || name == "." || name == ".." || strings.ContainsAny(name, "/\\\x00:") || len(name) > 120 || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "-") {
				t.Errorf("%q %q: %q", h, l, d)
			}
			if d != AccountDir(base, h, l) {
				t.Errorf("%q %q: not stable", h, l)
			}
			if other, ok := seen[d]; ok {
				t.Errorf("%q %q and %s share %s", h, l, other, d)
			}
			seen[d] = fmt.Sprintf("%q %q", h, l)
		}
	}
	tmp := t.TempDir()
	for d := range seen {
		if err := os.Mkdir(filepath.Join(tmp, filepath.Base(d)), 0o700); err != nil {
			t.Error(err)
		}
	}
}

func TestDefaultBase(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/x/state")
	if b, err := DefaultBase(); err != nil || b != filepath.FromSlash("/x/state/callboard/journal") {
		t.Errorf("with XDG_STATE_HOME: %s, %v", b, err)
	}
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		return
	}
	t.Setenv("HOME", "/home/u")
	for _, v := range []string{"", "relative/state"} {
		t.Setenv("XDG_STATE_HOME", v)
		if b, err := DefaultBase(); err != nil || b != "/home/u/.local/state/callboard/journal" {
			t.Errorf("XDG_STATE_HOME=%q: %s, %v", v, b, err)
		}
	}
}
