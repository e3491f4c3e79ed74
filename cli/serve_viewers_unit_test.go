package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"callboard/config"
	"callboard/state"
)

// TestAViewersStartIsATabOrTheWall: a viewer's start is a tab's name,
// whatever its case, spelled as the board spells it, or the wall; any
// other is refused when serve starts, naming the viewer and the tabs.
func TestAViewersStartIsATabOrTheWall(t *testing.T) {
	for start, want := range map[string]string{"": "", "agents": "Agents", "CALLS": "Calls", "Wall": "wall", "Overview": "Overview"} {
		if got, err := startView(start); err != nil || got != want {
			t.Errorf("start %q: %q, %v; want %q", start, got, err, want)
		}
	}
	key := "SHA256:" + strings.Repeat("A", 43)
	_, err := newViewerKeys([]config.Viewer{{Name: "tv", Keys: []string{key}, Start: "dashboard"}})
	if err == nil || !strings.Contains(err.Error(), `serve.viewers "tv".start: "dashboard": want a tab (Overview, Agents, Queues, Calls, Trunks, Events, Day, Alerts) or wall`) {
		t.Errorf("a start naming no tab: %v", err)
	}
	keys, err := newViewerKeys([]config.Viewer{{Name: "lead", Keys: []string{key}, Groups: []string{"391"}, CallerID: "hide", Start: "day"}})
	if err != nil {
		t.Fatal(err)
	}
	v := keys[key]
	if v == nil || v.name != "lead" || v.start != "Day" || len(v.audiences()) != 1 || v.audiences()[0].CallerID != state.CallerHide || v.audiences()[0].Scope.Groups[0] != "391" {
		t.Errorf("the viewer resolved: %+v", v)
	}
	var none *namedViewer
	if none.audiences() != nil {
		t.Error("a key in no viewer is cut to an audience")
	}
}

// TestServeRefusesAViewerStartingNowhere: serve does not start on a
// viewer whose start names no tab; the error says which.
func TestServeRefusesAViewerStartingNowhere(t *testing.T) {
	fx := newServeFixture(t, "[[serve.viewers]]\nname = \"tv\"\nkeys = [\"SHA256:"+strings.Repeat("A", 43)+"\"]\nstart = \"Dashbord\"\n")
	var stdout, stderr lockedBuffer
	err := serveCommand(context.Background(), []string{"--config", fx.config, "--ssh-listen", "127.0.0.1:0"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), `serve.viewers "tv".start: "Dashbord": want a tab`) {
		t.Errorf("serve with a start naming no tab: %v", err)
	}
}

// TestServeReportWithoutAJournal: serve --no-journal has no day to read:
// ssh host report --csv calls says so on its standard error and fails;
// snapshot still prints the board.
func TestServeReportWithoutAJournal(t *testing.T) {
	t.Parallel()
	fx := newServeFixture(t)
	port, log := fx.start(t, "--no-journal")
	out, errs, err := sshCommand(t, fx.key, port, "report", "--csv", "calls")
	if err == nil || out != "" || strings.TrimSpace(errs) != "callboard report --csv calls: no journal: serve runs without one (--no-journal)" {
		t.Errorf("report without a journal: %v, stdout %q, stderr %q", err, out, errs)
	}
	waitLog(t, log, `msg="command failed"`, 1)
	out, errs, err = sshCommand(t, fx.key, port, "snapshot")
	var snap state.Snapshot
	if err != nil || json.Unmarshal([]byte(out), &snap) != nil || snap.Feed.State == "" {
		t.Errorf("snapshot without a journal: %v, %q, %s", err, errs, out)
	}
}
