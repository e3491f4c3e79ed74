package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/creack/pty"
	gossh "golang.org/x/crypto/ssh"

	"callboard/app"
	"callboard/config"
	"callboard/feed"
	"callboard/hub"
	"callboard/internal/testkit"
	"callboard/internal/testkit/simtest"
	"callboard/internal/testkit/testproc"
	"callboard/sim"
	"callboard/state"
)

// lockedBuffer is a log that a test reads while the server writes it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serveFixture is a simulator, a configuration for serve against it, and
// keys: one authorized, one not.
type serveFixture struct {
	sim             *sim.Server
	dir, config     string
	key, strangeKey string
	stdout          *lockedBuffer // serve's, once started
	bin             string        // the binary startBinary runs; empty: this module's
}

func requireSSH(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the OpenSSH client")
	}
	for _, tool := range []string{"ssh", "ssh-keygen"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip("no", tool)
		}
	}
}

func newServeFixture(t *testing.T, serve ...string) *serveFixture {
	t.Helper()
	return newServeFixtureWith(t, sim.Options{Seed: 7}, serve...)
}

// newServeFixtureWith is newServeFixture on a simulator with opts (its
// login and password are the fixture's).
func newServeFixtureWith(t testing.TB, opts sim.Options, serve ...string) *serveFixture {
	t.Helper()
	requireSSH(t)
	opts.Login, opts.Password = sim.DefaultLogin, "pw"
	srv := simtest.Start(t, opts)
	dir := t.TempDir()
	fx := &serveFixture{sim: srv, dir: dir, key: filepath.Join(dir, "viewer"), strangeKey: filepath.Join(dir, "stranger")}
	for _, k := range []string{fx.key, fx.strangeKey} {
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", k).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v: %s", err, out)
		}
	}
	pub, err := os.ReadFile(fx.key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	authorized := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(authorized, append([]byte("# viewers\n"), pub...), 0o600); err != nil {
		t.Fatal(err)
	}
	fx.config = filepath.Join(dir, "config.toml")
	body := fmt.Sprintf("[axialys]\nurl = %q\nlogin = %q\npassword_env = \"CALLBOARD_SERVE_TEST_PASSWORD\"\n[journal]\ndir = %q\n[serve]\nauthorized_keys = %q\nhost_key = %q\n%s",
		srv.URL(), sim.DefaultLogin, filepath.Join(dir, "journal"), authorized, filepath.Join(dir, "state", "host_key"), strings.Join(serve, ""))
	if err := os.WriteFile(fx.config, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return fx
}

// start runs serve in the process until the test ends; it returns the
// ssh port and the log.
func (fx *serveFixture) start(t *testing.T, args ...string) (port string, log *lockedBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
	fx.stdout = stdout
	done := make(chan int, 1)
	args = append([]string{"--config", fx.config, "--ssh-listen", "127.0.0.1:0"}, args...)
	go func() { done <- exit(stderr, "callboard serve:", serveCommand(ctx, args, stdout, stderr)) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != exitOK {
				t.Errorf("serve exited %d: %s", code, stderr)
			}
		case <-time.After(testkit.Patience):
			t.Errorf("serve still running %v after its context ended", testkit.Patience)
		}
	})
	exited := -1
	testkit.Eventually(t, "serve listening", func() bool {
		select {
		case exited = <-done:
			done <- exited // for the cleanup
			return true
		default:
			return strings.Contains(stdout.String(), "ssh on ")
		}
	}, stderr.String)
	if exited >= 0 {
		t.Fatalf("serve exited %d: %s", exited, stderr)
	}
	_, addr, _ := strings.Cut(stdout.String(), "ssh on ")
	addr, _, _ = strings.Cut(addr, "\n")
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	return port, stderr
}

func sshArgs(key, port string, more ...string) []string {
	return append([]string{"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
		"-o", "IdentitiesOnly=yes", "-o", "LogLevel=ERROR", "-i", key, "-p", port}, more...)
}

// sshViewer is an ssh -tt client in a pseudo-terminal.
type sshViewer struct {
	cmd    *exec.Cmd
	ptmx   *os.File
	screen *screen
	exited chan error
}

func startViewer(t testing.TB, key, port string) *sshViewer {
	t.Helper()
	cmd := exec.Command("ssh", sshArgs(key, port, "-tt", "viewer@127.0.0.1")...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	testproc.Session(t, cmd)
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 45, Cols: 160})
	if err != nil {
		t.Skip("no pseudo-terminal:", err)
	}
	v := &sshViewer{cmd: cmd, ptmx: ptmx, screen: newScreen(ptmx), exited: make(chan error, 1)}
	go func() { io.Copy(&deviceAttributes{screen: v.screen, term: ptmx}, ptmx) }()
	go func() { v.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		ptmx.Close()
	})
	return v
}

// deviceAttributes answers the primary device attributes query (ESC [ c),
// which termenv sends over ssh after its background colour query, as an
// xterm would, then hands what it got to screen.
type deviceAttributes struct {
	screen   *screen
	term     io.Writer
	seen     bytes.Buffer
	answered int
}

func (d *deviceAttributes) Write(p []byte) (int, error) {
	n, err := d.screen.Write(p) // the background colour first, as asked
	d.seen.Write(p)
	for q := strings.Count(d.seen.String(), "\x1b[c"); d.answered < q; d.answered++ {
		io.WriteString(d.term, "\x1b[?62;22c")
	}
	return n, err
}

// wait waits for ssh to end and returns how it ended.
func (v *sshViewer) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-v.exited:
		return err
	case <-time.After(testkit.Patience):
		t.Fatalf("ssh still running after %v:\n%q", testkit.Patience, tail(v.screen.String(), 1000))
		return nil
	}
}

func TestServeTwoViewersOneUpstream(t *testing.T) {
	t.Parallel()
	fx := newServeFixture(t)
	port, log := fx.start(t)
	a, b := startViewer(t, fx.key, port), startViewer(t, fx.key, port)
	for _, v := range []*sshViewer{a, b} {
		v.screen.waitFor(t, "live")
		v.screen.waitFor(t, "Overview")
	}
	offA, offB := len(a.screen.String()), len(b.screen.String())
	a.ptmx.WriteString("2")
	b.ptmx.WriteString("3")
	a.screen.waitSince(t, offA, "Pause reason")
	b.screen.waitSince(t, offB, "Avail/Logged in")
	if strings.Contains(b.screen.String(), "Pause reason") {
		t.Error("the second viewer shows the first one's tab")
	}
	// Both boards go on: each gets a new frame after the switch.
	for _, v := range []*sshViewer{a, b} {
		off := len(v.screen.String())
		v.screen.waitSince(t, off, "live")
	}
	if st := fx.sim.Stats(); st.AuthAttempts != 1 || st.InitsAccepted != 1 {
		t.Errorf("the simulator saw %d logins and %d inits, want one of each", st.AuthAttempts, st.InitsAccepted)
	}
	if n := strings.Count(log.String(), "msg=login"); n != 2 {
		t.Errorf("%d logins logged, want 2:\n%s", n, log)
	}

	// q ends the first viewer's session only.
	a.ptmx.WriteString("q")
	if err := a.wait(t); err != nil {
		t.Errorf("ssh after q: %v", err)
	}
	off := len(b.screen.String())
	b.screen.waitSince(t, off, "live")
	waitLog(t, log, "msg=logout", 1)
	if !strings.Contains(log.String(), "fingerprint=SHA256:") || !strings.Contains(log.String(), "remote=127.0.0.1:") {
		t.Errorf("the log lacks the key's fingerprint or the remote address:\n%s", log)
	}
}

func waitLog(t *testing.T, log *lockedBuffer, text string, n int) {
	t.Helper()
	testkit.Eventually(t, fmt.Sprintf("%d × %q in the log", n, text), func() bool { return strings.Count(log.String(), text) >= n }, log.String)
}

func TestServeRefusesAnUnknownKey(t *testing.T) {
	fx := newServeFixture(t)
	port, log := fx.start(t)
	// -v after LogLevel=ERROR: the client says which methods the server
	// offers. Only publickey: a password or keyboard-interactive method
	// would be listed (BatchMode only keeps the client from trying them).
	out, err := exec.Command("ssh", sshArgs(fx.strangeKey, port, "-v", "-tt", "viewer@127.0.0.1")...).CombinedOutput()
	if err == nil {
		t.Fatalf("ssh with an unknown key succeeded: %s", out)
	}
	offered := regexp.MustCompile(`Authentications that can continue: (\S*)`).FindAllStringSubmatch(string(out), -1)
	if len(offered) == 0 {
		t.Errorf("the client never said which methods can continue:\n%s", out)
	}
	for _, m := range offered {
		if m[1] != "publickey" {
			t.Errorf("the server offers %q, want publickey only", m[1])
		}
	}
	if !strings.Contains(string(out), "Permission denied (publickey).") {
		t.Errorf("ssh with an unknown key, want \"Permission denied (publickey).\":\n%s", out)
	}
	if strings.Contains(log.String(), "msg=login") || !strings.Contains(log.String(), "ssh key refused") {
		t.Errorf("log:\n%s", log)
	}
}

// sshAuthenticates says whether key gets past authentication: ssh -T is
// answered with the one line, after it; a refused key never gets there.
// More keys, offered in that order after key, make one login.
func sshAuthenticates(t *testing.T, key, port string, more ...string) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var args []string
	for _, k := range more {
		args = append(args, "-i", k)
	}
	cmd := exec.CommandContext(ctx, "ssh", sshArgs(key, port, append(args, "-T", "viewer@127.0.0.1")...)...)
	cmd.Stdin = strings.NewReader("")
	out, _ := cmd.CombinedOutput()
	switch {
	case strings.TrimSpace(string(out)) == notABoard("127.0.0.1:"+port):
		return true
	case strings.Contains(string(out), "Permission denied (publickey)."):
		return false
	}
	t.Fatalf("ssh -T with %s: neither in nor refused: %q", filepath.Base(key), out)
	return false
}

// TestServeRereadsAuthorizedKeys changes the file while serve runs: a key
// added logs in, a key removed is refused, without a restart.
func TestServeRereadsAuthorizedKeys(t *testing.T) {
	t.Parallel()
	fx := newServeFixture(t)
	port, log := fx.start(t)
	if sshAuthenticates(t, fx.strangeKey, port) {
		t.Fatal("the stranger's key is accepted before it is added")
	}
	authorized := filepath.Join(fx.dir, "authorized_keys")
	viewerPub, _ := os.ReadFile(fx.key + ".pub")
	strangerPub, err := os.ReadFile(fx.strangeKey + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(authorized, append(append([]byte("# viewers\n"), viewerPub...), strangerPub...), 0o600); err != nil {
		t.Fatal(err)
	}
	if !sshAuthenticates(t, fx.strangeKey, port) {
		t.Fatal("the key added to the file is refused")
	}
	v := startViewer(t, fx.strangeKey, port) // and has a board
	v.screen.waitFor(t, "live")
	v.ptmx.WriteString("q")
	if err := v.wait(t); err != nil {
		t.Errorf("ssh after q: %v", err)
	}
	waitLog(t, log, "msg=login", 1)

	if err := os.WriteFile(authorized, append([]byte("# viewers\n"), strangerPub...), 0o600); err != nil {
		t.Fatal(err)
	}
	if sshAuthenticates(t, fx.key, port) {
		t.Error("a key removed from the file is still accepted")
	}
	if !sshAuthenticates(t, fx.strangeKey, port) {
		t.Error("the key left in the file is refused")
	}
}

// TestServeRefusesAKeyWithOptions: a key listed with options that serve
// cannot honour (from=, restrict, command=) is refused, and each such line
// logged once per login with its options' names; the options it keeps by
// what it is do not keep a key out.
func TestServeRefusesAKeyWithOptions(t *testing.T) {
	fx := newServeFixture(t)
	authorized := filepath.Join(fx.dir, "authorized_keys")
	viewerPub, _ := os.ReadFile(fx.key + ".pub")
	strangerPub, err := os.ReadFile(fx.strangeKey + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	lines := "# viewers\n" + `from="10.9.9.9" ` + string(viewerPub) + "\n" + `restrict,command="uptime" ` + string(strangerPub)
	if err := os.WriteFile(authorized, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	port, log := fx.start(t)
	if sshAuthenticates(t, fx.key, port, fx.strangeKey) { // one login, two keys offered
		t.Fatalf("a key listed with from= and one with restrict are accepted:\n%s", log)
	}
	for _, want := range []string{"line=2 options=from ", "line=4 options=restrict,command "} {
		if n := strings.Count(log.String(), want); n != 1 {
			t.Errorf("%q logged %d times for one login, want once:\n%s", want, n, log)
		}
	}
	if strings.Contains(log.String(), "10.9.9.9") || strings.Contains(log.String(), "uptime") {
		t.Errorf("the options' values are logged:\n%s", log)
	}
	if !strings.Contains(log.String(), "ssh key refused: listed only with options") {
		t.Errorf("log:\n%s", log)
	}

	kept := "no-port-forwarding,no-agent-forwarding,no-X11-forwarding,no-user-rc " + string(viewerPub)
	if err := os.WriteFile(authorized, []byte(kept), 0o600); err != nil {
		t.Fatal(err)
	}
	if !sshAuthenticates(t, fx.key, port) {
		t.Errorf("a key listed with options that change nothing here is refused:\n%s", log)
	}
}

func TestServeRefusesACommand(t *testing.T) {
	fx := newServeFixture(t)
	port, log := fx.start(t)
	// A command with a terminal (-tt) is refused as one without: no board
	// is run for it, which would otherwise wait on the viewer's keys.
	for _, args := range [][]string{{"viewer@127.0.0.1", "uptime"}, {"-T", "viewer@127.0.0.1"}, {"-tt", "viewer@127.0.0.1", "uptime"}} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		cmd := exec.CommandContext(ctx, "ssh", sshArgs(fx.key, port, args...)...)
		cmd.Stdin = strings.NewReader("")
		out, err := cmd.CombinedOutput()
		if ctx.Err() != nil {
			t.Errorf("ssh %q still running after 10 s: %q", args, tail(string(out), 1000))
		} else if want := notABoard("127.0.0.1:" + port); err == nil || strings.TrimSpace(string(out)) != want {
			t.Errorf("ssh %q: %v, output %q, want the one line %q", args, err, out, want)
		}
		cancel()
	}
	if strings.Contains(log.String(), "msg=login") {
		t.Errorf("a board was opened:\n%s", log)
	}
	// one concise line per session refused, and nothing else of it
	waitLog(t, log, `level=INFO msg="ssh session refused: no terminal or a command"`, 3)
	if strings.Contains(log.String(), "msg=ssh connection") {
		t.Errorf("a session logged twice:\n%s", log)
	}
}

// TestServeListenLoopbackRule: a --ssh-listen address off loopback is
// refused unless [serve] ssh_listen names that very address.
func TestServeListenLoopbackRule(t *testing.T) {
	for _, c := range []struct {
		configured, flag string
		want             string // the address served; "": refused
	}{
		{config.DefaultSSHListen, "", config.DefaultSSHListen},
		{config.DefaultSSHListen, "127.0.0.1:0", "127.0.0.1:0"},
		{config.DefaultSSHListen, "127.3.4.5:22", "127.3.4.5:22"},
		{config.DefaultSSHListen, "[::1]:2222", "[::1]:2222"},
		{config.DefaultSSHListen, "localhost:2222", "localhost:2222"},
		{config.DefaultSSHListen, "0.0.0.0:2222", ""},
		{config.DefaultSSHListen, "[::]:2222", ""},
		{config.DefaultSSHListen, "192.0.2.7:2222", ""},
		{config.DefaultSSHListen, "board.example:2222", ""},
		{config.DefaultSSHListen, "no port", ""},
		{"0.0.0.0:2222", "", "0.0.0.0:2222"},
		{"0.0.0.0:2222", "0.0.0.0:2222", "0.0.0.0:2222"},
		{"0.0.0.0:2222", "0.0.0.0:2223", ""},
		{"0.0.0.0:2222", "192.0.2.7:2222", ""},
		{"192.0.2.7:2222", "127.0.0.1:0", "127.0.0.1:0"},
	} {
		o, err := serveOptions(config.Serve{SSHListen: c.configured, AuthorizedKeys: "/k", HostKey: "/h"}, c.flag)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("ssh_listen %q, --ssh-listen %q: serves %q, want refused", c.configured, c.flag, o.listen)
		case c.want != "" && err != nil:
			t.Errorf("ssh_listen %q, --ssh-listen %q: %v, want %q served", c.configured, c.flag, err, c.want)
		case c.want != "" && o.listen != c.want:
			t.Errorf("ssh_listen %q, --ssh-listen %q: serves %q, want %q", c.configured, c.flag, o.listen, c.want)
		}
	}
}

// TestServeRefusesAnAddressOffLoopback: serve itself says so and exits
// before anything starts (no login upstream, no host key).
func TestServeRefusesAnAddressOffLoopback(t *testing.T) {
	fx := newServeFixture(t)
	var stdout, stderr lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- exit(&stderr, "callboard serve:", serveCommand(ctx, []string{"--config", fx.config, "--ssh-listen", "0.0.0.0:0"}, &stdout, &stderr))
	}()
	code := testkit.Receive(t, "serve's refusal of 0.0.0.0:0", done)
	if code != exitConfig || !strings.Contains(stderr.String(), `is not on loopback: allow it with [serve] ssh_listen = "0.0.0.0:0"`) {
		t.Errorf("serve --ssh-listen 0.0.0.0:0 exited %d: %s", code, &stderr)
	}
	if strings.Contains(stdout.String(), "ssh on") {
		t.Errorf("serve listened: %s", &stdout)
	}
	if st := fx.sim.Stats(); st.AuthAttempts != 0 {
		t.Errorf("the simulator saw %d logins, want none", st.AuthAttempts)
	}
	if _, err := os.Stat(filepath.Join(fx.dir, "state", "host_key")); err == nil {
		t.Error("a host key was made")
	}
}

// startBinary runs serve as its own process (the built binary); it
// returns the process, its exit, the ssh port and its log.
func (fx *serveFixture) startBinary(t testing.TB) (cmd *exec.Cmd, exited chan error, port string, stderr *lockedBuffer) {
	t.Helper()
	cmd, exited, port, _, stderr = fx.startBinaryWith(t, 0)
	return cmd, exited, port, stderr
}

// startBinaryWith runs the built binary's serve with at most fdLimit
// descriptors (0: as the test has) and args after the fixture's; it
// returns the ssh port and the metrics address when args ask for metrics.
func (fx *serveFixture) startBinaryWith(t testing.TB, fdLimit int, args ...string) (cmd *exec.Cmd, exited chan error, port, metricsURL string, stderr *lockedBuffer) {
	t.Helper()
	bin := fx.bin
	if bin == "" {
		bin = testkit.Binary(t)
	}
	args = append([]string{"serve", "--config", fx.config, "--ssh-listen", "127.0.0.1:0"}, args...)
	if fdLimit > 0 {
		args = append([]string{"-c", fmt.Sprintf(`ulimit -n %d && exec "$0" "$@"`, fdLimit), bin}, args...)
		bin = "/bin/sh"
	}
	cmd = exec.Command(bin, args...)
	stderr = &lockedBuffer{}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := testproc.Start(t, cmd); err != nil {
		t.Fatal(err)
	}
	exited = make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	lines := bufio.NewReader(stdout)
	for port == "" {
		line, err := lines.ReadString('\n')
		if err != nil {
			t.Fatalf("no address: %v\n%s", err, stderr.String())
		}
		if _, url, ok := strings.Cut(strings.TrimSpace(line), "metrics on "); ok {
			metricsURL = url
		}
		if _, addr, ok := strings.Cut(strings.TrimSpace(line), "ssh on "); ok {
			if _, port, err = net.SplitHostPort(addr); err != nil {
				t.Fatal(err)
			}
		}
	}
	return cmd, exited, port, metricsURL, stderr
}

func TestServeStopsOnSIGTERM(t *testing.T) {
	fx := newServeFixture(t)
	cmd, exited, port, stderr := fx.startBinary(t)
	viewers := []*sshViewer{startViewer(t, fx.key, port), startViewer(t, fx.key, port)}
	for _, v := range viewers {
		v.screen.waitFor(t, "live")
	}
	// a login that shows no board (a session without a shell, as a kept
	// ControlMaster connection): closed at the stop, not waited for until
	// the session's end deadline, which the journal's end line needs
	dialViewer(t, fx.key, port)
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v\n%s", err, stderr.String())
		}
		// the viewers went when told, not at the stop's deadline
		if strings.Contains(stderr.String(), "viewers still connected at stop") || strings.Contains(stderr.String(), "does not answer") {
			t.Errorf("serve waited for its viewers or connections until it gave up:\n%s", stderr.String())
		}
	case <-time.After(testkit.Patience):
		cmd.Process.Signal(syscall.SIGABRT)
		t.Fatalf("serve still running %v after SIGTERM:\n%s", testkit.Patience, stderr.String())
	}
	for _, v := range viewers {
		v.screen.waitFor(t, "server stopping")
		v.wait(t)
	}
	if n := strings.Count(stderr.String(), "msg=logout"); n != 2 {
		t.Errorf("%d logouts logged, want 2:\n%s", n, stderr.String())
	}
	st, err := os.Stat(filepath.Join(fx.dir, "state", "host_key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("host key: %v, mode %v", err, st.Mode())
	}
	// The journal was closed: the day's file (the last, should the test
	// straddle midnight) ends with its end line.
	days, _ := filepath.Glob(filepath.Join(fx.dir, "journal", "*", "*.jsonl"))
	if len(days) == 0 {
		t.Fatal("no journal day file")
	}
	sort.Strings(days)
	data, err := os.ReadFile(days[len(days)-1])
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if last := lines[len(lines)-1]; !strings.Contains(last, `"kind":"end"`) || !strings.HasSuffix(string(data), "\n") {
		t.Errorf("the journal's last line is %q, want its end line", last)
	}
}

func TestServeMaxSessions(t *testing.T) {
	fx := newServeFixture(t, "max_sessions = 1\n")
	port, log := fx.start(t, "--metrics-listen", "127.0.0.1:0")
	_, metricsURL, _ := strings.Cut(fx.stdout.String(), "metrics on ")
	metricsURL, _, _ = strings.Cut(metricsURL, "\n")
	if v := scrapeViewers(t, metricsURL); v != "0" {
		t.Errorf("callboard_viewers %q before any viewer, want 0", v)
	}
	a := startViewer(t, fx.key, port)
	a.screen.waitFor(t, "live")
	if v := scrapeViewers(t, metricsURL); v != "1" {
		t.Errorf("callboard_viewers %q with one viewer, want 1", v)
	}
	b := startViewer(t, fx.key, port)
	b.screen.waitFor(t, "too many viewers (1)")
	if err := b.wait(t); err == nil {
		t.Error("the refused viewer's ssh exited 0")
	}
	if n := strings.Count(log.String(), "msg=login"); n != 1 {
		t.Errorf("%d logins logged, want 1:\n%s", n, log)
	}
	if v := scrapeViewers(t, metricsURL); v != "1" {
		t.Errorf("callboard_viewers %q after a refused viewer, want 1", v)
	}

	// The viewer leaves: the count goes back down (the server may count
	// it out just after the client has exited).
	a.ptmx.WriteString("q")
	if err := a.wait(t); err != nil {
		t.Errorf("ssh after q: %v", err)
	}
	testkit.Eventually(t, "callboard_viewers 0 after the viewer left", func() bool { return scrapeViewers(t, metricsURL) == "0" },
		func() string { return "callboard_viewers " + scrapeViewers(t, metricsURL) })
}

func TestServeIdleTimeout(t *testing.T) {
	t.Parallel()
	// the key typed below must reach the server before the idle time has
	// passed: 4 s leave a loaded machine's ssh client and pty room
	fx := newServeFixture(t, "idle_timeout = \"4s\"\n")
	port, log := fx.start(t)
	// live before the viewer comes: the board's wait for the feed is not
	// spent from its idle time
	simtest.WaitStreaming(t, fx.sim, 1)
	v := startViewer(t, fx.key, port)
	v.screen.waitFor(t, "live")
	v.ptmx.WriteString("2") // a key: the timeout starts again
	v.screen.waitFor(t, "Pause reason")
	v.screen.waitFor(t, "no key for 4s: disconnected")
	v.wait(t)
	waitLog(t, log, "msg=logout", 1)
	if !strings.Contains(log.String(), "idle viewer disconnected") {
		t.Errorf("log:\n%s", log)
	}
}

// TestServeCyclesLeaveNoGoroutines connects and quits 100 viewers, ten at
// a time, and looks at the server's goroutines before and after.
func TestServeCyclesLeaveNoGoroutines(t *testing.T) {
	fx := newServeFixture(t)
	port, log := fx.start(t)
	warm := startViewer(t, fx.key, port) // the first board starts what stays (the hub's, the renderer's caches)
	warm.screen.waitFor(t, "live")
	warm.ptmx.WriteString("q")
	warm.wait(t)
	waitLog(t, log, "msg=logout", 1)
	before := runtime.NumGoroutine()

	const cycles, together = 100, 10
	for i := 0; i < cycles; i += together {
		// the viewers run side by side; the test waits on each in turn
		var viewers []*sshViewer
		for range together {
			viewers = append(viewers, startViewer(t, fx.key, port))
		}
		for _, v := range viewers {
			v.screen.waitFor(t, "Overview")
			v.ptmx.WriteString("q")
		}
		for _, v := range viewers {
			if err := v.wait(t); err != nil {
				t.Errorf("ssh after q: %v", err)
			}
		}
		if t.Failed() {
			return
		}
	}
	waitLog(t, log, "msg=logout", 1+cycles)
	// goroutines end on their own: nothing to wait on but their count
	testkit.Eventually(t, fmt.Sprintf("no more than %d goroutines after %d viewers", before+2, cycles), func() bool { return runtime.NumGoroutine() <= before+2 },
		func() string {
			buf := make([]byte, 1<<20)
			return fmt.Sprintf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		})
}

// startClockViewer is an ssh -tt client in a cols×rows pseudo-terminal,
// read as it comes and kept only as far as its newest header clock (a
// benchViewer: a big board's megabytes are not kept).
func startClockViewer(t testing.TB, key, port string, cols, rows uint16) *benchViewer {
	t.Helper()
	cmd := exec.Command("ssh", sshArgs(key, port, "-tt", "viewer@127.0.0.1")...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	testproc.Session(t, cmd)
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: rows, Cols: cols})
	if err != nil {
		t.Skip("no pseudo-terminal:", err)
	}
	v := &benchViewer{cmd: cmd, ptmx: ptmx}
	go v.read()
	go cmd.Wait()
	t.Cleanup(func() {
		cmd.Process.Kill()
		ptmx.Close()
	})
	return v
}

// pushEvents streams calls over dir to the simulator at rate events a
// second until stop is called or the test ends; stop returns the rate
// achieved.
func pushEvents(t testing.TB, s *sim.Server, dir *sim.Directory, rate int) (stop func() float64) {
	ctx, cancel := context.WithCancel(context.Background())
	achieved := make(chan float64, 1)
	go func() {
		start, sent := time.Now(), 0
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				achieved <- float64(sent) / time.Since(start).Seconds()
				return
			case now := <-tick.C:
				for due := int(now.Sub(start).Seconds() * float64(rate)); sent < due; sent++ {
					s.Push(benchEvent(sent, dir))
				}
			}
		}
	}()
	var once sync.Once
	var rateSent float64
	stop = func() float64 {
		once.Do(func() { cancel(); rateSent = <-achieved })
		return rateSent
	}
	t.Cleanup(func() { stop() })
	return stop
}

// handDrivenHub is a hub on the test's clock, running until the test
// ends: view(i) sends it a message at 10:00:00 + i s, which makes one view
// of that time, whose header clock is clock(i); the next may be sent once
// that view was seen.
func handDrivenHub(t *testing.T) (h *hub.Hub, view func(i int), clock func(i int) string) {
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.Local)
	var mu sync.Mutex
	now := start
	h = hub.New(hub.Config{Start: start, TickInterval: time.Hour, MinInterval: time.Nanosecond, Now: func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}})
	messages := make(chan feed.Message)
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- h.Run(ctx, messages) }()
	t.Cleanup(func() { cancel(); <-ran })
	at := func(i int) time.Time { return start.Add(time.Duration(i) * time.Second) }
	view = func(i int) {
		mu.Lock()
		now = at(i)
		mu.Unlock()
		messages <- &feed.StatusMsg{State: feed.Live, At: at(i)}
	}
	return h, view, func(i int) string { return at(i).Format("15:04:05") }
}

// stallableOutput is what a viewer's board is drawn to in
// TestServeStalledViewerDelaysNoOne: the session itself, until stalled;
// from then on its next write blocks until released, as a session's writes
// block once its terminal stopped reading and the channel's window is used.
type stallableOutput struct {
	io.Writer
	mu          sync.Mutex
	stalled     bool
	blocked     chan struct{} // closed when a write blocks
	blockedOnce sync.Once
	resume      chan struct{} // closed by release
	resumeOnce  sync.Once
}

func newStallableOutput(w io.Writer) *stallableOutput {
	return &stallableOutput{Writer: w, blocked: make(chan struct{}), resume: make(chan struct{})}
}

func (o *stallableOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	stalled := o.stalled
	o.mu.Unlock()
	if stalled {
		o.blockedOnce.Do(func() { close(o.blocked) })
		<-o.resume
	}
	return o.Writer.Write(p)
}

// stall blocks the next write, and every one after it, until release.
func (o *stallableOutput) stall() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.stalled = true
}

// release lets the writes through again, the blocked one first.
func (o *stallableOutput) release() { o.resumeOnce.Do(func() { close(o.resume) }) }

// drawn is the header clocks v showed, in order.
func (v *benchViewer) drawn() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return slices.Clone(v.clocks)
}

// TestServeStalledViewerDelaysNoOne stalls one viewer's output and shows,
// by views rather than seconds, that the other viewer sees every view
// meanwhile, and that the stalled one, once it writes again, catches up
// with the newest view without drawing the ones it missed: each viewer is
// handed the latest view, never a backlog.
//
// The server is serve's own ssh server, on a hub that runs on the test's
// clock: each message the test sends makes one view, whose header clock is
// one second after the last (10:00:01, 10:00:02, ...). The viewers are
// OpenSSH clients in pseudo-terminals. The stall is at the writer the
// stalled viewer's board is drawn to (serveConfig.boardOutput): from the
// stall on, its next write blocks, where a session's write blocks once its
// terminal stopped reading and the channel's window is used; the test
// knows when it blocked, and ends the block itself.
func TestServeStalledViewerDelaysNoOne(t *testing.T) {
	t.Parallel()
	fx := newServeFixture(t)
	h, view, clock := handDrivenHub(t)

	var outputsMu sync.Mutex
	var outputs []*stallableOutput // the viewers' boards', in the order they logged in
	opts := serveConfig{listen: "127.0.0.1:0", authorizedKeys: filepath.Join(fx.dir, "authorized_keys"), hostKey: filepath.Join(fx.dir, "state", "host_key"),
		maxSessions: 2, maxStartups: 2, loginGrace: config.DefaultLoginGrace,
		boardOutput: func(sess ssh.Session) io.Writer {
			o := newStallableOutput(sess)
			outputsMu.Lock()
			defer outputsMu.Unlock()
			outputs = append(outputs, o)
			return o
		}}
	srv, err := startSSH(opts, h, "stall", slog.New(slog.NewTextHandler(io.Discard, nil)), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.stop(time.Now().Add(app.EndWait)) })
	_, port, _ := net.SplitHostPort(srv.addr)
	shows := func(v *benchViewer, clock string) func() bool {
		return func() bool { return slices.Contains(v.drawn(), clock) }
	}
	showed := func(v *benchViewer) func() string {
		return func() string { return fmt.Sprintf("it showed %q", v.drawn()) }
	}

	view(1)
	stalled := startClockViewer(t, fx.key, port, 160, 45)
	testkit.Eventually(t, "the first viewer's board of view 1", shows(stalled, clock(1)), showed(stalled))
	other := startClockViewer(t, fx.key, port, 160, 45)
	testkit.Eventually(t, "the other viewer's board of view 1", shows(other, clock(1)), showed(other))
	outputsMu.Lock()
	out := outputs[0]
	outputsMu.Unlock()
	t.Cleanup(out.release) // before the server stops: its boards end
	before := len(stalled.drawn())

	// The stalled viewer's board blocks drawing view 2; its program then
	// takes at most two views more (one it draws into its renderer, which
	// waits for the blocked write, one its next wait for a view holds),
	// and its relay holds the newest.
	out.stall()
	view(2)
	testkit.Receive(t, "the stalled viewer's write of view 2 to block", out.blocked)
	const last = 12
	for i := 2; i <= last; i++ {
		if i > 2 {
			view(i)
		}
		testkit.Eventually(t, fmt.Sprintf("the other viewer's board of view %d, the stalled one's blocked", i), shows(other, clock(i)), showed(other))
	}
	if got := stalled.drawn(); len(got) != before {
		t.Fatalf("the stalled viewer showed %q while its board's writes were blocked, %q before", got[before:], got[:before])
	}

	out.release()
	testkit.Eventually(t, fmt.Sprintf("the stalled viewer's board of view %d, once released", last), shows(stalled, clock(last)), showed(stalled))
	got := stalled.drawn()[before:]
	missed := 0
	for i, c := range got {
		if i > 0 && c <= got[i-1] {
			t.Errorf("the stalled viewer showed %s after %s: %q", c, got[i-1], got)
		}
		if c > clock(2) && c < clock(last) {
			missed++
		}
	}
	if missed > 2 {
		t.Errorf("once released, the stalled viewer showed %d of the views it missed (%q), want at most the 2 its program took before its board blocked", missed, got)
	}
	t.Logf("once released, the stalled viewer showed %q", got)
}

// TestRelayHandsTheNewestView is the part of a stalled viewer's catching
// up that its terminal cannot show (its program draws at most tui.FrameRate
// frames a second, whatever views it takes): the relay leaves a viewer that takes
// no view the newest one only, never a backlog to work through.
func TestRelayHandsTheNewestView(t *testing.T) {
	t.Parallel()
	h, view, clock := handDrivenHub(t)
	sub := h.Subscribe()
	out, done := make(chan *state.View, 1), make(chan struct{})
	go relay(sub, out, done, pacing{})
	defer close(done)
	const last = 10
	for i := 1; i <= last; i++ {
		view(i)
		testkit.Eventually(t, fmt.Sprintf("the relay to take view %d", i), func() bool {
			return h.Latest().Now.Format("15:04:05") == clock(i) && len(sub.C) == 0
		})
	}
	// The relay handed view last-1 on before it took the last: what waits
	// is that one or the last, the last once it has handed it on.
	got := testkit.Receive(t, "a view", out).Now.Format("15:04:05")
	if got == clock(last-1) {
		got = testkit.Receive(t, "the last view", out).Now.Format("15:04:05")
	}
	if got != clock(last) {
		t.Errorf("a viewer that took no view is handed %s, want the newest, %s", got, clock(last))
	}
}

// TestRelayPacesTheViews: a viewer is handed at most a view every pace
// (viewerPace in serve). A view that comes sooner waits, replaced by any
// newer one, and the newest goes when the time is up; a view that comes
// later goes at once, without a timer (a board at rest, a view a second,
// arms none).
func TestRelayPacesTheViews(t *testing.T) {
	t.Parallel()
	h, view, clock := handDrivenHub(t)
	sub := h.Subscribe() // it holds the latest view, clock(0)
	var mu sync.Mutex
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	advance := func(d time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(d)
	}
	waits, due := make(chan time.Duration, 1), make(chan time.Time)
	p := pacing{every: 250 * time.Millisecond,
		now:   func() time.Time { mu.Lock(); defer mu.Unlock(); return now },
		after: func(d time.Duration) <-chan time.Time { waits <- d; return due }}
	out, done := make(chan *state.View, 1), make(chan struct{})
	go relay(sub, out, done, p)
	defer close(done)
	send := func(i int) {
		view(i)
		testkit.Eventually(t, fmt.Sprintf("the relay to take view %d", i), func() bool {
			return h.Latest().Now.Format("15:04:05") == clock(i) && len(sub.C) == 0
		})
	}
	handed := func(what string, want int) {
		t.Helper()
		if got := testkit.Receive(t, what, out).Now.Format("15:04:05"); got != clock(want) {
			t.Errorf("%s: handed %s, want %s", what, got, clock(want))
		}
	}
	nothingMore := func(when string) {
		t.Helper()
		select {
		case v := <-out:
			t.Errorf("%s: view %s handed before its time", when, v.Now.Format("15:04:05"))
		case d := <-waits:
			t.Errorf("%s: a wait of %v asked for", when, d)
		default:
		}
	}

	handed("the first view", 0)
	advance(100 * time.Millisecond)
	send(1)
	if d := testkit.Receive(t, "the wait for view 1", waits); d != 150*time.Millisecond {
		t.Errorf("view 1, 100 ms after the last handed, waits %v, want 150ms", d)
	}
	send(2)
	nothingMore("view 2 came while view 1 waited")
	advance(150 * time.Millisecond)
	due <- now
	handed("the view held when its time came", 2)
	advance(250 * time.Millisecond)
	send(3)
	handed("a view a pace after the last", 3)
	nothingMore("view 3 went at once")
}

// TestServeTunesTheCollectorUnlessTheEnvironmentDoes: serve collects at
// twice the live heap under a soft memory limit, the environment's GOGC
// and GOMEMLIMIT kept when set. Not parallel: it sets the process's
// collector, restored after.
func TestServeTunesTheCollectorUnlessTheEnvironmentDoes(t *testing.T) {
	const otherPercent, otherLimit = 250, 1 << 40
	percent, limit := debug.SetGCPercent(otherPercent), debug.SetMemoryLimit(otherLimit)
	t.Cleanup(func() { debug.SetGCPercent(percent); debug.SetMemoryLimit(limit) })

	tuneMemory(func(string) string { return "" })
	if got := debug.SetGCPercent(otherPercent); got != serveGCPercent {
		t.Errorf("GOGC unset: serve collects at %d %%, want %d", got, serveGCPercent)
	}
	if got := debug.SetMemoryLimit(otherLimit); got != serveMemoryLimit {
		t.Errorf("GOMEMLIMIT unset: serve's memory limit %d, want %d", got, serveMemoryLimit)
	}
	tuneMemory(func(k string) string { return map[string]string{"GOGC": "300", "GOMEMLIMIT": "1GiB"}[k] })
	if got := debug.SetGCPercent(otherPercent); got != otherPercent {
		t.Errorf("GOGC set: serve changed the collection target to %d", got)
	}
	if got := debug.SetMemoryLimit(otherLimit); got != otherLimit {
		t.Errorf("GOMEMLIMIT set: serve changed the memory limit to %d", got)
	}
}

// scrapeViewers reads callboard_viewers at url.
func scrapeViewers(t *testing.T, url string) string {
	t.Helper()
	return scrapeMetric(t, url, "callboard_viewers")
}

// goViewer is a viewer written with golang.org/x/crypto/ssh, whose
// terminal says what the test wants it to: a size of its choosing,
// answers or none to the terminal queries.
type goViewer struct {
	client *gossh.Client
	sess   *gossh.Session
	in     io.WriteCloser
	screen *screen
}

// dialViewer logs in with key. The session has no terminal yet.
func dialViewer(t *testing.T, key, port string) *goViewer {
	t.Helper()
	pem, err := os.ReadFile(key)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.ParsePrivateKey(pem)
	if err != nil {
		t.Fatal(err)
	}
	client, err := gossh.Dial("tcp", net.JoinHostPort("127.0.0.1", port), &gossh.ClientConfig{
		User: "viewer", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	in, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	return &goViewer{client: client, sess: sess, in: in}
}

// board asks for a terminal of cols×rows and a shell, the board. A terminal
// that answers gets the background colour and device attributes queries
// answered as an xterm would; one that does not never answers them.
func (v *goViewer) board(t *testing.T, cols, rows uint32, answers bool) {
	t.Helper()
	if err := v.sess.RequestPty("xterm-256color", int(rows), int(cols), gossh.TerminalModes{}); err != nil {
		t.Fatalf("pty request %dx%d: %v", cols, rows, err)
	}
	var out io.Writer
	if answers {
		v.screen = newScreen(v.in)
		out = &deviceAttributes{screen: v.screen, term: v.in}
	} else {
		v.screen = newScreen(io.Discard)
		out = v.screen
	}
	v.sess.Stdout = out
	if err := v.sess.Shell(); err != nil {
		t.Fatal(err)
	}
}

// peakRSS is the process's peak resident set size so far, in bytes.
func peakRSS(t *testing.T) int64 {
	t.Helper()
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status:", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(v), "%d kB", &kb)
			return kb << 10
		}
	}
	t.Skip("no VmHWM in /proc/self/status")
	return 0
}

// TestServeAbsurdTerminalSize has a viewer ask for a terminal of
// 4000000000x4000000000, then change it to 100000x100000: its board is
// laid out at the largest size the board draws, the server's memory stays
// within a bound, and another viewer keeps its board.
func TestServeAbsurdTerminalSize(t *testing.T) {
	fx := newServeFixture(t)
	port, _ := fx.start(t)
	other := startViewer(t, fx.key, port)
	other.screen.waitFor(t, "live")
	before := peakRSS(t)

	h := dialViewer(t, fx.key, port)
	h.board(t, 4000000000, 4000000000, true)
	h.screen.waitFor(t, "Overview")
	h.screen.waitFor(t, "live")
	if err := h.sess.WindowChange(100000, 100000); err != nil {
		t.Fatal(err)
	}
	off := len(h.screen.String())
	io.WriteString(h.in, "2")
	h.screen.waitSince(t, off, "Pause reason")
	off = len(h.screen.String())
	io.WriteString(h.in, "w") // the wall, drawn to the window's measure
	h.screen.waitSince(t, off, "live")

	// The other board goes on, and answers its keys.
	off = len(other.screen.String())
	other.ptmx.WriteString("3")
	other.screen.waitSince(t, off, "Avail/Logged in")
	other.screen.waitSince(t, len(other.screen.String()), "live")
	if grew := peakRSS(t) - before; grew > 512<<20 {
		t.Errorf("the server's peak memory grew by %d MB for a viewer of absurd size, want at most 512 MB", grew>>20)
	}
}

// TestServeRefusesAgentForwarding asks for agent and X11 forwarding in a
// session, and what else a board does not need: each is refused, and the
// board still comes.
func TestServeRefusesAgentForwarding(t *testing.T) {
	t.Parallel()
	fx := newServeFixture(t)
	port, _ := fx.start(t)
	v := dialViewer(t, fx.key, port)
	for _, req := range []string{"auth-agent-req@openssh.com", "x11-req", "break", "keepalive@openssh.com"} {
		ok, err := v.sess.SendRequest(req, true, nil)
		if err != nil {
			t.Fatalf("%s: %v", req, err)
		}
		if ok {
			t.Errorf("%s answered yes, want no", req)
		}
	}
	v.board(t, 120, 40, true)
	v.screen.waitFor(t, "Overview")
}

// fakeTimers stands in for time.AfterFunc: the test fires the timers.
type fakeTimers struct {
	mu    sync.Mutex
	fires []func()
}

func (f *fakeTimers) afterFunc(_ time.Duration, fn func()) func() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	stopped := false
	f.fires = append(f.fires, func() {
		if !stopped {
			fn()
		}
	})
	return func() bool { stopped = true; return true }
}

// fireAll runs every timer not stopped, as if the grace time had passed.
func (f *fakeTimers) fireAll() {
	f.mu.Lock()
	fires := f.fires
	f.mu.Unlock()
	for _, fire := range fires {
		fire()
	}
}

// closedConn reports whether the server's side of a pipe was closed: a
// pipe's read says so before it looks at its deadline, so one already
// passed asks without waiting.
func closedConn(t *testing.T, client net.Conn) bool {
	t.Helper()
	client.SetReadDeadline(time.Now())
	_, err := client.Read(make([]byte, 1))
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrClosedPipe)
}

// TestStartupsCapAndGrace drives the accounting of connections not
// authenticated on pipes, with a clock of the test's: the oldest gives way
// beyond the cap, the grace time closes those not authenticated only, and
// every refusal is counted by its reason.
func TestStartupsCapAndGrace(t *testing.T) {
	timers := &fakeTimers{}
	var pending int
	var refused map[string]uint64
	st := newStartups(3, time.Minute, slog.New(slog.NewTextHandler(io.Discard, nil)), func(n int, r map[string]uint64) {
		pending, refused = n, maps.Clone(r)
	})
	st.afterFunc = timers.afterFunc
	var clients []net.Conn
	var conns []*pendingConn
	for range 5 {
		server, client := net.Pipe()
		t.Cleanup(func() { client.Close() })
		clients = append(clients, client)
		conns = append(conns, st.arrive(server))
	}
	if pending != 3 || refused[refusedMaxStartups] != 2 {
		t.Fatalf("5 connections with a cap of 3: %d pending, %v refused; want 3, 2 for max_startups", pending, refused)
	}
	for i := range 2 {
		if !closedConn(t, clients[i]) {
			t.Errorf("connection %d, among the oldest beyond the cap, is still open", i)
		}
	}
	st.boardStarted(conns[2]) // a viewer's board starts: it no longer counts
	if pending != 2 {
		t.Errorf("%d pending after a login, want 2", pending)
	}
	timers.fireAll()
	if pending != 0 || refused[refusedLoginGrace] != 2 || refused[refusedMaxStartups] != 2 {
		t.Errorf("after the grace time: %d pending, %v refused; want 0, 2 for login_grace, 2 for max_startups", pending, refused)
	}
	for i := 3; i < 5; i++ {
		if !closedConn(t, clients[i]) {
			t.Errorf("connection %d, not authenticated within the grace time, is still open", i)
		}
	}
	go conns[2].Write([]byte("x"))
	clients[2].SetReadDeadline(time.Now().Add(testkit.Patience))
	if _, err := clients[2].Read(make([]byte, 1)); err != nil {
		t.Errorf("the viewer's connection after the grace time: %v, want it open", err)
	}
	conns[3].Close() // closed twice: counted once
	if refused[refusedLoginGrace] != 2 {
		t.Errorf("refused %v after a second close", refused)
	}

	// Its board ended, the viewer's connection, kept open without one,
	// counts again and is closed after a grace time of its own; one
	// closed as its board ends does not count again.
	st.boardEnded(conns[2])
	if pending != 1 {
		t.Errorf("%d pending once the board ended, want 1", pending)
	}
	timers.fireAll()
	if pending != 0 || refused[refusedLoginGrace] != 3 || !closedConn(t, clients[2]) {
		t.Errorf("after a grace time without a board: %d pending, %v refused, closed %v; want 0, 3 for login_grace, closed", pending, refused, closedConn(t, clients[2]))
	}
	server, client := net.Pipe()
	defer client.Close()
	pc := st.arrive(server)
	st.boardStarted(pc)
	pc.Close()
	st.boardEnded(pc)
	if pending != 0 {
		t.Errorf("%d pending after a board ended on a closed connection, want 0", pending)
	}
}

// scrapeMetric reads the sample of a metric (name with its labels) at url.
func scrapeMetric(t *testing.T, url, sample string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, sample+" "); ok {
			return v
		}
	}
	return ""
}

// waitMetric polls url until sample reads want.
func waitMetric(t *testing.T, url, sample, want string) {
	t.Helper()
	testkit.Eventually(t, sample+" = "+want, func() bool { return scrapeMetric(t, url, sample) == want },
		func() string { return fmt.Sprintf("%s = %q", sample, scrapeMetric(t, url, sample)) })
}

// TestServeUnauthenticatedConnectionsCannotLockViewersOut runs serve with
// 256 descriptors and holds 400 TCP connections to it that never speak
// ssh, then a real OpenSSH viewer logs in: it gets its board, the
// connections beyond max_startups were closed, and /metrics counts them.
func TestServeUnauthenticatedConnectionsCannotLockViewersOut(t *testing.T) {
	fx := newServeFixture(t, "max_startups = 50\n")
	_, _, port, metricsURL, _ := fx.startBinaryWith(t, 256, "--metrics-listen", "127.0.0.1:0")
	waitMetric(t, metricsURL, "callboard_ssh_unauthenticated", "0")

	const held = 400
	for range held {
		c, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", port))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
	}
	waitMetric(t, metricsURL, `callboard_ssh_refused_total{reason="max_startups"}`, fmt.Sprint(held-50))
	waitMetric(t, metricsURL, "callboard_ssh_unauthenticated", "50")

	v := startViewer(t, fx.key, port)
	v.screen.waitFor(t, "live")
	v.screen.waitFor(t, "Overview")
	// The viewer took the place of the oldest; logged in, it counts no more.
	waitMetric(t, metricsURL, `callboard_ssh_refused_total{reason="max_startups"}`, fmt.Sprint(held-50+1))
	waitMetric(t, metricsURL, "callboard_ssh_unauthenticated", "49")
	if got := scrapeViewers(t, metricsURL); got != "1" {
		t.Errorf("callboard_viewers %q, want 1", got)
	}
}

// TestServeLoginGrace opens a connection that never speaks ssh: it is
// closed once the (short) login_grace has passed, and counted.
func TestServeLoginGrace(t *testing.T) {
	t.Parallel()
	// The grace runs from the connection: the handshake and the login must
	// be over before it, however loaded the machine; the test then waits
	// for the grace to pass, whatever its length.
	fx := newServeFixture(t, "login_grace = \"3s\"\n")
	port, log := fx.start(t, "--metrics-listen", "127.0.0.1:0")
	_, metricsURL, _ := strings.Cut(fx.stdout.String(), "metrics on ")
	metricsURL, _, _ = strings.Cut(metricsURL, "\n")
	c, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", port))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(testkit.Patience))
	got, err := io.ReadAll(c) // the server's version line, then its close
	if err != nil {
		t.Fatalf("the silent connection was not closed: %v (got %q)", err, got)
	}
	if !strings.HasPrefix(string(got), "SSH-2.0-") {
		t.Errorf("the server said %q, want its version line", got)
	}
	waitMetric(t, metricsURL, `callboard_ssh_refused_total{reason="login_grace"}`, "1")
	waitMetric(t, metricsURL, "callboard_ssh_unauthenticated", "0")
	waitLog(t, log, "within login_grace", 1)
}

// TestServeLoginGraceWithoutABoard logs in with an authorized key and
// opens no session: the connection, which shows no board, is closed once
// login_grace has passed, as one not authenticated is, and counted; so is
// a viewer's connection kept open after its board ended.
func TestServeLoginGraceWithoutABoard(t *testing.T) {
	t.Parallel()
	// The grace runs from the connection: the handshake and the login must
	// be over before it, however loaded the machine; the test then waits
	// for the grace to pass, whatever its length.
	fx := newServeFixture(t, "login_grace = \"3s\"\n")
	port, log := fx.start(t, "--metrics-listen", "127.0.0.1:0")
	_, metricsURL, _ := strings.Cut(fx.stdout.String(), "metrics on ")
	metricsURL, _, _ = strings.Cut(metricsURL, "\n")

	v := dialViewer(t, fx.key, port) // a session opened, no shell asked for: no board
	closed := make(chan error, 1)
	go func() { closed <- v.client.Wait() }()
	testkit.Receive(t, "the close of the connection without a board", closed)
	waitMetric(t, metricsURL, `callboard_ssh_refused_total{reason="login_grace"}`, "1")
	waitMetric(t, metricsURL, "callboard_ssh_unauthenticated", "0")
	waitLog(t, log, "within login_grace", 1)
}

// TestServeMuteTerminal connects viewers whose terminal answers no query:
// one types a key at once, the other nothing. Both get their board without
// an answer, and the first key is kept (the Agents tab shows).
func TestServeMuteTerminal(t *testing.T) {
	t.Parallel()
	fx := newServeFixture(t)
	port, _ := fx.start(t)
	quiet, typing := dialViewer(t, fx.key, port), dialViewer(t, fx.key, port)
	quiet.board(t, 120, 40, false)
	typing.board(t, 120, 40, false)
	io.WriteString(typing.in, "2")
	quiet.screen.waitFor(t, "Overview")
	typing.screen.waitFor(t, "Pause reason")
	for _, v := range []*goViewer{quiet, typing} {
		if strings.Contains(v.screen.String(), "\x1b]11;?") {
			t.Error("the server asked the terminal for its background")
		}
	}
	// More than 64 environment variables: the rest are refused.
	extra := dialViewer(t, fx.key, port)
	for i := range maxEnv + 3 {
		err := extra.sess.Setenv(fmt.Sprint("V", i), "x")
		if refused := err != nil; refused != (i >= maxEnv) {
			t.Errorf("variable %d: %v", i, err)
		}
	}
}

// TestServeFilterBurst types a megabyte after / over ssh, then enter and a
// tab key: the board takes the tab key after it, and the server's
// allocations for the burst stay linear (they were 46 GB, parsed again at
// each read).
func TestServeFilterBurst(t *testing.T) {
	fx := newServeFixture(t)
	port, _ := fx.start(t)
	v := dialViewer(t, fx.key, port)
	v.board(t, 160, 45, true)
	v.screen.waitFor(t, "live")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	off := len(v.screen.String())
	go io.WriteString(v.in, "/"+strings.Repeat("a", 1<<20)+"\r2")
	v.screen.waitSince(t, off, "Pause reason")
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 3<<30 {
		t.Errorf("%d MB allocated for a megabyte typed, want at most 3 GB", got>>20)
	}
	if strings.Contains(v.screen.String(), strings.Repeat("a", 65)) {
		t.Error("the filter shows more than its 64 characters")
	}
}

// TestServeRefusesAPlantedHostKey: a host key path planted as a link (to
// a file or to nowhere) or as another kind of file is refused, and what
// the link points to is left as it was: neither read as the key, nor
// written, nor made private.
func TestServeRefusesAPlantedHostKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	target := filepath.Join(dir, "precious")
	if err := os.WriteFile(target, []byte("root:x:0:0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(target, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link", "host_key")
	dangling := filepath.Join(dir, "dangling", "host_key")
	fifo := filepath.Join(dir, "fifo", "host_key")
	for _, p := range []string{link, dangling, fifo} {
		os.MkdirAll(filepath.Dir(p), 0o700)
	}
	os.Symlink(target, link)
	os.Symlink(filepath.Join(dir, "made-through-the-link"), dangling)
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{link: "a symbolic link", dangling: "a symbolic link", fifo: "not a regular file"} {
		_, err := startSSH(serveConfig{listen: "127.0.0.1:0", hostKey: path, maxSessions: 1, maxStartups: 1, loginGrace: time.Second}, nil, "", slog.New(slog.NewTextHandler(io.Discard, nil)), nil, nil)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v, want it refused as %s", path, err, want)
		}
	}
	if body, err := os.ReadFile(target); err != nil || string(body) != "root:x:0:0\n" {
		t.Errorf("the link's target changed: %q, %v", body, err)
	}
	if fi, err := os.Stat(target); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("the link's target's mode changed: %v, %v", fi.Mode(), err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "made-through-the-link")); err == nil {
		t.Error("a key was written through the dangling link")
	}
}

// TestTheEnvironmentsGOGCWinsFromStartToServe: GOGC in the environment
// (the runtime started with it) is what every command collects at, serve
// included: neither the start nor serve sets its own over it. Without it
// the commands of one stream collect at 200 % and serve at its own. Not
// parallel: it sets the process's collector, restored after.
func TestTheEnvironmentsGOGCWinsFromStartToServe(t *testing.T) {
	percent := debug.SetGCPercent(50) // as the runtime starts with GOGC=50
	limit := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(percent); debug.SetMemoryLimit(limit) })
	env := func(set map[string]string) func(string) string {
		return func(k string) string { return set[k] }
	}
	withGOGC := env(map[string]string{"GOGC": "50", "GOMAXPROCS": "2"})
	TuneRuntime([]string{"serve"}, withGOGC)
	tuneMemory(withGOGC)
	if got := debug.SetGCPercent(50); got != 50 {
		t.Errorf("GOGC=50 in the environment: serve collects at %d %%", got)
	}
	TuneRuntime([]string{"metrics"}, withGOGC)
	if got := debug.SetGCPercent(50); got != 50 {
		t.Errorf("GOGC=50 in the environment: metrics collects at %d %%", got)
	}
	TuneRuntime([]string{"metrics"}, env(map[string]string{"GOMAXPROCS": "2", "GOMEMLIMIT": "1GiB"})) // no limit kept after each collection in the tests' process
	if got := debug.SetGCPercent(50); got != 200 {
		t.Errorf("GOGC unset: metrics collects at %d %%, want 200", got)
	}
}

// windowWatcher is a program as followWindow sees it: what it was told.
type windowWatcher struct {
	sizes chan tea.WindowSizeMsg
	quit  chan struct{}
}

func (w *windowWatcher) Send(msg tea.Msg) {
	if size, ok := msg.(tea.WindowSizeMsg); ok {
		w.sizes <- size
	}
}

func (w *windowWatcher) Quit() { close(w.quit) }

// TestABoardEndsWhenItsChannelCloses: the sizes of a viewer's terminal go
// to its board, and when the session's channel closes (its window changes
// with it) while the connection stays, as when a client multiplexed on a
// kept connection is killed, the board is asked to quit: it does not take
// zero sizes for ever (it took a core, and kept its viewer's place).
func TestABoardEndsWhenItsChannelCloses(t *testing.T) {
	changes := make(chan ssh.Window)
	w := &windowWatcher{sizes: make(chan tea.WindowSizeMsg, 1), quit: make(chan struct{})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		followWindow(context.Background(), changes, w)
	}()
	changes <- ssh.Window{Width: 100, Height: 30}
	if got := testkit.Receive(t, "the size told", w.sizes); got.Width != 100 || got.Height != 30 {
		t.Errorf("told %+v, want 100×30", got)
	}
	close(changes)
	testkit.Receive(t, "the board asked to quit", w.quit)
	testkit.Receive(t, "followWindow's end", done)
	select {
	case got := <-w.sizes:
		t.Errorf("told %+v after the channel closed", got)
	default:
	}
}

// TestTheHintNamesThePort: the one line of a session without a terminal
// says how to connect, with the port when it is not ssh's own.
func TestTheHintNamesThePort(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:2222": "ssh -t -p 2222 <host>,",
		"[::]:22":        "ssh -t <host>,",
	} {
		if got := notABoard(addr); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q in it", addr, got, want)
		}
	}
}

// TestServeSaysAtStartWhenNobodyCanLogIn: an authorized_keys file that is
// missing, or holds no key, is said at start (it was said only at each
// refused login); one with a key is not.
func TestServeSaysAtStartWhenNobodyCanLogIn(t *testing.T) {
	fx := newServeFixture(t)
	authorized := filepath.Join(fx.dir, "authorized_keys")
	pub, err := os.ReadFile(fx.key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		body *string
		want string
	}{
		{nil, "does not exist"},
		{ptr("# viewers\n\nnot a key\n"), "holds no key"},
		{ptr("# viewers\n" + string(pub)), ""},
	} {
		os.Remove(authorized)
		if c.body != nil {
			if err := os.WriteFile(authorized, []byte(*c.body), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		if got := noAuthorizedKey(authorized); (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%v: %q, want %q", c.body, got, c.want)
		}
	}
	os.Remove(authorized)
	_, log := fx.start(t)
	testkit.Eventually(t, "the warning at start", func() bool {
		return strings.Contains(log.String(), "nobody can log in yet: the authorized_keys file does not exist")
	}, log.String)
}

func ptr[T any](v T) *T { return &v }
