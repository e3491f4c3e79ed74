package metrics

import (
	"testing"

	"callboard/feed"
	"callboard/state"
)

// TestEachQueuesTargetIsScraped: callboard_queue_service_level_target is
// the queue's target as a ratio, beside its formula, for the queues with a
// target; absent for the others and for a hidden queue.
func TestEachQueuesTargetIsScraped(t *testing.T) {
	b := state.New(state.Options{QueueRules: map[string]state.QueueRule{
		"Support": {Target: 80, Formula: state.FormulaOffered},
		"Ventes":  {Target: 90},
		"393":     {Target: 50, Hide: true},
	}}, t0)
	b.SetDirectory(feed.Directory{Groups: []feed.Named{{ID: "391", Name: "Support"}, {ID: "392", Name: "Ventes"}, {ID: "393", Name: "Test"}, {ID: "394", Name: "Compta"}}}, t0)
	e := New()
	e.Update(b.View(t0))
	got := scrape(t, e.Handler())
	for _, tc := range []struct {
		id, name, formula string
		want              float64
	}{{"391", "Support", "offered", 0.8}, {"392", "Ventes", "answered", 0.9}} {
		if v, ok := value(got, "callboard_queue_service_level_target", map[string]string{"queue_id": tc.id, "queue": tc.name, "formula": tc.formula}); !ok || v != tc.want {
			t.Errorf("queue %s: target %v (%v), want %v", tc.id, v, ok, tc.want)
		}
	}
	for _, id := range []string{"393", "394"} {
		if v, ok := value(got, "callboard_queue_service_level_target", map[string]string{"queue_id": id}); ok {
			t.Errorf("queue %s: target %v, want none", id, v)
		}
	}
	if _, ok := value(got, "callboard_queue_calls_waiting", map[string]string{"queue_id": "393"}); ok {
		t.Error("the hidden queue is scraped")
	}
}
