package state

import (
	"encoding/json"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/sim"
)

// TestTheAgentsAnsweredAddUpOnTheSimulatorsDay: on the simulator's busy
// half hour, begun with its burst after init (calls already on the line
// among them), every queue call answered after the board began is credited
// to one agent, so the agents' answered add up to the queues'; the calls on
// the line at start count apart, and outbound calls on their own.
func TestTheAgentsAnsweredAddUpOnTheSimulatorsDay(t *testing.T) {
	start := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	tr := sim.NewTraffic(7, start, sim.TrafficOptions{})
	b := New(Options{Location: time.UTC}, start)
	b.SetStatus(&feed.StatusMsg{State: feed.Live, At: start})
	var stamp sim.Stamper
	apply := func(evs []sim.Event, now time.Time) {
		for _, ev := range evs {
			raw, err := json.Marshal(stamp.Stamp(ev, now))
			if err != nil {
				t.Fatal(err)
			}
			b.Apply(feedtest.Event(now, string(raw)), now)
		}
	}
	apply(tr.Snapshot(), start)
	now := start
	for range 1800 {
		now = now.Add(time.Second)
		apply(tr.Advance(now), now)
		b.Tick(now)
	}
	tot := b.Totals(now)
	answered, outbound := 0, 0
	for _, a := range b.Agents(now) {
		answered += a.Today.Answered
		outbound += a.Today.Outbound
	}
	if tot.Answered < 100 || tot.AnsweredBeforeStart == 0 || outbound == 0 {
		t.Fatalf("a quiet half hour: %d answered, %d before start, %d outbound", tot.Answered, tot.AnsweredBeforeStart, outbound)
	}
	t.Logf("%d answered, %d before start, %d outbound", tot.Answered, tot.AnsweredBeforeStart, outbound)
	if answered != tot.Answered {
		t.Errorf("the agents answered %d, the queues %d", answered, tot.Answered)
	}
	if f := b.Feed(); f.Rejected != 0 {
		t.Errorf("%d rejected: %v", f.Rejected, f.RejectedBy)
	}
}
