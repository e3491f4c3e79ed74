package state

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
)

// scopeDay is the scenario the scope tests count by hand, as of t0+130 s.
//
// Queues (groups): 10 Support (threshold 20 s, formula answered, target
// 80), 20 Ventes (threshold 10 s), 30 Escalade (hidden, threshold 60 s,
// formula answered_only, target 90), 40 Compta (the defaults: 20 s).
// Agents: 1 Alice (10), 2 Bob (10 and 20), 3 Chloé (20), 4 Damien (30),
// 5 Émile (40).
//
//	Support:  c1 in 0,  answered by Alice at 15 (15 s, in SL)
//	          c2 in 10, abandoned at 40 (30 s)
//	          c3 in 20, answered by Bob at 51 (31 s, late)
//	          c11 in 60, answered by Émile at 66 (6 s, in SL)
//	          c4 in 100, waiting (30 s at 130)
//	Escalade: c5 in 5,  answered by Damien at 50 (45 s, in SL)
//	          c6 in 30, abandoned at 33 (3 s: short)
//	Ventes:   c7 in 0,  answered by Chloé at 5
//	          c8 in 10, abandoned at 20
//	          c9 in 70, answered by Bob at 75 (he is on it)
//	Compta:   c10 in 90, waiting
//
// Alice is available again at 40, paused at 100. Limits: a call past 60 s (Damien's,
// Chloé's, Émile's; not Bob's, 55 s), a queue's longest wait past 20 s
// (Support's c4, Compta's c10).
func scopeDay(t *testing.T) (*Board, time.Time) {
	t.Helper()
	opts := Options{
		Location: time.UTC, CallerID: CallerFull,
		QueueRules: map[string]QueueRule{
			"Support": {Threshold: 20 * sec, Target: 80},
			"20":      {Threshold: 10 * sec},
			"30":      {Threshold: 60 * sec, Formula: FormulaAnsweredOnly, Target: 90, Hide: true},
		},
		Limits:      Limits{Call: 60 * sec},
		QueueLimits: QueueLimits{LongestWaitMax: 20 * sec},
	}
	b := New(opts, t0)
	b.SetDirectory(feed.Directory{
		Agents: []feed.Agent{
			{ID: "1", Name: "Alice", Groups: []feed.Text{"10"}},
			{ID: "2", Name: "Bob", Groups: []feed.Text{"10", "20"}},
			{ID: "3", Name: "Chloé", Groups: []feed.Text{"20"}},
			{ID: "4", Name: "Damien", Groups: []feed.Text{"30"}},
			{ID: "5", Name: "Émile", Groups: []feed.Text{"40"}},
		},
		Groups: []feed.Named{{ID: "10", Name: "Support"}, {ID: "20", Name: "Ventes"}, {ID: "30", Name: "Escalade"}, {ID: "40", Name: "Compta"}},
		Trunks: []feed.Named{{ID: "7", Name: "Standard"}},
	}, t0)
	b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	cpt := 0
	at := func(s int, kind, name, msg string) {
		cpt++
		now := t0.Add(time.Duration(s) * sec)
		b.Apply(feedtest.Update(now, cpt, kind, name, msg), now)
	}
	insert := func(s int, q, c string) {
		at(s, "queue", "insert_call", fmt.Sprintf(`{"id_queue":%s,"id_call":%q,"caller_id_num":%q,"duration_in_queue":0}`, q, c, phone(c)))
	}
	answer := func(s int, q, c, agent string) {
		at(s, "operator", "status", fmt.Sprintf(`{"id_operator":%s,"status":"connected","id_call":%q,"id_queue":%s,"caller_id_num":%q}`, agent, c, q, phone(c)))
		at(s, "queue", "connect_call", fmt.Sprintf(`{"id_queue":%s,"id_call":%q,"id_operator":%s}`, q, c, agent))
	}
	leave := func(s int, q, c string) {
		at(s, "queue", "delete_call", fmt.Sprintf(`{"id_queue":%s,"id_call":%q}`, q, c))
	}
	for _, a := range []string{"1", "2", "3", "4", "5"} {
		at(0, "UI", "login", ui(a, ""))
		at(0, "operator", "status", fmt.Sprintf(`{"id_operator":%s,"status":"available"}`, a))
	}
	insert(0, "10", "c1")
	insert(0, "20", "c7")
	insert(5, "30", "c5")
	answer(5, "20", "c7", "3")
	insert(10, "10", "c2")
	insert(10, "20", "c8")
	answer(15, "10", "c1", "1")
	insert(20, "10", "c3")
	leave(20, "20", "c8")
	insert(30, "30", "c6")
	leave(33, "30", "c6")
	leave(40, "10", "c2")
	at(40, "operator", "status", `{"id_operator":1,"status":"available"}`)
	answer(50, "30", "c5", "4")
	answer(51, "10", "c3", "2")
	insert(60, "10", "c11")
	at(65, "operator", "status", `{"id_operator":2,"status":"available"}`)
	answer(66, "10", "c11", "5")
	insert(70, "20", "c9")
	answer(75, "20", "c9", "2")
	insert(90, "40", "c10")
	insert(100, "10", "c4")
	at(100, "UI", "pause", ui("1", "4"))
	at(110, "trunk", "insert_call", `{"id_trunk":7,"id_call":"t1","caller_id_num":"0655555555"}`)
	return b, t0.Add(130 * sec)
}

// phone is call c's caller number: 06, two digits of its queue, its
// number in 6 digits (c4 of Support: 0611000004).
func phone(c string) string {
	n, _ := strconv.Atoi(strings.TrimPrefix(c, "c"))
	q := map[int]string{5: "33", 6: "33", 7: "99", 8: "99", 9: "99", 10: "77"}[n]
	return fmt.Sprintf("06%s%06d", cmp.Or(q, "11"), n)
}

// support is the scope of the tests: Support by name, Escalade (hidden)
// by its group's id, and an entry that names nothing.
var support = Audience{Scope: Scope{Queues: []string{"Support"}, Groups: []string{"30", "Nope"}}}

func TestAScopedViewCountsItsScopeAsCountedByHand(t *testing.T) {
	b, now := scopeDay(t)
	whole := b.View(now)
	v := whole.For(support)
	if v == whole || v.Scope == nil {
		t.Fatal("a scoped audience got the whole view")
	}
	if got, want := *v.Scope, (ScopeShown{Name: "Escalade, Support", QueueIDs: []string{"10", "30"}, GroupIDs: []string{"10", "30"},
		Unmatched: []string{"Nope"}}); !equalJSON(got, want) {
		t.Errorf("scope shown %+v, want %+v", got, want)
	}
	var agents []string
	for _, a := range v.Agents {
		agents = append(agents, a.Name+":"+strings.Join(a.GroupNames, "+")+":"+strings.Join(a.Groups, "+"))
	}
	if want := []string{"Alice:Support:10", "Bob:Support:10", "Damien:Escalade:30"}; !slices.Equal(agents, want) {
		t.Errorf("agents %q, want %q", agents, want)
	}
	if q := queueIDs(v.Queues); !slices.Equal(q, []string{"10"}) {
		t.Errorf("queues %q, want Support alone (Escalade is hidden)", q)
	}
	if len(v.Trunks) != 0 {
		t.Errorf("trunks %+v in a scoped view", v.Trunks)
	}
	tt := v.Totals
	checks := []struct {
		what      string
		got, want any
	}{
		{"available", tt.Agents[Available], 0},
		{"paused", tt.Agents[Paused], 1},
		{"on a call", tt.Agents[OnCall], 2},
		{"agents counted", len(v.Agents), 3},
		{"calls waiting", tt.CallsWaiting, 1},
		{"longest wait", tt.LongestWait, 30 * sec},
		{"answered", tt.Answered, 4},
		{"abandoned", tt.Abandoned, 2},
		{"answered in SL", tt.AnsweredInSL, 3},
		{"SL calls", tt.SLCalls, 5}, // Support 3 + 1 − 0 short, Escalade's answered only 1
		{"service level", tt.ServiceLevel, 60.0},
		{"has SL", tt.HasServiceLevel, true},
		{"ASA", tt.ASA, 97 * sec / 4}, // 15 + 31 + 6 + 45 s over 4
		{"SL target", tt.SLTarget, 0.0},
		{"mixed rules", tt.MixedRules, true},
		{"hidden queues", tt.HiddenQueues, 1},
		{"over limit", tt.OverLimit, 1}, // Damien; Émile and Chloé are outside
		{"over limit level", tt.OverLimitLevel, LevelCritical},
		{"waiting calls", callIDs(v.Calls.Waiting, func(c WaitingCall) string { return c.ID }), []string{"c4"}},
		{"abandoned calls", callIDs(v.Calls.Abandoned, func(c AbandonedCall) string { return c.ID }), []string{"c6", "c2"}},
	}
	for _, c := range checks {
		if !equalJSON(c.got, c.want) {
			t.Errorf("%s: %v, want %v", c.what, c.got, c.want)
		}
	}
	// the whole view counts the whole center: the scope is not it
	if whole.Totals.Answered != 6 || whole.Totals.CallsWaiting != 2 {
		t.Errorf("whole center: %d answered, %d waiting; want 6, 2", whole.Totals.Answered, whole.Totals.CallsWaiting)
	}
	var alerts []string
	for _, a := range v.Alerts {
		alerts = append(alerts, a.Rule+" "+a.Subject)
	}
	slices.Sort(alerts)
	if want := []string{"call_max Damien", "longest_wait_max Support"}; !slices.Equal(alerts, want) {
		t.Errorf("alerts %q, want %q", alerts, want)
	}
	for _, c := range v.AlertChanges {
		if c.Alert.Subject != "Damien" && c.Alert.Subject != "Support" {
			t.Errorf("alert change on %q outside the scope", c.Alert.Subject)
		}
	}
	bob := v.Agents[1]
	if bob.State != OnCall || bob.Call == nil || *bob.Call != (CallInfo{}) {
		t.Errorf("Bob on Ventes' call: %s %+v; want on a call, nothing of it shown", bob.State, bob.Call)
	}
	if d := v.Agents[2]; d.Call == nil || d.Call.ID != "c5" || d.Call.QueueName != "Escalade" || d.Call.Caller != phone("c5") {
		t.Errorf("Damien's call of the scope: %+v", d.Call)
	}
}

// TestAScopedViewsIntervalsAreItsQueues: the Day's intervals hold the
// scope's queues, their total summed again (the hidden one's calls in it),
// and the means of the scope's agents: Alice, Bob and Damien logged in
// the 130 s, Alice paused the last 30.
func TestAScopedViewsIntervalsAreItsQueues(t *testing.T) {
	b, now := scopeDay(t)
	whole := b.View(now)
	v := whole.For(support)
	if len(v.Intervals) != 1 || len(whole.Intervals) != 1 {
		t.Fatalf("%d intervals (whole %d), want 1", len(v.Intervals), len(whole.Intervals))
	}
	in := v.Intervals[0]
	if q := callIDs(in.Queues, func(q IntervalQueue) string { return q.QueueID }); !slices.Equal(q, []string{"10"}) {
		t.Errorf("interval queues %q, want Support's", q)
	}
	f := in.Total
	if f.Offered != 7 || f.Answered != 4 || f.Abandoned != 2 || f.ShortAbandoned != 1 || f.AnsweredInSL != 3 || f.SLCalls != 5 ||
		f.ServiceLevel != 60 || f.TotalWait != 97*sec || f.ASA != 97*sec/4 || f.LongestWait != 45*sec {
		t.Errorf("interval total %+v", f)
	}
	if in.AgentsLoggedIn != 3 || in.AgentsReachable != 360.0/130 || in.AgentsPaused != 30.0/130 {
		t.Errorf("agents' means %v %v %v, want 3, 360/130, 30/130", in.AgentsLoggedIn, in.AgentsReachable, in.AgentsPaused)
	}
	if w := whole.Intervals[0]; w.AgentsLoggedIn != 5 || w.Total.Offered != 11 {
		t.Errorf("the whole view's interval changed: %+v", w)
	}
	// every group: the center's means, to the bit
	all := whole.For(Audience{Scope: Scope{Groups: []string{"10", "20", "30", "40"}}}).Intervals[0]
	if w := whole.Intervals[0]; all.AgentsLoggedIn != w.AgentsLoggedIn || all.AgentsReachable != w.AgentsReachable || all.AgentsPaused != w.AgentsPaused {
		t.Errorf("every group's means %v %v %v, the center's %v %v %v", all.AgentsLoggedIn, all.AgentsReachable, all.AgentsPaused, w.AgentsLoggedIn, w.AgentsReachable, w.AgentsPaused)
	}
	if !slices.Equal(v.WaitingLastHour, []int{1}) || !slices.Equal(whole.WaitingLastHour, []int{2}) || v.Scope.WaitingLastHourUnavailable {
		t.Errorf("waiting last hour %v under the scope, %v in the center", v.WaitingLastHour, whole.WaitingLastHour)
	}
}

func queueIDs(rows []QueueRow) []string {
	return callIDs(rows, func(q QueueRow) string { return q.ID })
}

func callIDs[T any](rows []T, id func(T) string) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, id(r))
	}
	return out
}

func equalJSON(x, y any) bool {
	a, _ := json.Marshal(x)
	b, _ := json.Marshal(y)
	return string(a) == string(b)
}

// outside are what of scopeDay is outside support: names, caller numbers,
// the trunk.
var outside = []string{"Ventes", "Compta", "Chloé", "Émile", "Standard",
	phone("c7"), phone("c8"), phone("c9"), phone("c10"), "0655555555"}

// TestNothingOutsideTheScopeIsInAScopedView: the scoped view, written
// whole (JSON, and Go's %+v, its report and its snapshot too), names no
// queue, agent, trunk or caller outside the scope, nor Émile's id on the
// scope's call he answered; and it has the events about the scope's
// agents and queues only.
func TestNothingOutsideTheScopeIsInAScopedView(t *testing.T) {
	b, now := scopeDay(t)
	b.Acknowledge(Acknowledgement{AlertKey: AlertKey{Rule: RuleCallMax, AgentID: "3"}, Since: alertSince(t, b.View(now), "3"), By: "lead", At: now})
	b.Acknowledge(Acknowledgement{AlertKey: AlertKey{Rule: RuleCallMax, AgentID: "4"}, Since: alertSince(t, b.View(now), "4"), By: "lead", At: now})
	whole := b.View(now)
	r := b.Report(whole.AsOf)
	whole.Report = &r
	v := whole.For(support)
	js, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	wholeJSON, _ := json.Marshal(whole)
	for _, name := range outside { // else the test below proves nothing
		if !strings.Contains(string(wholeJSON)+eventsText(whole), name) {
			t.Fatalf("the whole view does not hold %q", name)
		}
	}
	snap, _ := json.Marshal(v.Snapshot())
	var report strings.Builder
	for c := range v.Report.EachCall {
		fmt.Fprintf(&report, "%+v\n", c)
	}
	for what, text := range map[string]string{"JSON": string(js), "events": eventsText(v), "%+v": fmt.Sprintf("%+v", *v), "report": report.String(), "snapshot": string(snap)} {
		for _, name := range outside {
			if strings.Contains(text, name) {
				t.Errorf("%s of the scoped view holds %q", what, name)
			}
		}
	}
	for _, e := range v.Events {
		if e.AgentID != "" && !slices.Contains([]string{"1", "2", "4"}, e.AgentID) || e.QueueID != "" && e.QueueID != "10" && e.QueueID != "30" || e.AgentID == "" && e.QueueID == "" {
			t.Errorf("event %s %s about agent %q queue %q in the scoped view", e.Kind, e.Name, e.AgentID, e.QueueID)
		}
	}
	if n := len(v.Events); n == 0 || n >= len(whole.Events) {
		t.Errorf("%d events of %d", n, len(whole.Events))
	}
	kinds := map[string]int{}
	for _, e := range v.Events {
		kinds[e.Kind]++
	}
	if kinds["ack"] != 1 || kinds["trunk"] != 0 {
		t.Errorf("events by kind %v: want Damien's acknowledgement alone, no trunk's", kinds)
	}
	if len(v.Acks) != 1 || v.Acks[0].AgentID != "4" {
		t.Errorf("acknowledgements %+v, want Damien's", v.Acks)
	}
	calls := map[string]CallRecord{}
	for c := range v.Report.EachCall {
		calls[c.ID] = c
	}
	if len(calls) != 7 || calls["c11"].Outcome != OutcomeInProgress || calls["c11"].AgentID != "" || calls["c3"].AgentName != "Bob" {
		t.Errorf("report calls %+v: want Support's and Escalade's 7, c11 on the line with nobody shown, c3 by Bob", calls)
	}
	if days := callIDs(v.Report.Agents, func(d AgentDay) string { return d.Name }); !slices.Equal(days, []string{"Alice", "Bob", "Damien"}) {
		t.Errorf("report agents %q", days)
	}
	s := v.Snapshot()
	if sc := s.Scope; sc == nil || sc.Name != "Escalade, Support" || !slices.Equal(sc.QueueIDs, []string{"10", "30"}) || !slices.Equal(sc.Unmatched, []string{"Nope"}) {
		t.Errorf("snapshot's scope %+v", sc)
	}
	if whole.Snapshot().Scope != nil {
		t.Error("the whole center's snapshot says a scope")
	}
	if len(s.Agents) != 3 || len(s.Queues) != 1 || s.Totals.Answered != 4 || len(s.Intervals) != 1 || s.Intervals[0].Total.Offered != 7 {
		t.Errorf("snapshot of the scoped view: %d agents, %d queues, %d answered, intervals %+v", len(s.Agents), len(s.Queues), s.Totals.Answered, s.Intervals)
	}
}

// eventsText is the view's events' payloads and notes (JSON writes the
// payloads in base64).
func eventsText(v *View) string {
	var b strings.Builder
	for _, e := range v.Events {
		fmt.Fprintf(&b, "%s %s %s\n", e.Name, e.Raw, e.Rejected)
	}
	return b.String()
}

func alertSince(t *testing.T, v *View, agent string) time.Time {
	t.Helper()
	for _, a := range v.Alerts {
		if a.AgentID == agent {
			return a.Since
		}
	}
	t.Fatalf("no alert on agent %s", agent)
	return time.Time{}
}

// TestAScopedViewCutAgainIsTheIntersection: a scope cut within another
// holds what both hold; what matches only outside the first is unmatched.
func TestAScopedViewCutAgainIsTheIntersection(t *testing.T) {
	b, now := scopeDay(t)
	whole := b.View(now)
	viewer := whole.For(Audience{Scope: Scope{Name: "Front", Groups: []string{"10", "20"}}})
	if got := queueIDs(viewer.Queues); !slices.Equal(got, []string{"10", "20"}) {
		t.Fatalf("viewer's queues %q", got)
	}
	page := viewer.For(Audience{Scope: Scope{Queues: []string{"Support", "Compta"}}})
	if got := queueIDs(page.Queues); !slices.Equal(got, []string{"10"}) {
		t.Errorf("page's queues %q, want Support alone", got)
	}
	if page.Scope.Name != "Support" || !slices.Equal(page.Scope.Unmatched, []string{"Compta"}) {
		t.Errorf("page's scope %+v: want Support, Compta unmatched (outside the viewer's)", *page.Scope)
	}
	direct := whole.For(Audience{Scope: Scope{Queues: []string{"Support"}}})
	if page.Totals.Answered != direct.Totals.Answered || page.Totals.SLCalls != direct.Totals.SLCalls || len(page.Agents) != len(direct.Agents) {
		t.Errorf("Support within Front: %+v, Support alone: %+v", page.Totals, direct.Totals)
	}
	if p, d := page.Intervals[0], direct.Intervals[0]; p.AgentsLoggedIn != d.AgentsLoggedIn || p.AgentsPaused != d.AgentsPaused || p.Total != d.Total {
		t.Errorf("Support's interval within Front %+v, alone %+v", p, d)
	}
	for _, a := range page.Agents {
		if slices.Contains(a.GroupNames, "Ventes") {
			t.Errorf("%s still shows Ventes within Support", a.Name)
		}
	}
	if whole.For(Audience{}) != whole {
		t.Error("the whole audience did not get the view itself")
	}
}

// TestAScopeResolvesIDsBeforeNames: an entry that is an id is that
// queue's, though another queue bears it as a name; a name two queues
// bear matches neither and is unmatched, as is a name nothing bears.
func TestAScopeResolvesIDsBeforeNames(t *testing.T) {
	b := New(Options{Location: time.UTC}, t0)
	b.SetDirectory(feed.Directory{
		Groups: []feed.Named{{ID: "10", Name: "20"}, {ID: "20", Name: "Ventes"}, {ID: "30", Name: "Twice"}, {ID: "31", Name: "Twice"}},
		Agents: []feed.Agent{{ID: "1", Name: "Alice", Groups: []feed.Text{"20", "99"}}},
	}, t0)
	v := b.View(t0)
	cut := v.For(Audience{Scope: Scope{Queues: []string{"20", "Twice", "Nothing"}}})
	if got := queueIDs(cut.Queues); !slices.Equal(got, []string{"20"}) {
		t.Errorf("queues %q, want 20 by its id (not 10, named 20)", got)
	}
	if !slices.Equal(cut.Scope.Unmatched, []string{"Twice", "Nothing"}) {
		t.Errorf("unmatched %q", cut.Scope.Unmatched)
	}
	// a group no queue is: its agents, no queue
	g := v.For(Audience{Scope: Scope{Groups: []string{"99"}}})
	if len(g.Agents) != 1 || len(g.Queues) != 0 || !slices.Equal(g.Agents[0].Groups, []string{"99"}) || !slices.Equal(g.Scope.GroupIDs, []string{"99"}) || len(g.Scope.QueueIDs) != 0 {
		t.Errorf("group 99: agents %+v, queues %+v, scope %+v", g.Agents, g.Queues, *g.Scope)
	}
	if n := v.For(Audience{Scope: Scope{Queues: []string{"Nothing"}}}).Scope.Name; n != "Nothing" {
		t.Errorf("a scope matching nothing named %q", n)
	}
	// nothing matched: an empty board, said so, never the whole center
	none := v.For(Audience{Scope: Scope{Name: "Ghost", Queues: []string{"Nothing"}}})
	if len(none.Agents) != 0 || len(none.Queues) != 0 || none.Scope.Name != "Ghost" || !slices.Equal(none.Scope.Unmatched, []string{"Nothing"}) {
		t.Errorf("a scope matching nothing: %d agents, %d queues, %+v", len(none.Agents), len(none.Queues), *none.Scope)
	}
}

// TestAnAudiencesCallerIDIsAppliedWhenStricter: an audience that shows
// less than the board masks or hides every caller number of its view; one
// that would show more sees what the board shows.
func TestAnAudiencesCallerIDIsAppliedWhenStricter(t *testing.T) {
	b, now := scopeDay(t) // caller_id full
	whole := b.View(now)
	r := b.Report(whole.AsOf)
	whole.Report = &r
	numbers := []string{phone("c1"), phone("c2"), phone("c4"), phone("c5")}
	for _, c := range []struct {
		shown CallerDisplay
		see   func(string) string
	}{
		{CallerFull, func(n string) string { return n }},
		{"", func(n string) string { return n }},
		{CallerMask, maskCaller},
		{CallerHide, func(string) string { return "" }},
	} {
		a := support
		a.CallerID = c.shown
		v := whole.For(a)
		js, _ := json.Marshal(v)
		var report strings.Builder
		for rc := range v.Report.EachCall {
			fmt.Fprintf(&report, "%q ", rc.Caller)
		}
		text := string(js) + report.String() + eventsText(v)
		for _, n := range numbers {
			if c.see(n) != n && strings.Contains(text, n) {
				t.Errorf("caller_id %q: %s shows", c.shown, n)
			}
		}
		if got, want := v.Calls.Waiting[0].Caller, c.see(phone("c4")); got != want {
			t.Errorf("caller_id %q: waiting caller %q, want %q", c.shown, got, want)
		}
		if got, want := v.Agents[2].Call.Caller, c.see(phone("c5")); got != want {
			t.Errorf("caller_id %q: Damien's caller %q, want %q", c.shown, got, want)
		}
		if c.shown == CallerMask && !strings.Contains(text, maskCaller(phone("c1"))) {
			t.Errorf("caller_id mask: %s masked nowhere", phone("c1"))
		}
	}
	// a board that masks: an audience asking full sees them masked
	mb := New(Options{Location: time.UTC, CallerID: CallerMask}, t0)
	mb.Apply(feedtest.Update(t0, 1, "queue", "insert_call", `{"id_queue":10,"id_call":"x","caller_id_num":"0611000001"}`), t0)
	v := mb.View(t0).For(Audience{Scope: Scope{Queues: []string{"10"}}, CallerID: CallerFull})
	if got := v.Calls.Waiting[0].Caller; got != maskCaller("0611000001") {
		t.Errorf("full under a masking board: %q", got)
	}
	if raw := string(v.Events[0].Raw); strings.Contains(raw, "0611000001") {
		t.Errorf("event's payload %s", raw)
	}
}

// TestForLeavesTheViewAsItWas: cutting views of one shared view from many
// goroutines at once (run with -race) changes nothing of it.
func TestForLeavesTheViewAsItWas(t *testing.T) {
	b, now := scopeDay(t)
	whole := b.View(now)
	r := b.Report(whole.AsOf)
	whole.Report = &r
	before, _ := json.Marshal(whole)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := support
			a.CallerID = []CallerDisplay{CallerMask, CallerHide}[i%2]
			v := whole.For(a).For(Audience{Scope: Scope{Queues: []string{"10"}}})
			_, _ = json.Marshal(v)
			for range v.Report.EachCall {
			}
		}()
	}
	wg.Wait()
	if after, _ := json.Marshal(whole); string(after) != string(before) {
		t.Error("cutting scoped views changed the whole view")
	}
}

// TestAWholeCenterAudienceWithAStricterCallerIDSeesTheWholeCenter: an
// audience without a scope but hiding caller numbers sees every agent,
// queue, trunk and event, its numbers hidden; one asking to see more than
// the board gets the board's view itself.
func TestAWholeCenterAudienceWithAStricterCallerIDSeesTheWholeCenter(t *testing.T) {
	b, now := scopeDay(t)
	whole := b.View(now)
	before, _ := json.Marshal(whole)
	v := whole.For(Audience{CallerID: CallerHide})
	if v == whole || v.Scope != nil || len(v.Agents) != 5 || len(v.Queues) != 3 || len(v.Trunks) != 1 || len(v.Events) != len(whole.Events) ||
		v.Totals.Answered != whole.Totals.Answered || len(v.WaitingLastHour) != len(whole.WaitingLastHour) {
		t.Errorf("whole center, callers hidden: scope %v, %d agents, %d queues, %d trunks, %d events", v.Scope, len(v.Agents), len(v.Queues), len(v.Trunks), len(v.Events))
	}
	text := eventsText(v)
	for _, c := range v.Calls.Waiting {
		text += c.Caller
	}
	for _, a := range v.Agents {
		if a.Call != nil {
			text += a.Call.Caller
		}
	}
	for _, c := range []string{"c1", "c4", "c7", "c10"} {
		if strings.Contains(text, phone(c)) {
			t.Errorf("%s's number shows", c)
		}
	}
	if after, _ := json.Marshal(whole); string(after) != string(before) {
		t.Error("hiding the callers changed the board's view")
	}
	if whole.For(Audience{CallerID: CallerFull}) != whole {
		t.Error("an audience asking as much as the board did not get its view")
	}
}

// BenchmarkScopedView5000Agents cuts a 5,000-agent, 200-queue board's
// view to a scope of ten queues, as a hub does at each publish for each
// scoped audience.
func BenchmarkScopedView5000Agents(b *testing.B) {
	board, now := bigBoard()
	v := board.View(now)
	var queues []string
	for _, q := range v.Queues[:10] {
		queues = append(queues, q.ID)
	}
	a := Audience{Scope: Scope{Queues: queues}, CallerID: CallerHide}
	b.ReportAllocs()
	for b.Loop() {
		_ = v.For(a)
	}
}

// TestAScopesLastHourIsTheMostOfItsQueuesAtOnce: each minute of a scoped
// view's last hour is the most calls waiting in its queues at one moment
// (not the sum of each queue's most), from the samples the board took;
// a board loaded from a checkpoint has the same.
func TestAScopesLastHourIsTheMostOfItsQueuesAtOnce(t *testing.T) {
	opts := Options{Location: time.UTC, CallerID: CallerFull}
	b := New(opts, t0)
	b.SetDirectory(feed.Directory{Groups: []feed.Named{{ID: "10", Name: "Support"}, {ID: "20", Name: "Ventes"}}}, t0)
	b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	cpt := 0
	at := func(s int, name, q, c string) {
		now := t0.Add(time.Duration(s) * sec)
		b.Tick(now)
		cpt++
		b.Apply(feedtest.Update(now, cpt, "queue", name, fmt.Sprintf(`{"id_queue":%s,"id_call":%q,"duration_in_queue":0}`, q, c)), now)
	}
	// minute 1, Support+Ventes: 1+0, 1+1, 2+1, 2+0, 2+1, 1+1, 0+1: the
	// center's most 3, Support's 2, Ventes' 1; minute 2: 0+2
	at(0, "insert_call", "10", "a")
	at(0, "insert_call", "20", "b")
	at(1, "insert_call", "10", "c")
	at(2, "connect_call", "20", "b")
	at(3, "insert_call", "20", "e")
	at(3, "connect_call", "10", "a")
	at(4, "connect_call", "10", "c")
	// minute 2: Ventes 2
	at(60, "insert_call", "20", "d")
	now := t0.Add(61 * sec)
	whole := b.View(now)
	for _, c := range []struct {
		queues []string
		want   []int
	}{
		{nil, []int{3, 2}},
		{[]string{"10"}, []int{2, 0}},
		{[]string{"20"}, []int{1, 2}},
		{[]string{"10", "20"}, []int{3, 2}},
	} {
		v := whole
		if c.queues != nil {
			v = whole.For(Audience{Scope: Scope{Queues: c.queues}})
		}
		if !slices.Equal(v.WaitingLastHour, c.want) {
			t.Errorf("queues %v: last hour %v, want %v", c.queues, v.WaitingLastHour, c.want)
		}
	}
	loaded := loadCheckpoint(t, checkpointOf(t, b), opts).View(now).For(Audience{Scope: Scope{Queues: []string{"10"}}})
	if !slices.Equal(loaded.WaitingLastHour, []int{2, 0}) {
		t.Errorf("Support's last hour from a checkpoint %v", loaded.WaitingLastHour)
	}
	// the board goes on after it: the first sample after a load counts every queue again
	lb := loadCheckpoint(t, checkpointOf(t, b), opts)
	lb.Tick(now)
	lb.Apply(feedtest.Update(now, cpt+1, "queue", "insert_call", `{"id_queue":10,"id_call":"f","duration_in_queue":0}`), now)
	if got := lb.View(now).For(Audience{Scope: Scope{Queues: []string{"10"}}}).WaitingLastHour; !slices.Equal(got, []int{2, 1}) {
		t.Errorf("Support's last hour after a load and a call %v, want [2 1]", got)
	}
}
