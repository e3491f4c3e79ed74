package cli

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit"
	"callboard/journal"
	"callboard/sim"
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
// Axialys login answers, is quit before it ever was live this run; once
// the terminal is restored, the whole reason is printed (the header may
// have cut it), whatever the journal held: nothing (--no-journal), or a
// day that was live until a while ago, replayed into the board.
func TestBoardNeverLiveSaysWhyOnExit(t *testing.T) {
	t.Parallel()
	bin := testkit.Binary(t)
	url := notFoundServer(t)
	for _, c := range []struct {
		name    string
		journal bool // today's journal holds a live stretch
		args    []string
	}{
		{"no journal", false, []string{"--no-journal"}},
		{"a live day in the journal", true, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			config := writeConfig(t, url)
			if c.journal {
				writeLiveToday(t, journal.AccountDir(filepath.Join(filepath.Dir(config), "journal"), url, sim.DefaultLogin))
			}
			term := startInTerminal(t, 160, 30, bin, append([]string{"--config", config}, c.args...)...)
			cmd, ptmx, out := term.cmd, term.ptmx, term.screen
			// This run's feed has met the 404: the header says it (a day
			// replayed from the journal may say "disconnected" before).
			out.waitFor(t, "(HTTP 404)")
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
			term.tty.Close()
			<-term.copied
			screen := out.String()
			if c.journal && !strings.Contains(screen, "2 queues") { // the Overview's footer counts the journal's queues
				t.Errorf("the journal's day was not replayed into the board: %q", tail(screen, 2000))
			}
			restored := strings.LastIndex(screen, "\x1b[?1049l")
			if restored < 0 {
				t.Fatalf("the alternate screen was not left: %q", tail(screen, 500))
			}
			want := "callboard: never live this run: no Axialys login endpoint at " + url + "/ws/ (HTTP 404): check axialys.url"
			if !strings.Contains(screen[restored:], want) {
				t.Errorf("after the board, the terminal got %q; want %q", screen[restored:], want)
			}
		})
	}
}

// writeLiveToday keeps in dir, as a process that ran earlier today would
// have, a few minutes live with agents and calls, ended a minute ago.
func writeLiveToday(t *testing.T, dir string) {
	t.Helper()
	now := time.Now()
	y, m, d := now.Date()
	start := now.Add(-20 * time.Minute)
	if midnight := time.Date(y, m, d, 0, 0, 1, 0, time.Local); start.Before(midnight) {
		start = midnight // today's
	}
	end := start.Add(now.Sub(start) / 2)
	at := start
	w, err := journal.Open(journal.Config{Dir: dir, Location: time.Local, Elapsed: func() time.Duration { return at.Sub(start) }}, start)
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range append(connected(start), events(t, start, aMorning[:12])...) {
		if at = feed.MessageTime(msg); at.After(end) {
			break
		}
		w.Record(msg)
	}
	if err := w.Close(end); err != nil {
		t.Fatal(err)
	}
}

// TestSnapshotNeverLiveSaysThisRunsReason: a snapshot that gives up
// says where its own feed stood, not the last reason of the journal's
// day (here a process that stopped: "callboard was not running").
func TestSnapshotNeverLiveSaysThisRunsReason(t *testing.T) {
	t.Setenv("CALLBOARD_TEST_PASSWORD", "pw")
	url := testkit.SilentListener(t) // accepts, never answers
	config := writeConfig(t, url)
	writeLiveToday(t, journal.AccountDir(filepath.Join(filepath.Dir(config), "journal"), url, sim.DefaultLogin))
	code, out, errs := runCommand("snapshot", "--config", config, "--timeout", "300ms")
	// where the feed stands depends on how far it got in 300 ms: any of
	// its own steps before an answer
	const prefix = "callboard snapshot: no live connection within 300ms (--timeout): "
	why := strings.TrimSuffix(strings.TrimPrefix(errs, prefix), "\n")
	if code != exitNeverLive || out != "" || !strings.HasPrefix(errs, prefix) ||
		!slices.Contains([]string{"authenticating", "connecting", "probing the Socket.IO server", "not connected yet"}, why) {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q, then where this run's feed stands", code, out, errs, exitNeverLive, prefix)
	}
}
