package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/record"
	"callboard/state"
)

// invisibleName is an agent's name with the characters that hide
// themselves or reorder a line: RLM, ALM, BOM, a line and a paragraph
// separator, a zero-width space, a tag and a variation selector.
const invisibleName = "Eve\u200f Ma\u061clo\ufeffry\u2028A\u2029B\u200bC\U000e0041D\ufe0f"

// TestASnapshotEscapesInvisibleCharacters: a name with invisible
// characters comes out of replay --snapshot with each of them escaped,
// none raw, and reads back as it was.
func TestASnapshotEscapesInvisibleCharacters(t *testing.T) {
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	rec := record.NewRecorder(f, at)
	rec.Record(&feed.DirectoryMsg{At: at, Directory: feed.Directory{Agents: []feed.Agent{{ID: "1", Name: invisibleName}}}})
	rec.Record(&feed.StatusMsg{State: feed.Live, At: at})
	rec.Record(feedtest.Event(at, `{"cpt":1,"event":{"type_notification":"UI","event":"login","msg":{"id_operator":1}}}`))
	if err := rec.Close(at.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	f.Close()

	code, out, errs := runCommand("replay", path, "--snapshot")
	if code != exitOK {
		t.Fatalf("replay: exit %d: %s", code, errs)
	}
	for _, r := range invisibleName {
		if feed.Invisible(r) && strings.ContainsRune(out, r) {
			t.Errorf("%U is raw in the snapshot", r)
		}
	}
	for _, esc := range []string{`\u200f`, `\u061c`, `\ufeff`, `\u2028`, `\u2029`, `\u200b`, `\udb40\udc41`, `\ufe0f`} {
		if !strings.Contains(out, esc) {
			t.Errorf("the snapshot lacks %s", esc)
		}
	}
	var snap state.Snapshot
	if err := json.Unmarshal([]byte(out), &snap); err != nil {
		t.Fatal(err)
	}
	if len(snap.Agents) != 1 || snap.Agents[0].Name != invisibleName {
		t.Errorf("agents %+v: want the name as it came", snap.Agents)
	}
}
