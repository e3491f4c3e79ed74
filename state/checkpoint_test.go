package state

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
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

	views := opts
	views.Thresholds = Thresholds{WaitingWarn: 3}
	views.Limits = Limits{Call: time.Minute}
	if _, err := LoadCheckpoint(bytes.NewReader(ck), views); err != nil {
		t.Errorf("other thresholds and limits: %v", err)
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
