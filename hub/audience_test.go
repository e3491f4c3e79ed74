package hub

import (
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

var (
	support = state.Audience{Scope: state.Scope{Queues: []string{"391"}}}
	ventes  = state.Audience{Scope: state.Scope{Groups: []string{"392"}}}
)

// twoTeams are the directory of a center of two queues, Support (391) and
// Ventes (392), an agent in each, and their agents' logins.
func twoTeams() []feed.Message {
	return []feed.Message{
		&feed.DirectoryMsg{At: t0, Directory: feed.Directory{
			Groups: []feed.Named{{ID: "391", Name: "Support"}, {ID: "392", Name: "Ventes"}},
			Agents: []feed.Agent{{ID: "1", Name: "Alice", Groups: []feed.Text{"391"}}, {ID: "2", Name: "Bob", Groups: []feed.Text{"392"}}},
		}},
		feedtest.Login(t0, 1, 1),
		feedtest.Login(t0, 2, 2),
	}
}

// only fails unless v holds the one agent and the one queue given.
func only(t *testing.T, who string, v *state.View, agent, queue string) {
	t.Helper()
	if len(v.Agents) != 1 || v.Agents[0].ID != agent || len(v.Queues) != 1 || v.Queues[0].ID != queue {
		ids := func() (a, q []string) {
			for _, x := range v.Agents {
				a = append(a, x.ID)
			}
			for _, x := range v.Queues {
				q = append(q, x.ID)
			}
			return
		}
		a, q := ids()
		t.Errorf("%s sees agents %v and queues %v, want agent %s and queue %s only", who, a, q, agent, queue)
	}
}

// TestEachAudienceIsCutOncePerPublishAndShared: a view published is cut
// once per distinct audience, the cut shared by every subscriber of that
// audience (whatever order or repeats its entries come in, a whole
// audience before it or not) and by Latest; the whole view goes to the
// whole audience only.
func TestEachAudienceIsCutOncePerPublishAndShared(t *testing.T) {
	h := New(Config{Options: state.Options{Location: time.UTC}, Now: func() time.Time { return t0 }, Start: t0})
	supportTwice := state.Audience{Scope: state.Scope{Queues: []string{"391", "391"}}}
	subs := map[string]*Subscription{
		"support":        h.Subscribe(support),
		"whole, support": h.Subscribe(state.Audience{}, support),
		"support again":  h.Subscribe(supportTwice),
		"ventes":         h.Subscribe(ventes),
		"whole":          h.Subscribe(),
	}
	for name, s := range subs {
		defer s.Close()
		v := <-s.C // the latest at once, cut too
		if (v == h.Latest()) != (name == "whole") {
			t.Errorf("%s's first view is the whole one: %v", name, v == h.Latest())
		}
	}
	before := h.made
	for _, m := range twoTeams() {
		h.handle(m, t0)
	}
	whole := h.board.View(t0)
	h.publish(whole)
	if made := h.made - before; made != 2 {
		t.Errorf("%d cuts for one view published to two audiences, want 2", made)
	}
	got := map[string]*state.View{}
	for name, s := range subs {
		got[name] = <-s.C
	}
	if got["support"] != got["whole, support"] || got["support"] != got["support again"] {
		t.Error("the subscribers of Support do not share one cut")
	}
	if got["whole"] != whole || len(whole.Agents) != 2 {
		t.Error("the whole audience did not receive the whole view")
	}
	only(t, "Support", got["support"], "1", "391")
	only(t, "Ventes", got["ventes"], "2", "392")
	if got["support"] == got["ventes"] || got["support"] == whole || got["ventes"] == whole {
		t.Error("a scoped subscriber received another audience's view")
	}

	made := h.made
	if h.Latest(support) != got["support"] || h.Latest(state.Audience{}, supportTwice) != got["support"] || h.Latest() != whole {
		t.Error("Latest does not give the view the audience's subscribers received")
	}
	hidden := state.Audience{Scope: state.Scope{Queues: []string{"391"}}, CallerID: state.CallerHide}
	first := h.Latest(hidden)
	if h.Latest(hidden) != first || h.made != made+1 {
		t.Errorf("Latest of an audience nobody subscribed made %d cuts for two calls, want 1", h.made-made)
	}
	// a wall page within a viewer's scope: the page's cut of the viewer's
	if v := h.Latest(support, ventes); len(v.Agents) != 0 || len(v.Queues) != 0 {
		t.Errorf("Ventes within Support holds %d agents and %d queues, want none", len(v.Agents), len(v.Queues))
	}
}

// TestAScopedSubscriberNeverReceivesAnotherView: over a run, every view a
// scoped subscriber receives, its last one included, holds its scope only.
func TestAScopedSubscriberNeverReceivesAnotherView(t *testing.T) {
	h := New(Config{Options: state.Options{Location: time.UTC}, Now: func() time.Time { return t0 }, Start: t0, MinInterval: time.Nanosecond})
	s := h.Subscribe(ventes)
	defer s.Close()
	<-s.C
	messages := make(chan feed.Message) // unbuffered: each send returns once the hub took it
	wait := run(t, h, messages)
	seen := 0
	check := func() {
		for drained := false; !drained; {
			select {
			case v := <-s.C:
				seen++
				for _, a := range v.Agents {
					if a.ID != "2" {
						t.Errorf("Ventes received agent %s", a.ID)
					}
				}
				for _, q := range v.Queues {
					if q.ID != "392" {
						t.Errorf("Ventes received queue %s", q.ID)
					}
				}
			default:
				drained = true
			}
		}
	}
	for _, m := range twoTeams() {
		messages <- m
		check()
	}
	close(messages)
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	check()
	last := h.Latest(ventes)
	if !last.FeedEnded {
		t.Fatal("the last view is not the run's end")
	}
	only(t, "Ventes at the end", last, "2", "392")
	if seen == 0 {
		t.Error("Ventes received no view of the run")
	}
}
