package state

import (
	"fmt"
	"math"
	"strconv"
	"testing"
	"time"

	"callboard/internal/testkit/feedtest"
)

// TestTheDayByInterval: calls count in the interval of their event
// (offered when entered, answered when answered, abandoned when they
// left), per queue and in total; an agent's time in a state is split
// across the intervals it spans, as mean agents.
func TestTheDayByInterval(t *testing.T) {
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	b := New(Options{Location: time.UTC, Interval: 30 * time.Minute, ServiceLevelThreshold: 20 * sec, ShortAbandon: 5 * sec}, day)
	cpt := 0
	at := func(hm string, kind, name, msg string) {
		t.Helper()
		when, err := time.Parse("2006-01-02 15:04:05", "2026-11-24 "+hm)
		if err != nil {
			t.Fatal(err)
		}
		cpt++
		raw := `{"ts":` + itoa(int(when.Unix())) + `,"elapse":0,"cpt":` + itoa(cpt) + `,"event":{"type_notification":"` + kind + `","event":"` + name + `","msg":` + msg + `}}`
		b.Apply(feedtest.Event(when, raw), when)
	}
	// agent 1 logs in at 09:10, takes a pause 09:50–10:05; agent 2 logs in at 09:40
	at("09:10:00", "UI", "login", ui("1", ""))
	at("09:40:00", "UI", "login", ui("2", ""))
	at("09:50:00", "UI", "pause", ui("1", "4"))
	at("10:05:00", "UI", "login", ui("1", ""))
	// queue 10: call 1 enters 09:29:50, answered 09:30:05 (15 s, in SL): offered in 09:00, answered in 09:30
	at("09:29:50", "queue", "insert_call", insertCall(1, 10, "1", ""))
	at("09:30:05", "queue", "connect_call", queueCall(1, 10))
	// queue 20: call 2 abandoned after 3 s (short), call 3 after 40 s, both in 09:30
	at("09:31:00", "queue", "insert_call", insertCall(2, 20, "2", ""))
	at("09:31:03", "queue", "delete_call", queueCall(2, 20))
	at("09:32:00", "queue", "insert_call", insertCall(3, 20, "3", ""))
	at("09:32:40", "queue", "delete_call", queueCall(3, 20))
	asOf := time.Date(2026, 11, 24, 10, 15, 0, 0, time.UTC)
	rows := b.Intervals(asOf)
	if len(rows) != 21 || !rows[0].Start.Equal(day) || !rows[20].Start.Equal(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("%d intervals from %v, want the 21 from midnight to 10:00", len(rows), rows[0].Start)
	}
	r900, r930, r1000 := rows[18], rows[19], rows[20]
	if f := r900.Total; f.Offered != 1 || f.Answered != 0 {
		t.Errorf("09:00 total %+v, want 1 offered, none answered", f)
	}
	if f := r930.Total; f.Offered != 2 || f.Answered != 1 || f.Abandoned != 2 || f.ShortAbandoned != 1 || f.AnsweredInSL != 1 || f.LongestWait != 40*sec || f.ASA != 15*sec {
		t.Errorf("09:30 total %+v", f)
	}
	// SL = in SL ÷ (answered + abandoned − short ones) = 1 ÷ 2
	if f := r930.Total; !f.HasServiceLevel || f.ServiceLevel != 50 {
		t.Errorf("09:30 service level %v (%v), want 50 %%", f.ServiceLevel, f.HasServiceLevel)
	}
	if len(r930.Queues) != 2 || r930.Queues[0].QueueID != "10" || r930.Queues[1].Abandoned != 2 {
		t.Errorf("09:30 queues %+v, want 10 then 20 with its 2 abandoned", r930.Queues)
	}
	// presence: 09:00–09:30 agent 1 for 20 min of 30: 0.667 logged in and reachable
	near := func(got, want float64) bool { return math.Abs(got-want) < 0.001 }
	if !near(r900.AgentsLoggedIn, 20.0/30) || !near(r900.AgentsReachable, 20.0/30) || r900.AgentsPaused != 0 {
		t.Errorf("09:00 agents %v / %v / %v, want 0.667 logged in and reachable", r900.AgentsLoggedIn, r900.AgentsReachable, r900.AgentsPaused)
	}
	// 09:30–10:00: agent 1 all along (10 min paused), agent 2 for 20 min
	if !near(r930.AgentsLoggedIn, 50.0/30) || !near(r930.AgentsReachable, 40.0/30) || !near(r930.AgentsPaused, 10.0/30) {
		t.Errorf("09:30 agents %v / %v / %v, want 1.667, 1.333, 0.333", r930.AgentsLoggedIn, r930.AgentsReachable, r930.AgentsPaused)
	}
	// 10:00–10:15 so far: agent 1 paused 5 min then back, agent 2 all along: over 15 min
	if !near(r1000.AgentsLoggedIn, 2) || !near(r1000.AgentsReachable, 25.0/15) || !near(r1000.AgentsPaused, 5.0/15) {
		t.Errorf("10:00 agents %v / %v / %v, want 2, 1.667, 0.333", r1000.AgentsLoggedIn, r1000.AgentsReachable, r1000.AgentsPaused)
	}
	// a new day starts with its own intervals
	at("23:59:59", "UI", "login", ui("2", ""))
	next := time.Date(2026, 11, 25, 0, 10, 0, 0, time.UTC)
	b.Tick(next)
	if rows := b.Intervals(next); len(rows) != 1 || rows[0].Total.Offered != 0 || !near(rows[0].AgentsLoggedIn, 2) {
		t.Errorf("the next day: %+v, want one interval, no call, 2 agents", rows)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestACallIsOfferedWhenItEntered: a call first seen already waiting (after
// an init or a reconnect) is offered in the interval it entered, by its
// duration_in_queue; one that entered before the board began to look, in
// the board's first interval.
func TestACallIsOfferedWhenItEntered(t *testing.T) {
	since := time.Date(2026, 11, 24, 9, 20, 0, 0, time.UTC)
	b := New(Options{Location: time.UTC, Interval: 30 * time.Minute}, since)
	seen := func(at time.Time, call int, waited int) {
		t.Helper()
		msg := fmt.Sprintf(`{"id_call":%d,"id_queue":10,"caller_id_num":"1","duration_in_queue":%d}`, call, waited)
		raw := `{"ts":` + itoa(int(at.Unix())) + `,"elapse":0,"event":{"type_notification":"queue","event":"insert_call","msg":` + msg + `}}`
		b.Apply(feedtest.Event(at, raw), at)
	}
	seen(time.Date(2026, 11, 24, 9, 30, 10, 0, time.UTC), 1, 20)  // entered 09:29:50
	seen(time.Date(2026, 11, 24, 9, 30, 10, 0, time.UTC), 2, 5)   // entered 09:30:05
	seen(time.Date(2026, 11, 24, 9, 30, 10, 0, time.UTC), 3, 900) // entered 09:15:10, before the board
	rows := b.Intervals(time.Date(2026, 11, 24, 9, 31, 0, 0, time.UTC))
	if len(rows) != 2 || rows[0].Total.Offered != 2 || rows[1].Total.Offered != 1 {
		var got []int
		for _, r := range rows {
			got = append(got, r.Total.Offered)
		}
		t.Errorf("offered per interval %v, want [2 1]: calls 1 and 3 in 09:00, call 2 in 09:30", got)
	}
}

// TestAnAgentsPeriodsNeverOverlap: an event dated before the agent's
// current period began (a large elapse, as in a burst after a reconnect)
// ends that period where it began; the agent is never counted twice over
// the same time, so the mean agents logged in stays within the agents
// there are.
func TestAnAgentsPeriodsNeverOverlap(t *testing.T) {
	day := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	b := New(Options{Location: time.UTC, Interval: 30 * time.Minute}, day)
	apply := func(at time.Time, elapse int, kind, name, msg string) {
		t.Helper()
		raw := `{"ts":` + itoa(int(at.Unix())) + `,"elapse":` + itoa(elapse) + `,"event":{"type_notification":"` + kind + `","event":"` + name + `","msg":` + msg + `}}`
		b.Apply(feedtest.Event(at, raw), at)
	}
	apply(day, 0, "UI", "login", ui("1", ""))
	apply(day.Add(10*time.Minute), 0, "operator", "status", op("1", "connected"))
	// received at 09:12, said to have happened 5 minutes before: before the call began
	apply(day.Add(12*time.Minute), 300, "operator", "status", op("1", "available"))
	rows := b.Intervals(day.Add(20 * time.Minute))
	if len(rows) != 1 {
		t.Fatalf("%d intervals", len(rows))
	}
	if r := rows[0]; r.AgentsLoggedIn > 1.0001 || r.AgentsReachable > 1.0001 {
		t.Errorf("one agent, means logged in %.3f and reachable %.3f: counted twice", r.AgentsLoggedIn, r.AgentsReachable)
	}
}
