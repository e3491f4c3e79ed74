package state

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
)

// TestKeptViewsOverRandomDaysAreViewsFromScratch: random updates dated back, outages told late,
// renames, unlisted rows, checkpoints, quarantines, over midnight; every
// view against the view from scratch.
func TestKeptViewsOverRandomDaysAreViewsFromScratch(t *testing.T) {
	for seed := uint64(1); seed <= 16; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		from := time.Date(2026, 3, 2, 22, 30, 0, 0, time.UTC)
		day := newBusyDay(seed, busyDayShape{agents: 30, queues: 4, from: from, to: from.Add(4 * time.Hour), callEvery: 7 * time.Second, abandonOneIn: 3})
		iv := []time.Duration{5 * time.Minute, 15 * time.Minute, 7 * time.Minute}[seed%3]
		opts := Options{Location: time.UTC, Interval: iv}
		p := newPlayer(day, opts)
		dated := func(now time.Time, elapse int, kind, name, msg string) {
			raw := fmt.Sprintf(`{"elapse":%d,"event":{"type_notification":%q,"event":%q,"msg":%s}}`, elapse, kind, name, msg)
			p.b.Apply(feedtest.Event(now, raw), now)
		}
		live := true
		now := from.Add(time.Minute)
		for n := 0; n < 400; n++ {
			now = now.Add(time.Duration(1+rng.IntN(90)) * time.Second)
			p.playTo(now)
			for k := rng.IntN(3); k > 0; k-- {
				agent := 1 + rng.IntN(40) // some unknown to the directory: placeholders
				el := rng.IntN(3000)
				switch rng.IntN(8) {
				case 0:
					dated(now, el, "UI", "login", fmt.Sprintf(`{"supp":"","id_operator":%d}`, agent))
				case 1:
					dated(now, el, "UI", "pause", fmt.Sprintf(`{"supp":"%d","id_operator":%d}`, 3+rng.IntN(2), agent))
				case 2:
					dated(now, el, "UI", "logout", fmt.Sprintf(`{"supp":"","id_operator":%d}`, agent))
				case 3:
					dated(now, el, "operator", "status", fmt.Sprintf(`{"id_operator":%d,"status":"connected","id_call":%d,"id_queue":%d}`, agent, 8_000_000+n, 1+rng.IntN(6)))
				case 4:
					dated(now, el, "operator", "status", fmt.Sprintf(`{"id_operator":%d,"status":"available"}`, agent))
				case 5:
					dated(now, 0, "queue", "insert_call", fmt.Sprintf(`{"id_queue":%d,"id_call":%d,"caller_id_num":"06%08d","duration_in_queue":%d}`, 1+rng.IntN(6), 9_000_000+n, rng.IntN(50), el))
				case 6:
					m := n - rng.IntN(10)
					dated(now, el, "queue", "delete_call", fmt.Sprintf(`{"id_queue":%d,"id_call":%d}`, 1+rng.IntN(6), 9_000_000+m))
				case 7:
					m := n - rng.IntN(10)
					dated(now, el, "queue", "connect_call", fmt.Sprintf(`{"id_queue":%d,"id_call":%d,"id_operator":%d}`, 1+rng.IntN(6), 9_000_000+m, agent))
				}
			}
			switch r := rng.IntN(60); {
			case r == 0 && live:
				p.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, At: now.Add(-time.Duration(rng.IntN(40)) * time.Minute)})
				live = false
			case r == 1 && !live, r == 2 && !live:
				p.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: now})
				live = true
			case r == 3:
				dir := p.day.dir
				dir.Groups = slices.Clone(dir.Groups)
				dir.Groups[rng.IntN(len(dir.Groups))].Name = fmt.Sprint("Renamed ", n)
				if rng.IntN(2) == 0 {
					dir.Agents = dir.Agents[:len(dir.Agents)-rng.IntN(5)]
				}
				p.b.SetDirectory(dir, now)
			case r == 4:
				p.b = loadCheckpoint(t, checkpointOf(t, p.b), opts)
			case r == 5:
				ev := feedtest.Event(now, `{"event":{"type_notification":"queue","event":"delete_call","msg":{"id_queue":1,"id_call":1}}}`)
				p.b.Quarantine(ev, now, p.b.FeedMark(), "boom")
			}
			v := p.b.View(now)
			if d := sameView(v, referenceView(p.b, now)); d != "" {
				t.Fatalf("seed %d interval %v view %d at %s (AsOf %s): %s", seed, iv, n, now.Format(time.DateTime), v.AsOf.Format(time.TimeOnly), d)
			}
		}
	}
}
