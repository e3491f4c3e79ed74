package cli

import (
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"callboard/app"
	"callboard/internal/testkit"
	"callboard/tui"
)

// TestServeRestoresSettingsAfterAReconnect: a viewer who left the Agents
// tab sorted and filtered finds it so at the next login, over the OpenSSH
// client; the settings are kept by the key's fingerprint, in a file of
// its own.
func TestServeRestoresSettingsAfterAReconnect(t *testing.T) {
	t.Parallel()
	fx := newServeFixture(t)
	port, log := fx.start(t)
	a := startViewer(t, fx.key, port)
	a.screen.waitFor(t, "live")
	a.screen.waitFor(t, "Overview")
	off := len(a.screen.String())
	a.ptmx.WriteString("2")
	a.screen.waitSince(t, off, "Pause reason")
	off = len(a.screen.String())
	a.ptmx.WriteString("sS/zz\r")
	a.screen.waitSince(t, off, "filter “zz”")
	// q, and the settings are written before the logout is logged
	quit := func(v *sshViewer, logouts int) {
		t.Helper()
		v.ptmx.WriteString("q")
		if err := v.wait(t); err != nil {
			t.Errorf("ssh after q: %v", err)
		}
		waitLog(t, log, "msg=logout", logouts)
	}
	quit(a, 1)

	b := startViewer(t, fx.key, port)
	for _, want := range []string{"[Agents]", "Name ↓", "filter “zz”", "live"} {
		b.screen.waitFor(t, want)
	}

	pub, err := os.ReadFile(fx.key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	key, _, _, _, err := gossh.ParseAuthorizedKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	// serve keeps them beside its host key (the fixture's state/)
	path := app.NewSettingsStore(filepath.Join(fx.dir, "state", "settings", "ssh")).Path(gossh.FingerprintSHA256(key))
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("%s is %v, want 0600", path, info.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	var s tui.Settings
	if err := json.Unmarshal(data, &s); err != nil || s.Tab != "Agents" || s.Tabs["Agents"] != (tui.TabSettings{Sort: "Name", Desc: true, Filter: "zz"}) {
		t.Errorf("%s holds %s (%v)", path, data, err)
	}

	// R: the defaults again, and at the next login
	off = len(b.screen.String())
	b.ptmx.WriteString("R")
	b.screen.waitSince(t, off, "[Overview]")
	quit(b, 2)
	if data, _ := os.ReadFile(path); string(data) != "{}\n" {
		t.Errorf("after R %s holds %q, want nothing remembered", path, data)
	}
}

// TestBoardRestoresTheLocalUsersSettings: the real binary's board, quit on
// the Queues tab, starts there again; a settings file that is no JSON
// starts it on the Overview, said once the terminal is given back.
func TestBoardRestoresTheLocalUsersSettings(t *testing.T) {
	t.Parallel()
	bin := testkit.Binary(t)
	stateDir := t.TempDir()
	path := app.NewSettingsStore(filepath.Join(stateDir, "callboard", "settings")).Path(app.LocalSettingsWho())
	run := func(keys string, wants ...string) string {
		t.Helper()
		return runLocalBoard(t, bin, stateDir, []string{"--demo"}, keys, wants...)
	}
	run("3", "[Overview]")
	var s tui.Settings
	if data, err := os.ReadFile(path); err != nil || json.Unmarshal(data, &s) != nil || s.Tab != "Queues" {
		t.Fatalf("%s holds %q (%v), want the Queues tab", path, data, err)
	}
	run("", "[Queues]")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if after := run("", "[Overview]"); !strings.Contains(after, "is not JSON of settings") {
		t.Errorf("after a board whose settings are no JSON, the terminal got %q", after)
	}
}

// runLocalBoard runs the binary's board with args in a terminal, its state
// in stateDir, waits for wants, types keys then q, and returns what the
// terminal got once the board gave it back.
func runLocalBoard(t *testing.T, bin, stateDir string, args []string, keys string, wants ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "XDG_STATE_HOME="+stateDir)
	ptmx, tty, _ := startOnTerminal(t, cmd, 40, 120)
	term := &terminal{cmd: cmd, ptmx: ptmx, tty: tty, screen: newScreen(ptmx), copied: make(chan struct{})}
	go func() {
		defer close(term.copied)
		io.Copy(term.screen, ptmx)
	}()
	term.screen.waitFor(t, "live")
	for _, want := range wants {
		term.screen.waitFor(t, want)
	}
	io.WriteString(term.ptmx, keys+"q")
	exited := make(chan error, 1)
	go func() { exited <- term.cmd.Wait() }()
	if err := testkit.Receive(t, "the board's end after q", exited); err != nil {
		t.Errorf("exit: %v", err)
	}
	term.tty.Close()
	<-term.copied
	screen := term.screen.String()
	return screen[strings.LastIndex(screen, "\x1b[?1049l")+len("\x1b[?1049l"):]
}
