package state

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"callboard/internal/testkit/feedtest"
)

// BenchmarkRetainedPerCall measures what the board keeps of a day's
// calls once they ended: 20,000 calls (entered, answered by an agent, or
// lost, and ended), each update decoded from text as long as the
// journal's, and the heap they leave after a collection, per call.
func BenchmarkRetainedPerCall(b *testing.B) {
	const calls = 20_000
	pad := `"id_client":164645,"step":1,"rec":1,"call_duration":0,"vip_rate":1,"priority":100`
	for b.Loop() {
		b.StopTimer()
		before := heapAfterGC()
		board, now := liveBoard(), t0
		apply := func(kind, name, msg string) {
			board.Apply(feedtest.Event(now, fmt.Sprintf(`{"ts":%d,"elapse":0,"cpt":1,"event":{"type_notification":%q,"event":%q,"msg":{%s,%s}}}`, now.Unix(), kind, name, msg, pad)), now)
		}
		b.StartTimer()
		for i := range calls {
			now = now.Add(time.Second)
			q, c := 1+i%200, 26_900_000+i
			apply("queue", "insert_call", fmt.Sprintf(`"id_queue":%d,"id_call":%d,"caller_id_num":"0612%06d","duration_in_queue":0`, q, c, i))
			if i%5 != 0 {
				apply("queue", "connect_call", fmt.Sprintf(`"id_queue":%d,"id_call":%d,"id_operator":%d`, q, c, 1+i%5000))
			}
			apply("queue", "delete_call", fmt.Sprintf(`"id_queue":%d,"id_call":%d`, q, c))
		}
		b.StopTimer()
		board.Tick(now)
		b.ReportMetric(float64(heapAfterGC()-before)/calls, "B/call")
		runtime.KeepAlive(board)
		b.StartTimer()
	}
}
