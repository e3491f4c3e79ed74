package state

import (
	"fmt"
	"testing"
	"time"
)

func insertCall(call, queue int, caller string, extra string) string {
	return fmt.Sprintf(`{"id_call":%d,"id_queue":%d,"caller_id_num":%q,"duration_in_queue":0%s}`, call, queue, caller, extra)
}

func queueCall(call, queue int) string {
	return fmt.Sprintf(`{"id_call":%d,"id_queue":%d}`, call, queue)
}

// TestWaitingCallsHaveTheirPlace: the calls waiting now, per queue, in
// the order they entered (position 1 waited longest), with their wait as
// of now, priority and VIP rate as given; answered calls are not waiting.
func TestWaitingCallsHaveTheirPlace(t *testing.T) {
	s := newScript(t, Options{})
	s.at(0, "queue", "insert_call", insertCall(1, 10, "33611111111", `,"priority":100,"vip_rate":1`))
	s.at(5*sec, "queue", "insert_call", insertCall(2, 20, "33622222222", ""))
	s.at(10*sec, "queue", "insert_call", insertCall(3, 10, "33633333333", ""))
	s.at(12*sec, "queue", "insert_call", insertCall(4, 10, "33644444444", ""))
	s.at(15*sec, "queue", "connect_call", queueCall(3, 10))
	s.now = t0.Add(30 * sec)
	got := s.b.Calls(s.now).Waiting
	want := []struct {
		id, queue string
		position  int
		waited    time.Duration
	}{{"1", "10", 1, 30 * sec}, {"4", "10", 2, 18 * sec}, {"2", "20", 1, 25 * sec}}
	if len(got) != len(want) {
		t.Fatalf("waiting %+v, want %d calls", got, len(want))
	}
	for i, w := range want {
		if g := got[i]; g.ID != w.id || g.QueueID != w.queue || g.Position != w.position || g.Waited != w.waited {
			t.Errorf("waiting[%d] = %+v, want call %s of queue %s, position %d, waited %v", i, g, w.id, w.queue, w.position, w.waited)
		}
	}
	if c := got[0]; c.Priority != "100" || c.VIPRate != "1" || c.Caller != "33611111111" || c.QueueName != "Support" {
		t.Errorf("call 1: %+v, want priority 100, VIP rate 1, its caller, queue Support", c)
	}
}

// TestAbandonedCallersAndWhetherTheyWereReached: a call that leaves its
// queue unanswered is lost today (short when within ShortAbandon); it is
// reached when the same number is answered later in any queue, or when an
// agent calls it (operator calling, or a PUSHCALL); a number reached
// before it was lost does not count; a withheld number is never matched.
func TestAbandonedCallersAndWhetherTheyWereReached(t *testing.T) {
	s := newScript(t, Options{ShortAbandon: 5 * sec, CallerID: CallerMask})
	s.at(0, "queue", "insert_call", insertCall(1, 10, "+33 6 11 11 11 11", ""))
	s.at(40*sec, "queue", "delete_call", queueCall(1, 10))
	s.at(50*sec, "queue", "insert_call", insertCall(2, 20, "33622222222", ""))
	s.at(53*sec, "queue", "delete_call", queueCall(2, 20))
	s.at(60*sec, "queue", "insert_call", insertCall(3, 10, "33633333333", ""))
	s.at(70*sec, "queue", "delete_call", queueCall(3, 10))
	s.at(80*sec, "queue", "insert_call", insertCall(4, 10, "", ""))
	s.at(90*sec, "queue", "delete_call", queueCall(4, 10))
	// the first caller calls again and is answered in another queue
	s.at(100*sec, "queue", "insert_call", insertCall(5, 20, "33611111111", ""))
	s.at(110*sec, "queue", "connect_call", queueCall(5, 20))
	// an agent calls the second one back
	s.at(120*sec, "operator", "status", `{"id_operator":1,"status":"calling","caller_id_num":"33622222222"}`)
	// a PUSHCALL names the third (its fields are not documented: the
	// simulator's number, written otherwise)
	s.at(130*sec, "PUSHCALL", "push", `{"id_operator":2,"number":"+33 6 33 33 33 33"}`)
	got := s.b.Calls(s.now).Abandoned
	want := []struct {
		id      string
		waited  time.Duration
		short   bool
		reached Reached
	}{{"1", 40 * sec, false, ReachedAnsweredLater}, {"2", 3 * sec, true, ReachedCalledBack}, {"3", 10 * sec, false, ReachedCalledBack}, {"4", 10 * sec, false, ReachedNot}}
	if len(got) != len(want) {
		t.Fatalf("abandoned %+v, want %d", got, len(want))
	}
	for i, w := range want {
		if g := got[i]; g.ID != w.id || g.Waited != w.waited || g.Short != w.short || g.Reached != w.reached {
			t.Errorf("abandoned[%d] = %+v, want call %s, waited %v, short %v, reached %q", i, g, w.id, w.waited, w.short, w.reached)
		}
	}
	if c := got[0]; c.Caller != "+33************11" || c.QueueName != "Support" || !c.Ended.Equal(t0.Add(40*sec)) {
		t.Errorf("call 1 shown as %+v, want its number masked, queue Support, ended at +40s", c)
	}
	// reached before it was lost: still to call back
	s.at(140*sec, "operator", "status", `{"id_operator":1,"status":"calling","caller_id_num":"33655555555"}`)
	s.at(150*sec, "queue", "insert_call", insertCall(6, 10, "33655555555", ""))
	s.at(160*sec, "queue", "delete_call", queueCall(6, 10))
	if last := s.b.Calls(s.now).Abandoned[4]; last.Reached != ReachedNot {
		t.Errorf("a number called before it was lost: %q, want still to call back", last.Reached)
	}
	// a new day starts with no one lost
	s.at(24*time.Hour, "queue", "insert_call", insertCall(7, 10, "33677777777", ""))
	if n := len(s.b.Calls(s.now).Abandoned); n != 0 {
		t.Errorf("%d abandoned calls on a new day", n)
	}
}
