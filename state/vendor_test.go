package state

import (
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/internal/testkit/vendorexamples"
)

var t0 = time.Date(2019, 1, 16, 15, 17, 1, 0, time.UTC)

func agentByID(t *testing.T, rows []AgentRow, id string) AgentRow {
	t.Helper()
	for _, r := range rows {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no agent %q in %+v", id, rows)
	return AgentRow{}
}

// TestVendorExamples feeds the examples of the vendor's page, verbatim and
// in the page's order, one second apart, and checks what a person reading
// them would expect.
func TestVendorExamples(t *testing.T) {
	payloads, err := vendorexamples.Read("../feed/testdata/vendor-events.txt", t0.Unix(), 2288)
	if err != nil {
		t.Fatal(err)
	}
	if len(payloads) != 10 {
		t.Fatalf("read %d examples, want 10", len(payloads))
	}
	b := New(Options{Location: time.UTC}, t0)
	b.SetDirectory(feed.Directory{
		Agents: []feed.Agent{{ID: "1", Name: "Alice", Groups: []feed.Text{"391"}}},
		Groups: []feed.Named{{ID: "391", Name: "Support"}},
		Pauses: []feed.Named{{ID: "2", Name: "Déjeuner"}},
	}, t0)
	now := t0
	for _, p := range payloads {
		now = now.Add(time.Second)
		ev := feedtest.Event(now, string(p))
		if ev.Err != nil {
			t.Fatalf("vendor example rejected: %v\n%s", ev.Err, p)
		}
		b.Apply(ev, now)
	}

	agents := b.Agents(now)
	// operator status connected for agent 8, unknown to the directory
	a8 := agentByID(t, agents, "8")
	if a8.Name != "#8" || !a8.Placeholder {
		t.Errorf("agent 8 should be a placeholder named #8, got %q", a8.Name)
	}
	if a8.State != OnCall || a8.Call == nil || a8.Call.ID != "-17137" || a8.Call.Caller != "336*****11" || !a8.Call.Recorded {
		t.Errorf("agent 8 = %+v call %+v, want on_call with call -17137 from 336*****11 (masked), recorded", a8, a8.Call)
	}
	if a8.Today.Answered != 0 || a8.Today.Outbound != 0 {
		t.Errorf("agent 8 answered %d, outbound %d; want 0, 0: a call of no queue, running when first seen", a8.Today.Answered, a8.Today.Outbound)
	}
	// login, pause "user1", then the page's transfert_start status: still paused
	a1 := agentByID(t, agents, "1")
	if a1.State != Paused || a1.PauseReason != "user1" || a1.Status != "transfert_start" {
		t.Errorf("agent 1 = state %s reason %q status %q, want paused, user1 (raw, no such pause type), transfert_start", a1.State, a1.PauseReason, a1.Status)
	}

	queues := map[string]QueueRow{}
	for _, q := range b.Queues(now) {
		queues[q.ID] = q
	}
	if q := queues["391"]; q.Name != "Support" || q.Waiting != 1 || q.InProgress != 0 || q.LongestWait != 6*time.Second {
		t.Errorf("queue 391 = %+v, want Support with 1 call waiting for 6s", q)
	}
	if q := queues["8"]; q.Name != "#8" || q.Waiting != 0 || q.InProgress != 1 || q.Answered != 0 || q.AnsweredBeforeStart != 1 {
		t.Errorf("queue 8 = %+v, want a placeholder with 1 call in progress, answered before start", q)
	}
	if q := queues["1023"]; q.Abandoned != 0 || q.Waiting != 0 {
		t.Errorf("queue 1023 = %+v: a delete for a call never seen must count nothing", q)
	}

	trunks := map[string]TrunkRow{}
	for _, tr := range b.Trunks() {
		trunks[tr.ID] = tr
	}
	if tr := trunks["346223"]; tr.Ringing != 1 || tr.Total != 1 {
		t.Errorf("trunk 346223 = %+v, want 1 ringing", tr)
	}
	if tr := trunks["345940"]; tr.Connected != 1 || tr.Answered != 0 || tr.Total != 0 || tr.AnsweredBeforeStart != 1 {
		t.Errorf("trunk 345940 = %+v, want 1 connected before start", tr)
	}
	if tr := trunks["34"]; tr.Missed != 0 || tr.Total != 0 {
		t.Errorf("trunk 34 = %+v: a delete for a call never seen must count nothing", tr)
	}

	f := b.Feed()
	if f.Events != 10 || f.Rejected != 2 || f.RejectedBy[ReasonUnknownCall] != 2 {
		t.Errorf("feed = %+v, want 10 events, 2 rejected as %q", f, ReasonUnknownCall)
	}
	if f.Unknown != 1 {
		t.Errorf("unknown = %d, want 1 (transfert_start)", f.Unknown)
	}
	if f.Gaps != 0 {
		t.Errorf("gaps = %d, want 0: the wrapped examples run from cpt 2288 to 2296 and the page's packet is 2297", f.Gaps)
	}
}
