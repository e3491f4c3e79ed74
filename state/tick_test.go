package state

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/sim"
)

// referenceTick is Tick as it was before the calls' deadlines were kept
// in order: it looks at every live call at every tick, and counts the
// calls waiting by walking them. The board's ticks are compared with it.
// What the board derives from its calls is made again after it
// (rebuildIndexes), so that the views read them as they would be.
func referenceTick(b *Board, now time.Time) {
	referenceTickOnly(b, now)
	b.rebuildIndexes()
}

// referenceTickOnly is referenceTick without making again what the board
// derives from its calls: what the benchmarks compare.
func referenceTickOnly(b *Board, now time.Time) {
	staling, sweeping := b.passTime(now)
	for _, q := range b.queues {
		for id, c := range q.calls {
			b.looked++
			if b.lookAtCall(c, now, staling, sweeping) {
				b.sweepCall(q, id, c)
			}
		}
	}
	for _, t := range b.trunks {
		for id, c := range t.calls {
			b.looked++
			if b.lookAtTrunkCall(c, now, staling, sweeping) {
				b.sweepTrunkCall(t, id, c)
			}
		}
	}
	b.tickRest(now, walkCallsWaiting(b))
}

// walkCallsWaiting counts the calls waiting (not answered, not stale) by
// looking at every one.
func walkCallsWaiting(b *Board) int {
	n := 0
	for _, q := range b.queues {
		for _, c := range q.calls {
			if !c.stale && c.answeredAt.IsZero() {
				n++
			}
		}
	}
	return n
}

// withReferenceTick makes b tick as referenceTick does.
func withReferenceTick(b *Board) *Board {
	b.tickWith = func(now time.Time) { referenceTick(b, now) }
	return b
}

// indexProblems says where what b derives from its calls (the counts by
// class, one deadline per live call, each in the heap) is not what its
// calls are.
func indexProblems(b *Board) []string {
	var problems []string
	live, waiting := 0, 0
	for _, q := range b.queues {
		var n [4]int
		for id, c := range q.calls {
			n[classOf(c)]++
			live++
			if !b.scheduled(&c.due) || c.due.c != c || c.due.id != id {
				problems = append(problems, fmt.Sprintf("queue %s call %s: not in the heap", q.id, id))
			}
		}
		waiting += n[classWaiting]
		if n[classWaiting] != q.waiting || n[classInProgress] != q.inProgress || n[classStale] != q.staleCalls {
			problems = append(problems, fmt.Sprintf("queue %s: counted %d waiting, %d in progress, %d stale; has %d, %d, %d",
				q.id, q.waiting, q.inProgress, q.staleCalls, n[classWaiting], n[classInProgress], n[classStale]))
		}
	}
	for _, t := range b.trunks {
		for id, c := range t.calls {
			live++
			if !b.scheduled(&c.due) || c.due.tc != c || c.due.id != id {
				problems = append(problems, fmt.Sprintf("trunk %s call %s: not in the heap", t.id, id))
			}
		}
	}
	if waiting != b.waiting {
		problems = append(problems, fmt.Sprintf("counted %d calls waiting, has %d", b.waiting, waiting))
	}
	if len(b.due) != live {
		problems = append(problems, fmt.Sprintf("%d deadlines for %d live calls", len(b.due), live))
	}
	return problems
}

// diffFields names the fields of x and y (structs, slices, maps, pointers
// to them) that differ, down to the first few.
func diffFields(path string, x, y reflect.Value, out *[]string) {
	if len(*out) >= 10 {
		return
	}
	if x.Kind() != y.Kind() {
		*out = append(*out, path+": kinds differ")
		return
	}
	switch x.Kind() {
	case reflect.Pointer:
		if x.IsNil() || y.IsNil() {
			if x.IsNil() != y.IsNil() {
				*out = append(*out, path+": nil on one side")
			}
			return
		}
		diffFields(path, x.Elem(), y.Elem(), out)
	case reflect.Struct:
		if x.Type() == reflect.TypeOf(time.Time{}) {
			if !x.Interface().(time.Time).Equal(y.Interface().(time.Time)) {
				*out = append(*out, fmt.Sprintf("%s: %v ≠ %v", path, x.Interface(), y.Interface()))
			}
			return
		}
		for i := range x.NumField() {
			if x.Type().Field(i).IsExported() {
				diffFields(path+"."+x.Type().Field(i).Name, x.Field(i), y.Field(i), out)
			}
		}
	case reflect.Slice:
		if x.Len() != y.Len() {
			*out = append(*out, fmt.Sprintf("%s: %d ≠ %d elements", path, x.Len(), y.Len()))
			return
		}
		for i := range x.Len() {
			diffFields(fmt.Sprintf("%s[%d]", path, i), x.Index(i), y.Index(i), out)
		}
	default:
		if !reflect.DeepEqual(x.Interface(), y.Interface()) {
			*out = append(*out, fmt.Sprintf("%s: %v ≠ %v", path, x.Interface(), y.Interface()))
		}
	}
}

// twoBoards plays the same messages through a board that ticks as
// referenceTick does and one that ticks as Tick does.
type twoBoards struct {
	t        *testing.T
	ref, new *Board
	stamp    sim.Stamper
	views    int
	stale    int // views with stale calls
	swept    int // calls swept and kept aside, seen growing between views
	gone     int
}

func newTwoBoards(t *testing.T, opts Options, start time.Time) *twoBoards {
	return &twoBoards{t: t, ref: withReferenceTick(New(opts, start)), new: New(opts, start)}
}

// apply applies ev, received at now, to both boards.
func (tb *twoBoards) apply(ev sim.Event, now time.Time) {
	raw, err := json.Marshal(tb.stamp.Stamp(ev, now))
	if err != nil {
		tb.t.Fatal(err)
	}
	tb.applyRaw(string(raw), now)
}

func (tb *twoBoards) applyRaw(raw string, now time.Time) {
	tb.ref.Apply(feedtest.Event(now, raw), now)
	tb.new.Apply(feedtest.Event(now, raw), now)
}

func (tb *twoBoards) status(state feed.ConnState, at time.Time) {
	tb.ref.SetStatus(&feed.StatusMsg{State: state, At: at})
	tb.new.SetStatus(&feed.StatusMsg{State: state, At: at})
}

// compare takes both boards' views at now and fails on the first field
// that differs, or on the new board's derived indexes gone wrong.
func (tb *twoBoards) compare(now time.Time) {
	tb.t.Helper()
	want, got := tb.ref.View(now), tb.new.View(now)
	tb.views++
	var diffs []string
	// the waits' record a scope's last hour is made from may be kept
	// otherwise by the two ticks: what is compared is the last hour each
	// scope of a queue makes of it, each minute
	w, g := *want, *got
	w.waitLogs, g.waitLogs = nil, nil
	if !reflect.DeepEqual(&w, &g) { // equal instants may differ in their encoding: then the fields say
		diffFields("View", reflect.ValueOf(want), reflect.ValueOf(got), &diffs)
	}
	for _, q := range want.Queues {
		if tb.views%60 != 0 {
			break
		}
		a := Audience{Scope: Scope{Queues: []string{q.ID}}}
		if x, y := want.For(a).WaitingLastHour, got.For(a).WaitingLastHour; !slices.Equal(x, y) {
			diffs = append(diffs, fmt.Sprintf("queue %s's last hour: %v ≠ %v", q.ID, x, y))
		}
	}
	diffs = append(diffs, indexProblems(tb.new)...)
	diffs = append(diffs, indexProblems(tb.ref)...) // made again at each of its ticks
	if got.Totals.StaleCalls > 0 {
		tb.stale++
	}
	gone := len(tb.new.gone) + len(tb.new.goneTrunk)
	tb.swept += max(gone-tb.gone, 0)
	tb.gone = gone
	if len(diffs) > 0 {
		tb.t.Fatalf("at %s, the view differs from the reference tick's:\n%s", now.Format(time.DateTime), strings.Join(diffs, "\n"))
	}
}

// TestTicksMatchTheReferenceOverADay plays the simulator's traffic through
// a board that looks at every call at every tick (referenceTick) and one
// that looks only at what is due (Tick), and compares every view, second
// by second, field by field: from the evening over midnight into the next
// morning, with outages after which the burst does not mention some calls
// (stale, then swept, and one heard of again), calls whose last event is
// older than CallTTL (swept, one heard of again), a message received
// before the feed's last going live, limits and thresholds, and the
// indexes made again (rebuildIndexes, as after a checkpoint is loaded).
func TestTicksMatchTheReferenceOverADay(t *testing.T) {
	loc := time.UTC
	start := time.Date(2025, 3, 3, 22, 30, 0, 0, loc)
	opts := Options{Location: loc, CallerID: CallerMask, StaleCallSweep: 3 * time.Minute,
		Limits:     Limits{PauseDefault: 2 * time.Minute, Call: 90 * time.Second, Ringing: 10 * time.Second},
		Thresholds: Thresholds{WaitingWarn: 2, WaitingCritical: 4, LongestWaitWarn: 30 * time.Second}}
	tr := sim.NewTraffic(11, start, sim.TrafficOptions{Surprises: true})
	tb := newTwoBoards(t, opts, start)
	fd := feedtest.Directory(tr.Directory())
	tb.ref.SetDirectory(fd, start)
	tb.new.SetDirectory(fd, start)

	// outages: [down, up) in seconds from start; the burst after each
	// leaves out every third call it would tell
	outages := [][2]int{{600, 660}, {3000, 3005}, {3200, 3320}, {5390, 5460}}
	live := func(now time.Time, first bool) {
		tb.status(feed.Live, now)
		n := 0
		for _, ev := range tr.Snapshot() {
			if _, isCall := ev.Msg["id_call"]; isCall && ev.Type != "operator" && !first {
				if n++; n%3 == 0 {
					continue
				}
			}
			tb.apply(ev, now)
		}
	}
	live(start, true)
	// calls told once, whose last event is older than CallTTL: swept at
	// once; one of each is heard of again later
	forgotten := func(now time.Time) {
		elapse := int64((CallTTL - 20*time.Second) / time.Second)
		for i, kind := range []string{"queue", "queue", "trunk", "trunk"} {
			field := map[string]string{"queue": "id_queue", "trunk": "id_trunk"}[kind]
			tb.applyRaw(fmt.Sprintf(`{"ts":%d,"elapse":%d,"event":{"type_notification":%q,"event":"insert_call","msg":{%q:"1","id_call":"forgotten%d","caller_id_num":"0612345678"}}}`,
				now.Unix(), elapse, kind, field, i), now)
		}
	}
	const seconds = 2 * 3600
	down := false
	var stuck time.Time
	for s := 1; s <= seconds; s++ {
		now := start.Add(time.Duration(s) * time.Second)
		evs := tr.Advance(now)
		for _, o := range outages {
			switch s {
			case o[0]:
				tb.status(feed.Disconnected, now)
				down = true
			case o[1]:
				down = false
				live(now, false)
				evs = nil
			}
		}
		if !down {
			for _, ev := range evs {
				tb.apply(ev, now)
			}
		}
		switch s {
		case 100, 6000:
			forgotten(now)
		case 1500, 7000:
			// heard of again: the same calls come back, then end
			for i, kind := range []string{"queue", "trunk"} {
				field := map[string]string{"queue": "id_queue", "trunk": "id_trunk"}[kind]
				tb.applyRaw(fmt.Sprintf(`{"event":{"type_notification":%q,"event":"connect_call","msg":{%q:"1","id_call":"forgotten%d"}}}`, kind, field, 2*i), now)
			}
		case 3400, 4000:
			// what a loaded checkpoint does: the derived indexes made
			// again from the calls, in the sweep's wait and out of it
			tb.new.rebuildIndexes()
		case 3335:
			// received before the feed last went live, after its window
			// closed: a journal's line out of order
			stuck = now
			tb.applyRaw(`{"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":"1","id_call":"late","caller_id_num":"0698765432"}}}`, start.Add(3310*time.Second))
			tb.applyRaw(`{"event":{"type_notification":"trunk","event":"insert_call","msg":{"id_trunk":"1","id_call":"late"}}}`, start.Add(3310*time.Second))
		}
		tb.compare(now)
	}
	tb.ref.Tick(stuck) // a tick back in time changes nothing
	tb.new.Tick(stuck)
	end := start.Add(seconds * time.Second)
	tb.compare(end)
	v := tb.new.View(end)
	if v.Day.Since.Day() != 4 || len(v.Day.NotLive) == 0 || v.Feed.Reconnects < 4 || tb.views < seconds {
		t.Fatalf("the day did not cross midnight with outages: %+v, %d views", v.Day, tb.views)
	}
	t.Logf("%d views compared, %d with stale calls; %d calls swept and kept aside; the ticks looked at %d calls, the reference's at %d",
		tb.views, tb.stale, tb.swept, tb.new.looked, tb.ref.looked)
	if tb.stale == 0 || tb.swept < 4 {
		t.Errorf("the day had no stale call (%d views) or too few calls swept (%d)", tb.stale, tb.swept)
	}
}

// TestATickWithNothingDueLooksAtNoCall: on a live board of 5,000 agents
// with calls waiting in 200 queues and on trunks, a tick looks at every
// call once when the feed's stale window and sweep come, then at none
// while none is due, allocating nothing; past CallTTL it looks at each
// call once, to sweep it.
func TestATickWithNothingDueLooksAtNoCall(t *testing.T) {
	b, now := busyBoard()
	calls := len(b.due)
	if calls < 3000 || b.waiting < 1000 {
		t.Fatalf("%d calls, %d waiting: not a busy board", calls, b.waiting)
	}
	b.Tick(now)
	if b.looked != calls {
		t.Fatalf("the first tick past the sweep looked at %d calls, want all %d", b.looked, calls)
	}
	waiting := b.Totals(now).CallsWaiting
	for range 3600 {
		now = now.Add(time.Second)
		b.Tick(now)
	}
	if b.looked != calls {
		t.Errorf("an hour of ticks with nothing due looked at %d calls", b.looked-calls)
	}
	if allocs := testing.AllocsPerRun(100, func() { now = now.Add(time.Millisecond); b.Tick(now) }); allocs != 0 {
		t.Errorf("a tick with nothing due allocates %v times", allocs)
	}
	if got := b.waited.values(); got[len(got)-1] != waiting || b.Totals(now).CallsWaiting != waiting {
		t.Errorf("the last minute's calls waiting %v, the totals' %d: want %d", got, b.Totals(now).CallsWaiting, waiting)
	}
	now = now.Add(CallTTL)
	b.Tick(now)
	if b.looked != 2*calls || len(b.due) != 0 || b.waiting != 0 {
		t.Errorf("past CallTTL: looked at %d calls, %d left, %d waiting; want %d looked, none left", b.looked-calls, len(b.due), b.waiting, calls)
	}
}

// busyBoard is bigBoard's 5,000 agents and calls waiting, live since
// before its first event, its stale window and sweep long past, with 2,000
// trunk calls.
func busyBoard() (*Board, time.Time) {
	b, now := bigBoard()
	b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0.Add(-time.Hour)})
	apply := func(kind feed.Kind, name string, msg feed.Msg) {
		b.Apply(&feed.Event{Received: now, Update: feed.Update{Kind: kind, Name: name, Msg: msg}}, now)
	}
	for i := range 2000 {
		apply(feed.KindTrunk, "insert_call", feed.Msg{Trunk: feed.Text(fmt.Sprint(1 + i%40)), Call: feed.Text(fmt.Sprint("t", i))})
	}
	return b, now
}

// busyEvents are n ticks' worth of events, perTick a tick: calls enter
// queues, are answered and end, as many as enter.
func busyEvents(n, perTick int) [][]*feed.Event {
	ticks := make([][]*feed.Event, n)
	call := 0
	for i := range ticks {
		for range perTick / 3 {
			q := feed.Text(fmt.Sprint(1 + call%200))
			id := func(k int) feed.Text { return feed.Text(fmt.Sprint("b", k)) }
			ticks[i] = append(ticks[i],
				&feed.Event{Update: feed.Update{Kind: feed.KindQueue, Name: "insert_call", Msg: feed.Msg{Queue: q, Call: id(call)}}},
				&feed.Event{Update: feed.Update{Kind: feed.KindQueue, Name: "connect_call", Msg: feed.Msg{Queue: feed.Text(fmt.Sprint(1 + (call+200-30)%200)), Call: id(call - 30), Operator: feed.Text(fmt.Sprint(1 + call%5000))}}},
				&feed.Event{Update: feed.Update{Kind: feed.KindQueue, Name: "delete_call", Msg: feed.Msg{Queue: feed.Text(fmt.Sprint(1 + (call+200-90)%200)), Call: id(call - 90)}}})
			call++
		}
	}
	return ticks
}

// BenchmarkTick: a tick of a busy board, on 5,000 agents with ~1,700
// queue calls and 2,000 trunk calls live, 10 ms of its time apart: idle
// (nothing due) and busy (60 events, then a tick: a busy day's second),
// ticking as referenceTickOnly does and on deadlines, side by side. The
// busy ones count the events too.
func BenchmarkTick(b *testing.B) {
	for _, perTick := range []int{0, 60} {
		events := busyEvents(10_000, perTick)
		for _, reference := range []bool{true, false} {
			name := fmt.Sprintf("idle/%s", map[bool]string{true: "reference", false: "deadlines"}[reference])
			if perTick > 0 {
				name = fmt.Sprintf("busy%d/%s", perTick, map[bool]string{true: "reference", false: "deadlines"}[reference])
			}
			b.Run(name, func(b *testing.B) {
				board, now := busyBoard()
				tick := board.Tick
				if reference {
					tick = func(now time.Time) { referenceTickOnly(board, now) }
				}
				tick(now)
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					now = now.Add(10 * time.Millisecond)
					for _, ev := range events[i%len(events)] {
						ev.Received = now
						board.Apply(ev, now)
					}
					tick(now)
					i++
				}
			})
		}
	}
}

// TestTheNextDayStartsWhenStartOfDaySaysSo: rollDay's cached first
// instant of the next day rolls the day exactly when the start of now's
// day is past the counters' start, across DST changes (one at midnight,
// in Santiago) and a day skipped (Apia, 2011-12-30).
func TestTheNextDayStartsWhenStartOfDaySaysSo(t *testing.T) {
	for _, zone := range []string{"UTC", "Europe/Paris", "America/Santiago", "Pacific/Apia"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Skipf("no zone data: %v", err)
		}
		for _, day := range []time.Time{
			time.Date(2026, 9, 5, 0, 0, 0, 0, loc), time.Date(2026, 4, 4, 0, 0, 0, 0, loc),
			time.Date(2026, 3, 28, 0, 0, 0, 0, loc), time.Date(2026, 10, 24, 0, 0, 0, 0, loc),
			time.Date(2011, 12, 29, 0, 0, 0, 0, loc),
		} {
			for since := day; since.Before(day.Add(48 * time.Hour)); since = since.Add(47 * time.Minute) {
				next := nextDayStart(since, loc)
				for now := since.Add(-time.Hour); now.Before(since.Add(50 * time.Hour)); now = now.Add(13 * time.Minute) {
					if rolls, want := !now.Before(next), startOfDay(now, loc).After(since); rolls != want {
						t.Fatalf("%s: counters since %s, now %s: rolls %v, want %v", zone, since, now, rolls, want)
					}
				}
			}
		}
	}
}

// TestAQuarantinedUpdateLeavesTheIndexesRight: an update whose application
// panicked may have changed a call without its counts and deadline
// following; quarantined, the board's counts and deadlines are its calls'
// again, and its ticks go on as the reference's.
func TestAQuarantinedUpdateLeavesTheIndexesRight(t *testing.T) {
	s := newScript(t, Options{})
	s.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	s.at(sec, "queue", "insert_call", `{"id_queue":10,"id_call":"a"}`)
	s.at(2*sec, "trunk", "insert_call", `{"id_trunk":7,"id_call":"b"}`)
	mark := s.b.FeedMark()
	ev := feedtest.Update(t0.Add(3*sec), 3, "queue", "connect_call", `{"id_queue":10,"id_call":"a","id_operator":1}`)
	// as far as the panic let it go: the call changed, nothing derived followed
	s.b.applyQueueCall(&ev.Update, t0.Add(3*sec), s.b.queues["10"], "a")
	s.b.queues["10"].calls["c"] = &call{id: "c", seen: t0.Add(3 * sec), heard: t0.Add(3 * sec)}
	s.b.trunks["7"].calls["d"] = &trunkCall{seen: t0.Add(3 * sec), heard: t0.Add(3 * sec)}
	if len(indexProblems(s.b)) == 0 {
		t.Fatal("the half-applied update left the indexes right: the test shows nothing")
	}
	s.b.Quarantine(ev, t0.Add(3*sec), mark, "boom")
	if problems := indexProblems(s.b); len(problems) > 0 {
		t.Errorf("after the quarantine: %s", strings.Join(problems, "; "))
	}
	if q := s.queue("10"); q.Waiting != 1 || q.InProgress != 1 {
		t.Errorf("queue after the quarantine: waiting %d, in progress %d; want 1, 1", q.Waiting, q.InProgress)
	}
	s.b.Tick(t0.Add(CallTTL + 4*sec))
	if len(s.b.due) != 0 || s.b.waiting != 0 {
		t.Errorf("past CallTTL: %d deadlines, %d waiting; want none", len(s.b.due), s.b.waiting)
	}
}

// TestAPlaceholderGoneWithItsCallsTakesThemFromTheCounts: a placeholder
// queue and trunk not heard of for PlaceholderTTL go with the calls they
// still hold (told with an elapse that dates them back, never ticked
// since): the calls waiting and the deadlines go with them.
func TestAPlaceholderGoneWithItsCallsTakesThemFromTheCounts(t *testing.T) {
	b := New(Options{Location: time.UTC}, t0)
	b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
	now := t0.Add(time.Minute)
	b.Apply(feedtest.Event(now, `{"elapse":1,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":"x","id_call":"1"}}}`), now)
	b.Apply(feedtest.Event(now, `{"elapse":1,"event":{"type_notification":"trunk","event":"insert_call","msg":{"id_trunk":"x","id_call":"1"}}}`), now)
	b.dropPlaceholders(now.Add(PlaceholderTTL))
	if len(b.queues) != 0 || len(b.trunks) != 0 {
		t.Fatalf("%d queues, %d trunks left", len(b.queues), len(b.trunks))
	}
	if problems := indexProblems(b); len(problems) > 0 {
		t.Errorf("%s", strings.Join(problems, "; "))
	}
}
