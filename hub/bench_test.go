package hub

import (
	"context"
	"fmt"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// bench5000 is the directory of a 5,000-agent center in 200 queues, and a
// stream of realistic updates over it, as the feed delivers them.
func bench5000() (*feed.DirectoryMsg, []*feed.Event) {
	dir := &feed.DirectoryMsg{At: t0}
	for q := 1; q <= 200; q++ {
		dir.Directory.Groups = append(dir.Directory.Groups, feed.Named{ID: feed.Text(fmt.Sprint(q)), Name: fmt.Sprintf("Queue %03d", q)})
	}
	for a := 1; a <= 5000; a++ {
		dir.Directory.Agents = append(dir.Directory.Agents, feed.Agent{ID: feed.Text(fmt.Sprint(a)), Name: fmt.Sprintf("Agent %04d", a), Groups: []feed.Text{feed.Text(fmt.Sprint(1 + a%200))}})
	}
	var events []*feed.Event
	for i := range 10000 {
		agent, queue, call := 1+i%5000, 1+i%200, 1000000+i
		var kind, name, msg string
		switch i % 4 {
		case 0:
			kind, name, msg = "queue", "insert_call", fmt.Sprintf(`{"id_queue":%d,"id_call":%d,"caller_id_num":"0612345678","duration_in_queue":0}`, queue, call)
		case 1:
			kind, name, msg = "operator", "status", fmt.Sprintf(`{"status":"connected","id_queue":%d,"id_call":%d,"id_operator":%d}`, queue, call-1, agent)
		case 2:
			kind, name, msg = "queue", "delete_call", fmt.Sprintf(`{"id_queue":%d,"id_call":%d}`, queue, call-2)
		case 3:
			kind, name, msg = "UI", "login", fmt.Sprintf(`{"id_operator":%d}`, agent)
		}
		events = append(events, feedtest.Update(t0, i+1, kind, name, msg))
	}
	return dir, events
}

// BenchmarkHubEvent5000Agents is the hub's cost per event on a 5,000-agent
// board: applying it, and its share of the views published (at most ten a
// second), with one subscriber reading.
func BenchmarkHubEvent5000Agents(b *testing.B) {
	dir, events := bench5000()
	h := New(Config{Options: state.Options{Location: time.UTC}, Start: t0})
	messages := make(chan feed.Message, 4096)
	done := make(chan error, 1)
	go func() { done <- h.Run(context.Background(), messages) }()
	sub := h.Subscribe()
	defer sub.Close()
	go func() {
		for range sub.C {
		}
	}()
	messages <- &feed.StatusMsg{State: feed.Live, At: t0}
	messages <- dir
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		messages <- events[i%len(events)]
	}
	close(messages)
	<-done
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkPublishView5000Agents is the cost of one publication on a
// 5,000-agent board: building the view and handing it to 50 subscribers.
func BenchmarkPublishView5000Agents(b *testing.B) {
	dir, events := bench5000()
	h := New(Config{Options: state.Options{Location: time.UTC}, Start: t0})
	h.board.Handle(&feed.StatusMsg{State: feed.Live, At: t0}, t0)
	h.board.Handle(dir, t0)
	for _, e := range events {
		h.board.Handle(e, t0)
	}
	for range 50 {
		defer h.Subscribe().Close()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.publish(h.board.View(t0.Add(time.Duration(i) * time.Second)))
	}
}
