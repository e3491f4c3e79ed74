package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callboard/app"
	"callboard/feed"
	"callboard/internal/testkit"
	"callboard/internal/testkit/simtest"
	"callboard/sim"
	"callboard/state"
)

// TestMain keeps the tests' journals out of the real state directory: a
// configuration without [journal] dir puts them under XDG_STATE_HOME.
func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv(tuneRuntimeChild); ok {
		tunedRuntimeChild(strings.Fields(args)) // a child of TestTuneRuntime*
		return
	}
	state, err := os.MkdirTemp("", "callboard-state")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_STATE_HOME", state)
	// nor read the user's configuration (--demo reads the default one)
	os.Setenv("XDG_CONFIG_HOME", filepath.Join(state, "config"))
	// the serve tests' password, for the process: they run side by side
	// (t.Setenv would keep them apart)
	os.Setenv("CALLBOARD_SERVE_TEST_PASSWORD", "pw")
	code := m.Run()
	testkit.RemoveBinary()
	os.RemoveAll(state)
	os.Exit(code)
}

// writeConfig writes a configuration for the service at url, its journal
// in a directory of the test's own.
func writeConfig(t testing.TB, url string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	body := fmt.Sprintf("[axialys]\nurl = %q\nlogin = %q\npassword_env = \"CALLBOARD_TEST_PASSWORD\"\n[journal]\ndir = %q\n", url, sim.DefaultLogin, filepath.Join(dir, "journal"))
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func runCommand(args ...string) (code int, stdout, stderr string) {
	var out, errs bytes.Buffer
	code = Run(args, &out, &errs)
	return code, out.String(), errs.String()
}

func TestSnapshotExitCodes(t *testing.T) {
	srv := simtest.Start(t, sim.Options{Seed: 3, Login: sim.DefaultLogin, Password: "right"})

	t.Run("ok", func(t *testing.T) {
		t.Setenv("CALLBOARD_TEST_PASSWORD", "right")
		code, out, errs := runCommand("snapshot", "--config", writeConfig(t, srv.URL()), "--events", "5", "--wait", "1m")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var snap state.Snapshot
		if err := json.Unmarshal([]byte(out), &snap); err != nil {
			t.Fatalf("not the snapshot JSON: %v\n%s", err, out)
		}
		if snap.Feed.State != "live" || snap.Feed.Protocol != "v4" || len(snap.Agents) < 30 || snap.Feed.Events == 0 {
			t.Errorf("snapshot: feed %+v, %d agents", snap.Feed, len(snap.Agents))
		}
		if strings.Contains(out+errs, "right") {
			t.Error("the password shows in the output")
		}
	})
	t.Run("configuration error", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "bad.toml")
		os.WriteFile(path, []byte("[axialys]\nurl = 3\n"), 0o600)
		code, out, errs := runCommand("snapshot", "--config", path)
		if code != exitConfig || out != "" || !strings.Contains(errs, path) || !strings.Contains(errs, "axialys.url") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
		}
	})
	t.Run("authentication refused", func(t *testing.T) {
		t.Setenv("CALLBOARD_TEST_PASSWORD", "wrong")
		before := srv.Stats().AuthAttempts
		code, out, errs := runCommand("snapshot", "--config", writeConfig(t, srv.URL()))
		if code != exitAuthRefused || out != "" || !strings.Contains(errs, "authentication refused") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
		}
		if strings.Contains(errs, "wrong") {
			t.Errorf("the password shows: %q", errs)
		}
		if n := srv.Stats().AuthAttempts - before; n != 1 {
			t.Errorf("%d logins: a refusal must end the snapshot at once, without trying again", n)
		}
	})
	t.Run("never live", func(t *testing.T) {
		cfg := feed.Config{URL: testkit.SilentListener(t), Login: "x", Password: func(context.Context) (string, error) { return "y", nil }}
		_, err := takeSnapshot(context.Background(), app.Options{Feed: &cfg, Now: time.Now}, snapshotLimits{wait: time.Second, connect: 500 * time.Millisecond})
		var se *exitError
		if !errors.As(err, &se) || se.Code != exitNeverLive || !strings.Contains(err.Error(), "no live connection") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestUnknownArgumentsAreConfigurationErrors(t *testing.T) {
	for _, args := range [][]string{{"--nope"}, {"extra"}, {"snapshot", "--wait", "soon"}} {
		if code, _, _ := runCommand(args...); code != exitConfig {
			t.Errorf("%q: exit %d, want %d", args, code, exitConfig)
		}
	}
}
