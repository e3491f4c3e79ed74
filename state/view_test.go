package state

import (
	"testing"
	"time"

	"callboard/feed"
)

func TestAViewIsNotChangedByTheBoardAfterwards(t *testing.T) {
	s := newScript(t, Options{})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	s.at(sec, "UI", "login", ui("1", ""))
	v := s.b.View(t0.Add(2 * sec))
	groups := append([]string(nil), agentByID(t, v.Agents, "1").Groups...)
	// A new directory regroups the agent; a refusal changes the health.
	s.b.SetDirectory(feed.Directory{Agents: []feed.Agent{{ID: "1", Name: "Alice", Groups: []feed.Text{"99"}}}}, t0.Add(3*sec))
	s.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, Refused: true, Reason: "no", At: t0.Add(4 * sec)})
	s.at(5*sec, "operator", "status", `{"id_operator":1,"status":"xyz"}`)
	if got := agentByID(t, v.Agents, "1").Groups; len(got) != len(groups) || got[0] != groups[0] {
		t.Errorf("the published view's groups changed to %q", got)
	}
	if v.Feed.Refused || v.Feed.Unknown != 0 || len(v.Feed.UnknownBy) != 0 {
		t.Errorf("the published view's health changed: %+v", v.Feed)
	}
	now := s.b.View(t0.Add(6 * sec))
	if !now.Feed.Refused || now.Feed.UnknownBy["operator/status/xyz"] != 1 {
		t.Errorf("the new view: refused %v, unknown %v", now.Feed.Refused, now.Feed.UnknownBy)
	}
}

func TestTheSnapshotIsTheViews(t *testing.T) {
	s := newScript(t, Options{})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	s.at(sec, "queue", "insert_call", `{"id_queue":10,"id_call":"q1"}`)
	s.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, At: t0.Add(11 * sec)})
	now := t0.Add(time.Hour)
	v := s.b.View(now)
	snap := v.Snapshot()
	if snap.Totals.LongestWaitS != 10 || snap.Queues[0].LongestWaitS != 10 || v.Totals.LongestWait != 10*sec {
		t.Errorf("the snapshot's longest wait %d s, the view's %v: want both 10 s, frozen when the feed went down", snap.Totals.LongestWaitS, v.Totals.LongestWait)
	}
}

func TestOnACallAndLoggedInAreDefinedOnce(t *testing.T) {
	onACall := map[AgentState]bool{Ringing: true, Calling: true, OnCall: true}
	loggedIn := map[AgentState]bool{LoggedOut: false, Unknown: false}
	tot := Totals{Agents: map[AgentState]int{}}
	wantOn, wantIn := 0, 0
	for i, s := range AllStates {
		if s.OnACall() != onACall[s] {
			t.Errorf("%s: on a call %v", s, s.OnACall())
		}
		if _, out := loggedIn[s]; s.LoggedIn() == out {
			t.Errorf("%s: logged in %v", s, s.LoggedIn())
		}
		tot.Agents[s] = i + 1
		if onACall[s] {
			wantOn += i + 1
		}
		if s.LoggedIn() {
			wantIn += i + 1
		}
	}
	if tot.OnACall() != wantOn || tot.LoggedIn() != wantIn {
		t.Errorf("totals: on a call %d (want %d), logged in %d (want %d)", tot.OnACall(), wantOn, tot.LoggedIn(), wantIn)
	}
}
