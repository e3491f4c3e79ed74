package cli

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"callboard/internal/testkit"
)

// notFoundServer answers 404 to everything, as a web server does at a
// wrong axialys.url.
func notFoundServer(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestUnsetPasswordVariableStopsAtStart: the board, snapshot and metrics
// stop at once with exit 2 and the variable's name when password_env names
// a variable that is unset or empty, instead of failing every login.
func TestUnsetPasswordVariableStopsAtStart(t *testing.T) {
	var asked atomic.Int64 // requests the server got: none, the commands stop before a login
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	path := writeConfig(t, srv.URL)
	for _, value := range []string{"unset", "empty"} {
		for _, command := range [][]string{{}, {"snapshot"}, {"metrics", "--listen", "127.0.0.1:0"}} {
			name := "board"
			if len(command) > 0 {
				name = command[0]
			}
			t.Run(value+" "+name, func(t *testing.T) {
				t.Setenv("CALLBOARD_TEST_PASSWORD", "")
				if value == "unset" {
					os.Unsetenv("CALLBOARD_TEST_PASSWORD")
				}
				code, out, errs := runCommand(append(command, "--config", path)...)
				want := "environment variable CALLBOARD_TEST_PASSWORD is " + map[string]string{"unset": "not set", "empty": "empty"}[value]
				if code != exitConfig || !strings.Contains(errs, want) || !strings.Contains(errs, path) || strings.Contains(out, "{") {
					t.Errorf("exit %d, stderr %q, want exit %d and %q", code, errs, exitConfig, want)
				}
				if n := asked.Load(); n != 0 {
					t.Errorf("the server was asked %d times: the command did not stop at start", n)
				}
			})
		}
	}
}

// TestSnapshotNamesAMissingLoginEndpoint: a 404 at the login URL is not a
// refusal of the credentials (exit 3) but no live connection (exit 4), and
// it says which URL to check.
func TestSnapshotNamesAMissingLoginEndpoint(t *testing.T) {
	t.Setenv("CALLBOARD_TEST_PASSWORD", "pw")
	url := notFoundServer(t)
	code, out, errs := runCommand("snapshot", "--config", writeConfig(t, url), "--timeout", "500ms")
	want := "no Axialys login endpoint at " + url + "/ws/ (HTTP 404): check axialys.url"
	if code != exitNeverLive || out != "" || !strings.Contains(errs, want) || strings.Contains(errs, "authentication refused") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, errs, exitNeverLive, want)
	}
}

// TestDoctorNamesTheFault: the doctor's verdict and advice follow what
// went wrong: a missing login endpoint, a stopped server, a reset, an
// unset password variable.
func TestDoctorNamesTheFault(t *testing.T) {
	notFound, stopped, resetting := notFoundServer(t), testkit.StoppedURL(t), testkit.DroppingListener(t, true, true)
	cases := []struct {
		name, url string
		unset     bool
		code      int
		steps     string
		detail    string
		next      string
	}{
		{"404 at the login URL", notFound, false, exitNeverLive, "ok config,ok password,ok dns,ok tcp,ok tls,FAIL auth",
			"no Axialys login endpoint at " + notFound + "/ws/ (HTTP 404): check axialys.url", "axialys.url must be the service's base address"},
		{"stopped server", stopped, false, exitNeverLive, "ok config,ok password,ok dns,FAIL tcp",
			"connection refused by " + strings.TrimPrefix(stopped, "http://"), "is the server up, and is the port in axialys.url right?"},
		{"reset", resetting, false, exitNeverLive, "ok config,ok password,ok dns,ok tcp,ok tls,FAIL auth",
			"authentication: connection reset by " + strings.TrimPrefix(resetting, "http://"), "dropped the connection"},
		{"unset password variable", notFound, true, exitConfig, "ok config,FAIL password",
			"environment variable CALLBOARD_TEST_PASSWORD is not set", "export CALLBOARD_TEST_PASSWORD"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("CALLBOARD_TEST_PASSWORD", "pw")
			if c.unset {
				os.Unsetenv("CALLBOARD_TEST_PASSWORD")
			}
			code, out, errs := runCommand("doctor", "--config", writeConfig(t, c.url), "--listen", "1s")
			if got := strings.Join(doctorLines(out), ","); code != c.code || got != c.steps {
				t.Fatalf("exit %d, steps %s; want %d, %s\n%s%s", code, got, c.code, c.steps, out, errs)
			}
			if !strings.Contains(out, c.detail) || !strings.Contains(out, "next: ") || !strings.Contains(out[strings.Index(out, "next: "):], c.next) {
				t.Errorf("want %q, then next: …%q…\n%s", c.detail, c.next, out)
			}
			if strings.Contains(out, "timeout") {
				t.Errorf("a timeout is named where there is none:\n%s", out)
			}
		})
	}
}

// TestBoardNeverLiveSaysWhyOnExit: the board, pointed at a URL where no
// Axialys login answers, is quit before it ever was live; once the
// terminal is restored, the whole reason is printed (the header may have
// cut it).
func TestBoardNeverLiveSaysWhyOnExit(t *testing.T) {
	t.Parallel()
	bin := testkit.Binary(t)
	url := notFoundServer(t)
	config := writeConfig(t, url)
	cmd := exec.Command(bin, "--config", config)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "CALLBOARD_TEST_PASSWORD=pw")
	ptmx, tty, _ := startOnTerminal(t, cmd, 30, 100)
	out := newScreen(ptmx)
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		io.Copy(out, ptmx)
	}()
	out.waitFor(t, "disconnected") // the feed has met the 404
	io.WriteString(ptmx, "q")
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit: %v", err)
		}
	case <-time.After(testkit.Patience):
		cmd.Process.Kill()
		t.Fatalf("still running %v after q:\n%q", testkit.Patience, tail(out.String(), 2000))
	}
	tty.Close()
	<-copied
	screen := out.String()
	restored := strings.LastIndex(screen, "\x1b[?1049l")
	if restored < 0 {
		t.Fatalf("the alternate screen was not left: %q", tail(screen, 500))
	}
	want := "callboard: never live: no Axialys login endpoint at " + url + "/ws/ (HTTP 404): check axialys.url"
	if !strings.Contains(screen[restored:], want) {
		t.Errorf("after the board, the terminal got %q; want %q", screen[restored:], want)
	}
}
