package state

import (
	"callboard/feed"
	"fmt"
	"slices"
	"testing"
	"time"
)

// shown lists the ids of the agents, queues and trunks a view of b at now
// shows.
func shown(b *Board, now time.Time) (agents, queues, trunks []string) {
	v := b.View(now)
	for _, r := range v.Agents {
		agents = append(agents, r.ID)
	}
	for _, r := range v.Queues {
		queues = append(queues, r.ID)
	}
	for _, r := range v.Trunks {
		trunks = append(trunks, r.ID)
	}
	slices.Sort(agents)
	slices.Sort(queues)
	slices.Sort(trunks)
	return agents, queues, trunks
}

// TestPlaceholdersGoAtTheDayRoll: agents, queues and trunks met only in
// events (placeholders) that hold nothing live are gone once the day
// rolls; one with a call waiting stays until its call is swept; those of
// the directory stay whatever they hold.
func TestPlaceholdersGoAtTheDayRoll(t *testing.T) {
	s := newScript(t, Options{}) // t0 is 15:17 UTC
	s.at(0, "UI", "login", `{"id_operator":99}`).
		at(sec, "UI", "logout", `{"id_operator":99}`).
		at(2*sec, "UI", "login", `{"id_operator":1}`).
		at(3*sec, "UI", "logout", `{"id_operator":1}`).
		at(4*sec, "queue", "insert_call", `{"id_queue":55,"id_call":1}`).
		at(5*sec, "queue", "delete_call", `{"id_queue":55,"id_call":1}`).
		at(6*sec, "trunk", "insert_call", `{"id_trunk":66,"id_call":1}`).
		at(7*sec, "trunk", "delete_call", `{"id_trunk":66,"id_call":1}`).
		at(time.Hour, "queue", "insert_call", `{"id_queue":56,"id_call":2}`) // waits on
	midnight := time.Date(2019, 1, 17, 0, 0, 0, 0, time.UTC)
	agents, queues, trunks := shown(s.b, midnight.Add(-time.Second))
	if fmt.Sprint(agents, queues, trunks) != "[1 2 3 99] [10 20 55 56] [66 7]" {
		t.Fatalf("before midnight: %v %v %v", agents, queues, trunks)
	}
	agents, queues, trunks = shown(s.b, midnight.Add(time.Second))
	if got := fmt.Sprint(agents, queues, trunks); got != "[1 2 3] [10 20 56] [7]" {
		t.Errorf("after midnight: %s, want the placeholders holding nothing gone", got)
	}
	swept := t0.Add(time.Hour + CallTTL + placeholderSweep + time.Minute) // the call of queue 56 swept, then a sweep of placeholders
	agents, queues, trunks = shown(s.b, swept)
	if got := fmt.Sprint(agents, queues, trunks); got != "[1 2 3] [10 20] [7]" {
		t.Errorf("once its call is swept: %s, want queue 56 gone", got)
	}
	// met again, a placeholder comes back, its day counted afresh
	s.at(swept.Sub(t0)+time.Minute, "queue", "insert_call", `{"id_queue":55,"id_call":3}`)
	if q := s.queue("55"); !q.Placeholder || q.Waiting != 1 || q.Abandoned != 0 {
		t.Errorf("queue 55 met again: %+v", q)
	}
}

// TestAPlaceholderUnheardForADayGoes: a placeholder that holds something
// live (an agent logged in) outlives the roll of the day, but goes once no
// update has named it for PlaceholderTTL; one named meanwhile stays, and
// an agent of the directory never goes.
func TestAPlaceholderUnheardForADayGoes(t *testing.T) {
	s := newScript(t, Options{})
	s.at(0, "UI", "login", `{"id_operator":98}`).
		at(0, "UI", "login", `{"id_operator":97}`).
		at(0, "UI", "login", `{"id_operator":1}`).
		at(20*time.Hour, "operator", "status", `{"id_operator":97,"status":"available"}`)
	agents, _, _ := shown(s.b, t0.Add(PlaceholderTTL-time.Minute))
	if got := fmt.Sprint(agents); got != "[1 2 3 97 98]" {
		t.Errorf("logged in, a day not passed: %s", got)
	}
	agents, _, _ = shown(s.b, t0.Add(PlaceholderTTL+placeholderSweep))
	if got := fmt.Sprint(agents); got != "[1 2 3 97]" {
		t.Errorf("a day unheard: %s, want 98 gone", got)
	}
	agents, _, _ = shown(s.b, t0.Add(3*24*time.Hour))
	if got := fmt.Sprint(agents); got != "[1 2 3]" {
		t.Errorf("three days on: %s, want the directory's agents only", got)
	}
	if a := s.agent("1"); a.State != Available {
		t.Errorf("the directory's agent 1, logged in three days ago: %v", a.State)
	}
}

// TestTheDefaultCapsRejectNewIDs: without caps set, the 2,001st queue and
// trunk and the 20,001st agent are rejected; the directory's count but are
// kept.
func TestTheDefaultCapsRejectNewIDs(t *testing.T) {
	s := newScript(t, Options{}) // its directory: 3 agents, 2 queues, 1 trunk
	for i := range DefaultMaxAgents {
		s.at(0, "UI", "login", fmt.Sprintf(`{"id_operator":"p%d"}`, i))
		if i < DefaultMaxQueues {
			s.at(0, "queue", "insert_call", fmt.Sprintf(`{"id_queue":"p%d","id_call":1}`, i))
			s.at(0, "trunk", "insert_call", fmt.Sprintf(`{"id_trunk":"p%d","id_call":1}`, i))
		}
	}
	if len(s.b.agents) != DefaultMaxAgents || len(s.b.queues) != DefaultMaxQueues || len(s.b.trunks) != DefaultMaxTrunks {
		t.Errorf("%d agents, %d queues, %d trunks", len(s.b.agents), len(s.b.queues), len(s.b.trunks))
	}
	want := map[string]int{"too many agents: limit 20000": 3, "too many queues: limit 2000": 2, "too many trunks: limit 2000": 1}
	for reason, n := range want {
		if got := s.b.feed.RejectedBy[reason]; got != n {
			t.Errorf("%s: %d, want %d", reason, got, n)
		}
	}
	if _, ok := s.b.agents["p19999"]; ok {
		t.Error("the 20,001st agent was kept")
	}
}

// TestRowsNoLongerInTheDirectoryGo: a new directory (at a login) that no
// longer lists agents, queues and trunks of the one before makes them
// placeholders: they go as placeholders go, so that a server giving other
// ids at each login cannot grow the board past its caps; one still
// logged in stays until the day rolls and a day passes unheard.
func TestRowsNoLongerInTheDirectoryGo(t *testing.T) {
	s := newScript(t, Options{}) // its directory: agents 1, 2, 3, queues 10, 20, trunk 7
	s.at(0, "UI", "login", `{"id_operator":2}`)
	for round := range 5 {
		var d feed.Directory
		for i := range 1000 {
			id := feed.Text(fmt.Sprintf("r%d-%d", round, i))
			d.Agents = append(d.Agents, feed.Agent{ID: id, Name: "Agent"})
			d.Groups = append(d.Groups, feed.Named{ID: id, Name: "Queue"})
			d.Trunks = append(d.Trunks, feed.Named{ID: id, Name: "Trunk"})
		}
		s.b.SetDirectory(d, t0.Add(time.Duration(round+1)*time.Minute))
	}
	if a := s.agent("1"); !a.Placeholder || a.Name != "Alice" {
		t.Errorf("agent 1, no longer listed: %+v, want a placeholder keeping its name", a)
	}
	agents, queues, trunks := shown(s.b, t0.Add(10*time.Hour)) // t0 is 15:17: the day rolled
	if len(agents) != 1001 || len(queues) != 1000 || len(trunks) != 1000 || !slices.Contains(agents, "2") {
		t.Errorf("after the day rolled: %d agents, %d queues, %d trunks kept (agent 2 logged in: %v), want 1001 (the last directory's and 2), 1000, 1000",
			len(agents), len(queues), len(trunks), slices.Contains(agents, "2"))
	}
	agents, _, _ = shown(s.b, t0.Add(PlaceholderTTL+time.Hour))
	if len(agents) != 1000 || slices.Contains(agents, "2") {
		t.Errorf("a day on: %d agents (agent 2 kept: %v), want the last directory's 1000", len(agents), slices.Contains(agents, "2"))
	}
}

// TestUnknownNamesAreCapped: a server sending updates of ever new names
// (each kept as unknown, counted by name) grows the names counted only to
// their cap; the rest are counted together, and every one in Unknown.
func TestUnknownNamesAreCapped(t *testing.T) {
	s := newScript(t, Options{})
	const capped, other = 1000, "(other names)" // maxUnknownKeys, unknownOther
	const sent = capped + 500
	for i := range sent {
		s.at(time.Duration(i)*time.Millisecond, "queue", fmt.Sprintf("made_up_%d", i), `{"id_queue":10,"id_call":1}`)
	}
	f := s.b.View(s.now).Feed
	if len(f.UnknownBy) != capped+1 || f.UnknownBy[other] != sent-capped || f.Unknown != sent {
		t.Errorf("%d names counted, %d under %q, %d unknown; want %d, %d, %d",
			len(f.UnknownBy), f.UnknownBy[other], other, f.Unknown, capped+1, sent-capped, sent)
	}
	if f.UnknownBy["queue/made_up_0"] != 1 {
		t.Errorf("the first name is not counted by itself: %v", f.UnknownBy["queue/made_up_0"])
	}
}
