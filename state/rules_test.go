package state

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
)

// script drives a board with vendor-shaped events at given offsets.
type script struct {
	t   *testing.T
	b   *Board
	now time.Time
	cpt int
}

func newScript(t *testing.T, opts Options) *script {
	t.Helper()
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.CallerID == "" {
		opts.CallerID = CallerFull
	}
	b := New(opts, t0)
	b.SetDirectory(feed.Directory{
		Agents: []feed.Agent{
			{ID: "1", Name: "Alice", Groups: []feed.Text{"10"}},
			{ID: "2", Name: "Bob", Groups: []feed.Text{"10", "20"}},
			{ID: "3", Name: "Chloé", Groups: []feed.Text{"20"}},
		},
		Groups: []feed.Named{{ID: "10", Name: "Support"}, {ID: "20", Name: "Ventes"}},
		Trunks: []feed.Named{{ID: "7", Name: "Standard"}},
		Pauses: []feed.Named{{ID: "4", Name: "Déjeuner"}, {ID: "5", Name: "Formation"}},
	}, t0)
	return &script{t: t, b: b, now: t0}
}

// at moves the clock to t0+d and applies an event of kind/name with msg.
func (s *script) at(d time.Duration, kind, name, msg string) *script {
	s.t.Helper()
	s.now = t0.Add(d)
	s.cpt++
	s.b.Apply(feedtest.Update(s.now, s.cpt, kind, name, msg), s.now)
	return s
}

func (s *script) agent(id string) AgentRow {
	s.t.Helper()
	return agentByID(s.t, s.b.Agents(s.now), id)
}

func (s *script) queue(id string) QueueRow {
	s.t.Helper()
	for _, q := range s.b.Queues(s.now) {
		if q.ID == id {
			return q
		}
	}
	s.t.Fatalf("no queue %q", id)
	return QueueRow{}
}

func (s *script) trunk(id string) TrunkRow {
	s.t.Helper()
	for _, r := range s.b.Trunks() {
		if r.ID == id {
			return r
		}
	}
	s.t.Fatalf("no trunk %q", id)
	return TrunkRow{}
}

const sec = time.Second

func op(id, status string) string {
	return fmt.Sprintf(`{"id_operator":%s,"status":%q,"id_call":"c1","id_queue":10,"caller_id_num":"33612345678","rec":1}`, id, status)
}

// TestTheBurstAfterAReconnectDoesNotStartStatesOver: after an outage, the
// events that describe an agent's state again (login, then pause; login,
// then the same call) keep its time in state and count no second answer;
// a real change after them starts the clock as usual.
func TestTheBurstAfterAReconnectDoesNotStartStatesOver(t *testing.T) {
	s := newScript(t, Options{})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	s.at(0, "UI", "login", ui("1", ""))
	s.at(0, "UI", "login", ui("2", ""))
	s.at(5*sec, "UI", "pause", ui("1", "4"))
	s.at(9*sec, "queue", "insert_call", `{"id_queue":10,"id_call":"c1","duration_in_queue":0}`)
	s.at(10*sec, "operator", "status", op("2", "connected"))
	s.at(10*sec, "queue", "connect_call", `{"id_queue":10,"id_call":"c1","id_operator":2}`)
	s.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, At: t0.Add(100 * sec)})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0.Add(130 * sec)})
	// the burst after init: each agent described from its login on
	s.at(130*sec, "UI", "login", ui("1", ""))
	s.at(130*sec, "UI", "pause", ui("1", "4"))
	s.at(130*sec, "UI", "login", ui("2", ""))
	s.at(130*sec, "operator", "status", op("2", "connected"))
	s.now = t0.Add(140 * sec)
	if a := s.agent("1"); a.State != Paused || a.InState != 135*sec || a.Stale {
		t.Errorf("agent 1: %s for %v (stale %v), want paused for 2m15s, as before the outage", a.State, a.InState, a.Stale)
	}
	if a := s.agent("2"); a.State != OnCall || a.InState != 130*sec || a.Today.Answered != 1 {
		t.Errorf("agent 2: %s for %v, %d answered; want on a call for 2m10s, 1 answered", a.State, a.InState, a.Today.Answered)
	}
	s.at(150*sec, "operator", "status", op("2", "available"))
	s.at(155*sec, "queue", "insert_call", `{"id_queue":10,"id_call":"c2","duration_in_queue":0}`)
	s.at(160*sec, "queue", "connect_call", `{"id_queue":10,"id_call":"c2","id_operator":2}`)
	s.at(160*sec, "operator", "status", strings.Replace(op("2", "connected"), `"c1"`, `"c2"`, 1))
	s.now = t0.Add(170 * sec)
	if a := s.agent("2"); a.InState != 10*sec || a.Today.Answered != 2 {
		t.Errorf("agent 2 on a new call: for %v, %d answered; want 10s, 2", a.InState, a.Today.Answered)
	}
}

func ui(id, supp string) string { return fmt.Sprintf(`{"id_operator":%s,"supp":%q}`, id, supp) }

func TestAgentStatePrecedence(t *testing.T) {
	cases := []struct {
		name   string
		steps  func(s *script)
		want   AgentState
		status string
		reason string
	}{
		{"no event yet", func(s *script) {}, Unknown, "", ""},
		{"login without status", func(s *script) { s.at(sec, "UI", "login", ui("1", "")) }, Available, "", ""},
		{"status available", func(s *script) { s.at(sec, "operator", "status", op("1", "available")) }, Available, "available", ""},
		{"ringing", func(s *script) { s.at(sec, "operator", "status", op("1", "ringing")) }, Ringing, "ringing", ""},
		{"calling", func(s *script) { s.at(sec, "operator", "status", op("1", "calling")) }, Calling, "calling", ""},
		{"connected is on_call", func(s *script) { s.at(sec, "operator", "status", op("1", "connected")) }, OnCall, "connected", ""},
		{"unavailable", func(s *script) { s.at(sec, "operator", "status", op("1", "unavailable")) }, Unavailable, "unavailable", ""},
		{"unknown status is other, raw kept", func(s *script) { s.at(sec, "operator", "status", op("1", "transfert_start")) }, Other, "transfert_start", ""},
		{"paused beats available", func(s *script) {
			s.at(sec, "operator", "status", op("1", "available")).at(2*sec, "UI", "pause", ui("1", "4"))
		}, Paused, "available", "Déjeuner"},
		{"paused beats unavailable and other", func(s *script) {
			s.at(sec, "UI", "pause", ui("1", "4")).at(2*sec, "operator", "status", op("1", "transfert_start"))
		}, Paused, "transfert_start", "Déjeuner"},
		{"a call beats paused", func(s *script) {
			s.at(sec, "UI", "pause", ui("1", "4")).at(2*sec, "operator", "status", op("1", "ringing"))
		}, Ringing, "ringing", ""},
		{"paused again after the call", func(s *script) {
			s.at(sec, "UI", "pause", ui("1", "4")).at(2*sec, "operator", "status", op("1", "connected")).at(3*sec, "operator", "status", op("1", "available"))
		}, Paused, "available", "Déjeuner"},
		{"logged_out beats everything", func(s *script) {
			s.at(sec, "operator", "status", op("1", "connected")).at(2*sec, "UI", "logout", ui("1", ""))
		}, LoggedOut, "", ""},
		{"logout then login", func(s *script) {
			s.at(sec, "operator", "status", op("1", "connected")).at(2*sec, "UI", "logout", ui("1", "")).at(3*sec, "UI", "login", ui("1", ""))
		}, Available, "", ""},
		{"pause ends on pause with empty supp", func(s *script) {
			s.at(sec, "UI", "pause", ui("1", "4")).at(2*sec, "UI", "pause", ui("1", ""))
		}, Available, "", ""},
		{"pause ends on login", func(s *script) { s.at(sec, "UI", "pause", ui("1", "4")).at(2*sec, "UI", "login", ui("1", "")) }, Available, "", ""},
		{"pause ends on logout", func(s *script) { s.at(sec, "UI", "pause", ui("1", "4")).at(2*sec, "UI", "logout", ui("1", "")) }, LoggedOut, "", ""},
		{"pause reason of an unknown id is the raw id", func(s *script) { s.at(sec, "UI", "pause", ui("1", "99")) }, Paused, "", "99"},
		{"a new pause changes the reason", func(s *script) {
			s.at(sec, "UI", "pause", ui("1", "4")).at(2*sec, "UI", "pause", ui("1", "5"))
		}, Paused, "", "Formation"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newScript(t, Options{})
			c.steps(s)
			a := s.agent("1")
			if a.State != c.want || a.Status != c.status || a.PauseReason != c.reason {
				t.Errorf("state %s, status %q, reason %q; want %s, %q, %q", a.State, a.Status, a.PauseReason, c.want, c.status, c.reason)
			}
		})
	}
}

func TestPauseRulesFromOptions(t *testing.T) {
	s := newScript(t, Options{ResumePauseIDs: []string{"0"}, PauseLabels: map[string]string{"5": "Training", "6": "Coaching"}})
	s.at(sec, "UI", "pause", ui("1", "5"))
	if a := s.agent("1"); a.PauseReason != "Training" {
		t.Errorf("configured label: reason %q", a.PauseReason)
	}
	s.at(2*sec, "UI", "pause", ui("1", "6"))
	if a := s.agent("1"); a.PauseReason != "Coaching" {
		t.Errorf("added label: reason %q", a.PauseReason)
	}
	s.at(3*sec, "UI", "pause", ui("1", "4"))
	if a := s.agent("1"); a.PauseReason != "Déjeuner" {
		t.Errorf("directory label: reason %q", a.PauseReason)
	}
	s.at(4*sec, "UI", "pause", ui("1", "0"))
	if a := s.agent("1"); a.State != Available {
		t.Errorf("resume id 0: state %s", a.State)
	}
	s.at(5*sec, "UI", "pause", ui("1", ""))
	if a := s.agent("1"); a.State != Paused || a.PauseReason != "" {
		t.Errorf("with resume_ids [\"0\"], an empty supp is a pause: %s %q", a.State, a.PauseReason)
	}
}

func TestAgentTimesAndTotals(t *testing.T) {
	s := newScript(t, Options{})
	s.at(0, "UI", "login", ui("1", ""))
	s.at(5*sec, "queue", "insert_call", `{"id_queue":10,"id_call":"c1","duration_in_queue":0}`)
	s.at(10*sec, "operator", "status", op("1", "ringing"))
	s.at(15*sec, "operator", "status", op("1", "connected"))
	s.at(15*sec, "queue", "connect_call", `{"id_queue":10,"id_call":"c1","id_operator":1}`)
	s.at(75*sec, "operator", "status", op("1", "available"))
	s.at(80*sec, "UI", "pause", ui("1", "4"))
	s.at(100*sec, "UI", "login", ui("1", ""))
	s.at(105*sec, "queue", "insert_call", `{"id_queue":10,"id_call":"c2","duration_in_queue":0}`)
	s.at(110*sec, "queue", "connect_call", `{"id_queue":10,"id_call":"c2"}`) // no id_operator: the agent on it
	s.at(110*sec, "operator", "status", strings.Replace(op("1", "connected"), `"c1"`, `"c2"`, 1))
	s.now = t0.Add(130 * sec)
	a := s.agent("1")
	if a.Today.Answered != 2 || a.Today.OnCall != 80*sec || a.Today.Paused != 20*sec {
		t.Errorf("today = %+v, want 2 answered, 80s on call (60 closed + 20 ongoing), 20s paused", a.Today)
	}
	if a.InState != 20*sec {
		t.Errorf("in state %v, want 20s", a.InState)
	}
	if a.Call == nil || a.Call.ID != "c2" || a.Call.QueueID != "10" || a.Call.QueueName != "Support" || !a.Call.Recorded || a.Call.Caller != "33612345678" {
		t.Errorf("call = %+v", a.Call)
	}
}

func TestElapseDatesTheEvent(t *testing.T) {
	s := newScript(t, Options{})
	s.now = t0.Add(time.Minute)
	raw := `{"ts":1,"elapse":30,"cpt":1,"event":{"type_notification":"UI","event":"pause","msg":{"id_operator":1,"supp":"4"}}}`
	s.b.Apply(feedtest.Event(s.now, raw), s.now)
	if a := s.agent("1"); a.InState != 30*sec {
		t.Errorf("in state %v, want 30s (received now, elapse 30)", a.InState)
	}
}

func TestQueueRules(t *testing.T) {
	ins := func(call string, inQueue int) string {
		return fmt.Sprintf(`{"id_queue":10,"id_call":%s,"caller_id_num":"33100000000","duration_in_queue":%d}`, call, inQueue)
	}
	conn := func(call string) string {
		return fmt.Sprintf(`{"id_queue":"10","id_call":%s,"id_operator":1,"status":"connected"}`, call)
	}
	del := func(call string) string { return fmt.Sprintf(`{"id_queue":10,"id_call":%s}`, call) }

	t.Run("waiting and longest wait count from duration_in_queue", func(t *testing.T) {
		s := newScript(t, Options{})
		s.at(0, "queue", "insert_call", ins("1", 12)).at(5*sec, "queue", "insert_call", ins("2", 0))
		s.now = t0.Add(10 * sec)
		if q := s.queue("10"); q.Waiting != 2 || q.LongestWait != 22*sec {
			t.Errorf("%+v", q)
		}
	})
	t.Run("answer: wait, ASA, service level", func(t *testing.T) {
		s := newScript(t, Options{})
		s.at(0, "queue", "insert_call", ins("1", 0)).at(0, "queue", "insert_call", ins("2", 0))
		s.at(20*sec, "queue", "connect_call", conn("1")) // within 20 s
		s.at(30*sec, "queue", "connect_call", conn(`"2"`))
		q := s.queue("10")
		if q.Answered != 2 || q.Waiting != 0 || q.InProgress != 2 || q.ASA != 25*sec {
			t.Errorf("%+v", q)
		}
		if !q.HasServiceLevel || q.ServiceLevel != 50 {
			t.Errorf("service level %v (%v), want 50", q.ServiceLevel, q.HasServiceLevel)
		}
	})
	t.Run("abandon and short abandon", func(t *testing.T) {
		s := newScript(t, Options{})
		s.at(0, "queue", "insert_call", ins("1", 0)).at(0, "queue", "insert_call", ins("2", 0)).at(0, "queue", "insert_call", ins("3", 0))
		s.at(4*sec, "queue", "delete_call", del("1"))     // short
		s.at(5*sec, "queue", "delete_call", del("2"))     // not short: 5 s is not less than 5 s
		s.at(10*sec, "queue", "connect_call", conn("3"))  // answered in SL
		s.at(100*sec, "queue", "delete_call", del(`"3"`)) // handled call ends
		q := s.queue("10")
		if q.Abandoned != 2 || q.ShortAbandoned != 1 || q.Answered != 1 || q.InProgress != 0 || q.Waiting != 0 {
			t.Errorf("%+v", q)
		}
		if !q.HasServiceLevel || q.ServiceLevel != 50 {
			t.Errorf("service level %v, want 1 in SL / (1 answered + 1 counted abandon) = 50", q.ServiceLevel)
		}
	})
	t.Run("service level undefined without calls, or with only short abandons", func(t *testing.T) {
		s := newScript(t, Options{})
		if q := s.queue("10"); q.HasServiceLevel {
			t.Errorf("%+v", q)
		}
		s.at(0, "queue", "insert_call", ins("1", 0)).at(2*sec, "queue", "delete_call", del("1"))
		if q := s.queue("10"); q.HasServiceLevel || q.Abandoned != 1 || q.ShortAbandoned != 1 {
			t.Errorf("%+v", q)
		}
		if tot := s.b.Totals(s.now); tot.HasServiceLevel {
			t.Errorf("totals %+v", tot)
		}
	})
	t.Run("configured threshold and short abandon", func(t *testing.T) {
		s := newScript(t, Options{ServiceLevelThreshold: 10 * sec, ShortAbandon: time.Nanosecond})
		s.at(0, "queue", "insert_call", ins("1", 0)).at(0, "queue", "insert_call", ins("2", 0))
		s.at(15*sec, "queue", "connect_call", conn("1")).at(2*sec, "queue", "delete_call", del("2"))
		if q := s.queue("10"); q.ServiceLevel != 0 || !q.HasServiceLevel || q.ShortAbandoned != 0 {
			t.Errorf("%+v", q)
		}
	})
	t.Run("the same insert twice counts once", func(t *testing.T) {
		s := newScript(t, Options{})
		s.at(0, "queue", "insert_call", ins("1", 0)).at(3*sec, "queue", "insert_call", ins(`"1"`, 3))
		if q := s.queue("10"); q.Waiting != 1 || q.LongestWait != 3*sec {
			t.Errorf("%+v", q)
		}
	})
	t.Run("connect before insert", func(t *testing.T) {
		// on the line before the board saw it enter: counted apart
		s := newScript(t, Options{})
		s.at(0, "queue", "connect_call", conn("1")).at(sec, "queue", "insert_call", ins("1", 0))
		s.at(2*sec, "queue", "connect_call", conn("1"))
		if q := s.queue("10"); q.Answered != 0 || q.AnsweredBeforeStart != 1 || q.Waiting != 0 || q.InProgress != 1 {
			t.Errorf("%+v", q)
		}
		s.at(3*sec, "queue", "delete_call", del("1"))
		if q := s.queue("10"); q.Abandoned != 0 || q.InProgress != 0 {
			t.Errorf("%+v", q)
		}
	})
	t.Run("delete for a call never seen", func(t *testing.T) {
		s := newScript(t, Options{})
		s.at(0, "queue", "delete_call", del("-17137"))
		if q := s.queue("10"); q.Abandoned != 0 {
			t.Errorf("%+v", q)
		}
		if f := s.b.Feed(); f.Rejected != 1 || f.RejectedBy[ReasonUnknownCall] != 1 {
			t.Errorf("%+v", f)
		}
		if ev := s.b.Events(); len(ev) != 1 || ev[0].Rejected != ReasonUnknownCall || len(ev[0].Raw) == 0 {
			t.Errorf("event log %+v", ev)
		}
	})
	t.Run("negative call ids, numbers and strings are one call", func(t *testing.T) {
		s := newScript(t, Options{})
		s.at(0, "queue", "insert_call", ins("-17137", 0)).at(sec, "queue", "connect_call", conn(`"-17137"`))
		if q := s.queue("10"); q.Answered != 1 || q.Waiting != 0 || q.InProgress != 1 {
			t.Errorf("%+v", q)
		}
	})
	t.Run("staffing of the group", func(t *testing.T) {
		s := newScript(t, Options{})
		s.at(0, "UI", "login", ui("1", "")).at(0, "operator", "status", op("2", "connected")).at(0, "UI", "pause", ui("3", "4"))
		q10, q20 := s.queue("10"), s.queue("20")
		if q10.AgentsLoggedIn != 2 || q10.AgentsAvailable != 1 || q10.AgentsOnCall != 1 || q10.AgentsPaused != 0 {
			t.Errorf("Support %+v", q10)
		}
		if q20.AgentsLoggedIn != 2 || q20.AgentsAvailable != 0 || q20.AgentsOnCall != 1 || q20.AgentsPaused != 1 {
			t.Errorf("Ventes %+v", q20)
		}
	})
}

func TestTrunkRules(t *testing.T) {
	m := func(call string) string {
		return fmt.Sprintf(`{"id_trunk":"7","id_call":%s,"caller_id_num":"331"}`, call)
	}
	s := newScript(t, Options{})
	s.at(0, "trunk", "insert_call", m("1")).at(0, "trunk", "insert_call", m("2")).at(0, "trunk", "insert_call", m(`"1"`))
	if r := s.trunk("7"); r.Ringing != 2 || r.Total != 2 || r.Name != "Standard" {
		t.Errorf("%+v", r)
	}
	s.at(sec, "trunk", "connect_call", m("1")).at(2*sec, "trunk", "connect_call", m("1"))
	if r := s.trunk("7"); r.Ringing != 1 || r.Connected != 1 || r.Answered != 1 {
		t.Errorf("%+v", r)
	}
	s.at(3*sec, "trunk", "delete_call", m("2")).at(4*sec, "trunk", "delete_call", m("1"))
	if r := s.trunk("7"); r.Ringing != 0 || r.Connected != 0 || r.Total != 2 || r.Answered != 1 || r.Missed != 1 {
		t.Errorf("%+v", r)
	}
	s.at(5*sec, "trunk", "connect_call", m("3")) // connect before insert: counted apart
	if r := s.trunk("7"); r.Connected != 1 || r.Total != 2 || r.Answered != 1 || r.AnsweredBeforeStart != 1 {
		t.Errorf("%+v", r)
	}
}

func TestMessyInputIsCountedNeverFatal(t *testing.T) {
	s := newScript(t, Options{})
	bad := []struct{ raw, reason string }{
		{`{"cpt":1,"event":{"type_notification":"UI","event":"login","msg":"oops"}}`, "msg is not an object"},
		{`{"cpt":2,"event":{"type_notification":"UI","event":"login","msg":{}}}`, ReasonMissingOperator},
		{`{"cpt":3,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_call":1}}}`, ReasonMissingQueue},
		{`{"cpt":4,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":1}}}`, ReasonMissingCall},
		{`{"cpt":5,"event":{"type_notification":"trunk","event":"insert_call","msg":{"id_call":1}}}`, ReasonMissingTrunk},
		{`not json`, "payload is not an object"},
		{`{"cpt":6,"event":{"type_notification":"operator","event":"status","msg":{"id_operator":{"x":1}}}}`, "bad msg field"},
	}
	for _, c := range bad {
		s.b.Apply(feedtest.Event(s.now, c.raw), s.now)
	}
	f := s.b.Feed()
	if f.Rejected != len(bad) || f.Events != len(bad) {
		t.Errorf("rejected %d of %d events, want all %d", f.Rejected, f.Events, len(bad))
	}
	for _, c := range bad {
		if f.RejectedBy[c.reason] == 0 {
			t.Errorf("no rejection counted as %q: %v", c.reason, f.RejectedBy)
		}
	}
	log := s.b.Events()
	if len(log) != len(bad) || string(log[0].Raw) != bad[len(bad)-1].raw {
		t.Errorf("the event log does not keep the raw rejected events, newest first: %+v", log)
	}

	// unknown ids get placeholder rows
	s.at(sec, "operator", "status", `{"id_operator":"4242","status":"available"}`)
	s.at(sec, "queue", "insert_call", `{"id_queue":999,"id_call":1}`)
	s.at(sec, "trunk", "insert_call", `{"id_trunk":998,"id_call":1}`)
	if a := s.agent("4242"); !a.Placeholder || a.Name != "#4242" || a.State != Available {
		t.Errorf("placeholder agent %+v", a)
	}
	if q := s.queue("999"); !q.Placeholder || q.Name != "#999" || q.Waiting != 1 {
		t.Errorf("placeholder queue %+v", q)
	}
	if r := s.trunk("998"); !r.Placeholder || r.Name != "#998" || r.Ringing != 1 {
		t.Errorf("placeholder trunk %+v", r)
	}
	// unknown kinds and names are kept, counted, and not rejected
	s.at(sec, "PUSHCALL", "whatever", `{"id_operator":1}`)
	s.at(sec, "supervision", "hello", `{}`)
	s.at(sec, "UI", "wrapup", ui("1", ""))
	if f := s.b.Feed(); f.Unknown != 2 || f.Rejected != len(bad) {
		t.Errorf("unknown %d (want 2: a new kind and a new UI event), rejected %d", f.Unknown, f.Rejected)
	}
	// a directory that arrives later names the placeholders
	s.b.SetDirectory(feed.Directory{Agents: []feed.Agent{{ID: "4242", Name: "Zoé"}}, Groups: []feed.Named{{ID: "999", Name: "Late"}}}, s.now)
	if a := s.agent("4242"); a.Placeholder || a.Name != "Zoé" || a.State != Available {
		t.Errorf("named later: %+v", a)
	}
}

func TestSequenceGapsAndResets(t *testing.T) {
	b := New(Options{}, t0)
	for _, cpt := range []int{5, 6, 7, 9, 10, 1, 2} {
		raw := fmt.Sprintf(`{"cpt":%d,"event":{"type_notification":"UI","event":"login","msg":{"id_operator":1}}}`, cpt)
		b.Apply(feedtest.Event(t0, raw), t0)
	}
	b.Apply(feedtest.Event(t0, `{"event":{"type_notification":"UI","event":"login","msg":{"id_operator":1}}}`), t0)
	if f := b.Feed(); f.Gaps != 2 {
		t.Errorf("gaps = %d, want 2 (7→9 and the reset 10→1)", f.Gaps)
	}
}

func TestDayRollover(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	start := time.Date(2026, 3, 10, 23, 0, 0, 0, paris)
	b := New(Options{Location: paris, CallerID: CallerFull}, start)
	apply := func(at time.Time, kind, name, msg string) {
		raw := fmt.Sprintf(`{"event":{"type_notification":%q,"event":%q,"msg":%s}}`, kind, name, msg)
		b.Apply(feedtest.Event(at, raw), at)
	}
	apply(start, "queue", "insert_call", `{"id_queue":10,"id_call":1}`)
	apply(start, "queue", "insert_call", `{"id_queue":10,"id_call":2}`)
	apply(start.Add(10*sec), "queue", "connect_call", `{"id_queue":10,"id_call":1}`)
	apply(start.Add(20*sec), "queue", "delete_call", `{"id_queue":10,"id_call":1}`)
	apply(start.Add(30*time.Minute), "operator", "status", `{"id_operator":1,"status":"connected"}`)
	if b.Since() != start {
		t.Errorf("since %v, want the board's start", b.Since())
	}

	after := time.Date(2026, 3, 11, 0, 10, 0, 0, paris)
	b.Tick(after)
	midnight := time.Date(2026, 3, 11, 0, 0, 0, 0, paris)
	if !b.Since().Equal(midnight) {
		t.Errorf("since %v, want midnight in Paris", b.Since())
	}
	var q QueueRow
	for _, r := range b.Queues(after) {
		if r.ID == "10" {
			q = r
		}
	}
	if q.Answered != 0 || q.Abandoned != 0 || q.Waiting != 1 || q.LongestWait != 70*time.Minute {
		t.Errorf("after midnight: %+v, want counters reset and the waiting call kept", q)
	}
	a := agentByID(t, b.Agents(after), "1")
	if a.State != OnCall || a.Today.Answered != 0 || a.Today.OnCall != 10*time.Minute || a.InState != 40*time.Minute {
		t.Errorf("after midnight: agent %+v, want still on call, today 10 min on call, 40 min in state", a)
	}
}

func TestStaleCallsAreSwept(t *testing.T) {
	s := newScript(t, Options{})
	s.at(0, "queue", "insert_call", `{"id_queue":10,"id_call":1}`)
	s.at(0, "trunk", "insert_call", `{"id_trunk":7,"id_call":1}`)
	s.at(CallTTL-time.Minute, "queue", "insert_call", `{"id_queue":10,"id_call":2}`)
	s.b.Tick(t0.Add(CallTTL + time.Second))
	s.now = t0.Add(CallTTL + time.Second)
	if q := s.queue("10"); q.Waiting != 1 {
		t.Errorf("waiting %d, want 1 (call 1 swept, call 2 kept)", q.Waiting)
	}
	if r := s.trunk("7"); r.Ringing != 0 {
		t.Errorf("trunk ringing %d, want 0", r.Ringing)
	}
}

func TestCallerDisplay(t *testing.T) {
	cases := []struct {
		mode       CallerDisplay
		in, wanted string
	}{
		{CallerMask, "33612345678", "336******78"},
		{CallerMask, "+33612", "+33*12"},
		{CallerMask, "12345", "12345"},
		{CallerFull, "33612345678", "33612345678"},
		{CallerHide, "33612345678", ""},
	}
	for _, c := range cases {
		s := newScript(t, Options{CallerID: c.mode})
		s.at(0, "operator", "status", fmt.Sprintf(`{"id_operator":1,"status":"ringing","caller_id_num":%q}`, c.in))
		if a := s.agent("1"); a.Call == nil || a.Call.Caller != c.wanted {
			t.Errorf("%s %q: call %+v, want %q", c.mode, c.in, a.Call, c.wanted)
		}
	}
}

func TestAgentsAreStaleAfterAnOutageUntilRefreshed(t *testing.T) {
	s := newScript(t, Options{})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	s.at(sec, "UI", "login", ui("1", "")).at(sec, "UI", "login", ui("2", ""))
	if a := s.agent("1"); a.Stale {
		t.Error("stale before any outage")
	}
	s.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, At: t0.Add(2 * sec)})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0.Add(9 * sec)})
	if !s.agent("1").Stale || !s.agent("2").Stale {
		t.Error("agents not marked stale after the outage")
	}
	s.at(10*sec, "operator", "status", op("1", "available"))
	if s.agent("1").Stale || !s.agent("2").Stale {
		t.Errorf("after an event about agent 1: stale %v / %v, want false / true", s.agent("1").Stale, s.agent("2").Stale)
	}
	if snap := s.b.Snapshot(s.now); !snap.Agents[1].Stale || snap.Agents[0].Stale {
		t.Errorf("snapshot stale flags %+v", snap.Agents[:2])
	}
}
