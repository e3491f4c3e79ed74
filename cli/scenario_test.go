package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callboard/app"
	"callboard/feed"
	"callboard/internal/testkit"
	"callboard/internal/testkit/simtest"
	"callboard/sim"
	"callboard/state"
)

var update = flag.Bool("update", false, "rewrite the scenario golden files")

// scenarioDirectory is what the simulator answers to the login in the
// scenario tests: small enough for a person to check the golden files.
var scenarioDirectory = &sim.Directory{
	Ops: []sim.Op{
		{ID: sim.ID{N: 1}, Nom: "Alice Martin", Groupes: []sim.ID{{N: 391}}},
		{ID: sim.ID{N: 2, Quoted: true}, Nom: "Bob Durand", Groupes: []sim.ID{{N: 391}, {N: 392, Quoted: true}}},
		{ID: sim.ID{N: 3}, Nom: "Chloé Petit", Groupes: []sim.ID{{N: 392}}},
	},
	Groupes: []sim.Named{{ID: sim.ID{N: 391}, Nom: "Support"}, {ID: sim.ID{N: 392}, Nom: "Ventes"}},
	Trunks:  []sim.Named{{ID: sim.ID{N: 34, Quoted: true}, Nom: "Standard"}},
	Pauses:  []sim.Pause{{ID: sim.ID{N: 4}, Value: "Déjeuner"}},
	Target:  sim.ID{N: 5207},
}

// TestScenarios plays each testdata/scenarios/*.jsonl through the simulator
// and the real client (HTTP login, Socket.IO, decoder, reducer) and compares
// the snapshot with the .golden.json file beside it, which a person checked.
// The clock is fixed, so every duration comes from the events' elapse and
// duration_in_queue.
func TestScenarios(t *testing.T) {
	files, _ := filepath.Glob("testdata/scenarios/*.jsonl")
	if len(files) == 0 {
		t.Fatal("no scenarios")
	}
	clock := time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".jsonl")
		t.Run(name, func(t *testing.T) {
			payloads := readLines(t, file)
			srv := simtest.Start(t, sim.Options{NoTraffic: true, Directory: scenarioDirectory})
			cfg := feed.Config{URL: srv.URL(), Login: sim.DefaultLogin, Password: func(context.Context) (string, error) { return sim.DefaultPassword, nil }, Timeout: 2 * time.Second}
			opts := state.Options{Location: time.UTC}
			type result struct {
				snap state.Snapshot
				err  error
			}
			done := make(chan result, 1)
			go func() {
				snap, err := takeSnapshot(context.Background(), app.Options{Feed: &cfg, Board: opts, Now: func() time.Time { return clock }}, snapshotLimits{wait: testkit.Patience, events: len(payloads), connect: testkit.Patience})
				done <- result{snap, err}
			}()
			simtest.WaitStreaming(t, srv, 1)
			for _, p := range payloads {
				srv.PushRaw(p)
			}
			r := testkit.Receive(t, "the snapshot", done)
			snap, err := r.snap, r.err
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.MarshalIndent(snap, "", "  ")
			got = append(got, '\n')
			golden := strings.TrimSuffix(file, ".jsonl") + ".golden.json"
			if *update {
				os.WriteFile(golden, got, 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("snapshot differs from %s (go test -run TestScenarios -update rewrites it):\n%s", golden, got)
			}
		})
	}
}

func readLines(t *testing.T, path string) []json.RawMessage {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []json.RawMessage
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := bytes.TrimSpace(sc.Bytes()); len(line) > 0 {
			out = append(out, json.RawMessage(bytes.Clone(line)))
		}
	}
	return out
}
