package journal

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"callboard/feed"
)

// vendorEvents are the event objects of the vendor's API page.
func vendorEvents(b *testing.B) []string {
	f, err := os.Open("../feed/testdata/vendor-events.txt")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var evs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), `{"msg"`) {
			evs = append(evs, sc.Text())
		}
	}
	if len(evs) == 0 {
		b.Fatal("no events in vendor-events.txt")
	}
	return evs
}

// BenchmarkReplay1MUpdates: a busy day, a million updates of the vendor's
// shapes written by a Writer, then replayed (read, parsed, decoded).
func BenchmarkReplay1MUpdates(b *testing.B) {
	const n = 1_000_000
	evs := vendorEvents(b)
	dir := b.TempDir()
	t0 := time.Date(2026, 11, 24, 0, 0, 1, 0, time.UTC)
	w, err := Open(Config{Dir: dir, Location: time.UTC}, t0)
	if err != nil {
		b.Fatal(err)
	}
	w.mu.Lock()
	w.limit = 1 << 30 // a loop records faster than a disk writes: measure the replay, not the bound
	w.mu.Unlock()
	peak := 0
	start := time.Now()
	var raw []byte
	for i := range n {
		at := t0.Add(time.Duration(i) * 86 * time.Millisecond)
		raw = fmt.Appendf(raw[:0], `{"ts":%d,"elapse":0,"event":%s,"cpt":%d}`, at.Unix(), evs[i%len(evs)], i+1)
		w.Record(&feed.Event{Received: at, Raw: raw})
		if i%1000 == 0 {
			w.mu.Lock()
			peak = max(peak, w.queued)
			w.mu.Unlock()
		}
	}
	if err := w.Close(t0.Add(n * 86 * time.Millisecond)); err != nil {
		b.Fatal(err)
	}
	if st := w.Status(); st.Dropped > 0 {
		b.Fatalf("the writer dropped %d lines", st.Dropped)
	}
	fi, _ := os.Stat(w.Status().Path)
	b.Logf("written in %v (%.0f ns/update), %.0f MB, at most %.1f MB queued", time.Since(start), float64(time.Since(start).Nanoseconds())/n, float64(fi.Size())/1e6, float64(peak)/1e6)

	for b.Loop() {
		updates := 0
		st, err := Replay(dir, time.UTC, t0, func(m feed.Message) {
			if ev, ok := m.(*feed.Event); ok && ev.Err == nil {
				updates++
			}
		})
		if err != nil || updates != n || st.Skipped != 0 {
			b.Fatalf("replayed %d updates, %+v, %v", updates, st, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/update")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/replay")
}
