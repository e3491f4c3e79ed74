package cli

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"

	"callboard/internal/testkit"
	"callboard/internal/testkit/nodepeer"
	"callboard/state"
)

// edgesDirectory is what the official server's stand-in answers to the
// login in TestTheEdgesOfADayOnTheOfficialServer.
const edgesDirectory = `{
 "ops": [{"id": 1, "nom": "Alice Martin", "groupes": [391]}, {"id": "2", "nom": "Bob Durand", "groupes": [391, "392"]},
  {"id": 3, "nom": "Chloé Petit", "groupes": [392]}, {"id": 4, "nom": "David Roux", "groupes": [391, 392]},
  {"id": 5, "nom": "Emma Blanc", "groupes": [392]}],
 "groupes": [{"id": 391, "nom": "Support"}, {"id": 392, "nom": "Ventes"}],
 "trunks": [{"id": "34", "nom": "Standard"}],
 "pauses": [{"id": 4, "value": "Déjeuner"}],
 "target": 5207
}`

// dayOfUpdates is a stretch of the day, as the server's events.
type dayOfUpdates []json.RawMessage

func (d *dayOfUpdates) add(kind, name string, msg map[string]any) {
	b, err := json.Marshal(map[string]any{"type_notification": kind, "event": name, "msg": msg})
	if err != nil {
		panic(err)
	}
	*d = append(*d, b)
}

func (d *dayOfUpdates) status(agent int, status string, more map[string]any) {
	msg := map[string]any{"id_operator": agent, "status": status}
	maps.Copy(msg, more)
	d.add("operator", "status", msg)
}

// onTheLine is a queue call the board first hears of connected to agent,
// talked seconds into it.
func (d *dayOfUpdates) onTheLine(call, queue, agent int, caller string, talked int) {
	d.status(agent, "connected", map[string]any{"id_call": call, "id_queue": queue, "caller_id_num": caller, "call_duration": talked})
	d.add("queue", "connect_call", map[string]any{"id_call": call, "id_queue": queue, "id_operator": agent, "status": "connected", "caller_id_num": caller, "call_duration": talked})
}

// answered is a call that entered waited seconds ago and is answered by
// agent now, then ends.
func (d *dayOfUpdates) answered(call, queue, agent int, caller string, waited int) {
	d.add("queue", "insert_call", map[string]any{"id_call": call, "id_queue": queue, "caller_id_num": caller, "duration_in_queue": waited, "call_duration": 0, "priority": 100})
	d.onTheLine(call, queue, agent, caller, 0)
	d.add("queue", "delete_call", map[string]any{"id_call": call, "id_queue": queue})
	d.status(agent, "available", nil)
}

// abandoned is a call that entered waited seconds ago and leaves now,
// unanswered.
func (d *dayOfUpdates) abandoned(call, queue int, caller string, waited int) {
	d.add("queue", "insert_call", map[string]any{"id_call": call, "id_queue": queue, "caller_id_num": caller, "duration_in_queue": waited, "call_duration": 0, "priority": 100})
	d.add("queue", "delete_call", map[string]any{"id_call": call, "id_queue": queue})
}

// calledOut is a call agent places to number (no queue), answered by the
// callee, then ended.
func (d *dayOfUpdates) calledOut(call, agent int, number string) {
	d.status(agent, "calling", map[string]any{"id_call": call, "id_queue": 0, "caller_id_num": number, "call_duration": 0})
	d.status(agent, "connected", map[string]any{"id_call": call, "id_queue": 0, "caller_id_num": number, "call_duration": 0})
	d.status(agent, "available", nil)
}

// TestTheEdgesOfADayOnTheOfficialServer plays a day through the official
// Node Socket.IO server (4.x and 2.x) to a writer (headless metrics with a
// journal): calls already on the line when it starts, calls answered within
// and beyond the service level, abandons (one short, one withheld, one
// called back by an agent in the number's national form), a server
// disconnect, a kill -9 and a restart that replays the journal; then a
// snapshot beside the live writer. The figures are the hand count below;
// the snapshot's stale agents and stretches not live are the writer's.
//
// The day (waits are the inserts' duration_in_queue; [service_level]
// threshold 20 s and short_abandon 5 s, the defaults):
//
//	stretch              call  queue  agent  caller        waited  outcome
//	A the writer starts  901   391    1      33600000901   -       on the line at start (600 s in), ends in D
//	                     902   392    3      33600000902   -       on the line at start (120 s in), ends
//	B the morning        1     391    1      33611000001    8 s    answered within the SL
//	                     2     391    2      33611000002   30 s    answered beyond it
//	                     3     391    -      +33612345003  40 s    abandoned, called back in C
//	                     4     391    -      anonymous     25 s    abandoned, withheld
//	                     5     392    3      33611000005    4 s    answered within
//	                     6     392    -      33611000006    2 s    abandoned, short
//	                     7     392    -      33611000007   60 s    abandoned, to call back
//	the server drops the connection (not live 1)
//	C live again         8     391    4      33611000008   12 s    answered within
//	                     950   -      2      0612345003    -       agent 2 calls caller 3 back, answered: outbound
//	kill -9, started again: replays its journal (not live 2)
//	D after the restart  9     392    5      33611000009   16 s    answered within
//	                     10    391    1      33611000010   50 s    answered beyond
//	E a snapshot beside the writer hears agent 1 once more
//
//	queue  answered        abandoned  short  at start  within SL  SL                   ASA
//	391    4 (1 2 8 10)    2 (3 4)    0      1 (901)   2 (1 8)    2/(4+2)   = 33.3 %   (8+30+12+50)/4 = 25.0 s
//	392    2 (5 9)         2 (6 7)    1 (6)  1 (902)   2 (5 9)    2/(2+2-1) = 66.7 %   (4+16)/2       = 10.0 s
//	total  6               4          1      2         4          4/(6+4-1) = 44.4 %   120/6          = 20.0 s
//
//	agent  answered   outbound   heard of since the restart
//	1      2 (1 10)   0          yes (10, E)
//	2      1 (2)      1 (950)    no: stale
//	3      1 (5)      0          no: stale
//	4      1 (8)      0          no: stale
//	5      1 (9)      0          yes (9)
//	sum    6 = the queues' answered; 901 and 902 in no agent's answered
//
//	lost call  reached
//	3          called_back (0612345003 is +33612345003)
//	4          withheld (not to call back)
//	6, 7       null: the 2 to call back
func TestTheEdgesOfADayOnTheOfficialServer(t *testing.T) {
	bin := testkit.Binary(t)
	nodepeer.Require(t)
	for _, g := range nodepeer.Generations {
		t.Run(g.Name(), func(t *testing.T) {
			t.Parallel()
			srv := nodepeer.Start(t, g.Major, "pw", "QUIET=1", nodepeer.Directory(t, edgesDirectory))
			cfg := writeProtocolConfig(t, srv.URL, g.Protocol)
			journal := filepath.Join(filepath.Dir(cfg), "journal")
			inJournal := func(what string, cpt int64) {
				t.Helper()
				testkit.Eventually(t, what+" in the journal", func() bool {
					return journalHolds(journal, `"cpt":`+strconv.FormatInt(cpt, 10)+`,`)
				})
			}

			var atStart, morning, afterOutage, afterRestart dayOfUpdates
			for agent := 1; agent <= 5; agent++ {
				atStart.add("UI", "login", map[string]any{"id_operator": agent, "supp": ""})
			}
			atStart.onTheLine(901, 391, 1, "33600000901", 600)
			atStart.onTheLine(902, 392, 3, "33600000902", 120)
			morning.add("queue", "delete_call", map[string]any{"id_call": 902, "id_queue": 392})
			morning.status(3, "available", nil)
			morning.answered(1, 391, 1, "33611000001", 8)
			morning.answered(2, 391, 2, "33611000002", 30)
			morning.abandoned(3, 391, "+33612345003", 40)
			morning.abandoned(4, 391, "anonymous", 25)
			morning.answered(5, 392, 3, "33611000005", 4)
			morning.abandoned(6, 392, "33611000006", 2)
			morning.abandoned(7, 392, "33611000007", 60)
			afterOutage.answered(8, 391, 4, "33611000008", 12)
			afterOutage.calledOut(950, 2, "0612345003")
			afterRestart.answered(9, 392, 5, "33611000009", 16)
			afterRestart.answered(10, 391, 1, "33611000010", 50)
			afterRestart.add("queue", "delete_call", map[string]any{"id_call": 901, "id_queue": 391})
			afterRestart.status(1, "available", nil)

			// A, B: the writer starts in the middle of calls
			writer := startMetrics(t, bin, cfg)
			srv.WaitStreaming(t, 1)
			srv.Push(t, atStart...)
			inJournal("the morning", srv.Push(t, morning...))

			// the server drops the connection; C once live again
			before := srv.Stats(t).Inits
			srv.Control(t, "disconnect")
			testkit.Eventually(t, "the writer's init after the server's disconnect", func() bool {
				st := srv.Stats(t)
				return st.Inits > before && st.Streaming == 1
			})
			inJournal("the calls after the outage", srv.Push(t, afterOutage...))
			testkit.Eventually(t, "the writer live again", func() bool {
				return writer.metric(t, "callboard_feed_reconnects_total") == "1"
			}, func() string { return writer.page(t) })

			// kill -9; started again, it replays its journal; D
			writer.cmd.Process.Signal(syscall.SIGKILL)
			writer.cmd.Wait()
			srv.WaitStreaming(t, 0)
			writer = startMetrics(t, bin, cfg)
			srv.WaitStreaming(t, 1)
			inJournal("the calls after the restart", srv.Push(t, afterRestart...))
			queue := func(id, name, metric string) string {
				return writer.metric(t, fmt.Sprintf(`callboard_queue_%s{queue=%q,queue_id=%q}`, metric, name, id))
			}
			testkit.Eventually(t, "the writer's day after its restart", func() bool {
				return queue("391", "Support", "answered_today") == "4" && queue("392", "Ventes", "answered_today") == "2" &&
					writer.metric(t, "callboard_agents_stale") == "3" && writer.metric(t, "callboard_feed_not_live_today") == "2"
			}, func() string { return writer.page(t) })

			// E: a snapshot beside the live writer
			snap := runSnapshotBeside(t, bin, cfg, func() int { return srv.Stats(t).Streaming }, 1, func() {
				var e dayOfUpdates
				e.status(1, "available", nil)
				srv.Push(t, e...)
			})

			type queueFigures struct {
				Answered, Abandoned, Short, AtStart int
				SL, ASA                             float64
			}
			figures := func(answered, abandoned, short, atStart int, sl, asa *float64) queueFigures {
				f := queueFigures{Answered: answered, Abandoned: abandoned, Short: short, AtStart: atStart, SL: math.NaN(), ASA: math.NaN()}
				if sl != nil {
					f.SL = *sl
				}
				if asa != nil {
					f.ASA = *asa
				}
				return f
			}
			want := map[string]queueFigures{
				"391":   {Answered: 4, Abandoned: 2, Short: 0, AtStart: 1, SL: 33.3, ASA: 25},
				"392":   {Answered: 2, Abandoned: 2, Short: 1, AtStart: 1, SL: 66.7, ASA: 10},
				"total": {Answered: 6, Abandoned: 4, Short: 1, AtStart: 2, SL: 44.4, ASA: 20},
			}
			got := map[string]queueFigures{}
			short, queuesAnswered := 0, 0
			for _, q := range snap.Queues {
				got[q.ID] = figures(q.Answered, q.Abandoned, q.ShortAbandoned, q.AnsweredBeforeStart, q.ServiceLevelPct, q.ASAS)
				short += q.ShortAbandoned
				queuesAnswered += q.Answered
			}
			tt := snap.Totals
			got["total"] = figures(tt.Answered, tt.Abandoned, short, tt.AnsweredBeforeStart, tt.ServiceLevelPct, tt.ASAS)
			if !maps.Equal(got, want) {
				t.Errorf("queues (answered, abandoned, short, at start, SL %%, ASA s):\n got %+v\nwant %+v", got, want)
			}

			// the writer's /metrics say the same of each queue
			for _, q := range []struct{ id, name string }{{"391", "Support"}, {"392", "Ventes"}} {
				w := want[q.id]
				sl, _ := strconv.ParseFloat(queue(q.id, q.name, "service_level_ratio"), 64)
				asa, _ := strconv.ParseFloat(queue(q.id, q.name, "asa_seconds"), 64)
				if queue(q.id, q.name, "answered_today") != fmt.Sprint(w.Answered) || queue(q.id, q.name, "abandoned_today") != fmt.Sprint(w.Abandoned) ||
					math.Abs(sl*100-w.SL) > 0.05 || math.Abs(asa-w.ASA) > 0.05 {
					t.Errorf("the writer's queue %s: answered %s, abandoned %s, SL %v, ASA %v; want %+v", q.id,
						queue(q.id, q.name, "answered_today"), queue(q.id, q.name, "abandoned_today"), sl, asa, w)
				}
			}

			answered, outbound, agentsAnswered := map[string]int{}, map[string]int{}, 0
			var stale []string
			for _, a := range snap.Agents {
				answered[a.ID], outbound[a.ID] = a.Today.Answered, a.Today.Outbound
				agentsAnswered += a.Today.Answered
				if a.Stale {
					stale = append(stale, a.ID)
				}
			}
			if w := map[string]int{"1": 2, "2": 1, "3": 1, "4": 1, "5": 1}; !maps.Equal(answered, w) || agentsAnswered != queuesAnswered {
				t.Errorf("agents' answered %v (%d in all, the queues %d), want %v", answered, agentsAnswered, queuesAnswered, w)
			}
			if w := map[string]int{"1": 0, "2": 1, "3": 0, "4": 0, "5": 0}; !maps.Equal(outbound, w) {
				t.Errorf("agents' outbound %v, want %v", outbound, w)
			}

			reached, toCallBack := map[string]string{}, 0
			for _, c := range snap.Calls.Abandoned {
				reached[c.ID] = "null"
				if c.Reached != nil {
					reached[c.ID] = string(*c.Reached)
				} else {
					toCallBack++
				}
			}
			if w := map[string]string{"3": string(state.ReachedCalledBack), "4": string(state.ReachedWithheld), "6": "null", "7": "null"}; !maps.Equal(reached, w) || toCallBack != 2 {
				t.Errorf("lost calls reached %v (%d to call back), want %v (2 to call back)", reached, toCallBack, w)
			}

			// beside the writer, the writer's stale agents and stretches not live
			slices.Sort(stale)
			if w := []string{"2", "3", "4"}; !slices.Equal(stale, w) || writer.metric(t, "callboard_agents_stale") != fmt.Sprint(len(w)) {
				t.Errorf("the snapshot beside the writer has stale agents %v, the writer %s; want %v", stale, writer.metric(t, "callboard_agents_stale"), w)
			}
			if n, w := len(snap.Feed.NotLiveToday), writer.metric(t, "callboard_feed_not_live_today"); fmt.Sprint(n) != w || n != 2 {
				t.Errorf("the snapshot beside the writer has %d stretches not live %+v, the writer %s; want the outage and the restart", n, snap.Feed.NotLiveToday, w)
			}
			for _, s := range snap.Feed.NotLiveToday {
				if s.To == nil {
					t.Errorf("the snapshot beside the writer says the day is not live since %v", s.From)
				}
			}
			if j := snap.Feed.Journal; !j.On || j.Writing || j.Replayed == 0 {
				t.Errorf("the snapshot's journal %+v, want the writer's read", j)
			}
		})
	}
}
