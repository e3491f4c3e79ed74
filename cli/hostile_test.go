package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostileWords is what a hostile or broken server may answer a login with:
// an OSC 52 clipboard write, a screen clear, a one-byte CSI, a bidi
// override, and a line break that would forge a line of callboard's own.
const hostileWords = "\x1b]52;c;cHduZWQ=\a\x1b[2J\u009b31m\u202eevil\r\ncallboard: all is well"

func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestTheServersWordsReachStderrSanitised(t *testing.T) {
	for _, c := range []struct {
		name   string
		status int
		body   string
		code   int
	}{
		{"refused", http.StatusUnauthorized, `{"error":` + jsonText(hostileWords) + `}`, exitAuthRefused},
		{"refused, not JSON", http.StatusForbidden, hostileWords, exitAuthRefused},
		{"server error", http.StatusInternalServerError, hostileWords, exitNeverLive},
		{"not JSON", http.StatusOK, hostileWords, exitNeverLive},
		{"no id_session", http.StatusOK, `{"ops":[],"message":` + jsonText(hostileWords) + `}`, exitAuthRefused},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(c.status)
				w.Write([]byte(c.body))
			}))
			defer srv.Close()
			t.Setenv("CALLBOARD_TEST_PASSWORD", "secret")
			code, stdout, stderr := runCommand("snapshot", "--config", writeConfig(t, srv.URL), "--timeout", "300ms")
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr %q", code, c.code, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout %q", stdout)
			}
			for _, bad := range []string{"\x1b", "\a", "\u009b", "\u202e", "\r"} {
				if strings.Contains(stderr, bad) {
					t.Errorf("stderr carries %q: %q", bad, stderr)
				}
			}
			if n := strings.Count(stderr, "\n"); n != 1 || !strings.HasPrefix(stderr, "callboard snapshot: ") {
				t.Errorf("stderr is not one line of ours: %q", stderr)
			}
		})
	}
}

func TestSnapshotJSONEscapesInvisibleCharacters(t *testing.T) {
	var out strings.Builder
	if err := printJSON(&out, map[string]string{"name": "Eve\u009b2J\u202elive"}); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); strings.ContainsAny(s, "\u009b\u202e") || !strings.Contains(s, `Eve\u009b2J\u202elive`) {
		t.Errorf("printJSON wrote %q", s)
	}
}

func TestAStuckPasswordCommandStopsSnapshotAtStart(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "config.toml")
	body := "[axialys]\nurl = \"http://127.0.0.1:1\"\nlogin = \"x\"\npassword_command = \"sleep 555\"\npassword_command_timeout = \"300ms\"\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCommand("snapshot", "--config", path)
	if code != exitConfig || !strings.Contains(stderr, "password_command did not finish within 300ms") {
		t.Errorf("exit %d, stderr %q: want 2 and the deadline", code, stderr)
	}
}
