package state

import (
	"encoding/json"
	"fmt"
	"strings"
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
	}{{"1", 40 * sec, false, ReachedAnsweredLater}, {"2", 3 * sec, true, ReachedCalledBack}, {"3", 10 * sec, false, ReachedCalledBack}, {"4", 10 * sec, false, ReachedWithheld}}
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

// TestWithheldCallersAreApart: a call lost from a number the feed withholds
// (empty, "anonymous", "restricted", a word, "0") is withheld, not to call
// back: in the view, the snapshot ("withheld") and the report's calls, the
// same value; nobody can dial it, and calls from other withheld callers
// do not reach it.
func TestWithheldCallersAreApart(t *testing.T) {
	s := newScript(t, Options{})
	withheld := []string{"", "anonymous", "Restricted", "PRIVATE", "0", " + ", "masqué"}
	for i, number := range withheld {
		s.at(time.Duration(10*i)*sec, "queue", "insert_call", insertCall(i+1, 10, number, ""))
		s.at(time.Duration(10*i+8)*sec, "queue", "delete_call", queueCall(i+1, 10))
	}
	s.at(100*sec, "queue", "insert_call", insertCall(50, 10, "33611111111", ""))
	s.at(108*sec, "queue", "delete_call", queueCall(50, 10))
	// another withheld caller answered, an agent calling "anonymous": no one reached
	s.at(110*sec, "queue", "insert_call", insertCall(51, 10, "anonymous", ""))
	s.at(111*sec, "queue", "connect_call", queueCall(51, 10))
	s.at(112*sec, "operator", "status", `{"id_operator":1,"status":"calling","caller_id_num":""}`)
	got := s.b.Calls(s.now).Abandoned
	if len(got) != len(withheld)+1 {
		t.Fatalf("abandoned %+v, want %d", got, len(withheld)+1)
	}
	for i, number := range withheld {
		if got[i].Reached != ReachedWithheld {
			t.Errorf("lost call from %q: reached %q, want withheld", number, got[i].Reached)
		}
	}
	if last := got[len(withheld)]; last.Reached != ReachedNot {
		t.Errorf("lost call from a number: reached %q, want still to call back", last.Reached)
	}
	snap := s.b.Snapshot(s.now)
	for i, a := range snap.Calls.Abandoned {
		want := "withheld"
		if i == len(withheld) {
			want = "<nil>"
		}
		if got := fmt.Sprint(deref(a.Reached)); got != want {
			t.Errorf("snapshot abandoned[%d] (%s): reached %s, want %s", i, a.ID, got, want)
		}
	}
	reached := map[string]Reached{}
	for _, c := range s.b.Report(s.now).Calls {
		reached[c.ID] = c.Reached
	}
	if reached["1"] != ReachedWithheld || reached["7"] != ReachedWithheld || reached["50"] != ReachedNot || reached["51"] != ReachedNot {
		t.Errorf("report's reached %v, want calls 1…7 withheld, 50 and 51 not", reached)
	}
}

func deref(r *Reached) any {
	if r == nil {
		return nil
	}
	return *r
}

// TestCallerNumbersMatchWhateverTheirForm: numbers are matched as the
// phone numbers they are, read with Options.Country as the default region:
// 0612…, +33612…, 33612… and 0033612… are one caller; a number the library
// cannot read is matched by its digits.
func TestCallerNumbersMatchWhateverTheirForm(t *testing.T) {
	cases := []struct {
		country     string
		lost, later string
	}{
		{"", "0612345678", "+33612345678"},
		{"", "33612345678", "06 12 34 56 78"},
		{"FR", "+33 6 12 34 56 78", "0033612345678"},
		{"FR", "06.12.34.56.78", "33612345678"},
		{"BE", "0470123456", "32470123456"},
		{"BE", "+32 470 12 34 56", "0470/12.34.56"},
		{"FR", "+012", "+0 1-2"}, // not a number the library reads: its digits
	}
	for _, c := range cases {
		for _, how := range []Reached{ReachedAnsweredLater, ReachedCalledBack} {
			s := newScript(t, Options{Country: c.country})
			s.at(0, "queue", "insert_call", insertCall(1, 10, c.lost, ""))
			s.at(10*sec, "queue", "delete_call", queueCall(1, 10))
			if how == ReachedAnsweredLater {
				s.at(20*sec, "queue", "insert_call", insertCall(2, 20, c.later, ""))
				s.at(30*sec, "queue", "connect_call", queueCall(2, 20))
			} else {
				s.at(20*sec, "operator", "status", fmt.Sprintf(`{"id_operator":1,"status":"calling","caller_id_num":%q}`, c.later))
			}
			if got := s.b.Calls(s.now).Abandoned[0].Reached; got != how {
				t.Errorf("country %q: lost %q, then %q: reached %q, want %q", c.country, c.lost, c.later, got, how)
			}
		}
	}
	// different numbers stay apart, and a French number is not a Belgian one
	s := newScript(t, Options{})
	s.at(0, "queue", "insert_call", insertCall(1, 10, "0612345678", ""))
	s.at(10*sec, "queue", "delete_call", queueCall(1, 10))
	s.at(20*sec, "operator", "status", `{"id_operator":1,"status":"calling","caller_id_num":"+32612345678"}`)
	s.at(30*sec, "operator", "status", `{"id_operator":1,"status":"calling","caller_id_num":"0612345679"}`)
	if got := s.b.Calls(s.now).Abandoned[0].Reached; got != ReachedNot {
		t.Errorf("other numbers reached a lost caller: %q", got)
	}
}

// TestCallerMatchingIsBoundedAndCheap: hostile numbers (huge, odd
// characters) neither panic nor grow the board without bound, and a number
// met again costs no allocation.
func TestCallerMatchingIsBoundedAndCheap(t *testing.T) {
	s := newScript(t, Options{})
	huge := strings.Repeat("6", 1<<20)
	hostile := []string{huge, "+" + huge, strings.Repeat("+33 (0)", 1000), "\x00\xff\xfe12345", "+", "++33", "00", "+0", "1" + strings.Repeat("\u202e", 50), "tel:+33612345678;ext=12"}
	for i, number := range hostile {
		quoted, _ := json.Marshal(number)
		s.at(time.Duration(i)*sec, "queue", "insert_call", fmt.Sprintf(`{"id_call":%d,"id_queue":10,"caller_id_num":%s}`, i+1, quoted))
		s.at(time.Duration(i)*sec+500*time.Millisecond, "queue", "delete_call", queueCall(i+1, 10))
		s.at(time.Duration(i)*sec+600*time.Millisecond, "operator", "status", fmt.Sprintf(`{"id_operator":1,"status":"calling","caller_id_num":%s}`, quoted))
	}
	if n := len(s.b.Calls(s.now).Abandoned); n != len(hostile) {
		t.Errorf("%d calls lost, want %d", n, len(hostile))
	}
	for i := range 3 * callerKeysKept {
		s.b.callerKey(fmt.Sprintf("+3361%07d", i))
	}
	if n := len(s.b.callerKeys); n > callerKeysKept {
		t.Errorf("%d numbers kept, want at most %d", n, callerKeysKept)
	}
	for k := range s.b.callerKeys {
		if len(k) > maxCallerLen {
			t.Errorf("a number of %d bytes kept", len(k))
		}
	}
	s.b.callerKey("0612345678")
	if n := testing.AllocsPerRun(100, func() { s.b.callerKey("0612345678") }); n != 0 {
		t.Errorf("a number met again: %v allocations, want 0", n)
	}
}

// BenchmarkCallerKey: reading a number met for the first time, and again.
func BenchmarkCallerKey(b *testing.B) {
	board := New(Options{}, t0)
	b.Run("first", func(b *testing.B) {
		for i := range b.N {
			normaliseCaller(fmt.Sprintf("06%08d", i%100_000_000), "FR")
		}
	})
	b.Run("again", func(b *testing.B) {
		board.callerKey("0612345678")
		for range b.N {
			board.callerKey("0612345678")
		}
	})
}
