package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"callboard/internal/testkit/simtest"
	"callboard/sim"
	"callboard/state"
)

// TestRecordingRoundTrip: a live snapshot that records, and the replay of
// its recording, print the same board; the recording holds neither the
// password nor the token.
func TestRecordingRoundTrip(t *testing.T) {
	srv := simtest.Start(t, sim.Options{Seed: 11, Login: sim.DefaultLogin, Password: "s3cret-pw"})
	t.Setenv("CALLBOARD_TEST_PASSWORD", "s3cret-pw")
	recording := filepath.Join(t.TempDir(), "rec.jsonl")
	code, live, errs := runCommand("snapshot", "--config", writeConfig(t, srv.URL()), "--wait", "1500ms", "--record", recording, "--no-journal")
	if code != exitOK {
		t.Fatalf("snapshot: exit %d: %s", code, errs)
	}
	code, replayed, errs := runCommand("replay", recording, "--snapshot")
	if code != exitOK {
		t.Fatalf("replay: exit %d: %s", code, errs)
	}
	var a, b state.Snapshot
	if err := json.Unmarshal([]byte(live), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(replayed), &b); err != nil {
		t.Fatal(err)
	}
	if a.Feed.Events == 0 || len(a.Agents) == 0 {
		t.Fatalf("the live snapshot saw nothing: %+v", a.Feed)
	}
	a.GeneratedAt, b.GeneratedAt = b.GeneratedAt, a.GeneratedAt // the one field allowed to differ
	ja, _ := json.MarshalIndent(a, "", " ")
	jb, _ := json.MarshalIndent(b, "", " ")
	if string(ja) != string(jb) {
		t.Errorf("live and replayed snapshots differ:\nlive:\n%s\nreplayed:\n%s", ja, jb)
	}

	raw, err := os.ReadFile(recording)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "s3cret-pw") {
		t.Error("the recording holds the password")
	}
	var line struct {
		Kind string `json:"kind"`
	}
	kinds := map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		if err := json.Unmarshal([]byte(l), &line); err != nil {
			t.Fatalf("not a JSON line: %q", l)
		}
		kinds[line.Kind]++
		if strings.Contains(l, "id_session") || strings.Contains(l, `"token"`) {
			t.Errorf("a line names the token: %s", l)
		}
	}
	if kinds["start"] != 1 || kinds["end"] != 1 || kinds["directory"] != 1 || kinds["status"] == 0 || kinds["update"] != a.Feed.Events {
		t.Errorf("lines by kind %v, want one start, end and directory, some status, %d updates", kinds, a.Feed.Events)
	}
	if st, _ := os.Stat(recording); st.Mode().Perm() != 0o600 {
		t.Errorf("the recording is %v, want 0600", st.Mode().Perm())
	}
}
