package state

import (
	"reflect"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
)

// TestTheDaysCallsAndAgents: every call of the day with its outcome, wait
// and talk; every agent's answered calls, talk, pauses per reason and time
// logged in, ongoing periods included.
func TestTheDaysCallsAndAgents(t *testing.T) {
	s := newScript(t, Options{ShortAbandon: 5 * sec})
	s.at(0, "UI", "login", ui("1", ""))
	s.at(0, "queue", "insert_call", insertCall(1, 10, "33611111111", ""))
	s.at(10*sec, "operator", "status", `{"id_operator":1,"status":"connected","id_call":1,"id_queue":10}`)
	s.at(10*sec, "queue", "connect_call", `{"id_call":1,"id_queue":10,"id_operator":1}`)
	s.at(70*sec, "queue", "delete_call", queueCall(1, 10))
	s.at(70*sec, "operator", "status", op("1", "available"))
	s.at(80*sec, "queue", "insert_call", insertCall(2, 20, "33622222222", ""))
	s.at(83*sec, "queue", "delete_call", queueCall(2, 20))
	s.at(90*sec, "queue", "insert_call", insertCall(3, 20, "33633333333", ""))
	s.at(100*sec, "queue", "delete_call", queueCall(3, 20))
	s.at(110*sec, "queue", "insert_call", insertCall(4, 10, "33644444444", ""))
	s.at(120*sec, "UI", "pause", ui("1", "4"))
	s.at(180*sec, "UI", "pause", ui("1", "5"))
	s.now = t0.Add(200 * sec)
	r := s.b.Report(s.now)
	want := []struct {
		id, outcome string
		waited      time.Duration
		talk        time.Duration
		agent       string
	}{
		{"1", OutcomeAnswered, 10 * sec, 60 * sec, "Alice"},
		{"2", OutcomeShortAbandoned, 3 * sec, 0, ""},
		{"3", OutcomeAbandoned, 10 * sec, 0, ""},
		{"4", OutcomeWaiting, 90 * sec, 0, ""},
	}
	if len(r.Calls) != len(want) {
		t.Fatalf("%d calls, want %d: %+v", len(r.Calls), len(want), r.Calls)
	}
	for i, w := range want {
		if c := r.Calls[i]; c.ID != w.id || c.Outcome != w.outcome || c.Waited != w.waited || c.Talk != w.talk || c.AgentName != w.agent {
			t.Errorf("call %d: %+v, want %+v", i, c, w)
		}
	}
	var alice AgentDay
	for _, a := range r.Agents {
		if a.ID == "1" {
			alice = a
		}
	}
	if alice.Answered != 1 || alice.OnCall != 60*sec || alice.LoggedIn != 200*sec ||
		alice.PausedBy["Déjeuner"] != 60*sec || alice.PausedBy["Formation"] != 20*sec {
		t.Errorf("Alice's day %+v, want 1 answered, 60s on a call, 200s logged in, 60s Déjeuner and 20s Formation", alice)
	}
}

// TestACallAcrossMidnightIsInTheOldDaysReport: a call belongs to the day
// it entered, still waiting at midnight or not: the new day's report lists
// the calls that entered in it only.
func TestACallAcrossMidnightIsInTheOldDaysReport(t *testing.T) {
	day := time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC)
	b := New(Options{Location: time.UTC}, day)
	apply := func(at time.Time, name, msg string) {
		t.Helper()
		raw := `{"ts":` + itoa(int(at.Unix())) + `,"elapse":0,"event":{"type_notification":"queue","event":"` + name + `","msg":` + msg + `}}`
		b.Apply(feedtest.Event(at, raw), at)
	}
	apply(day.Add(59*time.Minute+50*time.Second), "insert_call", insertCall(1, 10, "33611111111", ""))
	apply(day.Add(59*time.Minute+55*time.Second), "insert_call", insertCall(2, 10, "33622222222", ""))
	apply(day.Add(59*time.Minute+58*time.Second), "delete_call", queueCall(2, 10))
	apply(day.Add(59*time.Minute+50*time.Second), "insert_call", insertCall(3, 10, "33633333333", ""))
	apply(day.Add(59*time.Minute+59*time.Second), "connect_call", queueCall(3, 10))
	midnight := day.Add(time.Hour)
	apply(midnight.Add(10*time.Second), "connect_call", queueCall(1, 10))
	apply(midnight.Add(70*time.Second), "delete_call", queueCall(1, 10))
	apply(midnight.Add(80*time.Second), "insert_call", insertCall(4, 10, "33644444444", ""))
	r := b.Report(midnight.Add(2 * time.Minute))
	if len(r.Calls) != 1 || r.Calls[0].ID != "4" || r.Calls[0].Outcome != OutcomeWaiting {
		t.Errorf("the new day's calls %+v, want call 4 alone, waiting", r.Calls)
	}
}

// TestCallsTheBoardLostSightOf: a call waiting when the feed went down and
// not mentioned again after the reconnect is neither waiting nor abandoned
// for the board, and "unknown" in the report, its wait as far as it was
// heard of; one answered then is answered, its talk as far as it was heard
// of, not in progress; one mentioned again is followed as before.
func TestCallsTheBoardLostSightOf(t *testing.T) {
	s := newScript(t, Options{})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	s.at(0, "queue", "insert_call", insertCall(1, 10, "33611111111", ""))
	s.at(0, "queue", "insert_call", insertCall(2, 10, "33622222222", ""))
	s.at(0, "queue", "insert_call", insertCall(3, 10, "33633333333", ""))
	s.at(10*sec, "queue", "connect_call", `{"id_call":2,"id_queue":10,"id_operator":1}`)
	s.at(20*sec, "queue", "insert_call", insertCall(1, 10, "33611111111", ""))
	s.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, At: t0.Add(30 * sec)})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0.Add(60 * sec)})
	s.at(60*sec, "queue", "insert_call", insertCall(3, 10, "33633333333", "")) // the burst after init names call 3 only
	for d := 61 * sec; d <= 12*time.Minute; d += sec {
		s.b.Tick(t0.Add(d))
	}
	s.now = t0.Add(12 * time.Minute)
	if w := s.b.Calls(s.now).Waiting; len(w) != 1 || w[0].ID != "3" {
		t.Errorf("waiting %+v, want call 3 alone", w)
	}
	r := s.b.Report(s.now)
	want := map[string]struct {
		outcome      string
		waited, talk time.Duration
	}{
		"1": {OutcomeUnknown, 20 * sec, 0},
		"2": {OutcomeAnswered, 10 * sec, 0},
		"3": {OutcomeWaiting, 12 * time.Minute, 0},
	}
	if len(r.Calls) != len(want) {
		t.Fatalf("%d calls, want %d: %+v", len(r.Calls), len(want), r.Calls)
	}
	for _, c := range r.Calls {
		if w := want[c.ID]; c.Outcome != w.outcome || c.Waited != w.waited || c.Talk != w.talk || !c.Ended.IsZero() {
			t.Errorf("call %s: %s, waited %v, talk %v, ended %v; want %s, %v, %v, no end", c.ID, c.Outcome, c.Waited, c.Talk, c.Ended, w.outcome, w.waited, w.talk)
		}
	}
	if tot := s.b.Totals(s.now); tot.Answered != 1 || tot.Abandoned != 0 {
		t.Errorf("%d answered, %d abandoned: want 1 and 0, as the report says", tot.Answered, tot.Abandoned)
	}
}

// TestTheReportMadeOnReadIsTheReport: the calls ReportOnRead makes as they
// are read are Report's, abandoned, answered, waiting and carried alike;
// and Settle makes the day's report final alike both ways, with the calls
// still going on at midnight followed by a board that went on.
func TestTheReportMadeOnReadIsTheReport(t *testing.T) {
	day := time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC)
	opts := Options{Location: time.UTC, ShortAbandon: 10 * time.Second}
	stopped, wentOn := New(opts, day), New(opts, day)
	apply := func(at time.Time, name, msg string, boards ...*Board) {
		t.Helper()
		raw := `{"ts":` + itoa(int(at.Unix())) + `,"elapse":0,"event":{"type_notification":"queue","event":"` + name + `","msg":` + msg + `}}`
		for _, b := range boards {
			b.Apply(feedtest.Event(at, raw), at)
		}
	}
	both := []*Board{stopped, wentOn}
	apply(day.Add(10*time.Minute), "insert_call", insertCall(5, 10, "33655555555", ""), both...)
	apply(day.Add(12*time.Minute), "delete_call", queueCall(5, 10), both...) // abandoned
	apply(day.Add(20*time.Minute), "insert_call", insertCall(6, 10, "33666666666", ""), both...)
	apply(day.Add(20*time.Minute+5*time.Second), "delete_call", queueCall(6, 10), both...) // short abandoned
	apply(day.Add(59*time.Minute+50*time.Second), "insert_call", insertCall(1, 10, "33611111111", ""), both...)
	apply(day.Add(59*time.Minute+50*time.Second), "insert_call", insertCall(3, 10, "33633333333", ""), both...)
	apply(day.Add(59*time.Minute+59*time.Second), "connect_call", queueCall(3, 10), both...)
	midnight := day.Add(time.Hour)
	apply(midnight.Add(10*time.Second), "connect_call", queueCall(1, 10), wentOn)
	apply(midnight.Add(70*time.Second), "delete_call", queueCall(1, 10), wentOn)
	apply(midnight.Add(75*time.Second), "delete_call", queueCall(3, 10), wentOn)

	end := midnight.Add(-time.Second)
	eager, onRead := stopped.View(end), stopped.View(end)
	r, lazy := stopped.Report(end), stopped.ReportOnRead(end)
	if lazy.Calls != nil {
		t.Errorf("ReportOnRead holds its calls: %+v", lazy.Calls)
	}
	if held := lazy.Held(); !reflect.DeepEqual(held, r) {
		t.Errorf("made on read\n%+v\nwant\n%+v", held, r)
	}
	if len(r.Calls) != 4 {
		t.Fatalf("%d calls, want 4: %+v", len(r.Calls), r.Calls)
	}
	eager.Report, onRead.Report = &r, &lazy
	carried := wentOn.Report(midnight.Add(2 * time.Minute)).Carried
	Settle(eager, carried, opts)
	Settle(onRead, carried, opts)
	if got := onRead.Report.Held(); !reflect.DeepEqual(got, *eager.Report) {
		t.Errorf("settled, made on read\n%+v\nwant\n%+v", got, *eager.Report)
	}
	if !reflect.DeepEqual(onRead.Intervals, eager.Intervals) {
		t.Errorf("settled intervals, made on read\n%+v\nwant\n%+v", onRead.Intervals, eager.Intervals)
	}
	var outcomes []string
	for c := range onRead.Report.EachCall {
		outcomes = append(outcomes, c.ID+" "+c.Outcome)
	}
	if want := []string{"5 abandoned", "6 short_abandoned", "1 answered", "3 answered"}; !reflect.DeepEqual(outcomes, want) {
		t.Errorf("settled calls %q, want %q", outcomes, want)
	}
	if lazy.Held().Calls[2].Outcome != OutcomeWaiting {
		t.Errorf("Settle changed the report it was given: %+v", lazy.Held().Calls[2])
	}
}
