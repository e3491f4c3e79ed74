package sim

import (
	"testing"
	"time"
)

func TestCenterFollowsItsStaffingAndLoad(t *testing.T) {
	share, load := 0.5, 1.0
	center := &Center{Agents: 200, Queues: 10, Trunks: 2, QueueRate: 1, TrunkRate: 0.2,
		Staffing: func(time.Time) float64 { return share },
		Load:     func(time.Time) float64 { return load }}
	tr := NewTraffic(3, t0, TrafficOptions{Center: center})
	dir := tr.Directory()
	if len(dir.Ops) != 200 || len(dir.Groupes) != 10 || len(dir.Trunks) != 2 {
		t.Fatalf("directory of %d agents, %d groups, %d trunks; want 200, 10, 2", len(dir.Ops), len(dir.Groupes), len(dir.Trunks))
	}
	loggedIn := func() int {
		n := 0
		for _, ev := range tr.Snapshot() {
			if ev.Name == "login" {
				n++
			}
		}
		return n
	}
	count := func(evs []Event, name string) int {
		n := 0
		for _, ev := range evs {
			if ev.Name == name && ev.Type == "queue" {
				n++
			}
		}
		return n
	}
	evs := tr.Advance(t0.Add(30 * time.Minute))
	if n := loggedIn(); n < 90 || n > 100 {
		t.Errorf("%d agents logged in with half of 200 on shift", n)
	}
	if n := count(evs, "insert_call"); n < 1400 || n > 2200 {
		t.Errorf("%d queue calls in 30 minutes at 1 a second", n)
	}
	share, load = 0.1, 0
	evs = tr.Advance(t0.Add(90 * time.Minute))
	if n := loggedIn(); n > 20 {
		t.Errorf("%d agents logged in an hour after the staffing fell to 20", n)
	}
	if n := count(evs, "insert_call"); n != 0 {
		t.Errorf("%d queue calls without load", n)
	}
}
