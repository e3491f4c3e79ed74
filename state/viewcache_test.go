package state

import (
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
)

// referenceView is b's view at now built from scratch, as Board.View built
// it before views kept anything between them: every lost call's row and
// every interval's rows made again from the board, the calls waiting,
// in progress and stale counted again from the calls. It changes nothing
// the views keep.
func referenceView(b *Board, now time.Time) *View {
	b.Tick(now)
	asOf := b.AsOf(now)
	calls := Calls{Waiting: waitingFromScratch(b, asOf), Abandoned: abandonedFromScratch(b)}
	queues, hidden := queuesFromScratch(b, asOf)
	intervals, hiddenIntervals := intervalsFromScratch(b, asOf)
	if len(hidden) == 0 || len(intervals) == 0 {
		hiddenIntervals = nil
	}
	return &View{
		Now: now, AsOf: asOf,
		Agents: b.Agents(asOf), Queues: queues, Trunks: b.Trunks(), Events: b.Events(),
		Totals: totalsFromScratch(b, asOf), Feed: b.Feed(), Day: b.Day(), Calls: calls,
		WaitingLastHour: b.waited.values(),
		Intervals:       intervals,
		hidden:          hidden, hiddenIntervals: hiddenIntervals, thresholds: b.opts.Thresholds, callerID: b.opts.CallerID,
		waitLogs: slices.Clone(b.waited.logs),
	}
}

// callsFromScratch counts calls as the views counted them before the
// board kept the counts: waiting, in progress, stale, and the longest wait
// as of now.
func callsFromScratch(calls map[string]*call, now time.Time) (waiting, inProgress, stale int, longest time.Duration) {
	for _, c := range calls {
		switch {
		case c.stale:
			stale++
		case c.answeredAt.IsZero():
			waiting++
			longest = max(longest, now.Sub(c.entered))
		default:
			inProgress++
		}
	}
	return waiting, inProgress, stale, longest
}

// queuesFromScratch is Board.Queues, and the hidden queues' rows, with
// the calls waiting, in progress and stale counted again from every call
// of every queue.
func queuesFromScratch(b *Board, now time.Time) (rows, hidden []QueueRow) {
	rows, hidden = b.queueRows(now, waitsFromScratch(b, now))
	for _, list := range [][]QueueRow{rows, hidden} {
		for i := range list {
			r := &list[i]
			r.Waiting, r.InProgress, r.StaleCalls, r.LongestWait = callsFromScratch(b.queues[r.ID].calls, now)
			r.Levels = b.opts.thresholdsFor(r.ID).levels(r.Waiting, r.LongestWait, r.ServiceLevel, r.HasServiceLevel, r.Rule.Target)
		}
	}
	return rows, hidden
}

// waitsFromScratch is queueWaits, every call of every queue looked at.
func waitsFromScratch(b *Board, now time.Time) []queueWait {
	queues := b.queuesByName()
	waits := make([]queueWait, len(queues))
	for i, q := range queues {
		for _, c := range q.calls {
			if !c.stale && c.answeredAt.IsZero() && now.Sub(c.entered) > q.rule.Threshold {
				waits[i].late++
			}
		}
	}
	return waits
}

// totalsFromScratch is Board.Totals with the calls waiting and stale
// counted again from every call of every queue.
func totalsFromScratch(b *Board, now time.Time) Totals {
	t := b.totals(now, waitsFromScratch(b, now))
	t.CallsWaiting, t.LongestWait, t.StaleCalls = 0, 0, 0
	for _, q := range b.queues {
		waiting, _, stale, longest := callsFromScratch(q.calls, now)
		t.CallsWaiting, t.StaleCalls, t.LongestWait = t.CallsWaiting+waiting, t.StaleCalls+stale, max(t.LongestWait, longest)
	}
	t.Levels = b.opts.Thresholds.levels(t.CallsWaiting, t.LongestWait, t.ServiceLevel, t.HasServiceLevel, t.SLTarget)
	return t
}

// waitingFromScratch is Calls' calls waiting, every call of every queue
// looked at.
func waitingFromScratch(b *Board, asOf time.Time) []WaitingCall {
	n := 0
	for _, q := range b.queues {
		n += len(q.calls)
	}
	rows := make([]WaitingCall, 0, n)
	for _, q := range b.queuesByName() {
		var waiting []*call
		for _, c := range q.calls {
			if c.answeredAt.IsZero() && !c.stale {
				waiting = append(waiting, c)
			}
		}
		rows = b.appendWaiting(rows, q, waiting, asOf)
	}
	return rows
}

// abandonedFromScratch is every lost call's row, each caller masked again.
func abandonedFromScratch(b *Board) []AbandonedCall {
	rows := make([]AbandonedCall, len(b.abandoned))
	for i, a := range b.abandoned {
		rows[i] = AbandonedCall{
			ID: a.id, QueueID: a.queue, QueueName: b.groupName(a.queue), Caller: b.showCaller(a.caller),
			Entered: a.entered, Ended: a.ended, Waited: nonNegative(a.ended.Sub(a.entered)), Short: a.short, Reached: a.reached,
		}
	}
	return rows
}

// intervalsFromScratch is Board.Intervals with every interval's rows made
// again.
// and the hidden queues' figures in each.
func intervalsFromScratch(b *Board, asOf time.Time) ([]IntervalRow, [][]IntervalQueue) {
	hidden := map[*interval][]IntervalQueue{}
	rows := b.intervalRows(asOf, func(in *interval) ([]IntervalQueue, IntervalFigures) {
		rows, hid, total := intervalQueuesFromScratch(b, in)
		hidden[in] = hid
		return rows, total
	})
	out := make([][]IntervalQueue, len(rows))
	first := b.intervalIndex(b.since)
	for i := range rows {
		if j := first + i; j < len(b.intervals) && b.intervals[j] != nil {
			out[i] = hidden[b.intervals[j]]
		}
	}
	return rows, out
}

func intervalQueuesFromScratch(b *Board, in *interval) (rows, hidden []IntervalQueue, total IntervalFigures) {
	rows = make([]IntervalQueue, 0, len(in.queues))
	var counts intervalCounts
	totalSL := 0
	for id, c := range in.queues {
		rule := b.ruleOf(id)
		r := IntervalQueue{QueueID: id, QueueName: b.groupName(id), Rule: rule, IntervalFigures: c.figures(rule.Formula)}
		r.SLLevel = b.opts.slLevel(id, rule, r.IntervalFigures)
		counts.add(c)
		totalSL += r.SLCalls
		if !rule.Hide {
			rows = append(rows, r)
		} else {
			hidden = append(hidden, r)
		}
	}
	byName := func(x, y IntervalQueue) int {
		var xk, yk []byte
		if q := b.queues[x.QueueID]; q != nil {
			xk = q.sortKey
		}
		if q := b.queues[y.QueueID]; q != nil {
			yk = q.sortKey
		}
		return compareKeyed(xk, yk, x.QueueName, y.QueueName, x.QueueID, y.QueueID)
	}
	slices.SortFunc(rows, byName)
	slices.SortFunc(hidden, byName)
	return rows, hidden, counts.figuresOver(totalSL)
}

// firstDifference names the first field where x and y differ, "" when
// they are equal.
func firstDifference(path string, x, y reflect.Value) string {
	if x.Kind() == reflect.Struct && x.Type() == reflect.TypeFor[time.Time]() {
		if !reflect.DeepEqual(x.Interface(), y.Interface()) {
			return fmt.Sprintf("%s: %v, want %v", path, x.Interface(), y.Interface())
		}
		return ""
	}
	switch x.Kind() {
	case reflect.Pointer:
		if x.IsNil() || y.IsNil() {
			if x.IsNil() != y.IsNil() {
				return path + ": nil against not nil"
			}
			return ""
		}
		return firstDifference(path, x.Elem(), y.Elem())
	case reflect.Struct:
		for i := range x.NumField() {
			if !x.Type().Field(i).IsExported() {
				continue // compared with the whole by sameView
			}
			if d := firstDifference(path+"."+x.Type().Field(i).Name, x.Field(i), y.Field(i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Slice:
		if x.IsNil() != y.IsNil() || x.Len() != y.Len() {
			return fmt.Sprintf("%s: %d rows (nil %v), want %d (nil %v)", path, x.Len(), x.IsNil(), y.Len(), y.IsNil())
		}
		for i := range x.Len() {
			if d := firstDifference(fmt.Sprintf("%s[%d]", path, i), x.Index(i), y.Index(i)); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(x.Interface(), y.Interface()) {
		return fmt.Sprintf("%s: %v, want %v", path, x.Interface(), y.Interface())
	}
	return ""
}

// sameView says where v differs from want, "" when it does not.
func sameView(v, want any) string {
	if reflect.DeepEqual(v, want) {
		return ""
	}
	if d := firstDifference("View", reflect.ValueOf(v), reflect.ValueOf(want)); d != "" {
		return d
	}
	return "an unexported field differs"
}

// TestViewsKeepWhatIsClosedAndShowWhatABoardBuiltFromScratchShows plays a
// generated day across midnight, with an outage (stale calls), a queue
// renamed, an update quarantined and the views' caches dropped (as a board
// loaded from a checkpoint has them), in every caller_id mode, taking a
// view every 37 s as a screen would; at many points the view equals,
// field by field, the view built from scratch, and the views published
// before are as they were when published.
func TestViewsKeepWhatIsClosedAndShowWhatABoardBuiltFromScratchShows(t *testing.T) {
	from := time.Date(2026, 3, 2, 23, 0, 0, 0, time.UTC)
	day := newBusyDay(7, busyDayShape{agents: 150, queues: 12, from: from, to: from.Add(150 * time.Minute), callEvery: 3 * time.Second, abandonOneIn: 4})
	for _, mode := range []CallerDisplay{CallerMask, CallerFull, CallerHide} {
		t.Run(string(mode), func(t *testing.T) {
			p := newPlayer(day, Options{Location: time.UTC, CallerID: mode, Interval: 15 * time.Minute})
			type kept struct {
				v    *View
				copy View
			}
			var published []kept
			checks, reached := 0, 0
			for n, now := 0, from.Add(time.Minute); now.Before(from.Add(160 * time.Minute)); n, now = n+1, now.Add(37*time.Second) {
				p.playTo(now)
				switch n {
				case 40: // an outage: calls not mentioned again turn stale
					p.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, At: now})
				case 44:
					p.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: now})
				case 80: // a queue renamed: every row naming it changes
					dir := p.day.dir
					dir.Groups = slices.Clone(dir.Groups)
					dir.Groups[3].Name = "Renamed"
					p.b.SetDirectory(dir, now)
				case 110: // an update whose application crashed
					ev := feedtest.Event(now, `{"event":{"type_notification":"queue","event":"delete_call","msg":{"id_queue":1,"id_call":5000001}}}`)
					p.b.Quarantine(ev, now, p.b.FeedMark(), "boom")
				case 150: // loaded afresh
					p.b.rebuildViewCaches()
				}
				v := p.b.View(now)
				if n%3 == 0 {
					published = append(published, kept{v, deepCopy(v)})
				}
				if n%4 != 0 && n < 250 {
					continue
				}
				checks++
				if d := sameView(v, referenceView(p.b, now)); d != "" {
					t.Fatalf("view %d at %s: %s", n, now.Format(time.TimeOnly), d)
				}
				for _, a := range v.Calls.Abandoned {
					if a.Reached != ReachedNot {
						reached++
					}
				}
			}
			for _, k := range published {
				if d := sameView(*k.v, k.copy); d != "" {
					t.Fatalf("the view published at %s changed: %s", k.v.Now.Format(time.TimeOnly), d)
				}
			}
			if checks < 50 || reached == 0 || p.b.dayStart.Equal(startOfDay(from, time.UTC)) {
				t.Fatalf("%d checks, %d reached rows, day %s: the day did not play as meant", checks, reached, p.b.dayStart)
			}
		})
	}
}

// deepCopy is what v holds as it is: its slices copied, so that a change
// made to them later shows.
func deepCopy(v *View) View {
	c := *v
	c.Calls.Abandoned = slices.Clone(v.Calls.Abandoned)
	c.Calls.Waiting = slices.Clone(v.Calls.Waiting)
	c.Intervals = slices.Clone(v.Intervals)
	for i := range c.Intervals {
		c.Intervals[i].Queues = slices.Clone(c.Intervals[i].Queues)
	}
	c.Agents = slices.Clone(v.Agents)
	c.Queues = slices.Clone(v.Queues)
	return c
}

// TestPublishedViewsAreReadWhileTheBoardGoesOn: readers of published views
// (the race detector watching) while the board appends lost calls, marks
// them reached and renames their queues.
func TestPublishedViewsAreReadWhileTheBoardGoesOn(t *testing.T) {
	from := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	day := newBusyDay(3, busyDayShape{agents: 50, queues: 5, from: from, to: from.Add(time.Hour), callEvery: time.Second, abandonOneIn: 3})
	p := newPlayer(day, Options{Location: time.UTC})
	views := make(chan *View, 8)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for v := range views {
			n := 0
			for _, a := range v.Calls.Abandoned {
				n += len(a.QueueName) + len(a.Caller) + len(a.Reached)
			}
			for _, in := range v.Intervals {
				n += len(in.Queues)
			}
			_ = n
		}
	}()
	for n, now := 0, from.Add(time.Minute); now.Before(from.Add(time.Hour)); n, now = n+1, now.Add(10*time.Second) {
		p.playTo(now)
		if n%50 == 0 {
			dir := p.day.dir
			dir.Groups = slices.Clone(dir.Groups)
			dir.Groups[n%5].Name = fmt.Sprint("Queue ", n)
			p.b.SetDirectory(dir, now)
		}
		views <- p.b.View(now)
	}
	close(views)
	wg.Wait()
}

// TestAViewAfterMidnightWithoutOneSinceShowsTheNewDaysLostCalls: a board
// whose last view was taken the day before, with fewer lost calls then than
// the new day has at its next view, shows the new day's.
func TestAViewAfterMidnightWithoutOneSinceShowsTheNewDaysLostCalls(t *testing.T) {
	from := time.Date(2026, 3, 2, 23, 30, 0, 0, time.UTC)
	day := newBusyDay(9, busyDayShape{agents: 100, queues: 8, from: from, to: from.Add(2 * time.Hour), callEvery: 3 * time.Second, abandonOneIn: 3})
	p := newPlayer(day, Options{Location: time.UTC})
	before := from.Add(10 * time.Minute)
	p.playTo(before)
	before1 := len(p.b.View(before).Calls.Abandoned)
	after := from.Add(2 * time.Hour)
	p.playTo(after)
	v := p.b.View(after)
	if len(v.Calls.Abandoned) <= before1 {
		t.Fatalf("%d lost calls before midnight, %d after: the day did not play as meant", before1, len(v.Calls.Abandoned))
	}
	if d := sameView(v, referenceView(p.b, after)); d != "" {
		t.Error(d)
	}
}

// TestKeptIntervalsAndCountsShowWhatABoardBuiltFromScratchShows: the
// intervals' rows kept from view to view, and the calls waiting, in
// progress and stale as the board counts them, against the view built from
// scratch (every interval's row made again, every call looked at), at every
// view of a generated day across midnight, with what can change a closed
// interval's row: updates dated back (by elapse) that end agents' periods
// and count calls in intervals that ended, an outage told late (the view's
// AsOf goes back past an interval's start), a queue renamed, and a restart
// from the board's checkpoint.
func TestKeptIntervalsAndCountsShowWhatABoardBuiltFromScratchShows(t *testing.T) {
	from := time.Date(2026, 3, 2, 22, 50, 0, 0, time.UTC)
	day := newBusyDay(11, busyDayShape{agents: 120, queues: 10, from: from, to: from.Add(3 * time.Hour), callEvery: 4 * time.Second, abandonOneIn: 4})
	opts := Options{Location: time.UTC, Interval: 15 * time.Minute}
	p := newPlayer(day, opts)
	late := 0
	dated := func(now time.Time, elapse int, kind, name, msg string) {
		late++
		raw := fmt.Sprintf(`{"elapse":%d,"event":{"type_notification":%q,"event":%q,"msg":%s}}`, elapse, kind, name, msg)
		p.b.Apply(feedtest.Event(now, raw), now)
	}
	checks, lateDone, restarted, wentBack := 0, 0, false, false
	var lastAsOf time.Time
	for n, now := 0, from.Add(2*time.Minute); now.Before(from.Add(190 * time.Minute)); n, now = n+1, now.Add(41*time.Second) {
		p.playTo(now)
		switch {
		case n == 0: // agents that take no call: their periods last
			for agent := 500; agent < 510; agent++ {
				dated(now, 0, "UI", "login", fmt.Sprintf(`{"supp":"","id_operator":%d}`, agent))
			}
		case n%9 == 4: // an agent's pause and return told late
			agent := 500 + n%10
			dated(now, 1400, "UI", "pause", fmt.Sprintf(`{"supp":"3","id_operator":%d}`, agent))
			dated(now, 1000, "UI", "login", fmt.Sprintf(`{"supp":"","id_operator":%d}`, agent))
			lateDone++
		case n%9 == 6: // a call that entered long ago
			dated(now, 0, "queue", "insert_call", fmt.Sprintf(`{"id_queue":%d,"id_call":%d,"caller_id_num":"0611223344","duration_in_queue":1700}`, 1+n%10, 9_000_000+n))
		case n%9 == 8: // that call lost, told late
			dated(now, 500, "queue", "delete_call", fmt.Sprintf(`{"id_queue":%d,"id_call":%d}`, 1+(n-2)%10, 9_000_000+n-2))
		}
		switch n {
		case 60: // an outage told late: the figures freeze 16 minutes back
			p.b.SetStatus(&feed.StatusMsg{State: feed.Disconnected, At: now.Add(-16 * time.Minute)})
		case 66:
			p.b.SetStatus(&feed.StatusMsg{State: feed.Live, At: now})
		case 120:
			dir := p.day.dir
			dir.Groups = slices.Clone(dir.Groups)
			dir.Groups[2].Name = "Renamed"
			p.b.SetDirectory(dir, now)
		case 180: // a restart from the board's checkpoint
			p.b, restarted = loadCheckpoint(t, checkpointOf(t, p.b), opts), true
		}
		v := p.b.View(now)
		if v.AsOf.Before(lastAsOf) && p.b.intervalIndex(v.AsOf) < p.b.intervalIndex(lastAsOf) {
			wentBack = true
		}
		lastAsOf = v.AsOf
		checks++
		if d := sameView(v, referenceView(p.b, now)); d != "" {
			t.Fatalf("view %d at %s: %s", n, now.Format(time.TimeOnly), d)
		}
	}
	if checks < 250 || lateDone < 20 || !restarted || !wentBack || p.b.dayStart.Equal(startOfDay(from, time.UTC)) {
		t.Fatalf("%d checks, %d late updates, restarted %v, AsOf went back %v, day %s: the day did not play as meant", checks, late, restarted, wentBack, p.b.dayStart)
	}
}
