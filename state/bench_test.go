package state

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
)

// benchPayloads is a realistic mix of updates over 200 agents and 10 queues.
func benchPayloads() [][]byte {
	var out [][]byte
	for i := 0; i < 1000; i++ {
		agent, queue, call := 1+i%200, 1+i%10, 26900000+i
		var ev string
		switch i % 5 {
		case 0:
			ev = fmt.Sprintf(`{"msg": {"call_duration": 0, "caller_id_num": "3376143%04d", "priority": 100, "id_queue": %d, "id_call": %d, "vip_rate": 1, "duration_in_queue": 0, "id_client": 174808}, "type_notification": "queue", "event": "insert_call"}`, i, queue, call)
		case 1:
			ev = fmt.Sprintf(`{"msg": {"status": "ringing", "rec": 1, "call_duration": 0, "caller_id_num": "3363441111", "step": 1, "id_queue": %d, "id_call": "%d", "id_operator": %d, "id_client": 3}, "type_notification": "operator", "event": "status"}`, queue, call-1, agent)
		case 2:
			ev = fmt.Sprintf(`{"msg": {"status": "connected", "call_duration": 0, "caller_id_num": "335497", "step": 1, "id_queue": %d, "id_call": %d, "id_operator": "%d", "id_client": 1}, "type_notification": "queue", "event": "connect_call"}`, queue, call-2, agent)
		case 3:
			ev = fmt.Sprintf(`{"msg": {"id_call": %d, "id_queue": %d, "id_client": "164645"}, "type_notification": "queue", "event": "delete_call"}`, call-3, queue)
		case 4:
			ev = fmt.Sprintf(`{"msg": {"supp": "", "id_operator": %d, "id_client": 1}, "type_notification": "UI", "event": "login"}`, agent)
		}
		out = append(out, fmt.Appendf(nil, `{"ts":1547651821,"elapse":0,"cpt":%d,"event":%s}`, i+1, ev))
	}
	return out
}

// BenchmarkDecodeApply measures decoding and applying one update: the
// whole per-event cost after the transport.
func BenchmarkDecodeApply(b *testing.B) {
	payloads := benchPayloads()
	board := New(Options{}, t0)
	now := t0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := payloads[i%len(payloads)]
		u, err := feed.Decode(p)
		board.Apply(&feed.Event{Raw: p, Update: u, Err: err}, now)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// bigBoard has 5,000 agents in 200 queues, with calls waiting and agents in
// every state.
func bigBoard() (*Board, time.Time) {
	dir := feed.Directory{}
	for q := 1; q <= 200; q++ {
		dir.Groups = append(dir.Groups, feed.Named{ID: feed.Text(fmt.Sprint(q)), Name: fmt.Sprintf("Queue %03d", q)})
	}
	for a := 1; a <= 5000; a++ {
		dir.Agents = append(dir.Agents, feed.Agent{ID: feed.Text(fmt.Sprint(a)), Name: fmt.Sprintf("Agent %04d", a), Groups: []feed.Text{feed.Text(fmt.Sprint(1 + a%200)), feed.Text(fmt.Sprint(1 + (a+7)%200))}})
	}
	board := New(Options{}, t0)
	board.SetDirectory(dir, t0)
	now := t0
	statuses := []string{"available", "ringing", "connected", "calling", "unavailable"}
	for a := 1; a <= 5000; a++ {
		now = now.Add(time.Millisecond)
		raw := fmt.Sprintf(`{"event":{"type_notification":"operator","event":"status","msg":{"id_operator":%d,"status":%q,"id_call":%d,"id_queue":%d,"caller_id_num":"33612345678"}}}`, a, statuses[a%len(statuses)], a, 1+a%200)
		board.Apply(feedtest.Event(now, raw), now)
		if a%7 == 0 {
			raw = fmt.Sprintf(`{"event":{"type_notification":"UI","event":"pause","msg":{"id_operator":%d,"supp":"3"}}}`, a)
			board.Apply(feedtest.Event(now, raw), now)
		}
		if a%3 == 0 {
			raw = fmt.Sprintf(`{"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":%d,"id_call":"q%d"}}}`, 1+a%200, a)
			board.Apply(feedtest.Event(now, raw), now)
		}
	}
	return board, now
}

// BenchmarkViews5000Agents builds every view of a 5,000-agent, 200-queue
// board: agent rows, queue rows, trunk rows and totals.
func BenchmarkViews5000Agents(b *testing.B) {
	board, now := bigBoard()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = board.Agents(now)
		_ = board.Queues(now)
		_ = board.Trunks()
		_ = board.Totals(now)
	}
}

// BenchmarkWholeView5000Agents is everything a view holds (rows, totals,
// calls, the day by interval, the log) of a 5,000-agent board; cpu-ms/view
// is the CPU time of the goroutine's thread per view (on Linux; the wall
// time on a shared machine counts the waits for a core too).
func BenchmarkWholeView5000Agents(b *testing.B) {
	board, now := bigBoard()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	start := cpu()
	for b.Loop() {
		_ = board.View(now)
	}
	b.ReportMetric(float64((cpu()-start).Microseconds())/1e3/float64(b.N), "cpu-ms/view")
}
