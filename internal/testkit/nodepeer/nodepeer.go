// Package nodepeer is the official-server peer for tests: it runs the
// Axialys stand-in (node/standin.js) on the official Node Socket.IO
// server, 2.x or 4.x, installed from npm into the module root's
// .cache/node on first use, and drives it through its control endpoints.
// Without node the tests that use it skip, unless CALLBOARD_REQUIRE_NODE
// is set (as .ci/run does).
//
// It is for tests only: no package of the program imports it
// (testkit's TestOnlyTestsImportTheKit says so).
package nodepeer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"callboard/internal/testkit"
	"callboard/internal/testkit/testproc"
)

// Require skips the test when node is not installed, or fails it when
// CALLBOARD_REQUIRE_NODE is set.
func Require(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		if os.Getenv("CALLBOARD_REQUIRE_NODE") != "" {
			t.Fatal("node is required (CALLBOARD_REQUIRE_NODE is set) but not found")
		}
		t.Skip("node not found")
	}
}

// Script is the path of one of the peer's Node scripts (standin.js,
// count-updates.js).
func Script(t testing.TB, name string) string {
	t.Helper()
	return filepath.Join(testkit.ModuleRoot(t), "internal", "testkit", "nodepeer", "node", name)
}

// Packages installs pkgs (name@version) into the cache folder named name,
// under the module root's .cache/node, and returns its node_modules.
func Packages(t testing.TB, name string, pkgs ...string) string {
	t.Helper()
	dir := filepath.Join(testkit.ModuleRoot(t), ".cache", "node", name)
	modules := filepath.Join(dir, "node_modules")
	missing := false
	for _, p := range pkgs {
		name := p[:strings.LastIndexByte(p, '@')]
		if _, err := os.Stat(filepath.Join(modules, name, "package.json")); err != nil {
			missing = true
		}
	}
	if missing {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		args := append([]string{"install", "--no-audit", "--no-fund", "--loglevel=error"}, pkgs...)
		cmd := exec.Command("npm", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm install %v: %v\n%s", pkgs, err, out)
		}
	}
	return modules
}

// Generation is one of the official servers: its socket.io major and the
// protocol callboard's configuration names for it.
type Generation struct {
	Major    int
	Protocol string
}

// Generations are the official servers the commands' tests (cli/) play
// against.
var Generations = []Generation{{4, "v4"}, {2, "v2"}}

// Name names g in a subtest: socket.io@4.
func (g Generation) Name() string { return fmt.Sprintf("socket.io@%d", g.Major) }

// Directory writes directory, what the stand-in's login is to answer (see
// DIRECTORY in standin.js), to a file of the test's, and returns the
// environment entry for Start that names it.
func Directory(t testing.TB, directory string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "directory.json")
	if err := os.WriteFile(file, []byte(directory), 0o600); err != nil {
		t.Fatal(err)
	}
	return "DIRECTORY=" + file
}

// Server is a running stand-in, login "demo".
type Server struct {
	URL string
	cmd *exec.Cmd
}

// Start starts the stand-in on socket.io major (2 or 4) on any free port.
func Start(t testing.TB, major int, password string, env ...string) *Server {
	t.Helper()
	return StartOn(t, major, password, 0, env...)
}

// StartOn starts the stand-in on the given port (0: any free one), with
// env added to its environment (BLAST=N, DIRECTORY=file, QUIET=1,
// PING=interval,timeout: see standin.js). The test's cleanup stops it.
func StartOn(t testing.TB, major int, password string, port int, env ...string) *Server {
	t.Helper()
	Require(t)
	modules := Packages(t, fmt.Sprintf("socket.io-%d", major), fmt.Sprintf("socket.io@%d", major))
	cmd := exec.Command("node", Script(t, "standin.js"))
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules, "LOGIN=demo", "PASSWORD="+password, fmt.Sprintf("PORT=%d", port))
	cmd.Env = append(cmd.Env, env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := testproc.Start(t, cmd); err != nil {
		t.Fatal(err)
	}
	s := &Server{cmd: cmd}
	t.Cleanup(s.Kill)
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if port, ok := strings.CutPrefix(sc.Text(), "listening "); ok {
				ready <- port
			}
		}
	}()
	s.URL = "http://127.0.0.1:" + testkit.Receive(t, "the Node stand-in's start", ready)
	return s
}

// Kill stops the stand-in, and what it started, and waits for it.
func (s *Server) Kill() {
	testproc.KillGroup(s.cmd)
	s.cmd.Wait()
}

// Stats are the stand-in's counters.
type Stats struct {
	Auths        int    `json:"auths"`
	RefusedAuths int    `json:"refused_auths"`
	Inits        int    `json:"inits"`
	RefusedInits int    `json:"refused_inits"`
	Streaming    int    `json:"streaming"`    // sockets whose init was accepted, connected now
	LostStreams  int    `json:"lost_streams"` // of those, how many disconnected since
	LastLoss     string `json:"last_loss"`    // why the last of them disconnected (socket.io's reason)
	Version      string `json:"version"`
}

// Stats asks the stand-in for its counters.
func (s *Server) Stats(t testing.TB) Stats {
	t.Helper()
	resp, err := http.Get(s.URL + "/control/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st Stats
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatalf("the stand-in's stats: %v", err)
	}
	return st
}

// WaitStreaming waits until the stand-in streams to n clients (sockets
// whose init it accepted, connected now).
func (s *Server) WaitStreaming(t testing.TB, n int) {
	t.Helper()
	testkit.WaitStreaming(t, n, func() int { return s.Stats(t).Streaming })
}

// Control posts to the control endpoint what (disconnect, expire,
// burst?n=N).
func (s *Server) Control(t testing.TB, what string) {
	t.Helper()
	resp, err := http.Post(s.URL+"/control/"+what, "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// Flood makes the stand-in send n updates (a multiple of 5) of calls
// answered one after the other, from call number from, each message with
// pad characters the board does not read (see /control/flood in
// standin.js), and returns the cpt of the last.
func (s *Server) Flood(t testing.TB, n, from, pad int) int64 {
	t.Helper()
	resp, err := http.Post(fmt.Sprintf("%s/control/flood?n=%d&from=%d&pad=%d", s.URL, n, from, pad), "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	return lastCpt(t, "flood", resp)
}

// Push sends each payload as an update to every socket whose init was
// accepted, with the server's next cpt (and ts now, unless the payload
// says), and returns the cpt of the last. A payload is an update's
// argument ({"elapse": …, "event": {…}}) or a bare event
// ({"type_notification": …}).
func (s *Server) Push(t testing.TB, payloads ...json.RawMessage) int64 {
	t.Helper()
	var body bytes.Buffer
	for _, p := range payloads {
		var line bytes.Buffer
		if err := json.Compact(&line, p); err != nil {
			t.Fatalf("push: payload is not JSON: %v: %s", err, p)
		}
		body.Write(line.Bytes())
		body.WriteByte('\n')
	}
	resp, err := http.Post(s.URL+"/control/push", "application/x-ndjson", &body)
	if err != nil {
		t.Fatal(err)
	}
	return lastCpt(t, "push", resp)
}

// lastCpt reads the cpt a control call answers (the last one sent), and
// fails the test when it answered something else.
func lastCpt(t testing.TB, what string, resp *http.Response) int64 {
	t.Helper()
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	var sent struct {
		Cpt int64 `json:"cpt"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(answer, &sent) != nil {
		t.Fatalf("%s: HTTP %d: %s", what, resp.StatusCode, answer)
	}
	return sent.Cpt
}
