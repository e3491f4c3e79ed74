package state

import (
	"testing"
	"time"

	"callboard/feed"
)

// The edges of the day (issue 21): calls already on the line when the
// board first hears of them, time in state on first sight, outbound calls,
// calls swept and heard of again, calls crossing midnight.

// offeredToday sums the calls offered in today's intervals.
func offeredToday(b *Board, now time.Time) int {
	n := 0
	for _, r := range b.Intervals(now) {
		n += r.Total.Offered
	}
	return n
}

func reportRow(t *testing.T, r Report, id string) CallRecord {
	t.Helper()
	for _, c := range r.Calls {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no report row for call %q in %+v", id, r.Calls)
	return CallRecord{}
}

func TestACallFirstSeenAnsweredIsNotOfferedNorAnswered(t *testing.T) {
	s := newScript(t, Options{ServiceLevelThreshold: 20 * sec})
	// On the line already: connected, its entry never seen.
	s.at(sec, "queue", "connect_call", `{"id_queue":10,"id_call":"before","id_operator":1,"call_duration":600,"caller_id_num":"0611"}`)
	s.at(2*sec, "operator", "status", `{"status":"connected","id_operator":1,"id_call":"before","id_queue":10,"call_duration":601}`)
	// Seen entering: answered after 4 s.
	s.at(3*sec, "queue", "insert_call", `{"id_queue":10,"id_call":"seen","duration_in_queue":0}`)
	s.at(7*sec, "queue", "connect_call", `{"id_queue":10,"id_call":"seen","id_operator":2}`)
	// First seen waiting for 30 s: offered, its wait counted from its entry.
	s.at(8*sec, "queue", "insert_call", `{"id_queue":10,"id_call":"waiting","duration_in_queue":30}`)
	s.at(18*sec, "queue", "connect_call", `{"id_queue":10,"id_call":"waiting","id_operator":3}`)
	// A trunk call connected before start.
	s.at(19*sec, "trunk", "connect_call", `{"id_trunk":7,"id_call":"tb","call_duration":90}`)
	s.at(20*sec, "trunk", "insert_call", `{"id_trunk":7,"id_call":"tn"}`)
	s.at(21*sec, "trunk", "connect_call", `{"id_trunk":7,"id_call":"tn"}`)

	q := s.queue("10")
	if q.Answered != 2 || q.ASA != 22*sec || !q.HasServiceLevel || q.ServiceLevel != 50 || q.InProgress != 3 {
		t.Errorf("queue: answered %d, ASA %v, SL %v%%, in progress %d; want 2, 22s, 50%%, 3", q.Answered, q.ASA, q.ServiceLevel, q.InProgress)
	}
	if q.AnsweredBeforeStart != 1 {
		t.Errorf("queue: %d answered before start, want 1", q.AnsweredBeforeStart)
	}
	tot := s.b.Totals(s.now)
	if tot.Answered != 2 || tot.ASA != 22*sec || tot.ServiceLevel != 50 || tot.AnsweredBeforeStart != 1 {
		t.Errorf("totals: answered %d, ASA %v, SL %v, before start %d; want 2, 22s, 50, 1", tot.Answered, tot.ASA, tot.ServiceLevel, tot.AnsweredBeforeStart)
	}
	if n := offeredToday(s.b, s.now); n != 2 {
		t.Errorf("%d offered in the intervals, want 2", n)
	}
	var answered int
	for _, r := range s.b.Intervals(s.now) {
		answered += r.Total.Answered
	}
	if answered != 2 {
		t.Errorf("%d answered in the intervals, want 2", answered)
	}
	if tr := s.trunk("7"); tr.Total != 1 || tr.Answered != 1 || tr.Connected != 2 || tr.AnsweredBeforeStart != 1 {
		t.Errorf("trunk: total %d, answered %d, connected %d, before start %d; want 1, 1, 2, 1", tr.Total, tr.Answered, tr.Connected, tr.AnsweredBeforeStart)
	}
	snap := s.b.Snapshot(s.now)
	if snap.Totals.AnsweredBeforeStart != 1 || snap.Queues[0].AnsweredBeforeStart != 1 || snap.Trunks[0].AnsweredBeforeStart != 1 {
		t.Errorf("snapshot: totals %+v, queue %+v, trunk %+v", snap.Totals, snap.Queues[0], snap.Trunks[0])
	}
	if a := s.agent("1"); a.Today.Answered != 0 {
		t.Errorf("agent 1 answered %d, want 0: its call was running before start", a.Today.Answered)
	}

	// It ends: neither abandoned nor answered.
	s.at(30*sec, "queue", "delete_call", `{"id_queue":10,"id_call":"before"}`)
	s.at(31*sec, "trunk", "delete_call", `{"id_trunk":7,"id_call":"tb"}`)
	if q := s.queue("10"); q.Answered != 2 || q.Abandoned != 0 || q.InProgress != 2 {
		t.Errorf("after its end: %+v", q)
	}
	if tr := s.trunk("7"); tr.Missed != 0 || tr.Total != 1 {
		t.Errorf("trunk after its end: %+v", tr)
	}
	row := reportRow(t, s.b.Report(s.now), "before")
	if row.Outcome != OutcomeBeforeStart || !row.Answered.IsZero() || !row.Entered.IsZero() || row.Waited != 0 || row.Ended != t0.Add(30*sec) {
		t.Errorf("report row: %+v; want before_start, no entry, no answer, ended", row)
	}
	if row := reportRow(t, s.b.Report(s.now), "waiting"); row.Outcome != OutcomeInProgress || row.Waited != 40*sec {
		t.Errorf("the call first seen waiting: %+v; want in progress after a 40s wait", row)
	}
}

func TestACallSeenEnteringBeforeAnOutageIsAnsweredAfterIt(t *testing.T) {
	s := newScript(t, Options{})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	s.at(sec, "queue", "insert_call", `{"id_queue":10,"id_call":"c","duration_in_queue":0}`)
	s.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, At: t0.Add(2 * sec)})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0.Add(5 * sec)})
	s.at(6*sec, "queue", "connect_call", `{"id_queue":10,"id_call":"c","id_operator":1}`)
	if q := s.queue("10"); q.Answered != 1 || q.AnsweredBeforeStart != 0 || q.ASA != 5*sec {
		t.Errorf("%+v; want answered once after a 5s wait", q)
	}
}

func TestTimeInStateOnFirstSightComesFromTheEvent(t *testing.T) {
	s := newScript(t, Options{Limits: Limits{Call: 5 * time.Minute}})
	s.at(10*sec, "operator", "status", `{"status":"connected","id_operator":1,"id_call":"c1","id_queue":10,"call_duration":600}`)
	a := s.agent("1")
	if a.InState != 600*sec || a.Alert != AlertCall {
		t.Errorf("first seen ten minutes into a call: in state %v, alert %q; want 10m0s, call", a.InState, a.Alert)
	}
	if tot := s.b.Totals(s.now); tot.OverLimit != 1 {
		t.Errorf("over limit %d, want 1", tot.OverLimit)
	}
	snap := s.b.Snapshot(s.now)
	if sa := snap.Agents[0]; sa.ID != "1" || sa.StateSinceS != 600 || sa.Alert != AlertCall {
		t.Errorf("snapshot: %+v", sa)
	}
	if d := agentDay(t, s.b.Report(s.now), "1"); d.CurrentInState != 600*sec {
		t.Errorf("report: in state %v, want 10m0s", d.CurrentInState)
	}

	// Seen available 10 s ago: the call cannot have begun before that.
	s.at(20*sec, "operator", "status", `{"status":"available","id_operator":2}`)
	s.at(30*sec, "operator", "status", `{"status":"connected","id_operator":2,"id_call":"c2","id_queue":10,"call_duration":600}`)
	if a := s.agent("2"); a.InState != 10*sec {
		t.Errorf("agent 2: in state %v, want 10s (since its last event)", a.InState)
	}
}

func agentDay(t *testing.T, r Report, id string) AgentDay {
	t.Helper()
	for _, d := range r.Agents {
		if d.ID == id {
			return d
		}
	}
	t.Fatalf("no agent %q in the report", id)
	return AgentDay{}
}

func TestAnAgentsAnsweredCountsInboundQueueCallsOnly(t *testing.T) {
	s := newScript(t, Options{})
	// Already on a call when first seen.
	s.at(sec, "operator", "status", `{"status":"connected","id_operator":3,"id_call":"old","id_queue":20,"call_duration":300}`)
	// An outbound call placed and answered by the callee.
	s.at(2*sec, "operator", "status", `{"status":"calling","id_operator":1,"id_call":"-5","id_queue":0,"caller_id_num":"0611"}`)
	s.at(9*sec, "operator", "status", `{"status":"connected","id_operator":1,"id_call":"-5","id_queue":0,"caller_id_num":"0611"}`)
	s.at(60*sec, "operator", "status", `{"status":"available","id_operator":1}`)
	// An outbound call nobody answered.
	s.at(61*sec, "operator", "status", `{"status":"calling","id_operator":1,"id_call":"-6","id_queue":0}`)
	s.at(70*sec, "operator", "status", `{"status":"available","id_operator":1}`)
	// Inbound calls, the agent's status before or after the queue's connect.
	s.at(71*sec, "queue", "insert_call", `{"id_queue":10,"id_call":"a","duration_in_queue":0}`)
	s.at(72*sec, "operator", "status", `{"status":"connected","id_operator":1,"id_call":"a","id_queue":10}`)
	s.at(72*sec, "queue", "connect_call", `{"id_queue":10,"id_call":"a","id_operator":1}`)
	s.at(73*sec, "queue", "insert_call", `{"id_queue":20,"id_call":"b","duration_in_queue":0}`)
	s.at(74*sec, "queue", "connect_call", `{"id_queue":20,"id_call":"b"}`)
	s.at(75*sec, "operator", "status", `{"status":"connected","id_operator":2,"id_call":"b","id_queue":20}`)
	// Transferred to agent 3: still one call answered.
	s.at(90*sec, "operator", "status", `{"status":"available","id_operator":2}`)
	s.at(91*sec, "operator", "status", `{"status":"connected","id_operator":3,"id_call":"b","id_queue":20}`)

	a1, a2, a3 := s.agent("1"), s.agent("2"), s.agent("3")
	if a1.Today.Answered != 1 || a1.Today.Outbound != 1 {
		t.Errorf("agent 1: answered %d, outbound %d; want 1, 1", a1.Today.Answered, a1.Today.Outbound)
	}
	if a2.Today.Answered != 1 || a2.Today.Outbound != 0 {
		t.Errorf("agent 2: answered %d, outbound %d; want 1, 0", a2.Today.Answered, a2.Today.Outbound)
	}
	if a3.Today.Answered != 0 || a3.Today.Outbound != 0 {
		t.Errorf("agent 3: answered %d, outbound %d; want 0, 0 (a call running at start, one transferred)", a3.Today.Answered, a3.Today.Outbound)
	}
	if sum, tot := a1.Today.Answered+a2.Today.Answered+a3.Today.Answered, s.b.Totals(s.now).Answered; sum != tot {
		t.Errorf("the agents answered %d, the queues %d", sum, tot)
	}
	snap := s.b.Snapshot(s.now)
	if snap.Agents[0].Today.Outbound != 1 || snap.Agents[0].Today.Answered != 1 {
		t.Errorf("snapshot agent 1: %+v", snap.Agents[0].Today)
	}
	if d := agentDay(t, s.b.Report(s.now), "1"); d.Answered != 1 || d.Outbound != 1 {
		t.Errorf("report agent 1: %+v", d)
	}
}

func TestACallSweptThenHeardOfAgainIsOneCall(t *testing.T) {
	s := newScript(t, Options{StaleCallWindow: 10 * sec, StaleCallSweep: time.Minute})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	s.at(sec, "queue", "insert_call", `{"id_queue":10,"id_call":"s","duration_in_queue":0}`)
	s.at(2*sec, "trunk", "insert_call", `{"id_trunk":7,"id_call":"ts"}`)
	s.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, At: t0.Add(5 * sec)})
	back := t0.Add(10 * sec)
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: back})
	s.now = back.Add(2 * time.Minute)
	s.b.Tick(s.now) // swept
	if q := s.queue("10"); q.Waiting+q.StaleCalls != 0 {
		t.Fatalf("not swept: %+v", q)
	}
	if row := reportRow(t, s.b.Report(s.now), "s"); row.Outcome != OutcomeUnknown {
		t.Errorf("swept: %+v, want unknown", row)
	}
	s.at(140*sec, "queue", "connect_call", `{"id_queue":10,"id_call":"s","id_operator":1}`)
	s.at(141*sec, "trunk", "connect_call", `{"id_trunk":7,"id_call":"ts"}`)
	if n := offeredToday(s.b, s.now); n != 1 {
		t.Errorf("offered %d times, want once", n)
	}
	q := s.queue("10")
	if q.Answered != 1 || q.AnsweredBeforeStart != 0 || q.ASA != 139*sec {
		t.Errorf("heard of again: %+v; want answered after its 139s wait", q)
	}
	r := s.b.Report(s.now)
	if len(r.Calls) != 1 || r.Calls[0].Outcome != OutcomeInProgress || r.Calls[0].Waited != 139*sec {
		t.Errorf("report: %+v; want one row, in progress", r.Calls)
	}
	if tr := s.trunk("7"); tr.Total != 1 || tr.Answered != 1 || tr.AnsweredBeforeStart != 0 {
		t.Errorf("trunk: %+v; want one call, answered", tr)
	}
	if a := s.agent("1"); a.Today.Answered != 1 {
		t.Errorf("agent 1 answered %d, want 1", a.Today.Answered)
	}
}

func TestACallCrossingMidnightBelongsToTheDayItEntered(t *testing.T) {
	s := newScript(t, Options{StaleCallWindow: 10 * sec, StaleCallSweep: time.Hour})
	midnight := time.Date(2019, 1, 17, 0, 0, 0, 0, time.UTC)
	before := midnight.Sub(t0)
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	s.at(before-3*time.Minute, "queue", "insert_call", `{"id_queue":10,"id_call":"lost","duration_in_queue":0}`)
	s.at(before-2*time.Minute, "queue", "insert_call", `{"id_queue":10,"id_call":"late","duration_in_queue":0}`)
	s.at(before-2*time.Minute, "queue", "insert_call", `{"id_queue":10,"id_call":"gone","duration_in_queue":0}`)
	s.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, At: midnight.Add(-time.Minute)})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: midnight.Add(-30 * sec)})
	s.at(before-25*sec, "queue", "insert_call", `{"id_queue":10,"id_call":"late","duration_in_queue":95}`)
	s.at(before-25*sec, "queue", "insert_call", `{"id_queue":10,"id_call":"gone","duration_in_queue":95}`)
	s.now = midnight.Add(-sec)
	s.b.Tick(s.now) // "lost" is stale
	if row := reportRow(t, s.b.Report(s.now), "lost"); row.Outcome != OutcomeUnknown {
		t.Errorf("before midnight: %+v, want unknown", row)
	}
	s.at(before+time.Minute, "queue", "connect_call", `{"id_queue":10,"id_call":"late","id_operator":1}`)
	s.at(before+2*time.Minute, "queue", "delete_call", `{"id_queue":10,"id_call":"gone"}`)
	r := s.b.Report(s.now)
	if len(r.Calls) != 0 {
		t.Errorf("the next day's report lists yesterday's calls: %+v", r.Calls)
	}
	q := s.queue("10")
	if q.Answered != 0 || q.Abandoned != 0 || q.InProgress != 1 || q.StaleCalls != 1 {
		t.Errorf("the next day: %+v; want nothing counted, one call in progress, one stale", q)
	}
	if a := s.agent("1"); a.Today.Answered != 0 {
		t.Errorf("agent 1 answered %d today, want 0", a.Today.Answered)
	}
	// A call entering today counts today.
	s.at(before+3*time.Minute, "queue", "insert_call", `{"id_queue":10,"id_call":"today","duration_in_queue":0}`)
	s.at(before+3*time.Minute+4*sec, "queue", "connect_call", `{"id_queue":10,"id_call":"today","id_operator":2}`)
	if q := s.queue("10"); q.Answered != 1 || q.ASA != 4*sec {
		t.Errorf("today's call: %+v", q)
	}
}
