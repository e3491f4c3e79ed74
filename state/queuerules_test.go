package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
)

// auditDay plays the audit on queue 10 (Support) of a board of
// opts: 9 calls answered (7 within 20 s, 2 after 30 s), 4 abandoned (2
// after 2 s, short; 2 after 40 s), and a caller waiting 50 s when the
// board is looked at (s.now).
func auditDay(t *testing.T, opts Options) *script {
	s := newScript(t, opts)
	call := 0
	next := func() (int, time.Duration) {
		call++
		at := time.Duration(call) * 100 * sec
		s.at(at, "queue", "insert_call", insertCall(call, 10, "3361111110"+string(rune('0'+call%10)), ""))
		return call, at
	}
	for _, wait := range []time.Duration{10, 10, 10, 10, 10, 10, 10, 30, 30} {
		c, at := next()
		s.at(at+wait*sec, "queue", "connect_call", queueCall(c, 10))
	}
	for _, wait := range []time.Duration{2, 2, 40, 40} {
		c, at := next()
		s.at(at+wait*sec, "queue", "delete_call", queueCall(c, 10))
	}
	_, at := next()
	s.now = t0.Add(at + 50*sec)
	return s
}

func near(got, want float64) bool { return math.Abs(got-want) < 1e-9 }

// TestTheFormulasOnTheAuditCountedByHand: on the audit's day (T 20 s,
// short abandon 5 s), answered is 7 ÷ (9 + 4 − 2) = 63.6 %, offered 7 ÷ (9
// + 4 + the caller waiting 50 s) = 50.0 %, answered_only 7 ÷ 9 = 77.8 %;
// the totals, of that one queue, say the same, and the intervals count the
// calls that ended (the caller waiting in none).
func TestTheFormulasOnTheAuditCountedByHand(t *testing.T) {
	for _, tc := range []struct {
		formula    string
		slCalls    int
		want       float64
		intervalSL int // the intervals' denominators summed: the calls waiting in none
	}{
		{FormulaAnswered, 11, 100 * 7.0 / 11, 11},
		{FormulaOffered, 14, 50, 13},
		{FormulaAnsweredOnly, 9, 100 * 7.0 / 9, 9},
	} {
		t.Run(tc.formula, func(t *testing.T) {
			s := auditDay(t, Options{QueueRules: map[string]QueueRule{"Support": {Formula: tc.formula}}})
			q := s.queue("10")
			if q.Answered != 9 || q.AnsweredInSL != 7 || q.Abandoned != 4 || q.ShortAbandoned != 2 || q.Waiting != 1 || q.LateWaiting != 1 {
				t.Fatalf("counts %+v", q)
			}
			if q.Rule.Formula != tc.formula || q.SLCalls != tc.slCalls || !q.HasServiceLevel || !near(q.ServiceLevel, tc.want) {
				t.Errorf("%s: %d ÷ %d = %v, want 7 ÷ %d = %v", q.Rule.Formula, q.AnsweredInSL, q.SLCalls, q.ServiceLevel, tc.slCalls, tc.want)
			}
			tot := s.b.Totals(s.now)
			if tot.AnsweredInSL != 7 || tot.SLCalls != tc.slCalls || !near(tot.ServiceLevel, tc.want) {
				t.Errorf("totals %d ÷ %d = %v, want %v", tot.AnsweredInSL, tot.SLCalls, tot.ServiceLevel, tc.want)
			}
			inSL, den := 0, 0
			for _, in := range s.b.Intervals(s.now) {
				inSL, den = inSL+in.Total.AnsweredInSL, den+in.Total.SLCalls
				for _, iq := range in.Queues {
					if iq.Rule.Formula != tc.formula {
						t.Errorf("interval %v: formula %q", in.Start, iq.Rule.Formula)
					}
				}
			}
			if inSL != 7 || den != tc.intervalSL {
				t.Errorf("intervals %d ÷ %d, want 7 ÷ %d", inSL, den, tc.intervalSL)
			}
		})
	}
	// the caller waiting 19 s, not yet past T, is in no denominator
	s := auditDay(t, Options{QueueRules: map[string]QueueRule{"10": {Formula: FormulaOffered}}})
	s.now = s.now.Add(-31 * sec)
	if q := s.queue("10"); q.LateWaiting != 0 || q.SLCalls != 13 {
		t.Errorf("waiting 19 s: late %d, ÷ %d, want 0 and 13", q.LateWaiting, q.SLCalls)
	}
}

// TestEachQueueCountsUnderItsOwnThresholds: a 15 s wait is within
// Support's 20 s and not within Ventes' 10 s; a 7 s abandon is short in
// Ventes (10 s) and not in Support (5 s): in the rows, the intervals, the
// lost calls and the report. The totals are each queue's numerator over
// its denominator, summed.
func TestEachQueueCountsUnderItsOwnThresholds(t *testing.T) {
	s := newScript(t, Options{QueueRules: map[string]QueueRule{
		"Ventes": {Threshold: 10 * sec, ShortAbandon: 10 * sec, Target: 90},
		"10":     {Target: 80, Formula: FormulaOffered},
	}})
	s.at(0, "queue", "insert_call", insertCall(1, 10, "33611111111", ""))
	s.at(15*sec, "queue", "connect_call", queueCall(1, 10))
	s.at(20*sec, "queue", "insert_call", insertCall(2, 20, "33622222222", ""))
	s.at(35*sec, "queue", "connect_call", queueCall(2, 20))
	s.at(40*sec, "queue", "insert_call", insertCall(3, 10, "33633333333", ""))
	s.at(47*sec, "queue", "delete_call", queueCall(3, 10))
	s.at(50*sec, "queue", "insert_call", insertCall(4, 20, "33644444444", ""))
	s.at(57*sec, "queue", "delete_call", queueCall(4, 20))
	s.now = t0.Add(60 * sec)

	sup, ven := s.queue("10"), s.queue("20")
	if sup.Rule.Threshold != 20*sec || sup.Rule.ShortAbandon != 5*sec || ven.Rule.Threshold != 10*sec || ven.Rule.ShortAbandon != 10*sec {
		t.Fatalf("rules %+v, %+v", sup.Rule, ven.Rule)
	}
	// Support, ÷ offered: 1 ÷ (1 + 1) = 50 %; Ventes, ÷ answered: 0 ÷ (1 + 1 − 1) = 0 %
	if sup.AnsweredInSL != 1 || sup.ShortAbandoned != 0 || sup.SLCalls != 2 || !near(sup.ServiceLevel, 50) {
		t.Errorf("Support %+v", sup)
	}
	if ven.AnsweredInSL != 0 || ven.ShortAbandoned != 1 || ven.SLCalls != 1 || !near(ven.ServiceLevel, 0) {
		t.Errorf("Ventes %+v", ven)
	}
	if sup.Levels.ServiceLevel != LevelWarn || ven.Levels.ServiceLevel != LevelWarn {
		t.Errorf("levels %v %v, want warn (below their targets)", sup.Levels.ServiceLevel, ven.Levels.ServiceLevel)
	}
	tot := s.b.Totals(s.now)
	if tot.AnsweredInSL != 1 || tot.SLCalls != 3 || !near(tot.ServiceLevel, 100.0/3) || tot.SLTarget != 0 {
		t.Errorf("totals %d ÷ %d = %v (target %v), want 1 ÷ 3, no common target", tot.AnsweredInSL, tot.SLCalls, tot.ServiceLevel, tot.SLTarget)
	}
	for _, in := range s.b.Intervals(s.now) {
		for _, iq := range in.Queues {
			want := map[string][3]int{"10": {1, 0, 2}, "20": {0, 1, 1}}[iq.QueueID]
			if got := [3]int{iq.AnsweredInSL, iq.ShortAbandoned, iq.SLCalls}; got != want {
				t.Errorf("interval of %s: in SL, short, ÷ %v, want %v", iq.QueueID, got, want)
			}
		}
	}
	for _, a := range s.b.Calls(s.now).Abandoned {
		if a.Short != (a.QueueID == "20") {
			t.Errorf("lost call %s of %s: short %v", a.ID, a.QueueID, a.Short)
		}
	}
	for _, c := range s.b.Report(s.now).Calls {
		if c.ID == "3" && c.Outcome != OutcomeAbandoned || c.ID == "4" && c.Outcome != OutcomeShortAbandoned {
			t.Errorf("call %s: %s", c.ID, c.Outcome)
		}
	}
}

// TestTheLevelIsAgainstTheTarget: at or above the target ok, below it
// warn, at or below service_level_critical critical; without a target,
// the thresholds alone.
func TestTheLevelIsAgainstTheTarget(t *testing.T) {
	th := Thresholds{ServiceLevelWarn: 70, ServiceLevelCritical: 60}
	for _, tc := range []struct {
		sl, target float64
		want       Level
	}{
		{80, 80, LevelOK}, {95, 80, LevelOK}, {74, 80, LevelWarn}, {60.5, 80, LevelWarn}, {60, 80, LevelCritical},
		{74, 0, LevelOK}, {70, 0, LevelWarn}, {55, 0, LevelCritical},
	} {
		if got := ruleLevel(tc.sl, tc.target, th); got != tc.want {
			t.Errorf("%v %% against %v: %v, want %v", tc.sl, tc.target, got, tc.want)
		}
	}
	if got := ruleLevel(50, 80, Thresholds{}); got != LevelWarn {
		t.Errorf("no critical level: %v, want warn", got)
	}
}

// TestRulesNameQueuesByIdOrByAnUnambiguousName: a key is a queue's id,
// else the name of one queue of the directory; an id wins over a name; a
// name two queues bear is ignored and said, as is a key naming no queue;
// a rule's name is shown wherever the queue's is (rows, the agents'
// groups, the calls, the intervals) and orders it; a hidden queue is left
// off the rows and counted in the totals.
func TestRulesNameQueuesByIdOrByAnUnambiguousName(t *testing.T) {
	opts := Options{Location: time.UTC, QueueRules: map[string]QueueRule{
		"Support": {Threshold: 30 * sec},                // two queues bear it
		"Ventes":  {Threshold: 40 * sec, Name: "Sales"}, // one does
		"30":      {Name: "Aardvark", Target: 90},       // by id
		"Compta":  {Threshold: 50 * sec},                // the name of 30, whose id has a rule
		"Nowhere": {Hide: true},
		"40":      {Hide: true},
	}}
	b := New(opts, t0)
	if notes := b.RuleNotes(); len(notes) != 0 {
		t.Errorf("notes before a directory: %q", notes)
	}
	b.SetDirectory(feed.Directory{
		Agents: []feed.Agent{{ID: "1", Name: "Alice", Groups: []feed.Text{"20", "30"}}},
		Groups: []feed.Named{{ID: "10", Name: "Support"}, {ID: "11", Name: "Support"}, {ID: "20", Name: "Ventes"},
			{ID: "30", Name: "Compta"}, {ID: "40", Name: "Test"}},
	}, t0)
	want := []string{
		`queues."Compta": the name of queue 30, keyed by its id too: ignored (the id wins, rule and limits alike)`,
		`queues."Nowhere": no queue has that id or name`,
		`queues."Support": 2 queues bear that name (ids 10, 11): ignored, key it by id`,
	}
	if got := b.RuleNotes(); !slices.Equal(got, want) {
		t.Errorf("notes %q, want %q", got, want)
	}
	b.Apply(feedtest.Update(t0, 1, "queue", "insert_call", insertCall(1, 20, "33611111111", "")), t0)
	b.Apply(feedtest.Update(t0, 2, "queue", "insert_call", insertCall(2, 40, "33622222222", "")), t0)
	now := t0.Add(35 * sec)
	v := b.View(now)
	var names []string
	for _, q := range v.Queues {
		names = append(names, q.ID+" "+q.Name)
	}
	if want := []string{"30 Aardvark", "20 Sales", "10 Support", "11 Support"}; !slices.Equal(names, want) {
		t.Errorf("queues %q, want %q (40 hidden)", names, want)
	}
	threshold := map[string]time.Duration{}
	for _, q := range v.Queues {
		threshold[q.ID] = q.Rule.Threshold
	}
	if threshold["10"] != 20*sec || threshold["11"] != 20*sec || threshold["20"] != 40*sec || threshold["30"] != 20*sec {
		t.Errorf("thresholds %v: want the ambiguous name ignored and 30's id over its name", threshold)
	}
	if v.Totals.HiddenQueues != 1 || v.Totals.CallsWaiting != 2 {
		t.Errorf("totals: %d hidden, %d waiting, want 1 and 2 (the hidden queue's call counted)", v.Totals.HiddenQueues, v.Totals.CallsWaiting)
	}
	if g := v.Agents[0].GroupNames; !slices.Equal(g, []string{"Sales", "Aardvark"}) {
		t.Errorf("Alice's groups %q", g)
	}
	if w := v.Calls.Waiting; len(w) == 0 || w[0].QueueName != "Sales" && w[len(w)-1].QueueName != "Sales" {
		t.Errorf("waiting calls %+v: want queue 20 named Sales", w)
	}
	for _, in := range v.Intervals {
		for _, iq := range in.Queues {
			if iq.QueueID == "40" || iq.QueueID == "20" && iq.QueueName != "Sales" {
				t.Errorf("interval queue %s %q", iq.QueueID, iq.QueueName)
			}
		}
		if in.Total.Offered != 2 {
			t.Errorf("interval total offered %d, want 2 (the hidden queue's call in it)", in.Total.Offered)
		}
	}
	// a directory where Support is one queue's name: its rule applies
	b.SetDirectory(feed.Directory{Groups: []feed.Named{{ID: "10", Name: "Support"}, {ID: "11", Name: "Support 2"}, {ID: "20", Name: "Ventes"}}}, now)
	for _, q := range b.Queues(now) {
		if q.ID == "10" && q.Rule.Threshold != 30*sec {
			t.Errorf("queue 10 alone named Support: threshold %v", q.Rule.Threshold)
		}
	}
	want = []string{ // 30 is no longer listed
		`queues."Compta": no queue has that id or name`,
		`queues."Nowhere": no queue has that id or name`,
	}
	if got := b.RuleNotes(); !slices.Equal(got, want) {
		t.Errorf("notes %q, want %q", got, want)
	}
}

// TestACheckpointUnderOtherCountingRulesIsIgnored: a checkpoint is
// refused when a queue's threshold or short abandon (what its counts
// followed) differ, by id or by name; loaded when only how they are shown
// differs (target, formula, name, hide without queue limits: with them a
// hidden queue raises no alert, TestAHiddenQueueRaisesNoAlert).
func TestACheckpointUnderOtherCountingRulesIsIgnored(t *testing.T) {
	ck, opts := checkpointOfADay(t)
	load := func(rules map[string]QueueRule, target float64, formula string) error {
		o := opts
		o.QueueRules, o.ServiceLevelTarget, o.ServiceLevelFormula = rules, target, formula
		_, err := LoadCheckpoint(bytes.NewReader(ck), o)
		return err
	}
	for what, rules := range map[string]map[string]QueueRule{
		"a queue's threshold":             {"10": {Threshold: 30 * sec}},
		"a queue's short abandon by name": {"Support": {ShortAbandon: 9 * sec}},
	} {
		if err := load(rules, 0, ""); !errors.Is(err, ErrCheckpoint) || !strings.Contains(err.Error(), "other rules") {
			t.Errorf("%s: %v, want refused as taken under other rules", what, err)
		}
	}
	if err := load(map[string]QueueRule{"10": {Target: 80, Formula: FormulaOffered, Name: "S", Hide: true}}, 90, FormulaAnsweredOnly); err != nil {
		t.Errorf("other targets, formulas, names: %v", err)
	}
}

// TestTheSnapshotSaysEachQueuesRule: sl_target_pct (null without a
// target), sl_formula, the threshold and short abandon, the terms of the
// service level per queue, per interval and in total; the hidden queue
// left out of queues and counted in hidden_queues; the notes.
func TestTheSnapshotSaysEachQueuesRule(t *testing.T) {
	s := auditDay(t, Options{QueueRules: map[string]QueueRule{
		"Support": {Target: 80, Formula: FormulaOffered},
		"20":      {Hide: true},
		"Nowhere": {Threshold: sec},
	}})
	raw, err := json.Marshal(s.b.Snapshot(s.now))
	if err != nil {
		t.Fatal(err)
	}
	var snap struct {
		Totals    map[string]any   `json:"totals"`
		Queues    []map[string]any `json:"queues"`
		Intervals []struct {
			Total  map[string]any   `json:"total"`
			Queues []map[string]any `json:"queues"`
		} `json:"intervals"`
		Notes []string `json:"queue_rule_notes"`
	}
	if err := json.Unmarshal(raw, &snap); err != nil {
		t.Fatal(err)
	}
	if len(snap.Queues) != 1 {
		t.Fatalf("queues %v: want Support alone (Ventes hidden)", snap.Queues)
	}
	q := snap.Queues[0]
	for key, want := range map[string]any{"id": "10", "sl_target_pct": 80.0, "sl_formula": "offered", "sl_threshold_s": 20.0,
		"short_abandon_s": 5.0, "answered_within_sl": 7.0, "sl_calls": 14.0, "service_level_pct": 50.0, "sl_level": "warn"} {
		if q[key] != want {
			t.Errorf("queue's %s: %v, want %v", key, q[key], want)
		}
	}
	for key, want := range map[string]any{"answered_within_sl": 7.0, "sl_calls": 14.0, "service_level_pct": 50.0, "sl_target_pct": nil, "hidden_queues": 1.0} {
		if got, ok := snap.Totals[key]; !ok || got != want {
			t.Errorf("totals' %s: %v, want %v", key, got, want)
		}
	}
	seen := 0
	for _, in := range snap.Intervals {
		for _, iq := range in.Queues {
			seen++
			if iq["sl_target_pct"] != 80.0 || iq["sl_formula"] != "offered" || iq["sl_calls"] == nil {
				t.Errorf("interval queue %v", iq)
			}
		}
	}
	if seen == 0 {
		t.Error("no interval queue")
	}
	if len(snap.Notes) != 1 || !strings.Contains(snap.Notes[0], "Nowhere") {
		t.Errorf("notes %q", snap.Notes)
	}
}

// TestARulesNameIsMadeSafeToShow: a name from the file goes through the
// sanitiser, as the directory's names do, by id before any directory.
func TestARulesNameIsMadeSafeToShow(t *testing.T) {
	b := New(Options{QueueRules: map[string]QueueRule{"10": {Name: " Sup\x1b[31mport\u202e "}}}, t0)
	b.Apply(feedtest.Update(t0, 1, "queue", "insert_call", insertCall(1, 10, "33611111111", "")), t0)
	if q := b.Queues(t0); len(q) != 1 || q[0].Name != "Support" || q[0].Rule.Name != "Support" {
		t.Errorf("queues %+v", q)
	}
}

// TestADaySettledCountsEachQueueUnderItsRule: a call waiting at midnight
// and answered 10 s after it entered counts, in the day it entered, under
// its queue's rule (a 5 s threshold, keyed by the queue's name): not
// within; the queue hidden, in the interval's total only.
func TestADaySettledCountsEachQueueUnderItsRule(t *testing.T) {
	day := time.Date(2026, 12, 6, 23, 0, 0, 0, time.UTC)
	opts := Options{Location: time.UTC, QueueRules: map[string]QueueRule{"Support": {Threshold: 5 * sec, Hide: true}}}
	stopped, wentOn := New(opts, day), New(opts, day)
	dir := feed.Directory{Groups: []feed.Named{{ID: "10", Name: "Support"}}}
	stopped.SetDirectory(dir, day)
	wentOn.SetDirectory(dir, day)
	entered, midnight := day.Add(59*time.Minute+58*sec), day.Add(time.Hour)
	for _, b := range []*Board{stopped, wentOn} {
		b.Apply(feedtest.Update(entered, 1, "queue", "insert_call", insertCall(1, 10, "33611111111", "")), entered)
	}
	wentOn.Apply(feedtest.Update(midnight.Add(8*sec), 2, "queue", "connect_call", queueCall(1, 10)), midnight.Add(8*sec))
	end := midnight.Add(-sec)
	v := stopped.View(end)
	r := stopped.Report(end)
	v.Report = &r
	Settle(v, wentOn.Report(midnight.Add(time.Minute)).Carried, opts)
	last := v.Intervals[len(v.Intervals)-1]
	if last.Total.Answered != 1 || last.Total.AnsweredInSL != 0 || last.Total.SLCalls != 1 || len(last.Queues) != 0 {
		t.Errorf("settled interval %+v: want 1 answered, none within 5 s, of 1, the hidden queue in the total only", last)
	}
}

// TestAQueueKeyedByIdAndByNameTakesItsIdTable: with tables by id and by
// name for one queue, the id's wins for the rule and the limits alike
// (even when it sets no limit: the default's, not the name's), and a note
// says that the name's is ignored; a hostile key is said escaped.
func TestAQueueKeyedByIdAndByNameTakesItsIdTable(t *testing.T) {
	hostile := "\x1b]0;pwned\a\u202e" + strings.Repeat("x", 100)
	b := New(Options{Location: time.UTC,
		QueueRules:    map[string]QueueRule{"Support": {Target: 70}, "10": {Target: 60}, hostile: {}},
		QueueLimits:   QueueLimits{AvailableMin: 1},
		QueueLimitsOf: map[string]QueueLimits{"Support": {AvailableMin: 100}},
	}, t0)
	b.SetDirectory(feed.Directory{Groups: []feed.Named{{ID: "10", Name: "Support"}}}, t0)
	b.Apply(feedtest.Login(t0, 1, 7), t0)
	if q := b.Queues(t0)[0]; q.Rule.Target != 60 {
		t.Errorf("target %v, want the id's 60", q.Rule.Target)
	}
	if a := b.Alerts(); len(a) != 1 || a[0].Rule != RuleAvailableMin || a[0].Limit != 1 {
		t.Errorf("alerts %+v, want available_min with the default limit 1, not the name's 100", a)
	}
	want := []string{
		`queues."Support": the name of queue 10, keyed by its id too: ignored (the id wins, rule and limits alike)`,
		`queues."\x1b]0;pwned\a\u202e` + strings.Repeat("x", maxNoteKey-11) + `…": no queue has that id or name`,
	}
	got := b.RuleNotes()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("notes %q, want %q", got, want)
	}
	for _, n := range got {
		if strings.ContainsAny(n, "\x1b\a\u202e") {
			t.Errorf("note %q holds a control character", n)
		}
	}
}
