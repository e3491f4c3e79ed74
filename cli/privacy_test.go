package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callboard/feed"
	"callboard/record"
	"callboard/sim"
	"callboard/state"
)

// TestReplaySnapshotCallerDisplay: a recording keeps the caller's number as
// it arrived; the snapshot replayed from it shows it as [display] caller_id
// says, and never in full unless told to.
func TestReplaySnapshotCallerDisplay(t *testing.T) {
	const number = "33612345678"
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	var file bytes.Buffer
	rec := record.NewRecorder(&file, start)
	for i, raw := range []string{
		`{"ts":1,"elapse":0,"cpt":1,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":391,"id_call":26,"caller_id_num":"33612345678"}}}`,
		`{"ts":1,"elapse":0,"cpt":2,"event":{"type_notification":"operator","event":"status","msg":{"id_operator":8,"status":"connected","id_call":26,"id_queue":391,"caller_id_num":33612345678}}}`,
		`{"ts":1,"elapse":0,"cpt":3,"event":{"type_notification":"queue","event":"connect_call","msg":{"id_queue":391,"id_call":26,"caller_id_num":"33612345678","duration_in_queue":"+33 6 12 34 56 78"}}}`,
	} {
		rec.Record(&feed.Event{Received: start.Add(time.Duration(i) * time.Second), Raw: []byte(raw)})
	}
	if err := rec.Close(start.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(file.String(), number) {
		t.Fatalf("the recording lost the full number:\n%s", file.String())
	}
	recording := filepath.Join(t.TempDir(), "rec.jsonl")
	if err := os.WriteFile(recording, file.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CALLBOARD_TEST_PASSWORD", "x")

	cases := []struct {
		mode   string // "" for no --config
		caller string
	}{
		{"", "336******78"},
		{"mask", "336******78"},
		{"hide", ""},
		{"full", number},
	}
	for _, c := range cases {
		args := []string{"replay", recording, "--snapshot"}
		if c.mode != "" {
			cfg := filepath.Join(t.TempDir(), "config.toml")
			body := fmt.Sprintf("[axialys]\nlogin = %q\npassword_env = \"CALLBOARD_TEST_PASSWORD\"\n\n[display]\ncaller_id = %q\n", sim.DefaultLogin, c.mode)
			if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			args = append(args, "--config", cfg)
		}
		code, out, errs := runCommand(args...)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", c.mode, code, errs)
		}
		var snap state.Snapshot
		if err := json.Unmarshal([]byte(out), &snap); err != nil {
			t.Fatal(err)
		}
		if len(snap.Agents) != 1 || snap.Agents[0].Call == nil || snap.Agents[0].Call.Caller != c.caller {
			t.Errorf("%q: agents %+v, want a call from %q", c.mode, snap.Agents, c.caller)
		}
		if full := strings.Contains(out+errs, number); full != (c.mode == "full") {
			t.Errorf("%q: the full number printed: %v\n%s%s", c.mode, full, out, errs)
		}
	}
}
