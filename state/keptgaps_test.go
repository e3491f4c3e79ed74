package state

import (
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
)

// TestKeptIntervalsWhenAnOutageToldLateIsAllThatChanged: the view's AsOf
// goes back past the start of intervals the last view kept (an outage told
// late, Disconnected dated 16 minutes back) with no update dated back at
// the same view: the kept rows past the new AsOf's interval must go.
// (In TestKeptIntervalsAndCountsShowWhatABoardBuiltFromScratchShows the
// outage comes at view 60, where n%9 == 6 also plays an insert_call dated
// 1,700 s back: changedFrom already drops those rows, so the cap
// last-first in Intervals is never what decides.)
func TestKeptIntervalsWhenAnOutageToldLateIsAllThatChanged(t *testing.T) {
	from := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	day := newBusyDay(5, busyDayShape{agents: 40, queues: 4, from: from, to: from.Add(2 * time.Hour), callEvery: 5 * time.Second, abandonOneIn: 4})
	p := newPlayer(day, Options{Location: time.UTC, Interval: 15 * time.Minute})
	now := from.Add(time.Minute)
	for ; now.Before(from.Add(70 * time.Minute)); now = now.Add(30 * time.Second) {
		p.playTo(now)
		p.b.View(now)
	}
	p.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, At: now.Add(-16 * time.Minute)})
	v := p.b.View(now)
	if p.b.intervalIndex(v.AsOf) == p.b.intervalIndex(now) {
		t.Fatalf("AsOf %s did not go back an interval from %s", v.AsOf, now)
	}
	if d := sameView(v, referenceView(p.b, now)); d != "" {
		t.Fatalf("after the outage told late: %s", d)
	}
}

// TestKeptIntervalsAfterAHalfAppliedUpdateQuarantined: an update whose
// application panicked after closing an agent's period and before its next
// began (what Quarantine's reset of the kept rows is for); no test failed
// when that reset was removed.
func TestKeptIntervalsAfterAHalfAppliedUpdateQuarantined(t *testing.T) {
	from := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	day := newBusyDay(6, busyDayShape{agents: 40, queues: 4, from: from, to: from.Add(2 * time.Hour), callEvery: 5 * time.Second, abandonOneIn: 4})
	p := newPlayer(day, Options{Location: time.UTC, Interval: 15 * time.Minute})
	now := from.Add(time.Minute)
	p.playTo(now)
	// an agent that takes no call: its period lasts
	p.b.Apply(feedtest.Event(now, `{"event":{"type_notification":"UI","event":"login","msg":{"supp":"","id_operator":900}}}`), now)
	for ; now.Before(from.Add(50 * time.Minute)); now = now.Add(30 * time.Second) {
		p.playTo(now)
		p.b.View(now)
	}
	a := p.b.agents["900"]
	if a == nil || !a.state.LoggedIn() {
		t.Fatal("agent 900 not logged in")
	}
	mark := p.b.FeedMark()
	p.b.closePeriod(a, now.Add(-10*time.Minute)) // as refreshFrom does, dated back; then the panic
	p.b.Quarantine(&feed.Event{Received: now}, now, mark, "boom")
	if d := sameView(p.b.View(now), referenceView(p.b, now)); d != "" {
		t.Fatalf("after the quarantine: %s", d)
	}
}
