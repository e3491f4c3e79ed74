package hub

import (
	"fmt"
	"testing"
	"time"

	"callboard/feed"
	"callboard/state"
)

// BenchmarkPublishAudiences5000Agents is one publication on a 5,000-agent,
// 200-queue board with 30 subscribers: all of the whole center (whole,
// as BenchmarkPublishView5000Agents but 30), ten viewers in each of
// three scopes of ten queues (3-scopes: three cuts a publish), and ten
// viewers each watching a wall of three pages of five queues within its
// own scope of ten (30-audiences: thirty distinct cuts, each of a cut).
// The view is built at each publish, as the hub does.
func BenchmarkPublishAudiences5000Agents(b *testing.B) {
	dir, events := bench5000()
	scope := func(from, n int) state.Scope {
		var qs []string
		for q := from; q < from+n; q++ {
			qs = append(qs, fmt.Sprint(1+q%200))
		}
		return state.Scope{Name: fmt.Sprintf("q%d+%d", from, n), Queues: qs}
	}
	for _, c := range []struct {
		name      string
		audiences func(i int) []state.Audience
	}{
		{"whole", func(int) []state.Audience { return nil }},
		{"3-scopes", func(i int) []state.Audience { return []state.Audience{{Scope: scope(10*(i%3), 10)}} }},
		{"30-audiences", func(i int) []state.Audience {
			viewer, page := i/3, i%3
			return []state.Audience{{Scope: scope(10*viewer, 10)}, {Scope: scope(10*viewer+3*page, 5)}}
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			h := New(Config{Options: state.Options{Location: time.UTC}, Start: t0})
			h.board.Handle(&feed.StatusMsg{State: feed.Live, At: t0}, t0)
			h.board.Handle(dir, t0)
			for _, e := range events {
				h.board.Handle(e, t0)
			}
			for i := range 30 {
				defer h.Subscribe(c.audiences(i)...).Close()
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				h.publish(h.board.View(t0.Add(time.Duration(i) * time.Second)))
			}
		})
	}
}
