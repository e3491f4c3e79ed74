package state

import (
	"fmt"
	"maps"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
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
	// followed to their end for yesterday's report; the lost one is not followed
	after := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.Sub(midnight).String()
	}
	carried := map[string]string{}
	for _, c := range r.Carried {
		carried[c.ID] = c.Outcome + " " + after(c.Answered) + " " + after(c.Ended) + " " + c.Waited.String()
	}
	if want := map[string]string{
		"late": OutcomeInProgress + " 1m0s - 3m0s",
		"gone": OutcomeAbandoned + " - 2m0s 4m0s",
	}; !maps.Equal(carried, want) {
		t.Errorf("yesterday's calls carried: %q, want %q", carried, want)
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

// TestAMorningStartedColdAddsUp plays a morning the board starts in the
// middle of, as the service tells it (an agent's status, then the queue's
// connect_call): two calls already on the line, calls answered (one by a
// connect_call naming no agent), abandoned and short abandoned in two
// queues, a lost caller called back by an outbound call, and an outbound
// call nobody answered. It checks every queue's figures against a count by
// hand, and that the agents' answered add up to the queues'.
func TestAMorningStartedColdAddsUp(t *testing.T) {
	s := newScript(t, Options{ServiceLevelThreshold: 20 * sec, ShortAbandon: 5 * sec, CallerID: CallerFull})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	agent := func(d time.Duration, id, status, callID, queue string, lasted int) {
		s.t.Helper()
		s.at(d, "operator", "status", fmt.Sprintf(`{"id_operator":%s,"status":%q,"id_call":%q,"id_queue":%s,"call_duration":%d,"caller_id_num":"0611"}`, id, status, callID, queue, lasted))
	}
	// The burst after init: two calls on the line for a while, one waiting.
	agent(0, "1", "connected", "old1", "10", 300)
	s.at(0, "queue", "connect_call", `{"id_queue":10,"id_call":"old1","id_operator":1,"call_duration":300}`)
	agent(0, "3", "connected", "old2", "20", 40)
	s.at(0, "queue", "connect_call", `{"id_queue":20,"id_call":"old2","id_operator":3,"call_duration":40}`)
	s.at(0, "queue", "insert_call", `{"id_queue":10,"id_call":"w1","duration_in_queue":12,"caller_id_num":"0622"}`)
	s.at(0, "UI", "login", `{"id_operator":2,"supp":""}`)
	// Support (10): w1 answered by Bob after 12+3 s; s2 after 25 s, by a
	// connect_call naming nobody; s3 abandoned after 30 s; s4 after 2 s.
	agent(3*sec, "2", "connected", "w1", "10", 0)
	s.at(3*sec, "queue", "connect_call", `{"id_queue":10,"id_call":"w1","id_operator":2}`)
	s.at(10*sec, "queue", "delete_call", `{"id_queue":10,"id_call":"old1"}`)
	agent(10*sec, "1", "available", "", "0", 0)
	s.at(20*sec, "queue", "insert_call", `{"id_queue":10,"id_call":"s2","duration_in_queue":0,"caller_id_num":"0633"}`)
	s.at(45*sec, "queue", "connect_call", `{"id_queue":10,"id_call":"s2"}`)
	agent(45*sec, "1", "connected", "s2", "10", 0)
	s.at(50*sec, "queue", "insert_call", `{"id_queue":10,"id_call":"s3","duration_in_queue":0,"caller_id_num":"0644"}`)
	s.at(80*sec, "queue", "delete_call", `{"id_queue":10,"id_call":"s3"}`)
	s.at(81*sec, "queue", "insert_call", `{"id_queue":10,"id_call":"s4","duration_in_queue":0,"caller_id_num":"0655"}`)
	s.at(83*sec, "queue", "delete_call", `{"id_queue":10,"id_call":"s4"}`)
	// Ventes (20): v1 answered by Chloé after 8 s once her old call ended.
	s.at(60*sec, "queue", "delete_call", `{"id_queue":20,"id_call":"old2"}`)
	agent(60*sec, "3", "available", "", "0", 0)
	s.at(70*sec, "queue", "insert_call", `{"id_queue":20,"id_call":"v1","duration_in_queue":0,"caller_id_num":"0666"}`)
	agent(78*sec, "3", "connected", "v1", "20", 0)
	s.at(78*sec, "queue", "connect_call", `{"id_queue":20,"id_call":"v1","id_operator":3}`)
	// Bob calls the lost caller back; then a call nobody answers.
	s.at(100*sec, "queue", "delete_call", `{"id_queue":10,"id_call":"w1"}`)
	agent(100*sec, "2", "available", "", "0", 0)
	s.at(110*sec, "operator", "status", `{"id_operator":2,"status":"calling","id_call":"-1","id_queue":0,"caller_id_num":"0644"}`)
	s.at(118*sec, "operator", "status", `{"id_operator":2,"status":"connected","id_call":"-1","id_queue":0,"caller_id_num":"0644","call_duration":0}`)
	agent(170*sec, "2", "available", "", "0", 0)
	s.at(171*sec, "operator", "status", `{"id_operator":2,"status":"calling","id_call":"-2","id_queue":0,"caller_id_num":"0677"}`)
	agent(190*sec, "2", "available", "", "0", 0)
	s.now = t0.Add(200 * sec)

	support, ventes := s.queue("10"), s.queue("20")
	// by hand: Support answered w1 (15 s) and s2 (25 s), abandoned s3 and
	// s4 (short): SL 1 / (2 + 1) = 33.3 %, ASA 20 s
	if support.Answered != 2 || support.Abandoned != 2 || support.ShortAbandoned != 1 || support.ASA != 20*sec ||
		!support.HasServiceLevel || fmt.Sprintf("%.1f", support.ServiceLevel) != "33.3" || support.AnsweredBeforeStart != 1 {
		t.Errorf("Support: %+v", support)
	}
	if ventes.Answered != 1 || ventes.Abandoned != 0 || ventes.ASA != 8*sec || ventes.ServiceLevel != 100 || ventes.AnsweredBeforeStart != 1 {
		t.Errorf("Ventes: %+v", ventes)
	}
	tot := s.b.Totals(s.now)
	if tot.Answered != 3 || tot.Abandoned != 2 || tot.ASA != 16*sec || tot.ServiceLevel != 50 || tot.AnsweredBeforeStart != 2 {
		t.Errorf("totals: %+v", tot)
	}
	var offered, answered int
	for _, r := range s.b.Intervals(s.now) {
		offered += r.Total.Offered
		answered += r.Total.Answered
	}
	if offered != 5 || answered != 3 {
		t.Errorf("intervals: %d offered, %d answered; want 5, 3", offered, answered)
	}
	sum := 0
	for _, a := range s.b.Agents(s.now) {
		sum += a.Today.Answered
	}
	if sum != tot.Answered {
		t.Errorf("the agents answered %d, the queues %d", sum, tot.Answered)
	}
	alice, bob, chloe := s.agent("1"), s.agent("2"), s.agent("3")
	if alice.Today.Answered != 1 || bob.Today.Answered != 1 || chloe.Today.Answered != 1 || bob.Today.Outbound != 1 || alice.Today.Outbound+chloe.Today.Outbound != 0 {
		t.Errorf("agents' answered/outbound: Alice %d/%d, Bob %d/%d, Chloé %d/%d; want 1/0, 1/1, 1/0",
			alice.Today.Answered, alice.Today.Outbound, bob.Today.Answered, bob.Today.Outbound, chloe.Today.Answered, chloe.Today.Outbound)
	}
	lost := s.b.Calls(s.now).Abandoned
	if len(lost) != 2 || lost[0].ID != "s3" || lost[0].Reached != ReachedCalledBack {
		t.Errorf("lost calls: %+v; want s3 called back", lost)
	}
	outcomes := map[string]int{}
	for _, c := range s.b.Report(s.now).Calls {
		outcomes[c.Outcome]++
	}
	if outcomes[OutcomeBeforeStart] != 2 || outcomes[OutcomeAnswered] != 1 || outcomes[OutcomeInProgress] != 2 ||
		outcomes[OutcomeAbandoned] != 1 || outcomes[OutcomeShortAbandoned] != 1 {
		t.Errorf("report outcomes %v", outcomes)
	}
}

func TestACallLostSightOfThenEndedIsNotAbandoned(t *testing.T) {
	s := newScript(t, Options{StaleCallWindow: 10 * sec, StaleCallSweep: time.Minute})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	s.at(sec, "queue", "insert_call", `{"id_queue":10,"id_call":"swept","duration_in_queue":0}`)
	s.at(sec, "queue", "insert_call", `{"id_queue":10,"id_call":"stale","duration_in_queue":0}`)
	s.at(sec, "queue", "insert_call", `{"id_queue":10,"id_call":"back","duration_in_queue":0}`)
	s.at(sec, "trunk", "insert_call", `{"id_trunk":7,"id_call":"t"}`)
	s.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, At: t0.Add(5 * sec)})
	back := t0.Add(10 * sec)
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: back})
	s.b.Tick(back.Add(30 * sec)) // all stale
	// mentioned again waiting: it was not answered meanwhile
	s.at(40*sec, "queue", "insert_call", `{"id_queue":10,"id_call":"back","duration_in_queue":39}`)
	s.at(45*sec, "queue", "delete_call", `{"id_queue":10,"id_call":"stale"}`)
	s.b.Tick(back.Add(2 * time.Minute)) // "swept" swept
	// Their ends come: they may have been answered while the board did not look.
	s.at(131*sec, "queue", "delete_call", `{"id_queue":10,"id_call":"swept"}`)
	s.at(132*sec, "queue", "delete_call", `{"id_queue":10,"id_call":"back"}`)
	s.at(133*sec, "trunk", "delete_call", `{"id_trunk":7,"id_call":"t"}`)
	if q := s.queue("10"); q.Abandoned != 1 || q.Waiting != 0 || q.StaleCalls != 0 {
		t.Errorf("queue: %+v; want the call mentioned again abandoned alone, nothing left", q)
	}
	if tr := s.trunk("7"); tr.Missed != 0 || tr.Total != 1 {
		t.Errorf("trunk: %+v; want one call, not missed", tr)
	}
	r := s.b.Report(s.now)
	if len(r.Calls) != 3 {
		t.Fatalf("report: %+v; want three rows", r.Calls)
	}
	for _, c := range r.Calls {
		if c.ID == "back" {
			if c.Outcome != OutcomeAbandoned {
				t.Errorf("call back: %s, want abandoned", c.Outcome)
			}
			continue
		}
		if c.Outcome != OutcomeUnknown || c.Ended.IsZero() {
			t.Errorf("call %s: %s, ended %v; want unknown, its end heard", c.ID, c.Outcome, c.Ended)
		}
	}
	if f := s.b.Feed(); f.Rejected != 0 {
		t.Errorf("%d rejected: the swept call's end is its own", f.Rejected)
	}
}

// TestACallAnsweredBeforeTheBoardLookedIsBeforeStart: the burst after init
// may tell a call's entry, then its answer, both dated (by elapse) before
// the board began to look: it was not seen answered either.
func TestACallAnsweredBeforeTheBoardLookedIsBeforeStart(t *testing.T) {
	s := newScript(t, Options{})
	burst := func(elapse int, kind, name, msg string) {
		s.cpt++
		raw := fmt.Sprintf(`{"ts":%d,"elapse":%d,"cpt":%d,"event":{"type_notification":%q,"event":%q,"msg":%s}}`, t0.Unix(), elapse, s.cpt, kind, name, msg)
		s.b.Apply(feedtest.Event(t0, raw), t0)
	}
	burst(90, "queue", "insert_call", `{"id_queue":10,"id_call":"a","duration_in_queue":0}`)
	burst(60, "queue", "connect_call", `{"id_queue":10,"id_call":"a","id_operator":1,"duration_in_queue":30}`)
	burst(50, "trunk", "insert_call", `{"id_trunk":7,"id_call":"t"}`)
	burst(40, "trunk", "connect_call", `{"id_trunk":7,"id_call":"t"}`)
	burst(5, "queue", "insert_call", `{"id_queue":10,"id_call":"w","duration_in_queue":5}`)
	s.at(3*sec, "queue", "connect_call", `{"id_queue":10,"id_call":"w","id_operator":2}`)
	if q := s.queue("10"); q.Answered != 1 || q.AnsweredBeforeStart != 1 || q.ASA != 13*sec || q.InProgress != 2 {
		t.Errorf("queue: %+v; want the call answered before start apart, the one seen waiting answered after 13s", q)
	}
	if n := offeredToday(s.b, s.now); n != 1 {
		t.Errorf("%d offered, want 1", n)
	}
	if tr := s.trunk("7"); tr.Total != 0 || tr.Answered != 0 || tr.AnsweredBeforeStart != 1 || tr.Connected != 1 {
		t.Errorf("trunk: %+v", tr)
	}
	if row := reportRow(t, s.b.Report(s.now), "a"); row.Outcome != OutcomeBeforeStart || !row.Entered.IsZero() {
		t.Errorf("report: %+v", row)
	}
	if a := s.agent("1"); a.Today.Answered != 0 {
		t.Errorf("agent 1 answered %d, want 0", a.Today.Answered)
	}
}

// TestCallDurationAndElapseAreNotCountedTwice: a status dated by its
// elapse at the call's start, whose call_duration says how long the call
// has lasted when sent, says the same thing twice.
func TestCallDurationAndElapseAreNotCountedTwice(t *testing.T) {
	s := newScript(t, Options{})
	raw := fmt.Sprintf(`{"ts":%d,"elapse":120,"cpt":1,"event":{"type_notification":"operator","event":"status","msg":{"id_operator":1,"status":"connected","id_call":"c","id_queue":10,"call_duration":120}}}`, t0.Unix())
	s.b.Apply(feedtest.Event(t0, raw), t0)
	if a := s.agent("1"); a.InState != 120*sec {
		t.Errorf("in state %v, want 2m0s", a.InState)
	}
}

// TestAfterARestartTheJournalsCallsAreNotBeforeStart: a board that
// replays its journal saw its calls enter: answered while it was not
// running (the burst after init dating the answer then), they are answered
// as any other; a call that entered and was answered meanwhile is not.
func TestAfterARestartTheJournalsCallsAreNotBeforeStart(t *testing.T) {
	s := newScript(t, Options{})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	s.at(10*sec, "queue", "insert_call", `{"id_queue":10,"id_call":"kept","duration_in_queue":0}`)
	s.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, Reason: feed.ReasonNotRunning, At: t0.Add(20 * sec)})
	restart := t0.Add(5 * time.Minute)
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: restart})
	burst := func(elapse int, msg string) {
		s.cpt++
		raw := fmt.Sprintf(`{"ts":%d,"elapse":%d,"cpt":%d,"event":{"type_notification":"queue","event":"connect_call","msg":%s}}`, restart.Unix(), elapse, s.cpt, msg)
		s.b.Apply(feedtest.Event(restart, raw), restart)
	}
	burst(200, `{"id_queue":10,"id_call":"kept","id_operator":1}`)
	burst(100, `{"id_queue":10,"id_call":"unseen","id_operator":2}`)
	s.now = restart
	if q := s.queue("10"); q.Answered != 1 || q.ASA != 90*sec || q.AnsweredBeforeStart != 1 {
		t.Errorf("%+v; want the journal's call answered after 90s, the other apart", q)
	}
}
