package state

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"callboard/feed"
)

// changesOf says the board's alert changes in a line each: "+" raised or
// "-" cleared, the rule, the subject's id, when (from t0), value/limit.
func changesOf(b *Board) []string {
	var out []string
	for _, c := range b.AlertChanges() {
		sign := "-"
		if c.Raised {
			sign = "+"
		}
		out = append(out, fmt.Sprintf("%s%s %s%s @%v %g/%g", sign, c.Alert.Rule, c.Alert.QueueID, c.Alert.AgentID, c.At.Sub(t0), c.Alert.Value, c.Alert.Limit))
	}
	return out
}

func wantChanges(t *testing.T, b *Board, want ...string) {
	t.Helper()
	if got := changesOf(b); !slices.Equal(got, want) {
		t.Errorf("changes:\n  %q\nwant\n  %q", got, want)
	}
	for i, c := range b.AlertChanges() {
		if c.Seq != uint64(i+1) {
			t.Errorf("change %d numbered %d", i, c.Seq)
		}
	}
}

// TestQueueAlertsRiseAndClearWhenTheirFiguresDo: waiting_max when a call
// too many waits, until one is answered; longest_wait_max as of the moment
// the oldest wait passed the limit, found by a tick, kept while a younger
// call still waits past it; a queue's own limit, by its name, over the
// default.
func TestQueueAlertsRiseAndClearWhenTheirFiguresDo(t *testing.T) {
	ins := func(call string) string {
		return fmt.Sprintf(`{"id_queue":10,"id_call":%s,"caller_id_num":"33100000000","duration_in_queue":0}`, call)
	}
	s := newScript(t, Options{
		QueueLimits:   QueueLimits{WaitingMax: 1, LongestWaitMax: 30 * sec},
		QueueLimitsOf: map[string]QueueLimits{"Ventes": {WaitingMax: 5}},
	})
	s.at(0, "queue", "insert_call", ins("1"))
	s.at(10*sec, "queue", "insert_call", ins("2"))
	if a := s.b.Alerts(); len(a) != 1 || a[0].Subject != "Support" || a[0].Since != t0.Add(10*sec) {
		t.Fatalf("alerts %+v, want waiting_max on Support since 10s", a)
	}
	s.at(20*sec, "queue", "connect_call", `{"id_queue":"10","id_call":"1","id_operator":1,"status":"connected"}`)
	s.b.Tick(t0.Add(25 * sec))
	wantChanges(t, s.b, "+waiting_max 10 @10s 2/1", "-waiting_max 10 @20s 1/1")
	s.b.Tick(t0.Add(47 * sec)) // call 2, in since 10 s, past 30 s from 40 s
	if a := s.b.Alerts(); len(a) != 1 || a[0].Rule != RuleLongestWaitMax || a[0].Value != 37 || a[0].Limit != 30 || a[0].Since != t0.Add(40*sec) {
		t.Fatalf("alerts %+v, want longest_wait_max, 37 s of 30, since 40 s", a)
	}
	s.at(50*sec, "queue", "delete_call", `{"id_queue":10,"id_call":2}`)
	wantChanges(t, s.b, "+waiting_max 10 @10s 2/1", "-waiting_max 10 @20s 1/1", "+longest_wait_max 10 @40s 30/30", "-longest_wait_max 10 @50s 0/30")
	// Ventes takes its own waiting_max (5) and the default's longest wait
	for i := range 3 {
		s.at(60*sec, "queue", "insert_call", fmt.Sprintf(`{"id_queue":20,"id_call":"v%d","caller_id_num":"331","duration_in_queue":0}`, i))
	}
	if a := s.b.Alerts(); len(a) != 0 {
		t.Errorf("Ventes with 3 waiting of 5: %+v", a)
	}
	s.b.Tick(t0.Add(91 * sec))
	if a := s.b.Alerts(); len(a) != 1 || a[0].QueueID != "20" || a[0].Rule != RuleLongestWaitMax {
		t.Errorf("Ventes waiting 31 s: %+v", a)
	}
}

// TestStaffingAlerts: available_min and logged_in_min count a queue's
// agents (those of its group); they rise at the board's first update and
// clear as agents log in and become available.
func TestStaffingAlerts(t *testing.T) {
	s := newScript(t, Options{QueueLimits: QueueLimits{AvailableMin: 1, LoggedInMin: 2}})
	if a := s.b.Alerts(); len(a) != 0 {
		t.Fatalf("before any update: %+v", a)
	}
	s.at(0, "UI", "login", ui("1", ""))       // Support: Alice
	s.at(10*sec, "UI", "login", ui("2", ""))  // Support, Ventes: Bob
	s.at(20*sec, "UI", "pause", ui("2", "4")) // Ventes: none available
	s.at(30*sec, "UI", "login", ui("3", ""))  // Ventes: Chloé
	s.at(40*sec, "UI", "pause", ui("2", ""))  // Bob back
	s.at(50*sec, "UI", "logout", ui("1", "")) // Support: Bob alone
	wantChanges(t, s.b,
		"+available_min 20 @0s 0/1", "+logged_in_min 10 @0s 1/2", "+logged_in_min 20 @0s 0/2",
		"-available_min 20 @10s 1/1", "-logged_in_min 10 @10s 2/2",
		"+available_min 20 @20s 0/1",
		"-available_min 20 @30s 1/1", "-logged_in_min 20 @30s 2/2",
		"+logged_in_min 10 @50s 1/2")
	if a := s.b.Alerts(); len(a) != 1 || a[0].Subject != "Support" || a[0].Value != 1 {
		t.Errorf("alerts %+v", a)
	}
}

// TestAbandonRateAlert: abandon_rate_max over the day so far, short
// abandons aside, rises with an abandon, clears with answers, and clears
// at midnight when the day's counters start again.
func TestAbandonRateAlert(t *testing.T) {
	ins := func(call string) string {
		return fmt.Sprintf(`{"id_queue":10,"id_call":%s,"caller_id_num":"33100000000","duration_in_queue":0}`, call)
	}
	conn := func(call string) string {
		return fmt.Sprintf(`{"id_queue":"10","id_call":%s,"id_operator":1,"status":"connected"}`, call)
	}
	s := newScript(t, Options{QueueLimitsOf: map[string]QueueLimits{"10": {AbandonRateMax: 40}}})
	for _, c := range []string{"1", "2", "3", "4"} {
		s.at(0, "queue", "insert_call", ins(c))
	}
	s.at(2*sec, "queue", "delete_call", `{"id_queue":10,"id_call":1}`) // short: not counted
	if a := s.b.Alerts(); len(a) != 0 {
		t.Errorf("a short abandon alone: %+v", a)
	}
	s.at(10*sec, "queue", "delete_call", `{"id_queue":10,"id_call":2}`) // 1 of 1
	s.at(12*sec, "queue", "connect_call", conn("3"))                    // 1 of 2: 50 %
	s.at(14*sec, "queue", "connect_call", conn("4"))                    // 1 of 3: 33 %
	s.at(20*sec, "queue", "insert_call", ins("5"))
	s.at(30*sec, "queue", "delete_call", `{"id_queue":10,"id_call":5}`) // 2 of 4: 50 %
	wantChanges(t, s.b, "+abandon_rate_max 10 @10s 100/40", fmt.Sprintf("-abandon_rate_max 10 @14s %g/40", 100.0/3), "+abandon_rate_max 10 @30s 50/40")
	// the value at a raise is the figure then; at a clear, the figure that cleared it
	midnight := time.Date(t0.Year(), t0.Month(), t0.Day()+1, 0, 0, 0, 0, time.UTC)
	s.b.Tick(midnight.Add(3 * time.Minute))
	if c := s.b.AlertChanges(); len(c) != 4 || c[3].Raised || !c[3].At.Equal(midnight) {
		t.Errorf("after midnight: %+v, want abandon_rate_max cleared at midnight", c[len(c)-1])
	}
}

// agentScript is a board with agent limits, its agents logged in at 0.
func agentScript(t *testing.T) *script {
	s := newScript(t, Options{Limits: Limits{PauseDefault: 10 * time.Minute, Ringing: 30 * sec, Call: 20 * time.Minute, Unavailable: 5 * time.Minute}})
	for _, id := range []string{"1", "2", "3"} {
		s.at(0, "UI", "login", ui(id, ""))
	}
	return s
}

// playAgentsDay plays the agents' day on s, tick says when (from t0) the board
// is let see time pass between the events.
func playAgentsDay(s *script, ticks func(from, to time.Duration)) {
	s.at(0, "UI", "pause", ui("1", "4"))
	s.at(0, "operator", "status", op("2", "ringing"))
	s.at(0, "operator", "status", op("3", "unavailable"))
	ticks(0, 40*sec)
	s.at(40*sec, "operator", "status", op("2", "connected"))
	ticks(40*sec, 12*time.Minute)
	s.at(12*time.Minute, "UI", "pause", ui("1", ""))
	s.at(12*time.Minute, "operator", "status", op("3", "available"))
	ticks(12*time.Minute, 30*time.Minute)
	s.at(30*time.Minute, "operator", "status", op("2", "available"))
}

// TestAgentAlertsRiseAsOfTheirLimitWhateverTheTicks: each agent limit is
// raised as of the moment the agent passed it (its state's start plus the
// limit) and cleared at the event that ends the state, whether ticks came
// every second, now and then, or never between the events.
func TestAgentAlertsRiseAsOfTheirLimitWhateverTheTicks(t *testing.T) {
	want := []string{
		"+ringing_max 2 @30s 30/30", "-ringing_max 2 @40s 40/30",
		"+unavailable_max 3 @5m0s 300/300", "+pause_max 1 @10m0s 600/600",
		"-pause_max 1 @12m0s 720/600", "-unavailable_max 3 @12m0s 720/300",
		"+call_max 2 @20m40s 1200/1200", "-call_max 2 @30m0s 1760/1200",
	}
	for _, c := range []struct {
		name  string
		every time.Duration
	}{{"every second", sec}, {"every 7 minutes", 7 * time.Minute}, {"never", 0}} {
		t.Run(c.name, func(t *testing.T) {
			s := agentScript(t)
			playAgentsDay(s, func(from, to time.Duration) {
				if c.every == 0 {
					return
				}
				for d := from + c.every; d < to; d += c.every {
					s.b.Tick(t0.Add(d))
				}
			})
			got := changesOf(s.b)
			// the value at a raise is the limit (the figure when it passed
			// it), at a clear the figure at the event that cleared it
			if !slices.Equal(got, want) {
				t.Errorf("changes:\n  %q\nwant\n  %q", got, want)
			}
		})
	}
}

// TestAlertsFollowTheAgentsRowFlags: the agents flagged on the Agents tab
// (AgentRow.Alert) are those with an active agent alert.
func TestAlertsFollowTheAgentsRowFlags(t *testing.T) {
	s := agentScript(t)
	playAgentsDay(s, func(time.Duration, time.Duration) {})
	s.at(31*time.Minute, "UI", "pause", ui("1", "5"))
	s.now = t0.Add(45 * time.Minute)
	v := s.b.View(s.now)
	flagged := map[string]bool{}
	for _, a := range v.Agents {
		if a.Alert != AlertNone {
			flagged[a.ID] = true
		}
	}
	if len(v.Alerts) != 1 || !flagged[v.Alerts[0].AgentID] || len(flagged) != 1 || v.Alerts[0].Since != t0.Add(41*time.Minute) {
		t.Errorf("alerts %+v, flagged %v", v.Alerts, flagged)
	}
}

// TestNoAlertsWithoutLimitsOrData: a board without limits keeps none; one
// with limits raises none before its first update (its figures unknown).
func TestNoAlertsWithoutLimitsOrData(t *testing.T) {
	s := newScript(t, Options{})
	s.at(0, "UI", "login", ui("1", ""))
	if v := s.b.View(t0.Add(time.Hour)); len(v.Alerts) != 0 || len(v.AlertChanges) != 0 {
		t.Errorf("no limits: %+v", v.Alerts)
	}
	b := New(Options{QueueLimits: QueueLimits{AvailableMin: 1}, Location: time.UTC}, t0)
	b.SetDirectory(feed.Directory{Groups: []feed.Named{{ID: "1", Name: "Support"}}}, t0)
	b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	if v := b.View(t0.Add(time.Minute)); len(v.Alerts) != 0 {
		t.Errorf("before any update: %+v", v.Alerts)
	}
}

// TestAlertChangesAreBounded: the board keeps the last MaxAlertChanges,
// numbered on.
func TestAlertChangesAreBounded(t *testing.T) {
	s := newScript(t, Options{QueueLimits: QueueLimits{LoggedInMin: 1}})
	for i := range MaxAlertChanges {
		s.at(time.Duration(2*i)*sec, "UI", "login", ui("1", ""))
		s.at(time.Duration(2*i+1)*sec, "UI", "logout", ui("1", ""))
	}
	c := s.b.AlertChanges()
	if len(c) != MaxAlertChanges || c[len(c)-1].Seq != s.b.alerts.seq || c[0].Seq != s.b.alerts.seq-MaxAlertChanges+1 {
		t.Errorf("%d changes, %d to %d of %d", len(c), c[0].Seq, c[len(c)-1].Seq, s.b.alerts.seq)
	}
}

// TestTheSnapshotSaysTheAlerts: snapshot's alerts, newest first, name the
// rule and the queue or the agent, the figure and the limit in their
// units, since when, and null while nobody acknowledged them; none is [].
func TestTheSnapshotSaysTheAlerts(t *testing.T) {
	s := newScript(t, Options{QueueLimits: QueueLimits{AvailableMin: 1}, Limits: Limits{PauseDefault: time.Minute}})
	if raw, _ := json.Marshal(newScript(t, Options{}).b.Snapshot(t0).Alerts); string(raw) != "[]" {
		t.Errorf("no alerts: %s", raw)
	}
	s.at(0, "UI", "login", ui("1", ""))
	s.at(0, "UI", "login", ui("3", "")) // Ventes has Chloé
	s.at(0, "UI", "pause", ui("1", "4"))
	raw, err := json.Marshal(s.b.Snapshot(t0.Add(90*sec + 500*time.Millisecond)).Alerts)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"rule":"pause_max","agent_id":"1","value":90,"limit":60,"since":"2019-01-16T15:18:01Z","acknowledged":null},` +
		`{"rule":"available_min","queue_id":"10","value":0,"limit":1,"since":"2019-01-16T15:17:01Z","acknowledged":null}]`
	if string(raw) != want {
		t.Errorf("alerts:\n%s\nwant\n%s", raw, want)
	}
}

// TestQueueLimitsByName: a queue's own limits are found by its id, or by
// its name when no other queue bears it; a name two queues bear is
// nobody's, and a key that is a queue's id is that queue's.
func TestQueueLimitsByName(t *testing.T) {
	b := New(Options{Location: time.UTC, QueueLimitsOf: map[string]QueueLimits{"Ventes": {WaitingMax: 9}, "Support": {WaitingMax: 8}, "30": {WaitingMax: 7}}}, t0)
	b.SetDirectory(feed.Directory{Groups: []feed.Named{{ID: "10", Name: "Support"}, {ID: "11", Name: "Support"}, {ID: "20", Name: "Ventes"}, {ID: "30", Name: "Ventes bis"}, {ID: "40", Name: "30"}}}, t0)
	for id, want := range map[string]int{"10": 0, "11": 0, "20": 9, "30": 7, "40": 0} {
		if got := b.queueLimits(b.queues[id]).WaitingMax; got != want {
			t.Errorf("queue %s: waiting_max %d, want %d", id, got, want)
		}
	}
	// renamed: the name is the other queue's now
	b.SetDirectory(feed.Directory{Groups: []feed.Named{{ID: "10", Name: "Support"}, {ID: "11", Name: "Support 2"}, {ID: "20", Name: "Ventes"}, {ID: "30", Name: "Ventes bis"}, {ID: "40", Name: "30"}}}, t0)
	if got := b.queueLimits(b.queues["10"]).WaitingMax; got != 8 {
		t.Errorf("Support alone: waiting_max %d, want 8", got)
	}
}

// TestCheckpointRulesTakeNoLimitsAlike: limits none, written as empty maps
// or nil, are the same rules for a checkpoint.
func TestCheckpointRulesTakeNoLimitsAlike(t *testing.T) {
	empty := Options{Limits: Limits{Pause: map[string]time.Duration{}}, QueueLimitsOf: map[string]QueueLimits{}}
	if checkpointRules(empty.withDefaults()) != checkpointRules(Options{}.withDefaults()) {
		t.Error("empty limits are other rules than none")
	}
}

// TestTheNextCallWaitingPassesTheLimitInItsTurn: the longest wait cleared
// when its call is answered rises again when the next call waiting passes
// the limit, found by a tick.
func TestTheNextCallWaitingPassesTheLimitInItsTurn(t *testing.T) {
	s := newScript(t, Options{QueueLimits: QueueLimits{LongestWaitMax: 30 * sec}})
	s.at(0, "queue", "insert_call", `{"id_queue":10,"id_call":1,"caller_id_num":"331","duration_in_queue":0}`)
	s.at(20*sec, "queue", "insert_call", `{"id_queue":10,"id_call":2,"caller_id_num":"332","duration_in_queue":0}`)
	s.b.Tick(t0.Add(35 * sec))
	s.at(40*sec, "queue", "connect_call", `{"id_queue":"10","id_call":1,"id_operator":1,"status":"connected"}`)
	for d := 41 * sec; d <= 60*sec; d += sec {
		s.b.Tick(t0.Add(d))
	}
	wantChanges(t, s.b, "+longest_wait_max 10 @30s 30/30", "-longest_wait_max 10 @40s 20/30", "+longest_wait_max 10 @50s 30/30")
}

// TestAHiddenQueueRaisesNoAlert: a queue its rule hides (by id or by
// name) raises none of the queues' alerts, the others do; the checkpoint
// of a board that hides it is not one of a board that does not.
func TestAHiddenQueueRaisesNoAlert(t *testing.T) {
	limits := QueueLimits{AvailableMin: 1, LoggedInMin: 1}
	for _, key := range []string{"20", "Ventes"} {
		s := newScript(t, Options{QueueLimits: limits, QueueRules: map[string]QueueRule{key: {Hide: true}}})
		s.at(0, "UI", "login", ui("1", "")) // Support: Alice; Ventes: nobody
		s.at(sec, "UI", "pause", ui("1", "4"))
		wantChanges(t, s.b, "+available_min 10 @1s 0/1")
		for _, a := range s.b.View(s.now).Alerts {
			if a.QueueID == "20" {
				t.Errorf("hidden by %q, Ventes raised %+v", key, a)
			}
		}
	}
	shown := Options{QueueLimits: limits, QueueRules: map[string]QueueRule{"20": {Name: "Sales"}}}
	hidden := Options{QueueLimits: limits, QueueRules: map[string]QueueRule{"20": {Name: "Sales", Hide: true}}}
	if checkpointRules(shown) == checkpointRules(hidden) {
		t.Error("the checkpoint rules do not tell a hidden queue's limits from a shown one's")
	}
}
