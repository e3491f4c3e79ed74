package hub

import (
	"context"
	"fmt"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// TestAKeptDayReplaysAsItWasLive: a day kept with an outage in it, replayed
// as History, gives the board the live run gave, where time passed every
// second: an agent back in the state it had before the outage starts it
// over (its time in state is not the one from before the outage), and a call
// that was never mentioned again after the reconnect was swept live, so that
// its end, heard later, does not count it abandoned.
func TestAKeptDayReplaysAsItWasLive(t *testing.T) {
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	status := func(s, cpt int, st string) *feed.Event {
		return feedtest.Update(at(s), cpt, "operator", "status", fmt.Sprintf(`{"id_operator":1,"status":%q,"id_call":"c1","id_queue":10}`, st))
	}
	queue := func(s, cpt int, name string) *feed.Event {
		return feedtest.Update(at(s), cpt, "queue", name, `{"id_call":"c9","id_queue":10,"caller_id_num":"33612345678","duration_in_queue":0}`)
	}
	day := []feed.Message{
		&feed.StatusMsg{State: feed.Live, At: at(0)},
		feedtest.Login(at(0), 1, 1),
		queue(10, 2, "insert_call"),
		&feed.StatusMsg{State: feed.Disconnected, Reason: feed.ReasonNotRunning, At: at(100)},
		&feed.StatusMsg{State: feed.Live, At: at(130)},
		feedtest.Login(at(130), 1, 1), // the burst after init: the same state again
		status(3000, 2, "connected"),
		status(3060, 3, "available"),
		queue(3070, 4, "delete_call"), // swept at 130 s + 10 min: not abandoned
	}
	end := at(3100)

	// live: each message at its time, and time passing every second
	opts := state.Options{Location: time.UTC}
	live := state.New(opts, at(0))
	next := at(0)
	for _, m := range day {
		for ; !next.After(feed.MessageTime(m)); next = next.Add(time.Second) {
			live.Tick(next)
		}
		live.Handle(m, feed.MessageTime(m))
	}
	want := live.View(end)

	check := func(t *testing.T, got *state.View) {
		t.Helper()
		if len(got.Agents) != 1 || got.Agents[0].InState != 40*time.Second || got.Agents[0].InState != want.Agents[0].InState {
			t.Errorf("replayed agents %+v, live %+v: want 40s in state", got.Agents, want.Agents)
		}
		if got.Totals.Abandoned != want.Totals.Abandoned || got.Totals.Abandoned != 0 {
			t.Errorf("replayed %d abandoned, live %d: want 0 (the call was swept before its end was heard)", got.Totals.Abandoned, want.Totals.Abandoned)
		}
	}
	t.Run("kept day", func(t *testing.T) {
		h := New(Config{Options: opts, Start: end, Now: func() time.Time { return end }, History: func(apply func(feed.Message)) error {
			for _, m := range day {
				apply(m)
			}
			return nil
		}})
		messages := make(chan feed.Message)
		close(messages)
		if err := run(t, h, messages)(); err != nil {
			t.Fatal(err)
		}
		check(t, h.Latest())
	})
	t.Run("recording played as fast as it reads", func(t *testing.T) {
		// the hub's own ticker never fires: time passes with the messages
		h := New(Config{Options: opts, Start: at(0), Now: func() time.Time { return end }, TickInterval: time.Hour})
		messages := make(chan feed.Message, len(day))
		for _, m := range day {
			messages <- m
		}
		close(messages)
		if err := run(t, h, messages)(); err != nil {
			t.Fatal(err)
		}
		check(t, h.Latest())
	})
}

// TestViewsComeOutUnderLoadAndWhenIdle: while messages keep coming, views
// still come out, never closer than MinInterval (by the hub's clock); with
// nothing coming, a view every TickInterval.
func TestViewsComeOutUnderLoadAndWhenIdle(t *testing.T) {
	const minInterval = 20 * time.Millisecond
	h := New(Config{Options: state.Options{Location: time.UTC, MaxAgents: 1 << 30}, Start: t0, MinInterval: minInterval, TickInterval: time.Hour}) // a new agent per message, beyond the default cap
	views := h.Subscribe()
	defer views.Close()
	<-views.C // the first, before any message
	messages := make(chan feed.Message)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go h.Run(ctx, messages)
	stop := make(chan struct{})
	sent := make(chan int, 1)
	go func() { // a flood that does not stop until told
		n := 0
		defer func() { sent <- n }()
		for {
			n++
			select {
			case messages <- feedtest.Login(time.Now(), n, n):
			case <-stop:
				return
			}
		}
	}()
	var got []*state.View
	for len(got) < 5 {
		got = append(got, testkit.Receive(t, fmt.Sprintf("view %d of 5 during the flood", len(got)+1), views.C))
	}
	close(stop)
	<-sent
	for i := 1; i < len(got); i++ {
		if gap := got[i].Now.Sub(got[i-1].Now); gap < minInterval {
			t.Errorf("views %d and %d published %v apart, want at least %v", i-1, i, gap, minInterval)
		}
		if len(got[i].Agents) <= len(got[i-1].Agents) {
			t.Errorf("view %d has %d agents, view %d %d: the flood's newest not in it", i, len(got[i].Agents), i-1, len(got[i-1].Agents))
		}
	}

	idle := New(Config{Options: state.Options{Location: time.UTC}, Start: t0, TickInterval: 10 * time.Millisecond})
	ticks := idle.Subscribe()
	defer ticks.Close()
	first := <-ticks.C
	go idle.Run(ctx, make(chan feed.Message))
	for i := range 3 {
		v := testkit.Receive(t, fmt.Sprintf("idle view %d of 3", i+1), ticks.C)
		if !v.Now.After(first.Now) {
			t.Errorf("idle view %d at %v, not after %v", i, v.Now, first.Now)
		}
		first = v
	}
}

// TestWhatCameBeforeARestartIsStaleUntilHeardOfAgain: after the journal's
// day, which ends where callboard stopped, the agents and calls the
// service does not mention again once live are marked stale, as after an
// outage; those it mentions are not.
func TestWhatCameBeforeARestartIsStaleUntilHeardOfAgain(t *testing.T) {
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	call := feedtest.Event(at(20), `{"cpt":3,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_call":"c9","id_queue":10,"caller_id_num":"33612345678","duration_in_queue":0}}}`)
	kept := []feed.Message{
		&feed.StatusMsg{State: feed.Live, At: at(0)},
		feedtest.Login(at(0), 1, 1),
		feedtest.Login(at(0), 2, 2),
		call,
		&feed.StatusMsg{State: feed.Disconnected, Reason: feed.ReasonNotRunning, At: at(100)}, // the journal's end
	}
	now := at(230)
	h := New(Config{Options: state.Options{Location: time.UTC}, Start: now, Now: func() time.Time { return now }, TickInterval: time.Hour, History: func(apply func(feed.Message)) error {
		for _, m := range kept {
			apply(m)
		}
		return nil
	}})
	messages := make(chan feed.Message, 3)
	messages <- &feed.StatusMsg{State: feed.Live, At: at(200)}
	messages <- feedtest.Login(at(200), 4, 1) // the burst after init names agent 1 only
	close(messages)
	if err := run(t, h, messages)(); err != nil {
		t.Fatal(err)
	}
	v := h.Latest()
	stale := map[string]bool{}
	for _, a := range v.Agents {
		stale[a.ID] = a.Stale
	}
	if stale["1"] || !stale["2"] {
		t.Errorf("stale agents %v, want agent 2 alone", stale)
	}
	if len(v.Calls.Waiting) != 0 || v.Totals.StaleCalls != 1 {
		t.Errorf("%d calls waiting, %d stale: want the call from before the restart stale, not waiting", len(v.Calls.Waiting), v.Totals.StaleCalls)
	}
	if d := v.Day; len(d.NotLive) == 0 {
		t.Errorf("the day %+v says nothing of the stretch not seen", d)
	}
}

// TestAReplayAsFastAsItReadsTakesItsViewsAtItsMessages: the clock of such a
// replay runs ahead of what the hub has applied; its views but the last are
// taken at the newest message applied, so that time does not pass past the
// messages still to come (here, a midnight the day would roll at).
func TestAReplayAsFastAsItReadsTakesItsViewsAtItsMessages(t *testing.T) {
	ahead := t0.Add(48 * time.Hour) // where the source has read to
	h := New(Config{Options: state.Options{Location: time.UTC}, Start: t0, Now: func() time.Time { return ahead }, MinInterval: time.Nanosecond, FollowMessages: true})
	views := h.Subscribe()
	defer views.Close()
	<-views.C
	messages := make(chan feed.Message)
	wait := run(t, h, messages)
	messages <- &feed.StatusMsg{State: feed.Live, At: t0}
	messages <- feedtest.Login(t0.Add(time.Minute), 1, 1)
	var v *state.View
	for v == nil || len(v.Agents) == 0 {
		v = testkit.Receive(t, "a view of the login", views.C)
	}
	if !v.Now.Equal(t0.Add(time.Minute)) || v.Agents[0].InState != 0 || !v.Day.Since.Equal(t0) {
		t.Errorf("view at %v, agent in state for %v, day from %v: want all at the login, on its day", v.Now, v.Agents[0].InState, v.Day.Since)
	}
	close(messages)
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	if last := h.Latest(); !last.FeedEnded || !last.Now.Equal(ahead) {
		t.Errorf("the last view at %v (ended %v), want at the clock, %v", last.Now, last.FeedEnded, ahead)
	}
}

// TestBesideALiveWriterTheDayKeepsItsOutages: a hub whose History is a
// day another process is writing, live (Beside), takes that day's view:
// its own connecting is no outage, and only the agent the day lost sight
// of (no event since the writer's restart) is stale. Not beside it, its
// start-up is an outage as any, after which all three are stale until
// heard of; and so it is when the writer stops before this process is
// live: the day was not seen from the writer's last line.
func TestBesideALiveWriterTheDayKeepsItsOutages(t *testing.T) {
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	day := append(dayWithARestart(t, at), feedtest.Login(at(131), 5, 2))
	last := at(200)
	own := []feed.Message{
		&feed.StatusMsg{State: feed.Connecting, At: at(201)},
		&feed.StatusMsg{State: feed.Live, At: at(202)},
		feedtest.Login(at(203), 6, 1),
	}
	stopped := at(200) // where the writer that stops meanwhile stopped
	for _, c := range []struct {
		name    string
		beside  bool
		stops   bool // the writer stops before this process is live
		stale   []bool
		outages int
	}{
		{"beside a live writer", true, false, []bool{false, false, true}, 1},
		{"after the writer", false, false, []bool{false, true, true}, 2},
		{"beside a writer that stops meanwhile", true, true, []bool{false, true, true}, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			asked := 0
			h := New(Config{Options: state.Options{Location: time.UTC}, Start: at(205), Now: func() time.Time { return at(205) },
				History: func(apply func(feed.Message)) error {
					for _, m := range day {
						apply(m)
					}
					if !c.beside {
						apply(&feed.StatusMsg{State: feed.Disconnected, Reason: feed.ReasonNotRunning, At: last})
					}
					return nil
				},
				Beside: func() (time.Time, bool) {
					asked++
					if c.stops && asked > 1 {
						return stopped, false
					}
					return last, c.beside
				},
			})
			runAll(t, h, own...)
			v := h.Latest()
			if len(v.Agents) != 3 {
				t.Fatalf("%d agents, want 3", len(v.Agents))
			}
			for i, a := range v.Agents {
				if a.Stale != c.stale[i] {
					t.Errorf("agent %s stale %v, want %v", a.ID, a.Stale, c.stale[i])
				}
			}
			if got := v.Day.NotLive; len(got) != c.outages || !got[0].From.Equal(at(100)) || !got[0].To.Equal(at(130)) {
				t.Errorf("not live today %v, want %d from the writer's restart", got, c.outages)
			} else if c.stops && (!got[1].From.Equal(stopped) || !got[1].To.Equal(at(202))) {
				t.Errorf("not live today %v, want the day not seen from where the writer stopped to this process's going live", got)
			}
		})
	}
}

// TestACatchUpAppliesWhatTheWriterSawMeanwhile: what the live writer
// wrote while this process connected (CatchUp) is applied as the day's,
// before this process goes live: an agent it heard of is not stale, an
// outage it had is the day's, and an update this process receives again
// (the same cpt) is not applied twice.
func TestACatchUpAppliesWhatTheWriterSawMeanwhile(t *testing.T) {
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	day := dayWithARestart(t, func(s int) time.Time { return at(s * 1000) })
	last := at(131000)
	for _, c := range []struct {
		name    string
		meant   []feed.Message // what the writer wrote meanwhile
		stale   []bool
		outages int
	}{
		{"an agent heard of meanwhile", []feed.Message{feedtest.Login(at(131500), 5, 2), feedtest.Login(at(132000), 6, 3)}, []bool{false, false, false}, 1},
		{"an outage meanwhile", []feed.Message{
			&feed.StatusMsg{State: feed.Disconnected, At: at(131200)},
			&feed.StatusMsg{State: feed.Live, At: at(131800)},
			feedtest.Login(at(131900), 5, 3), feedtest.Login(at(132000), 6, 3),
		}, []bool{true, true, false}, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			var until time.Time
			h := New(Config{Options: state.Options{Location: time.UTC}, Start: at(140000), Now: func() time.Time { return at(140000) },
				History: func(apply func(feed.Message)) error {
					for _, m := range day {
						apply(m)
					}
					return nil
				},
				Beside: func() (time.Time, bool) { return last, true },
				CatchUp: func(u time.Time, apply func(feed.Message)) {
					until = u
					for _, m := range c.meant {
						apply(m)
					}
				},
			})
			runAll(t, h,
				&feed.StatusMsg{State: feed.Connecting, At: at(131100)},
				&feed.StatusMsg{State: feed.Live, At: at(132100)},
				feedtest.Login(at(132100), 6, 3), // received by the writer too, before this process was live
			)
			v := h.Latest()
			if !until.Equal(at(132100)) {
				t.Errorf("caught up until %v, want this process's going live", until)
			}
			for i, a := range v.Agents {
				if a.Stale != c.stale[i] {
					t.Errorf("agent %s stale %v, want %v", a.ID, a.Stale, c.stale[i])
				}
			}
			if got := v.Day.NotLive; len(got) != c.outages {
				t.Errorf("not live today %v, want %d", got, c.outages)
			}
			if v.Feed.Gaps != 0 || !v.Feed.Live() {
				t.Errorf("feed %+v: want live, and no gap (the update caught up is not applied again)", v.Feed)
			}
		})
	}
}

// dayWithARestart is a day kept by a writer (at gives its seconds):
// agents 1 to 3 logged in, the writer restarted, agent 1 heard of since.
func dayWithARestart(t *testing.T, at func(s int) time.Time) []feed.Message {
	return []feed.Message{
		&feed.StatusMsg{State: feed.Live, At: at(0)},
		feedtest.Login(at(1), 1, 1), feedtest.Login(at(1), 2, 2), feedtest.Login(at(1), 3, 3),
		&feed.StatusMsg{State: feed.Disconnected, Reason: feed.ReasonNotRunning, At: at(100)},
		&feed.StatusMsg{State: feed.Live, At: at(130)},
		feedtest.Login(at(131), 4, 1),
	}
}
