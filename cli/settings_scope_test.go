package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
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
		runLocalBoard(t, bin, stateDir, append([]string{"--demo"}, args...), keys, wants...)
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
