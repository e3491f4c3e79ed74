package cli

import (
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"callboard/app"
	"callboard/internal/testkit"
	"callboard/state"
	"callboard/tui"
)

// TestEachPanesScopeRemembersItsOwnSettings: a tmux pane per team, one
// local user. The Support pane, quit on its Queues tab, starts there
// again; the whole center's board and the Ventes pane keep their own
// (their Overview), never the Support pane's.
func TestEachPanesScopeRemembersItsOwnSettings(t *testing.T) {
	t.Parallel()
	bin := testkit.Binary(t)
	stateDir := t.TempDir()
	run := func(args []string, keys string, wants ...string) {
		t.Helper()
		runLocalBoard(t, bin, stateDir, args, keys, wants...)
	}
	support := []string{"--queues", "Support"}
	run(support, "3", "[Overview]")
	store := app.NewSettingsStore(filepath.Join(stateDir, "callboard", "settings"))
	path := store.Path(localSettingsWho(state.Scope{Queues: []string{"Support"}}))
	var s tui.Settings
	if data, err := os.ReadFile(path); err != nil || json.Unmarshal(data, &s) != nil || s.Tab != "Queues" {
		t.Fatalf("%s holds %q (%v), want the Queues tab", path, data, err)
	}
	if _, err := os.Stat(store.Path(app.LocalSettingsWho())); !os.IsNotExist(err) {
		t.Errorf("the Support pane wrote the whole center's settings: %v", err)
	}
	run(nil, "", "[Overview]")
	run([]string{"--queues", "Ventes"}, "", "[Overview]")
	run([]string{"--queues", "Support,Support"}, "", "[Queues]")
}

// runLocalBoard runs the binary's board on the demo (with args) in a
// terminal, its state under stateDir, until the screen showed "live" and
// each of wants; then types keys and q, and returns what the terminal got
// once the board gave it back.
func runLocalBoard(t *testing.T, bin, stateDir string, args []string, keys string, wants ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--demo"}, args...)...)
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
