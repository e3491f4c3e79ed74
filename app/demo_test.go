package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callboard/state"
)

// TestMain keeps the tests away from the user's configuration: the demo
// reads the default one when it exists.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "callboard-app-config")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CONFIG_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// demoRules is a configuration written for trying rules on the demo: its
// connection is not filled in (no login, no password source, a URL that
// is none), its rules are.
const demoRules = `[axialys]
url = "not a URL"
ca_file = "/nowhere/ca.pem"

[display]
caller_id = "full"

[thresholds]
waiting_warn = 1
waiting_critical = 2
bell = true

[alerts]
call_max = "1s"
`

func writeFile(t *testing.T, path, body string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestTheDemoFollowsTheConfigurationsRules: --demo --config FILE runs the
// demo with the file's rules (display, thresholds, bell, alerts), its
// connection left aside however incomplete; without --config, the default
// file when there is one, else the demo's own rules.
func TestTheDemoFollowsTheConfigurationsRules(t *testing.T) {
	path := writeFile(t, filepath.Join(t.TempDir(), "rules.toml"), demoRules)
	followed := func(t *testing.T, b state.Options, bell bool) {
		t.Helper()
		if b.CallerID != state.CallerFull || b.Thresholds.WaitingWarn != 1 || b.Thresholds.WaitingCritical != 2 ||
			b.Thresholds.LongestWaitWarn != 0 || b.Limits.Call != time.Second || !bell {
			t.Errorf("the demo's rules: caller %q, thresholds %+v, call limit %v, bell %v; want the file's", b.CallerID, b.Thresholds, b.Limits.Call, bell)
		}
	}
	open := func(t *testing.T, path string) *Session {
		t.Helper()
		var said []string
		s, err := Open(context.Background(), Options{Demo: true, ConfigPath: path, Say: func(s string) { said = append(said, s) }})
		if err != nil {
			t.Fatalf("--demo with %q: %v", path, err)
		}
		t.Cleanup(s.Close)
		if len(said) > 0 {
			t.Errorf("said %q", said)
		}
		return s
	}

	t.Run("--config", func(t *testing.T) {
		s := open(t, path)
		followed(t, s.Board, s.Bell)
		if s.JournalDir != "" {
			t.Errorf("the demo keeps a journal in %s", s.JournalDir)
		}
	})
	t.Run("no file", func(t *testing.T) {
		t.Setenv("XDG_CONFIG_HOME", t.TempDir())
		s := open(t, "")
		if s.Board.CallerID == state.CallerFull || s.Board.Thresholds.WaitingWarn != 3 || s.Bell {
			t.Errorf("the demo without a configuration: caller %q, thresholds %+v, bell %v; want its own rules", s.Board.CallerID, s.Board.Thresholds, s.Bell)
		}
	})
	t.Run("the default file", func(t *testing.T) {
		dir := t.TempDir()
		t.Setenv("XDG_CONFIG_HOME", dir)
		writeFile(t, filepath.Join(dir, "callboard", "config.toml"), demoRules)
		s := open(t, "")
		followed(t, s.Board, s.Bell)
	})
}

// TestTheDemoStopsAtABrokenConfiguration: a file the demo was asked to
// read (or the default one) that is wrong outside its connection stops
// it with the file's error, as a configuration error; one named that does
// not exist too.
func TestTheDemoStopsAtABrokenConfiguration(t *testing.T) {
	dir := t.TempDir()
	for name, c := range map[string]struct{ body, says string }{
		"unparsable":     {"[display\ncaller_id = \"full\"\n", "line 2: expected"},
		"a bad value":    {"[display]\ncaller_id = \"everything\"\n", `display.caller_id: "everything": want mask, full or hide`},
		"an unknown key": {"[thresholds]\nwaiting_wran = 3\n", `unknown key "thresholds.waiting_wran"`},
		"missing":        {"", "no such file"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".toml")
			if c.body != "" {
				writeFile(t, path, c.body)
			}
			s, err := Open(context.Background(), Options{Demo: true, ConfigPath: path})
			if err == nil {
				s.Close()
				t.Fatal("the demo started")
			}
			if !errors.As(err, new(ConfigError)) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.says) {
				t.Errorf("error %q (%T); want a ConfigError naming %s and saying %q", err, err, path, c.says)
			}
		})
	}
	t.Run("the default file", func(t *testing.T) {
		home := t.TempDir()
		t.Setenv("XDG_CONFIG_HOME", home)
		path := writeFile(t, filepath.Join(home, "callboard", "config.toml"), "[display]\ncaller_id = 3\n")
		if s, err := Open(context.Background(), Options{Demo: true}); err == nil {
			s.Close()
			t.Error("the demo started on a broken default configuration")
		} else if !strings.Contains(err.Error(), path) {
			t.Errorf("error %q; want it to name %s", err, path)
		}
	})
}
