package state

import (
	"testing"
	"unsafe"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
)

// TestKeptStringsAreNotSlicesOfTheUpdate: the ids, callers, statuses and
// pause ids the board keeps of an update (its agents, queues, trunks and
// calls, the day's call records, the calls lost) are copies: a slice of the
// update's text would keep all of it alive as long as the board keeps them.
func TestKeptStringsAreNotSlicesOfTheUpdate(t *testing.T) {
	s := newScript(t, Options{})
	var updates []*feed.Event
	apply := func(kind, name, msg string) {
		s.cpt++
		s.now = s.now.Add(sec)
		ev := feedtest.Update(s.now, s.cpt, kind, name, msg)
		updates = append(updates, ev)
		s.b.Apply(ev, s.now)
	}
	apply("queue", "insert_call", `{"id_queue":"q9","id_call":"c1","caller_id_num":"0612345678","priority":"5","vip_rate":"2"}`)
	apply("operator", "status", `{"id_operator":"a9","status":"weird","id_call":"c1","caller_id_num":"0612345678","id_queue":"q9"}`)
	apply("operator", "status", `{"id_operator":"a9","status":"connected","id_call":"c1","caller_id_num":"0612345678","id_queue":"q9"}`)
	apply("queue", "connect_call", `{"id_queue":"q9","id_call":"c1","id_operator":"a9"}`)
	apply("UI", "pause", `{"id_operator":"a8","supp":"p77"}`)
	apply("queue", "insert_call", `{"id_queue":"q9","id_call":"c2","caller_id_num":"0798765432"}`)
	apply("queue", "delete_call", `{"id_queue":"q9","id_call":"c2"}`)
	apply("trunk", "insert_call", `{"id_trunk":"t9","id_call":"c3"}`)

	a9, a8, q9, t9 := s.b.agents["a9"], s.b.agents["a8"], s.b.queues["q9"], s.b.trunks["t9"]
	c1 := q9.calls["c1"]
	kept := map[string]string{
		"agent id": a9.id, "agent status": a9.status, "agent's call id": a9.call.id, "agent's caller": a9.call.caller,
		"agent's queue": a9.call.queue, "pause id": a8.pauseID, "queue id": q9.id, "trunk id": t9.id,
		"call id": c1.id, "caller": c1.caller, "priority": c1.priority, "vip rate": c1.vipRate, "call's agent": c1.agent,
	}
	for i, rec := range s.b.callLog {
		for what, v := range map[string]string{"id": rec.id, "queue": rec.queue, "caller": rec.caller, "agent": rec.agent} {
			if v != "" || what != "agent" { // the call lost had none
				kept["record "+string(rune('0'+i))+" "+what] = v
			}
		}
	}
	for _, a := range s.b.abandoned {
		kept["lost id"], kept["lost queue"], kept["lost caller"] = a.id, a.queue, a.caller
	}
	for id := range q9.calls {
		kept["queue's call key"] = id
	}
	for id := range t9.calls {
		kept["trunk's call key"] = id
	}
	for what, v := range kept {
		if v == "" {
			t.Errorf("%s: empty", what)
			continue
		}
		for _, ev := range updates {
			m := ev.Update.Msg
			for _, f := range []feed.Text{m.Operator, m.Queue, m.Trunk, m.Call, m.Caller, m.Status, m.Supp, m.Priority, m.VIPRate} {
				if f != "" && unsafe.StringData(string(f)) == unsafe.StringData(v) {
					t.Errorf("%s %q is the update's own text, not a copy", what, v)
				}
			}
		}
	}
}
