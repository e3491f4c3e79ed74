package app

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"callboard/feed"
	"callboard/journal"
	"callboard/record"
	"callboard/state"
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
