package journal

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"callboard/feed"
	"callboard/hub"
	"callboard/internal/testkit"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// keepDay writes msgs into dir's journal as a process started at their
// first would.
func keepDay(t *testing.T, dir string, loc *time.Location, msgs ...*feed.Event) {
	t.Helper()
	w := mustOpen(t, Config{Dir: dir, Location: loc, FlushDelay: time.Millisecond}, msgs[0].Received)
	for _, m := range msgs {
		w.Record(m)
	}
	mustClose(t, w, msgs[len(msgs)-1].Received)
}

// TestARestartReplaysFromTheStartOfYesterday: the day before yesterday is
// not replayed; yesterday's and today's are, in order, then the stretch not
// seen since the last line is said.
func TestARestartReplaysFromTheStartOfYesterday(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "acct")
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, paris)
	keepDay(t, dir, paris, feedtest.Login(now.AddDate(0, 0, -2).Add(14*time.Hour), 1, 1))
	keepDay(t, dir, paris, feedtest.Login(now.AddDate(0, 0, -1).Add(-9*time.Hour+time.Second), 2, 2)) // 00:00:01 yesterday
	keepDay(t, dir, paris, feedtest.Login(now.Add(-time.Hour), 3, 3))
	j := OpenKeeper(KeeperConfig{Dir: dir, Location: paris, Now: func() time.Time { return now }})
	j.held = func(string) bool { return false } // not a lock a test running alongside forked a copy of
	var seen []string
	if err := j.History(func(m feed.Message) {
		switch m := m.(type) {
		case *feed.Event:
			seen = append(seen, fmt.Sprintf("event %s", m.Received.In(paris).Format("02 15:04:05")))
		case *feed.StatusMsg:
			seen = append(seen, fmt.Sprintf("%s %s", m.Reason, m.At.In(paris).Format("02 15:04:05")))
		}
	}); err != nil {
		t.Fatal(err)
	}
	want := "event 24 00:00:01 | " + feed.ReasonNotRunning + " 24 00:00:01 | event 25 08:00:00 | " + feed.ReasonNotRunning + " 25 08:00:00"
	if got := strings.Join(seen, " | "); got != want {
		t.Errorf("replayed %s\nwant     %s", got, want)
	}
}

// TestBesideALiveWriterNoStretchIsInvented: a process that replays a
// journal another process writes now (its lock held), reading it only or
// finding it locked, does not say that what follows the journal's last
// line was not seen: the journal runs up to now, and the day goes on in
// the writer's sight (Beside). The writer's own restart stays a
// stretch not running.
func TestBesideALiveWriterNoStretchIsInvented(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "acct")
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	keepDay(t, dir, time.UTC, feedtest.Login(now.Add(-time.Hour), 1, 1))
	w, err := Open(Config{Dir: dir, Location: time.UTC}, now.Add(-30*time.Minute)) // its start line is written at once
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(now)
	for _, write := range []bool{false, true} {
		j := OpenKeeper(KeeperConfig{Dir: dir, Location: time.UTC, Write: write, Now: func() time.Time { return now }, Retry: time.Hour})
		var seen []string
		if err := j.History(func(m feed.Message) {
			switch m := m.(type) {
			case *feed.Event:
				seen = append(seen, "event "+m.Received.Format("15:04"))
			case *feed.StatusMsg:
				seen = append(seen, m.Reason+" "+m.At.Format("15:04"))
			}
		}); err != nil {
			t.Fatal(err)
		}
		j.Close()
		want := "event 08:00 | " + feed.ReasonNotRunning + " 08:00" // the writer's restart, and no more
		if got := strings.Join(seen, " | "); got != want {
			t.Errorf("write %v: replayed %s\nwant     %s", write, got, want)
		}
		if at, ok := j.Beside(); !ok || !at.Equal(now.Add(-time.Hour)) {
			t.Errorf("write %v: beside a writer %v, its last line %v; want true, %v", write, ok, at, now.Add(-time.Hour))
		}
	}
}

// TestBesideAWriterThatStops: asked again, Beside says whether the
// writer still writes, and when it stopped, where its lines end: its
// last line, or, when this process took the journal over, the line it
// took it over after.
func TestBesideAWriterThatStops(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	for _, write := range []bool{false, true} {
		dir := filepath.Join(t.TempDir(), "acct")
		keepDay(t, dir, time.UTC, feedtest.Login(now.Add(-2*time.Hour), 1, 1))
		w, err := Open(Config{Dir: dir, Location: time.UTC}, now.Add(-time.Hour)) // its start line is written at once
		if err != nil {
			t.Fatal(err)
		}
		j := OpenKeeper(KeeperConfig{Dir: dir, Location: time.UTC, Write: write, Now: func() time.Time { return now }, Retry: 5 * time.Millisecond})
		defer j.Close()
		if err := j.History(func(feed.Message) {}); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, ok := j.Beside(); !ok {
				t.Fatalf("write %v: not beside a writer that writes", write)
			}
		}
		stopped := now.Add(-time.Minute)
		if err := w.Close(stopped); err != nil { // its end line
			t.Fatal(err)
		}
		if write {
			testkit.Eventually(t, "the journal taken over", func() bool { return j.writer.Load() != nil },
				func() string { return fmt.Sprintf("health %+v", j.Health()) })
		} else {
			j.held = func(string) bool { return false } // not a lock a test running alongside forked a copy of
		}
		if at, ok := j.Beside(); ok || !at.Equal(stopped) {
			t.Errorf("write %v: the writer stopped: beside %v, its lines end at %v; want false, %v", write, ok, at, stopped)
		}
	}
}

// TestACatchUpIsWhatTheWriterWroteSince: catchUp applies the journal's
// messages after the last one history replayed and before until, and no
// other: what the writer saw while this process connected.
func TestACatchUpIsWhatTheWriterWroteSince(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "acct")
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return now.Add(time.Duration(s) * time.Second) }
	keepDay(t, dir, time.UTC, feedtest.Login(at(1), 1, 1))
	j := OpenKeeper(KeeperConfig{Dir: dir, Location: time.UTC, Now: func() time.Time { return at(10) }})
	j.held = func(string) bool { return true } // the writer goes on
	if err := j.History(func(feed.Message) {}); err != nil {
		t.Fatal(err)
	}
	keepDay(t, dir, time.UTC, feedtest.Login(at(3), 2, 2), feedtest.Login(at(5), 3, 3)) // what it wrote since: a restart at 3 s
	var got []string
	j.CatchUp(at(5), func(m feed.Message) {
		switch m := m.(type) {
		case *feed.Event:
			got = append(got, "event "+m.Received.Format("05"))
		case *feed.StatusMsg:
			got = append(got, m.Reason+" "+m.At.Format("05"))
		}
	})
	want := feed.ReasonNotRunning + " 01 | event 03"
	if g := strings.Join(got, " | "); g != want {
		t.Errorf("caught up %s\nwant       %s", g, want)
	}
}

// TestAJournalThatCannotBeOpenedIsTriedAgain: a journal directory that
// cannot be made at start is said, what comes meanwhile is counted lost, and
// the journal is written once it can be.
func TestAJournalThatCannotBeOpenedIsTriedAgain(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	blocker := filepath.Join(base, "state")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(blocker, "acct")
	var said strings.Builder // what the user is told
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	j := OpenKeeper(KeeperConfig{Dir: dir, Location: time.UTC, Write: true, Now: func() time.Time { return now }, Retry: 5 * time.Millisecond, Say: func(p string) { said.WriteString(p + "\n") }})
	defer j.Close()
	if h := j.Health(); h.Writing || !strings.HasPrefix(h.Problem, "not writing") {
		t.Errorf("health %+v, want not writing and why", h)
	}
	if !strings.Contains(said.String(), "tried again every 5ms") {
		t.Errorf("said %q, not that it is tried again", said.String())
	}
	if !strings.HasPrefix(said.String(), "journal: ") || strings.Count(said.String(), "journal:") != 1 {
		t.Errorf("said %q, want one journal prefix", said.String())
	}
	j.Record(feedtest.Login(now, 1, 1))
	if h := j.Health(); h.Dropped != 1 {
		t.Errorf("health %+v, want the message counted lost", h)
	}
	if err := os.Remove(blocker); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, "the journal written once it can be", func() bool { return j.Health().Writing },
		func() string { return fmt.Sprintf("health %+v", j.Health()) })
	if h := j.Health(); h.Problem != "" {
		t.Errorf("health %+v once writing: want no problem", h)
	}
	j.Record(feedtest.Login(now.Add(time.Second), 2, 2))
	j.Close()
	b, err := os.ReadFile(filepath.Join(dir, "2026-11-25.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"cpt":2`) || strings.Contains(string(b), `"cpt":1,`) {
		t.Errorf("day file:\n%s\nwant the message after the retry only", b)
	}
}

// fakeJournal is a journal whose health the test sets.
type fakeJournal struct {
	health atomic.Pointer[state.JournalHealth]
}

func (f *fakeJournal) Record(feed.Message)         {}
func (f *fakeJournal) Health() state.JournalHealth { return *f.health.Load() }

// TestAJournalThatStopsWritingIsSaid: a process without a screen is told
// when its journal stops writing and when it writes again, once each.
func TestAJournalThatStopsWritingIsSaid(t *testing.T) {
	t.Parallel()
	j := &fakeJournal{}
	j.health.Store(&state.JournalHealth{On: true, Writing: true})
	h := hub.New(hub.Config{Options: state.Options{Location: time.UTC}, Journal: j, TickInterval: time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	messages := make(chan feed.Message)
	go h.Run(ctx, messages)
	said := make(chan string, 10)
	go SayChanges(ctx, h, func(p string) { said <- p })
	next := func() string {
		t.Helper()
		return testkit.Receive(t, "what the keeper says", said)
	}
	j.health.Store(&state.JournalHealth{On: true, Problem: "not writing (disk full)"})
	if p := next(); p != "not writing (disk full)" {
		t.Errorf("said %q", p)
	}
	j.health.Store(&state.JournalHealth{On: true, Writing: true})
	if p := next(); p != "writing again" {
		t.Errorf("said %q", p)
	}
	j.health.Store(&state.JournalHealth{On: true, Problem: "not writing (permission denied)"})
	if p := next(); p != "not writing (permission denied)" {
		t.Errorf("said %q, want each change once", p)
	}
}

// TestATakeoverLeavesNoHole: two processes on one journal, both fed the
// same messages; the one that writes stops after its third update. The
// other, which kept what came meanwhile, takes the journal over and writes
// what came after the first one's last line, the feed's directory and
// status first: the journal holds every update once, in order, and a
// replay counts no time not running where it took over. Beyond what it may
// keep, what it let go that the journal lacks is counted dropped, and the
// hole is a time not running.
func TestATakeoverLeavesNoHole(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	directory := &feed.DirectoryMsg{Directory: feed.Directory{Agents: []feed.Agent{{ID: "7", Name: "Alice"}}, Target: "5207"}, At: at(0)}
	live := &feed.StatusMsg{State: feed.Live, Protocol: feed.ProtocolV4, At: at(0)}

	for _, tc := range []struct {
		name    string
		updates int
		keep    int  // the updates the second process may keep: 0 = all
		notLive bool // the second process's feed is not live when the first stops
	}{{"everything kept", 5, 0, false}, {"some let go", 20, 10, false}, {"not live then", 5, 0, true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir, first, second, clock := twoProcesses(t, t0)
			defer second.Close()
			if h := second.Health(); h.Writing || !strings.Contains(h.Problem, "another process writes it") {
				t.Fatalf("the second process's journal: %+v", h)
			}
			var updates []*feed.Event
			for i := 1; i <= tc.updates; i++ {
				updates = append(updates, feedtest.Login(at(i), i, i))
			}
			if tc.keep > 0 {
				second.mu.Lock()
				for _, u := range updates[len(updates)-tc.keep:] {
					second.keepLimit += messageBytes(u)
				}
				second.mu.Unlock()
			}
			first.Record(directory)
			first.Record(live)
			second.Record(directory)
			status := live
			if tc.notLive {
				status = &feed.StatusMsg{State: feed.Connecting, Protocol: feed.ProtocolV4, At: at(0)}
			}
			second.Record(status)
			for i, u := range updates {
				if i < 3 {
					first.Record(u)
				}
				second.Record(u)
			}
			later := at(tc.updates + 10)
			clock.Store(&later)
			first.stopAt(at(3))
			tookOver(t, second)
			last := feedtest.Login(later, tc.updates+1, tc.updates+1)
			second.Record(last)
			lost := 0
			if tc.keep > 0 {
				lost = tc.updates - tc.keep - 3
			}
			if h := second.Health(); h.Dropped != lost || h.Problem != "" {
				t.Errorf("after the takeover: %+v, want %d lines dropped", h, lost)
			}
			second.Close()

			var got []string
			if _, err := Replay(dir, time.UTC, t0, func(m feed.Message) {
				switch m := m.(type) {
				case *feed.Event:
					got = append(got, fmt.Sprintf("update %d", m.Received.Sub(t0)/time.Second))
				case *feed.StatusMsg:
					got = append(got, fmt.Sprintf("%s %s %d", m.State, m.Reason, m.At.Sub(t0)/time.Second))
				case *feed.DirectoryMsg:
					got = append(got, fmt.Sprintf("directory %d", m.At.Sub(t0)/time.Second))
				}
			}); err != nil {
				t.Fatal(err)
			}
			resumed := 4 + lost // the first update written by the second process
			want := []string{"directory 0", "live  0", "update 1", "update 2", "update 3"}
			if lost > 0 || tc.notLive { // a hole: not seen, as when nobody was running
				want = append(want, fmt.Sprintf("disconnected %s 3", feed.ReasonNotRunning))
			}
			want = append(want, fmt.Sprintf("directory %d", resumed), fmt.Sprintf("%s  %d", status.State, resumed))
			for i := resumed; i <= tc.updates; i++ {
				want = append(want, fmt.Sprintf("update %d", i))
			}
			want = append(want, fmt.Sprintf("update %d", tc.updates+10))
			if g, w := strings.Join(got, " | "), strings.Join(want, " | "); g != w {
				t.Errorf("the journal replays\n%s\nwant\n%s", g, w)
			}
		})
	}
}

// twoProcesses opens the journals of two processes on one new directory,
// on a clock the test sets (at t0): the first writes it, the second keeps
// what it receives meanwhile.
func twoProcesses(t *testing.T, t0 time.Time) (dir string, first, second *Keeper, clock *atomic.Pointer[time.Time]) {
	dir = filepath.Join(t.TempDir(), "acct")
	clock = new(atomic.Pointer[time.Time])
	clock.Store(&t0)
	now := func() time.Time { return *clock.Load() }
	cfg := KeeperConfig{Dir: dir, Location: time.UTC, Write: true, Now: now, Retry: 5 * time.Millisecond}
	return dir, OpenKeeper(cfg), OpenKeeper(cfg), clock
}

// tookOver waits until j, a process that kept what it received while
// another wrote the journal, has taken it over.
func tookOver(t *testing.T, j *Keeper) {
	t.Helper()
	testkit.Eventually(t, "the second process taking the journal over", func() bool { return j.Health().Writing },
		func() string { return fmt.Sprintf("health %+v", j.Health()) })
}

// stopAt closes j's writer at the time given, as a process that stops
// then.
func (j *Keeper) stopAt(at time.Time) {
	w := j.writer.Swap(nil)
	if err := w.Close(at); err != nil {
		panic(err)
	}
}

// TestATakeoverBetweenConnectionsOfTheirOwn: the two processes on one
// journal each have their own connection, so they receive the same update
// at times a little apart (here half a second later, or 1.5 s sooner, for
// the second). The one that takes the journal over writes every update
// once: none twice, none lost.
func TestATakeoverBetweenConnectionsOfTheirOwn(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	for _, skew := range []time.Duration{500 * time.Millisecond, -1500 * time.Millisecond} {
		dir, first, second, clock := twoProcesses(t, t0)
		for i := 1; i <= 6; i++ {
			if i <= 3 {
				first.Record(feedtest.Login(at(i), i, i))
			}
			same := feedtest.Login(at(i), i, i) // the server's update, as both connections bring it
			second.Record(&feed.Event{Received: at(i).Add(skew), Raw: same.Raw})
		}
		later := at(20)
		clock.Store(&later)
		first.stopAt(at(3))
		tookOver(t, second)
		second.Close()
		var got []string
		Replay(dir, time.UTC, t0, func(m feed.Message) {
			if ev, ok := m.(*feed.Event); ok {
				cpt := ev.Raw[bytes.LastIndexByte(ev.Raw, ':')+1 : len(ev.Raw)-1] // the raw ends with "cpt":n}
				got = append(got, "update "+string(cpt))
			}
		})
		if g := strings.Join(got, ", "); g != "update 1, update 2, update 3, update 4, update 5, update 6" {
			t.Errorf("the second process %v apart: the journal holds updates %s, want each of 1 to 6 once", skew, g)
		}
	}
}
