package state

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit"
	"callboard/internal/testkit/feedtest"
)

// dayStep is one thing that happens to a board in a generated day: a
// message, a tick, the process's restart.
type dayStep struct {
	at time.Time
	do func(b *Board)
}

// generatedDay is the simulator's traffic from 22:30 to 01:30 (UTC), with
// what a day brings: an outage whose calls end unseen (stale calls, some
// of them left out of the burst after the reconnect too), a restart of the
// process that joins its day as the journal left it, and midnight. The
// board ticks every second.
func generatedDay(t testing.TB, seed int64) (start time.Time, steps []dayStep) {
	start = time.Date(2025, 3, 3, 22, 30, 0, 0, time.UTC)
	end := start.Add(3 * time.Hour)
	restartAt := start.Add(2*time.Hour + 10*time.Minute) // 00:40
	ms := feedtest.SimDay(seed, start, end,
		feedtest.Outage{From: start.Add(40 * time.Minute), To: start.Add(43 * time.Minute)},
		feedtest.Outage{From: restartAt, To: restartAt.Add(3 * time.Minute)})
	for now := start; !now.After(end); now = now.Add(time.Second) {
		for ; len(ms) > 0 && !feed.MessageTime(ms[0]).After(now); ms = ms[1:] {
			m := ms[0]
			if st, ok := m.(*feed.StatusMsg); ok && st.State == feed.Disconnected && st.At.Equal(restartAt) {
				// the process starts again there, beside its journal's day
				steps = append(steps, dayStep{now, func(b *Board) { b.Join(now) }})
				m = &feed.StatusMsg{State: feed.Connecting, At: now}
			}
			steps = append(steps, dayStep{now, func(b *Board) { b.Handle(m, now) }})
		}
		steps = append(steps, dayStep{now, func(b *Board) { b.Tick(now) }})
	}
	return start, steps
}

func checkpointOf(t testing.TB, b *Board) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := b.Checkpoint(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func loadCheckpoint(t testing.TB, ck []byte, opts Options) *Board {
	t.Helper()
	b, err := LoadCheckpoint(bytes.NewReader(ck), opts)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sameBoards fails the test where two boards' views (the report too) as of
// now differ.
func sameBoards(t *testing.T, what string, want, got *Board, now time.Time) {
	t.Helper()
	w, g := want.View(now), got.View(now)
	wr, gr := want.Report(w.AsOf), got.Report(g.AsOf)
	w.Report, g.Report = &wr, &gr
	for _, diff := range testkit.DifferentFields(*w, *g, nil) {
		t.Errorf("%s, %s: %s", what, now.Format("15:04:05"), diff)
	}
	if t.Failed() {
		t.FailNow()
	}
}

// TestACheckpointedBoardShowsWhatTheReplayedOneDoes: over a generated day
// with an outage, stale calls, a restart and midnight, a board written to a
// checkpoint and loaded again every few minutes, and given the rest of the
// day, shows at every checkpoint and at the end the same view and report,
// field by field, as the board that played the whole day.
func TestACheckpointedBoardShowsWhatTheReplayedOneDoes(t *testing.T) {
	for _, loc := range []string{"UTC", "Europe/Paris"} {
		t.Run(loc, func(t *testing.T) {
			zone, err := time.LoadLocation(loc)
			if err != nil {
				t.Fatal(err)
			}
			opts := Options{Location: zone, EventLogSize: 50}
			start, steps := generatedDay(t, 11)
			replayed, checkpointed := New(opts, start), New(opts, start)
			every := 2*time.Minute + 47*time.Second // some during the outage, the restart, just after midnight
			next := start.Add(every)
			loads := 0
			for i, s := range steps {
				s.do(replayed)
				s.do(checkpointed)
				if s.at.Before(next) || i+1 < len(steps) && steps[i+1].at.Equal(s.at) {
					continue
				}
				next = next.Add(every)
				ck := checkpointOf(t, checkpointed)
				checkpointed = loadCheckpoint(t, ck, opts)
				loads++
				if again := checkpointOf(t, checkpointed); !bytes.Equal(again, ck) {
					t.Fatalf("%s: a checkpoint loaded writes another checkpoint (%d bytes, then %d)", s.at, len(ck), len(again))
				}
				sameBoards(t, "loaded", replayed, checkpointed, s.at)
			}
			end := steps[len(steps)-1].at
			sameBoards(t, "at the end", replayed, checkpointed, end)
			tot := replayed.Totals(end)
			if f := replayed.Feed(); loads < 60 || tot.Answered < 100 || f.Reconnects == 0 || replayed.Day().Since.Day() != 4 {
				t.Fatalf("a day without its edges: %d loads, %d answered, %d reconnects, since %s", loads, tot.Answered, f.Reconnects, replayed.Day().Since)
			}
		})
	}
}

// checkpointOfADay is a checkpoint of a board at the end of a generated
// half day, with its options.
func checkpointOfADay(t testing.TB) ([]byte, Options) {
	opts := Options{Location: time.UTC, EventLogSize: 20}
	start, steps := generatedDay(t, 3)
	b := New(opts, start)
	for _, s := range steps[:len(steps)/4] {
		s.do(b)
	}
	return checkpointOf(t, b), opts
}

// TestTornCorruptOrForeignCheckpointsAreRefused: a checkpoint cut short
// anywhere, with any byte changed, of another version or taken under other
// rules is refused with ErrCheckpoint; one whose rules differ only in what
// the views alone follow (thresholds, limits) is loaded.
func TestTornCorruptOrForeignCheckpointsAreRefused(t *testing.T) {
	ck, opts := checkpointOfADay(t)
	refuse := func(what string, data []byte, opts Options) {
		t.Helper()
		if b, err := LoadCheckpoint(bytes.NewReader(data), opts); !errors.Is(err, ErrCheckpoint) || b != nil {
			t.Errorf("%s: loaded (%v)", what, err)
		}
	}
	for _, n := range []int{0, 1, len(checkpointMagic), len(checkpointMagic) + 5, len(checkpointMagic) + 44, len(checkpointMagic) + 45, len(ck) / 2, len(ck) - 1} {
		refuse(fmt.Sprintf("cut at %d of %d", n, len(ck)), ck[:n], opts)
	}
	for _, i := range []int{0, len(checkpointMagic) + 3, len(checkpointMagic) + 11, len(checkpointMagic) + 20, len(checkpointMagic) + 60, len(ck) / 2, len(ck) - 1} {
		bad := bytes.Clone(ck)
		bad[i] ^= 0x40
		refuse(fmt.Sprintf("byte %d changed", i), bad, opts)
	}
	huge := bytes.Clone(ck)
	binary.BigEndian.PutUint64(huge[len(checkpointMagic)+4:], 1<<40)
	refuse("a length of a terabyte", huge, opts)

	other := opts
	other.Interval = 15 * time.Minute
	refuse("another interval", ck, other)
	other = opts
	other.Location = time.FixedZone("elsewhere", 3600)
	refuse("another timezone", ck, other)
	other = opts
	other.CallerID = CallerFull
	refuse("callers shown otherwise", ck, other)

	other = opts
	other.Limits = Limits{Call: time.Minute}
	refuse("other agent limits: other alerts", ck, other)
	other = opts
	other.QueueLimitsOf = map[string]QueueLimits{"1": {WaitingMax: 3}}
	refuse("other queue limits: other alerts", ck, other)

	views := opts
	views.Thresholds = Thresholds{WaitingWarn: 3}
	if _, err := LoadCheckpoint(bytes.NewReader(ck), views); err != nil {
		t.Errorf("other thresholds: %v", err)
	}
}

// TestACheckpointOfAnotherVersionIsRefused: a checkpoint of any version
// but this build's, even well formed, is refused.
func TestACheckpointOfAnotherVersionIsRefused(t *testing.T) {
	ck, opts := checkpointOfADay(t)
	for _, v := range []uint32{0, CheckpointVersion + 1, 1 << 31} {
		other := bytes.Clone(ck)
		binary.BigEndian.PutUint32(other[len(checkpointMagic):], v)
		_, err := LoadCheckpoint(bytes.NewReader(other), opts)
		if !errors.Is(err, ErrCheckpoint) || !strings.Contains(err.Error(), "version") {
			t.Errorf("version %d: %v", v, err)
		}
	}
}

// TestACheckpointCopyIsTheBoardAsItWasWhenTaken: the copy of a board for
// its checkpoint, written after the board played on (calls answered and
// ended, abandoned, agents changed, midnight passed), is the checkpoint
// the board wrote when the copy was taken, byte for byte.
func TestACheckpointCopyIsTheBoardAsItWasWhenTaken(t *testing.T) {
	opts := Options{Location: time.UTC, EventLogSize: 20}
	start, steps := generatedDay(t, 7)
	b := New(opts, start)
	played := 0
	playTo := func(n int) {
		for _, s := range steps[played:n] {
			s.do(b)
		}
		played = n
	}
	for _, at := range []int{len(steps) / 3, len(steps) * 2 / 3} { // 23:30, then on past midnight; 00:30, then on
		playTo(at)
		taken, want := b.CopyForCheckpoint(), checkpointOf(t, b)
		playTo(at + len(steps)/4)
		var got bytes.Buffer
		if _, err := taken.WriteTo(&got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Fatalf("at %s, the copy written later is another checkpoint (%d bytes, %d when taken)", steps[at].at, got.Len(), len(want))
		}
	}
}

// TestACheckpointOfTheFormerFormatIsRefused: a checkpoint written by the
// build before this format (version 1: the board in one gob; testdata,
// written by callboard at 51d3c85) is refused as of another version.
func TestACheckpointOfTheFormerFormatIsRefused(t *testing.T) {
	old, err := os.ReadFile("testdata/checkpoint-v1.ckpt")
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadCheckpoint(bytes.NewReader(old), Options{Location: time.UTC, EventLogSize: 5})
	if b != nil || !errors.Is(err, ErrCheckpoint) || !strings.Contains(err.Error(), "version 1,") {
		t.Fatalf("loaded: %v", err)
	}
}

// sealed is payload behind a valid header and checksum.
func sealed(payload []byte) []byte {
	sum := sha256.Sum256(payload)
	out := append([]byte(checkpointMagic), binary.BigEndian.AppendUint32(nil, CheckpointVersion)...)
	out = binary.BigEndian.AppendUint64(out, uint64(len(payload)))
	return append(append(out, sum[:]...), payload...)
}

// TestHostileCountsInACheckpointAreRefused: a checkpoint whose checksum
// holds (written by anything) but whose tables' counts or chunks do not
// hold together is refused, saying what, before anything is sized from a
// count: a count beyond the bound or beyond what the payload's bytes can
// hold, a chunk longer than its table's count, of another table, empty, or
// an index pointing nowhere.
func TestHostileCountsInACheckpointAreRefused(t *testing.T) {
	opts := Options{Location: time.UTC, EventLogSize: 20}
	start, steps := generatedDay(t, 3)
	b := New(opts, start)
	for _, s := range steps[:len(steps)/8] {
		s.do(b)
	}
	c := b.CopyForCheckpoint()
	if c.head.Tables.Records < 10 || c.head.Tables.Lost < 2 {
		t.Fatalf("a board without its tables: %+v", c.head.Tables)
	}
	// payload is the head saying tables, then records, then chunks
	payload := func(tables ckTables, records []byte, chunks ...ckChunk) []byte {
		head := *c.head
		head.Tables = tables
		head.Queues, head.Gone, head.ToCallBack = nil, nil, nil // none of the tables' entries pointed to
		var buf bytes.Buffer
		enc := gob.NewEncoder(&buf)
		if err := enc.Encode(&head); err != nil {
			t.Fatal(err)
		}
		buf.Write(records)
		for _, ch := range chunks {
			if err := enc.Encode(ch); err != nil {
				t.Fatal(err)
			}
		}
		return buf.Bytes()
	}
	two := appendRecord(appendRecord(nil, &c.records[0], c.zones, c.loc), &c.records[1], c.zones, c.loc)
	lost := slices.Clone(c.lost[:2])
	for i := range lost {
		lost[i].Record = -1
	}
	for _, tc := range []struct {
		what, says string
		payload    []byte
	}{
		{"a negative count", "-1 call records, beyond", payload(ckTables{Records: -1}, nil)},
		{"a count beyond the bound", "4194305 abandoned calls, beyond 4194304", payload(ckTables{Lost: maxCheckpointEntries + 1}, nil)},
		{"a count of a terabyte", "1099511627776 calls in the log, beyond", payload(ckTables{CallLog: 1 << 40}, nil)},
		{"counts beyond the payload", "entries in", payload(ckTables{Records: maxCheckpointEntries, Carried: maxCheckpointEntries}, nil)},
		{"records cut short", "call records: undecodable", payload(ckTables{Records: 3}, two)},
		{"a string of a megabyte", "call record 0: a string of 1048576 bytes", payload(ckTables{Records: 1}, binary.AppendUvarint(nil, 1<<20))},
		{"a chunk longer than its table", "abandoned calls: a chunk of 2 entries where 1 are left", payload(ckTables{Lost: 1}, nil, ckChunk{Lost: lost})},
		{"a chunk of another table", "abandoned calls: a chunk of 1 entries", payload(ckTables{Lost: 2}, nil, ckChunk{Indexes: []int{0}})},
		{"a chunk missing", "abandoned calls: undecodable", payload(ckTables{Records: 2, Lost: 1}, two)},
		{"an index pointing nowhere", "call record 2 of 2", payload(ckTables{Records: 2, CallLog: 1}, two, ckChunk{Indexes: []int{2}})},
		{"a table in the head", "tables in its head", func() []byte {
			head := *c.head
			head.Lost = lost
			var buf bytes.Buffer
			if err := gob.NewEncoder(&buf).Encode(&head); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		}()},
	} {
		refusedCheaply(t, tc.what, tc.says, sealed(tc.payload), opts)
	}
	if _, err := LoadCheckpoint(bytes.NewReader(sealed(payload(ckTables{Records: 2, CallLog: 2}, two, ckChunk{Indexes: []int{1, 0}}))), opts); err != nil {
		t.Errorf("a checkpoint of two records written otherwise: %v", err)
	}
}

// refusedCheaply checks that the checkpoint ck is refused saying says,
// having allocated 8 MB at most.
func refusedCheaply(t *testing.T, what, says string, ck []byte, opts Options) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got, err := LoadCheckpoint(bytes.NewReader(ck), opts)
	runtime.ReadMemStats(&after)
	if got != nil || !errors.Is(err, ErrCheckpoint) || !strings.Contains(err.Error(), says) {
		t.Errorf("%s: %v, want a refusal saying %q", what, err, says)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 8<<20 {
		t.Errorf("%s: %d bytes allocated", what, n)
	}
}

// TestHostileLengthsInACheckpointTakeLittleMemory: the gob messages of a
// checkpoint whose checksum holds may say tables of any length, each entry
// of them written in a byte (all its fields zero); such a table beyond the
// caps or the count left is refused before gob makes it (a million agents
// would take 400 MB), and so is a checkpoint whose header says a gigabyte
// and whose head says as many entries, cut short.
func TestHostileLengthsInACheckpointTakeLittleMemory(t *testing.T) {
	opts := Options{Location: time.UTC, EventLogSize: 20}
	rules := checkpointRules(opts.withDefaults())
	const million = 1 << 20
	gobOf := func(vs ...any) []byte {
		var buf bytes.Buffer
		enc := gob.NewEncoder(&buf)
		for _, v := range vs {
			if err := enc.Encode(v); err != nil {
				t.Fatal(err)
			}
		}
		return buf.Bytes()
	}
	type nothing struct{ Placeholder, Stale, Short bool }
	type queue struct {
		ID    string
		Calls []nothing
	}
	type chunk struct{ Lost []nothing }
	type tables struct{ Lost int }
	for _, tc := range []struct {
		what, says string
		payload    []byte
	}{
		{"a million agents", "1048576 agents, beyond 20000", gobOf(struct {
			Rules  string
			Agents []nothing
		}{rules, make([]nothing, million)})},
		{"a million calls waiting", "1048576 calls waiting, beyond", gobOf(struct {
			Rules  string
			Queues []queue
		}{rules, []queue{{"q", make([]nothing, million)}}})},
		{"a million abandoned calls in a chunk", "abandoned calls: a chunk of 1048576 entries where 1 are left", gobOf(struct {
			Rules  string
			Tables tables
			Queues []queue // a table of tables, which the head's shapes count
		}{Rules: rules, Tables: tables{Lost: 1}}, chunk{make([]nothing, million)})},
	} {
		refusedCheaply(t, tc.what, tc.says, sealed(tc.payload), opts)
	}
	head := gobOf(struct {
		Rules  string
		Queues []queue
		Tables ckTables
	}{rules, nil, ckTables{Records: maxCheckpointEntries, Lost: maxCheckpointEntries, CallLog: maxCheckpointEntries,
		Carried: maxCheckpointEntries, Abandoned: maxCheckpointEntries}})
	cut := sealed(head)
	binary.BigEndian.PutUint64(cut[len(checkpointMagic)+4:], MaxCheckpointSize)
	refusedCheaply(t, "a gigabyte's counts cut short", "torn", cut, opts)
}

// FuzzCheckpointPayload: whatever the payload behind a valid header and
// checksum (a checkpoint written by anything), loading it returns a board
// or an error, and never panics.
func FuzzCheckpointPayload(f *testing.F) {
	ck, opts := checkpointOfADay(f)
	payload := ck[len(checkpointMagic)+4+8+32:]
	f.Add(payload)
	f.Add(payload[:len(payload)/3])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, payload []byte) {
		b, err := decodeCheckpoint(payload, opts.withDefaults())
		if err == nil {
			b.View(b.Since().Add(time.Hour)) // a board loaded is one a view can be taken of
		}
	})
}

// FuzzLoadCheckpoint: whatever the bytes, LoadCheckpoint returns a board
// or an error, and never panics.
func FuzzLoadCheckpoint(f *testing.F) {
	ck, opts := checkpointOfADay(f)
	f.Add(ck)
	f.Add(ck[:100])
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := LoadCheckpoint(bytes.NewReader(data), opts); err != nil && !errors.Is(err, ErrCheckpoint) {
			t.Fatalf("an error that is no refusal: %v", err)
		}
	})
}

// BenchmarkCheckpoint: the checkpoint of the board at the end of the
// generated day (written, then loaded), and its size.
func BenchmarkCheckpoint(b *testing.B) {
	opts := Options{Location: time.UTC}
	start, steps := generatedDay(b, 11)
	board := New(opts, start)
	for _, s := range steps {
		s.do(board)
	}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := board.Checkpoint(&buf); err != nil {
			b.Fatal(err)
		}
		if _, err := LoadCheckpoint(bytes.NewReader(buf.Bytes()), opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes")
	b.ReportMetric(float64(len(board.callLog)+len(board.carried)), "calls")
}
