package state

import (
	"testing"
	"time"

	"callboard/feed"
)

func TestFiguresFreezeWhenTheFeedIsNotLive(t *testing.T) {
	s := newScript(t, Options{})
	if h := s.b.Feed(); h.Live() || h.HasData() {
		t.Fatalf("after the directory: live %v, has data %v; want neither (the directory is not data)", h.Live(), h.HasData())
	}
	if got := s.b.AsOf(t0.Add(time.Hour)); !got.Equal(t0.Add(time.Hour)) {
		t.Errorf("never live: figures as of %v, want now", got)
	}
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	s.at(10*sec, "queue", "insert_call", `{"id_queue":10,"id_call":"q1","duration_in_queue":0}`)
	down := t0.Add(40 * sec)
	s.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, At: down})
	now := t0.Add(10 * time.Minute)
	asOf := s.b.AsOf(now)
	if !asOf.Equal(down) {
		t.Fatalf("disconnected at %v: figures as of %v", down, asOf)
	}
	if w := s.b.Totals(asOf).LongestWait; w != 30*sec {
		t.Errorf("the longest wait ticked on while down: %v, want 30s", w)
	}
	s.b.SetStatus(&feed.StatusMsg{State: feed.Connecting, At: now})
	if got := s.b.AsOf(now); !got.Equal(down) {
		t.Errorf("connecting again: figures as of %v, want %v", got, down)
	}
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: now})
	if got := s.b.AsOf(now); !got.Equal(now) {
		t.Errorf("live again: figures as of %v, want now", got)
	}
}

// TestNoDataBeforeTheFirstUpdate: a board has data once an update has
// been applied; the directory alone says nothing of what happens.
func TestNoDataBeforeTheFirstUpdate(t *testing.T) {
	b := New(Options{}, t0)
	if h := b.Feed(); h.HasData() {
		t.Error("a new board has data")
	}
	s := newScript(t, Options{})
	if h := s.b.Feed(); h.HasData() {
		t.Error("the directory alone is data")
	}
	s.at(sec, "UI", "login", ui("1", ""))
	if h := s.b.Feed(); !h.HasData() {
		t.Error("no data after an update")
	}
}

func TestDaySaysSinceWhen(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	startUp := time.Date(2026, 3, 29, 13, 58, 0, 0, paris)
	b := New(Options{Location: paris}, startUp)
	if d := b.Day(); d.FromMidnight || !d.Since.Equal(startUp) || d.Since.Location() != paris {
		t.Errorf("started at 13:58: %+v", d)
	}
	b.Tick(startUp.Add(12 * time.Hour))
	next := time.Date(2026, 3, 30, 0, 0, 0, 0, paris)
	if d := b.Day(); !d.FromMidnight || !d.Since.Equal(next) {
		t.Errorf("the next day: %+v, want since %v from midnight", d, next)
	}
}

// TestALastingFailureIsKeptUntilLive: a failure retrying will not mend
// stays known while the feed connects again, and is forgotten once live.
func TestALastingFailureIsKeptUntilLive(t *testing.T) {
	b := New(Options{}, t0)
	b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, Reason: "TLS certificate not accepted", Lasting: true, At: t0})
	b.SetStatus(&feed.StatusMsg{State: feed.Connecting, Reason: "authenticating", At: t0.Add(sec)})
	if h := b.Feed(); !h.Lasting || h.LastError != "TLS certificate not accepted" {
		t.Errorf("connecting again: lasting %v, last error %q", h.Lasting, h.LastError)
	}
	b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, Reason: "connection refused by x:1", At: t0.Add(2 * sec)})
	if h := b.Feed(); h.Lasting {
		t.Error("a refused connection is not lasting, the one before was")
	}
	b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, Reason: "no Axialys login endpoint", Lasting: true, At: t0.Add(3 * sec)})
	b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0.Add(4 * sec)})
	if h := b.Feed(); h.Lasting {
		t.Error("live, and still lasting")
	}
}
