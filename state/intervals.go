package state

import (
	"maps"
	"math"
	"slices"
	"strings"
	"time"
)

// The day by interval: from the start of the day, in intervals of
// Options.Interval, per queue and in total, the calls offered (entered),
// answered, abandoned (short ones too), answered within the service level
// threshold, and the longest wait of the calls that stopped waiting in the
// interval; each at the time of its event (entered, answered, left). And
// the agents' presence: the mean number logged in, reachable (available,
// ringing, on a call or calling out) and paused over the interval, from
// the time each spent in each state.

// intervalCounts are one queue's figures in one interval.
type intervalCounts struct {
	offered, answered, answeredInSL int
	abandoned, shortAband           int
	totalWait, longestWait          time.Duration
}

// interval is one interval of today.
type interval struct {
	queues                      map[string]*intervalCounts
	loggedIn, reachable, paused time.Duration // agent time
	// byGroups is the same agent time by the agents' groups as they were
	// (groupsKey): what a scoped view's means are summed from.
	byGroups map[string]*[3]time.Duration

	// rows and total are the queues' figures as Intervals last built them,
	// by name: kept while no count changed (dirty) and no queue came, went
	// or was renamed (namesVersion), so that a view of a quiet board does
	// not build and sort them again.
	rows         []IntervalQueue
	hidden       []IntervalQueue // the queues their rule hides, by name: for scoped views
	total        IntervalFigures
	rowsVersion  int
	built, dirty bool
}

// IntervalFigures are the calls of a queue, or of all queues, in an
// interval.
type IntervalFigures struct {
	Offered, Answered, AnsweredInSL, Abandoned, ShortAbandoned int
	// SLCalls is what the queue's formula divides AnsweredInSL by, of the
	// calls that ended in the interval (a call waiting counts where it
	// ends); in a total, the sum of its queues'.
	SLCalls         int
	ServiceLevel    float64 // percent, AnsweredInSL ÷ SLCalls; valid when HasServiceLevel
	HasServiceLevel bool
	ASA             time.Duration // valid when Answered > 0
	LongestWait     time.Duration
	TotalWait       time.Duration // of the answered calls: ASA × Answered
}

// IntervalQueue is a queue's figures in an interval.
type IntervalQueue struct {
	QueueID, QueueName string
	Rule               QueueRule // the queue's rule (its figures counted under it, as of the view)
	SLLevel            Level     // its service level against Rule.Target (ruleLevel)
	IntervalFigures
}

// IntervalRow is one interval of today.
type IntervalRow struct {
	Start  time.Time     // in the day's timezone
	Length time.Duration // Options.Interval; the current one counts up to the view's AsOf
	Total  IntervalFigures
	Queues []IntervalQueue // the queues with calls in the interval, by name
	// Mean agents over the interval (over its part so far, for the current
	// one): logged in, reachable (available, ringing, on a call), paused.
	AgentsLoggedIn, AgentsReachable, AgentsPaused float64

	// span is the time the means are over; groups the agents' time in it
	// by their groups, by groupsKey: what a scoped view sums its means
	// from (View.For).
	span   time.Duration
	groups []groupTime
}

// groupTime is the time of the agents of one set of groups in an
// interval: logged in, reachable, paused.
type groupTime struct {
	key    string   // groupsKey
	groups []string // its group ids
	time   [3]time.Duration
}

// groupsKey is the key of an agent's groups in interval.byGroups.
func groupsKey(groups []string) string { return strings.Join(groups, "\x00") }

// groupsKey is the key of the agent's groups, made again when they change.
func (a *agent) groupsKey() string {
	if len(a.keyedGroups) != len(a.groups) || len(a.groups) > 0 && &a.keyedGroups[0] != &a.groups[0] {
		a.groupsKeyed, a.keyedGroups = groupsKey(a.groups), a.groups
	}
	return a.groupsKeyed
}

// intervalIndex is the interval of today t falls in, -1 before the day.
func (b *Board) intervalIndex(t time.Time) int {
	d := t.Sub(b.dayStart)
	if d < 0 {
		return -1
	}
	return int(d / b.opts.Interval)
}

// interval is today's i-th interval, made when first needed.
func (b *Board) interval(i int) *interval {
	for len(b.intervals) <= i {
		b.intervals = append(b.intervals, nil)
	}
	if b.intervals[i] == nil {
		b.intervals[i] = &interval{queues: map[string]*intervalCounts{}}
		b.views.intervals.changed(i) // its row was that of an interval where nothing happened
	}
	return b.intervals[i]
}

// queueCounts are queue q's figures in the interval of t; nil before the day.
func (b *Board) queueCounts(q string, t time.Time) *intervalCounts {
	i := b.intervalIndex(t)
	if i < 0 {
		return nil
	}
	in := b.interval(i)
	in.dirty = true // the caller counts in it
	b.views.intervals.changed(i)
	c := in.queues[q]
	if c == nil {
		c = &intervalCounts{}
		in.queues[q] = c
	}
	return c
}

// countOffered counts a call first seen at seen, that entered its queue
// at entered, in the interval it entered (or the board's first, when it
// entered before the board began to look); not when it is first seen on
// another day than the board's.
func (b *Board) countOffered(q string, entered, seen time.Time) {
	if seen.Before(b.dayStart) {
		return
	}
	if c := b.queueCounts(q, maxTime(entered, b.since)); c != nil {
		c.offered++
	}
}

func (b *Board) countAnswered(q string, at time.Time, wait time.Duration) {
	if c := b.queueCounts(q, at); c != nil {
		c.answered++
		if wait <= b.ruleOf(q).Threshold {
			c.answeredInSL++
		}
		c.totalWait += wait
		c.longestWait = max(c.longestWait, wait)
	}
}

func (b *Board) countAbandoned(q string, at time.Time, wait time.Duration) {
	if c := b.queueCounts(q, at); c != nil {
		c.abandoned++
		if wait < b.ruleOf(q).ShortAbandon {
			c.shortAband++
		}
		c.longestWait = max(c.longestWait, wait)
	}
}

// addPresence adds an agent's time in state s from start to end, split
// across the intervals it spans, in total and under its groups (groupsKey).
func (b *Board) addPresence(s AgentState, groups string, start, end time.Time) {
	b.eachIntervalPart(start, end, func(i int, d time.Duration) {
		in := b.interval(i)
		addPresenceTo(&in.loggedIn, &in.reachable, &in.paused, s, d)
		if !s.LoggedIn() {
			return
		}
		p := in.byGroups[groups]
		if p == nil {
			if in.byGroups == nil {
				in.byGroups = map[string]*[3]time.Duration{}
			}
			p = new([3]time.Duration)
			in.byGroups[groups] = p
		}
		addPresenceTo(&p[0], &p[1], &p[2], s, d)
	})
}

func addPresenceTo(loggedIn, reachable, paused *time.Duration, s AgentState, d time.Duration) {
	if !s.LoggedIn() {
		return
	}
	*loggedIn += d
	switch {
	case s == Available || s.OnACall():
		*reachable += d
	case s == Paused:
		*paused += d
	}
}

// eachIntervalPart calls f with each interval of today that [start, end)
// overlaps and the length of the overlap.
func (b *Board) eachIntervalPart(start, end time.Time, f func(i int, d time.Duration)) {
	day := b.dayStart
	if start.Before(day) {
		start = day
	}
	for start.Before(end) {
		i := b.intervalIndex(start)
		next := day.Add(time.Duration(i+1) * b.opts.Interval)
		if next.After(end) {
			next = end
		}
		f(i, next.Sub(start))
		start = next
	}
}

// Intervals returns today's intervals from the one the counters start in
// to the one of asOf. The rows of the intervals that ended by asOf are
// those the last view built (keptIntervals) unless something changed
// them since: only the others are built again.
func (b *Board) Intervals(asOf time.Time) []IntervalRow {
	first, last := b.intervalIndex(b.since), b.intervalIndex(asOf)
	if first < 0 || last < first {
		return nil
	}
	k := &b.views.intervals
	if !k.day.Equal(b.dayStart) || !k.since.Equal(b.since) || k.names != b.namesVersion {
		*k = keptIntervals{day: b.dayStart, since: b.since, names: b.namesVersion} // all to build
	}
	kept := max(0, min(len(k.rows), last-first, k.changedFrom-first))
	built := b.intervalRowsFrom(first+kept, asOf, b.intervalQueues)
	rows := make([]IntervalRow, 0, kept+len(built))
	rows = append(append(rows, k.rows[:kept]...), built...)
	k.rows = append(k.rows[:kept], built[:last-first-kept]...) // those that ended by asOf
	k.changedFrom = math.MaxInt
	return rows
}

// hiddenIntervals are, for each of rows (Intervals'), the figures of the
// queues their rule hides that had calls in it (nil when no queue is
// hidden): what a scoped view counts its hidden queues' intervals by.
func (b *Board) hiddenIntervals(rows []IntervalRow, hides bool) [][]IntervalQueue {
	if !hides || len(rows) == 0 {
		return nil
	}
	first := b.intervalIndex(b.since)
	out := make([][]IntervalQueue, len(rows))
	for i := range rows {
		if j := first + i; j >= 0 && j < len(b.intervals) && b.intervals[j] != nil {
			b.intervalQueues(b.intervals[j]) // built already, but for a board made afresh
			out[i] = b.intervals[j].hidden
		}
	}
	return out
}

// keptIntervals are the rows of the intervals that ended by the AsOf of
// the view that built them, of the day and counters' start they are of,
// the queues named as of names (Board.namesVersion). Such a row does not
// change as time passes: the agents' presence in it is their closed
// periods' and their current ones' (ongoingPresence), and a current period
// that closes adds to it what it counted already. It changes when an
// update counts a call in it (a late one), when an agent's period closes
// or begins in it (an update dated back), when it is made (its row was
// that of an interval where nothing happened): changedFrom is the first
// interval so changed since. The zero value keeps nothing: a board made
// or loaded afresh builds them all at its first view.
type keptIntervals struct {
	day, since  time.Time
	names       int
	rows        []IntervalRow // rows[i] is interval first+i's, first the counters' start's
	changedFrom int
}

// changed notes that interval i's row may have changed.
func (k *keptIntervals) changed(i int) {
	k.changedFrom = min(k.changedFrom, max(i, 0))
}

// intervalRows are Intervals, each interval's queues and total given by
// queues, all of them built.
func (b *Board) intervalRows(asOf time.Time, queues func(*interval) ([]IntervalQueue, IntervalFigures)) []IntervalRow {
	first := b.intervalIndex(b.since)
	if first < 0 {
		return nil
	}
	return b.intervalRowsFrom(first, asOf, queues)
}

// intervalRowsFrom are the rows of Intervals from interval from (not
// before the counters' start) to that of asOf, each interval's queues and
// total given by queues.
func (b *Board) intervalRowsFrom(from int, asOf time.Time, queues func(*interval) ([]IntervalQueue, IntervalFigures)) []IntervalRow {
	last := b.intervalIndex(asOf)
	if from < 0 || last < from {
		return nil
	}
	day := b.dayStart
	ongoing, ongoingBy := b.ongoingPresence(day, from, last, asOf)
	rows := make([]IntervalRow, 0, last-from+1)
	for i := from; i <= last; i++ {
		start := day.Add(time.Duration(i) * b.opts.Interval)
		row := IntervalRow{Start: start.In(b.opts.Location), Length: b.opts.Interval}
		span := b.opts.Interval
		if end := start.Add(b.opts.Interval); end.After(asOf) {
			span = asOf.Sub(maxTime(start, b.since))
		} else if start.Before(b.since) {
			span = end.Sub(b.since)
		}
		var byGroups map[string]*[3]time.Duration
		if i < len(b.intervals) && b.intervals[i] != nil {
			in := b.intervals[i]
			row.Queues, row.Total = queues(in)
			p := ongoing[i]
			row.AgentsLoggedIn = mean(in.loggedIn+p[0], span)
			row.AgentsReachable = mean(in.reachable+p[1], span)
			row.AgentsPaused = mean(in.paused+p[2], span)
			byGroups = in.byGroups
		} else {
			p := ongoing[i]
			row.AgentsLoggedIn, row.AgentsReachable, row.AgentsPaused = mean(p[0], span), mean(p[1], span), mean(p[2], span)
			row.Total = (&intervalCounts{}).figuresOver(0)
		}
		row.span, row.groups = span, b.groupTimes(byGroups, ongoingBy, i-from)
		rows = append(rows, row)
	}
	return rows
}

// groupTimes are an interval's agents' time by their groups: closed, its
// periods' (byGroups), and ongoing[key][i], the current ones', by key.
func (b *Board) groupTimes(closed map[string]*[3]time.Duration, ongoing map[string][][3]time.Duration, i int) []groupTime {
	keys := make([]string, 0, len(closed)+len(ongoing))
	for k := range closed {
		keys = append(keys, k)
	}
	for k, parts := range ongoing {
		if _, ok := closed[k]; !ok && parts[i] != ([3]time.Duration{}) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := make([]groupTime, 0, len(keys))
	for _, k := range keys {
		g := groupTime{key: k, groups: b.groupsOfKey(k)}
		if c := closed[k]; c != nil {
			g.time = *c
		}
		if parts := ongoing[k]; parts != nil {
			for j := range g.time {
				g.time[j] += parts[i][j]
			}
		}
		out = append(out, g)
	}
	return out
}

// groupsOfKey are the group ids of groupsKey k, split once and kept
// (b.groupLists; shared by the views, which never change them).
func (b *Board) groupsOfKey(k string) []string {
	if k == "" {
		return nil
	}
	if g, ok := b.groupLists[k]; ok {
		return g
	}
	if b.groupLists == nil || len(b.groupLists) > 2*len(b.agents)+64 { // the sets of groups no agent has any more go in time
		b.groupLists = map[string][]string{}
	}
	g := strings.Split(k, "\x00")
	b.groupLists[k] = g
	return g
}

// intervalQueues are the figures of the queues with calls in interval in,
// by name, hidden ones left out, and their total (hidden ones in): those
// built for the last view when nothing changed since.
func (b *Board) intervalQueues(in *interval) ([]IntervalQueue, IntervalFigures) {
	if in.built && !in.dirty && in.rowsVersion == b.namesVersion {
		return in.rows, in.total
	}
	type keyed struct {
		key []byte
		IntervalQueue
	}
	rows := make([]keyed, 0, len(in.queues))
	var hidden []keyed
	var total intervalCounts
	totalSL := 0
	for id, c := range in.queues {
		rule := b.ruleOf(id)
		r := keyed{IntervalQueue: IntervalQueue{QueueID: id, QueueName: "#" + id, Rule: rule, IntervalFigures: c.figures(rule.Formula)}}
		if q := b.queues[id]; q != nil {
			r.key, r.QueueName = q.sortKey, q.shownName()
		}
		r.SLLevel = b.opts.slLevel(id, rule, r.IntervalFigures)
		total.add(c)
		totalSL += r.SLCalls
		if !rule.Hide {
			rows = append(rows, r)
		} else {
			hidden = append(hidden, r)
		}
	}
	byName := func(x, y keyed) int {
		return compareKeyed(x.key, y.key, x.QueueName, y.QueueName, x.QueueID, y.QueueID)
	}
	slices.SortFunc(rows, byName)
	slices.SortFunc(hidden, byName)
	b.rebuilt += len(rows)
	in.rows = make([]IntervalQueue, len(rows)) // a new slice: views already published hold the old one
	for i, r := range rows {
		in.rows[i] = r.IntervalQueue
	}
	in.hidden = nil
	for _, r := range hidden {
		in.hidden = append(in.hidden, r.IntervalQueue)
	}
	in.total = total.figuresOver(totalSL)
	in.built, in.dirty, in.rowsVersion = true, false, b.namesVersion
	return in.rows, in.total
}

func (c *intervalCounts) add(o *intervalCounts) {
	c.offered += o.offered
	c.answered += o.answered
	c.answeredInSL += o.answeredInSL
	c.abandoned += o.abandoned
	c.shortAband += o.shortAband
	c.totalWait += o.totalWait
	c.longestWait = max(c.longestWait, o.longestWait)
}

// figures are a queue's counts c as figures, its service level by formula.
func (c *intervalCounts) figures(formula string) IntervalFigures {
	return c.figuresOver(slCalls(formula, c.answered, c.abandoned, c.shortAband, 0))
}

// figuresOver are counts c as figures, the service level's denominator
// slCalls.
func (c *intervalCounts) figuresOver(slCalls int) IntervalFigures {
	f := IntervalFigures{
		Offered: c.offered, Answered: c.answered, AnsweredInSL: c.answeredInSL, SLCalls: slCalls,
		Abandoned: c.abandoned, ShortAbandoned: c.shortAband, LongestWait: c.longestWait, TotalWait: c.totalWait,
	}
	f.ServiceLevel, f.HasServiceLevel = serviceLevel(c.answeredInSL, slCalls)
	if c.answered > 0 {
		f.ASA = c.totalWait / time.Duration(c.answered)
	}
	return f
}

// counts are figures f as the counts they were made of.
func (f IntervalFigures) counts() intervalCounts {
	return intervalCounts{offered: f.Offered, answered: f.Answered, answeredInSL: f.AnsweredInSL, abandoned: f.Abandoned,
		shortAband: f.ShortAbandoned, totalWait: f.TotalWait, longestWait: f.LongestWait}
}

func mean(agentTime, span time.Duration) float64 {
	if span <= 0 {
		return 0
	}
	return float64(agentTime) / float64(span)
}

// ongoingPresence is the agents' time in their current periods (not
// closed yet) per interval from from up to last (parts[i] is interval
// i's; those before from are left zero), as of asOf: logged in, reachable,
// paused; and the same by the agents' groups (byGroups[groupsKey][i-from]
// is interval i's). The intervals a period covers whole are added once
// each, through running sums, so a view costs one pass over the agents
// whatever their periods' length.
func (b *Board) ongoingPresence(day time.Time, from, last int, asOf time.Time) (parts [][3]time.Duration, byGroups map[string][][3]time.Duration) {
	total := newPresenceParts(from, last+1)
	// each set of groups' parts (presenceParts) one after another in all,
	// n intervals each, its index in keys and groups
	n := last + 1 - from
	groups := map[string]int{}
	var keys []string
	var all presenceParts
	// times as durations from day's start (Sub saturates: no overflow)
	iv, end := b.opts.Interval, asOf.Sub(day)
	floor := max(b.since.Sub(day), time.Duration(from)*iv, 0) // not before the counters, interval from, the day
	agents := b.order                                         // the agents in a slice (a view makes it first), quicker to walk than the map
	if agents == nil {
		agents = slices.Collect(maps.Values(b.agents))
	}
	for _, a := range agents {
		if !a.state.LoggedIn() {
			continue
		}
		start := max(a.since.Sub(day), floor)
		if start >= end {
			continue
		}
		key := a.groupsKey()
		k, ok := groups[key]
		if !ok {
			k = len(keys)
			groups[key], keys = k, append(keys, key)
			all.parts = append(all.parts, make([][3]time.Duration, n)...)
			all.whole = append(all.whole, make([][3]int, n+1)...)
		}
		total.add(a.state, start, end, iv)
		g := presenceParts{from: from, parts: all.parts[k*n : (k+1)*n], whole: all.whole[k*(n+1) : (k+1)*(n+1)]}
		g.add(a.state, start, end, iv)
	}
	byGroups = make(map[string][][3]time.Duration, len(keys))
	for k, key := range keys {
		g := presenceParts{from: from, parts: all.parts[k*n : (k+1)*n : (k+1)*n], whole: all.whole[k*(n+1) : (k+1)*(n+1)]}
		byGroups[key] = g.sum(iv)
	}
	parts = make([][3]time.Duration, from, last+1) // interval i's at i
	return append(parts, total.sum(iv)...), byGroups
}

// presenceParts are agents' time in their current periods per interval,
// from interval from to interval end (excluded), index 0 being from's:
// parts what they spend in part of an interval, whole the running-sum
// steps of the agents in a state over whole intervals.
type presenceParts struct {
	from  int
	parts [][3]time.Duration
	whole [][3]int
}

func newPresenceParts(from, end int) *presenceParts {
	return &presenceParts{from: from, parts: make([][3]time.Duration, end-from), whole: make([][3]int, end-from+1)}
}

// add adds an agent's time in state s from start to end, durations from
// the day's start, iv each interval's length; start is not before from's.
func (p *presenceParts) add(s AgentState, start, end, iv time.Duration) {
	last := p.from + len(p.parts) - 1
	i0, i1 := int(start/iv), min(int(end/iv), last)
	add := func(q *[3]time.Duration, d time.Duration) { addPresenceTo(&q[0], &q[1], &q[2], s, d) }
	if i0 == i1 {
		add(&p.parts[i0-p.from], end-start)
		return
	}
	add(&p.parts[i0-p.from], time.Duration(i0+1)*iv-start)
	add(&p.parts[i1-p.from], end-time.Duration(i1)*iv)
	if i0+1 < i1 { // whole intervals i0+1 … i1-1
		var one [3]time.Duration
		add(&one, 1)
		for k := range 3 {
			p.whole[i0+1-p.from][k] += int(one[k])
			p.whole[i1-p.from][k] -= int(one[k])
		}
	}
}

// sum is the parts with the whole intervals added.
func (p *presenceParts) sum(iv time.Duration) [][3]time.Duration {
	var running [3]int
	for i := range p.parts {
		for k := range 3 {
			running[k] += p.whole[i][k]
			p.parts[i][k] += time.Duration(running[k]) * iv
		}
	}
	return p.parts
}
