package feed

import (
	"fmt"
	"testing"
)

// benchUpdates is a realistic mix of updates over 200 agents and 10 queues,
// shaped like state's benchPayloads (about 250 bytes each).
func benchUpdates() [][]byte {
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

func benchDecode(b *testing.B, decode func([]byte) (Update, *DecodeError)) {
	payloads := benchUpdates()
	var size int
	for _, p := range payloads {
		size += len(p)
	}
	b.SetBytes(int64(size / len(payloads)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := decode(payloads[i%len(payloads)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkDecode measures Decode on realistic payloads.
func BenchmarkDecode(b *testing.B) { benchDecode(b, Decode) }

// BenchmarkDecodeReference measures the encoding/json decoder Decode
// replaced, for comparison.
func BenchmarkDecodeReference(b *testing.B) { benchDecode(b, decodeReference) }
