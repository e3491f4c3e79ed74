package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/journal"
	"callboard/record"
	"callboard/state"

	"github.com/klauspost/compress/zstd"
)

// BenchmarkReplay1MEvents reads and replays (--speed max --snapshot) a
// recording of 1,000,000 updates; events/s is the figure of the README.
func BenchmarkReplay1MEvents(b *testing.B) {
	const n = 1_000_000
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	var file bytes.Buffer
	rec := record.NewRecorder(&file, start)
	for i := range n {
		at := start.Add(time.Duration(i) * time.Millisecond)
		raw := fmt.Sprintf(`{"ts":%d,"elapse":0,"cpt":%d,"event":{"type_notification":"queue","event":%q,"msg":{"id_queue":%d,"id_call":%d,"caller_id_num":"33612345678","duration_in_queue":0}}}`,
			at.Unix(), i+1, []string{"insert_call", "connect_call", "delete_call"}[i%3], 391+(i/3)%4, i/3) // a call's three events in one queue
		rec.Record(&feed.Event{Received: at, Raw: []byte(raw)})
	}
	rec.Close(start.Add(n * time.Millisecond))
	data := file.Bytes()
	b.ResetTimer()
	for b.Loop() {
		r, err := newReplay(journal.ReadFile(bytes.NewReader(data), "bench.jsonl", time.UTC))
		if err != nil {
			b.Fatal(err)
		}
		snap, err := replaySnapshot(context.Background(), r, state.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if snap.Feed.Events != n {
			b.Fatalf("%d events replayed", snap.Feed.Events)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// replaySnapshot plays rec through the road as replay --snapshot does, and
// returns the board as of the recording's end.
func replaySnapshot(ctx context.Context, rec *replayFile, opts state.Options) (state.Snapshot, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	v, err := played(ctx, startReplay(ctx, cancel, rec, opts, 0, true), rec)
	if err != nil {
		return state.Snapshot{}, err
	}
	return v.Snapshot(), nil
}

// TestAReplayOfACompressedFile: a recording (or a journal's day file)
// compressed with zstd replays as the plain one, known by its first bytes
// whatever its name; one cut short replays up to the cut, the damage said
// with what was skipped.
func TestAReplayOfACompressedFile(t *testing.T) {
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	var plain bytes.Buffer
	rec := record.NewRecorder(&plain, start)
	for i := range 3000 {
		at := start.Add(time.Duration(i) * time.Second)
		rec.Record(feedtest.Event(at, fmt.Sprintf(`{"ts":%d,"elapse":0,"cpt":%d,"event":{"type_notification":"queue","event":%q,"msg":{"id_queue":391,"id_call":%d,"caller_id_num":"33612345678","duration_in_queue":0}}}`,
			at.Unix(), i+1, []string{"insert_call", "connect_call", "delete_call"}[i%3], i/3)))
	}
	rec.Close(start.Add(time.Hour))
	var compressed bytes.Buffer
	enc, err := zstd.NewWriter(&compressed)
	if err != nil {
		t.Fatal(err)
	}
	enc.Write(plain.Bytes())
	enc.Close()

	dir := t.TempDir()
	snapshot := func(name string, data []byte) (string, string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		r, err := openFile(path, time.UTC)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		defer r.close()
		snap, err := replaySnapshot(context.Background(), r, state.Options{Location: time.UTC})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		snap.GeneratedAt = time.Time{}
		out, _ := json.Marshal(snap)
		return string(out), skippedLines(r.r)
	}
	want, skipped := snapshot("rec.jsonl", plain.Bytes())
	if !strings.Contains(want, `"events":3000`) || skipped != "" {
		t.Fatalf("the plain recording: %s, skipped %q", want, skipped)
	}
	for _, name := range []string{"rec.jsonl.zst", "compressed-but-named.jsonl"} {
		if got, skipped := snapshot(name, compressed.Bytes()); got != want || skipped != "" {
			t.Errorf("%s replays as\n%s\nskipped %q; want\n%s", name, got, skipped, want)
		}
	}
	cut, skipped := snapshot("cut.jsonl.zst", compressed.Bytes()[:compressed.Len()/2])
	if cut == want || !strings.HasPrefix(skipped, "cut.jsonl.zst: compressed file damaged, the lines after the damage skipped: ") {
		t.Errorf("a compressed file cut short replays whole, or its damage is not said: %q", skipped)
	}
}
