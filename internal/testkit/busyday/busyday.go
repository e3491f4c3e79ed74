// Package busyday writes a generated day of a call center as the journal
// keeps it: day files written by the journal's own writer (journal.Writer,
// a process at a time), with the board's checkpoints beside them when
// asked (Options.Checkpoints), the updates written by the simulator's
// traffic model (sim.Traffic sized as a
// sim.Center whose load and staffing follow the day) and decoded by the
// feed's own decoder. It is the day the benchmarks of a restart, a
// `report` and a late-day view read, and the day tests replay: agents
// logging in and out by shifts, pauses with reasons, queue calls entering,
// answered and abandoned, trunk calls, outbound calls, outages (a
// disconnection, a stretch callboard was not running), and, with the day
// before, calls that cross midnight. For one Options it writes the same
// bytes. Only tests import it.
package busyday

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"time"

	"callboard/feed"
	"callboard/journal"
	"callboard/sim"
)

// Options size the day.
type Options struct {
	Seed                   int64
	Agents, Queues, Trunks int
	// Calls is how many inbound calls (queues and trunks together) the
	// day has, about: the arrivals are random.
	Calls int
	// Yesterday writes the day before too, the same center's (the model
	// runs on across midnight: calls and agents cross it).
	Yesterday bool
	// NoOutages leaves out the outages written on each day: a
	// disconnection at 10:17 (2 minutes), a stretch callboard was not
	// running at 15:42 (5 minutes), a disconnection at 19:05 (40 s).
	NoOutages bool
	// Checkpoints has the journal's writer keep the board's checkpoints
	// beside the day files, as callboard's own does: every
	// hub.DefaultCheckpointEvery of the lines' time and at each stop
	// (see beside). Without, a reader replays the days from their start.
	// The lines are the same either way.
	Checkpoints bool
}

// Big is the day of the README's figures: a big center's busy day, 5,000
// agents, 200 queues, 40 trunks, about 300,000 calls.
func Big(seed int64) Options {
	return Options{Seed: seed, Agents: 5000, Queues: 200, Trunks: 40, Calls: 300_000}
}

// Small is a day for tests: the same shape, a second to write.
func Small(seed int64) Options {
	return Options{Seed: seed, Agents: 60, Queues: 6, Trunks: 3, Calls: 3000}
}

// Day says what Write wrote.
type Day struct {
	Paths   []string  // the day files, oldest first
	Lines   int       // lines of the day's file (the last path)
	Updates int       // update lines of the day's file
	Bytes   int64     // size of the day's file
	End     time.Time // the time of the day's last line: its end line
	// QueueCalls and TrunkCalls are the distinct calls that entered a
	// queue or a trunk on the day (the day before not counted);
	// Answered those of the queue calls an agent answered.
	QueueCalls, TrunkCalls, Answered int
	// Directory is the directory of the day's logins.
	Directory feed.Directory `json:"-"`
}

// queueShare is the share of the calls that go through the queues, the
// rest through the trunks.
const queueShare = 0.85

// idleMean is how long a free agent of the generated center stays idle
// before doing something of its own (a pause, an outbound call…), on
// average. With the staffing below, about 7 % of the queue calls are
// abandoned and a call makes 7 to 8 updates (measured on a fifth of the
// big day).
const idleMean = 90 * time.Second

// Write writes the day of day's date (in loc) into dir, created 0700 if
// missing, as the journal's day file (YYYY-MM-DD.jsonl, 0600), and the day
// before's file first with o.Yesterday. The first day written starts at
// its midnight with a process starting; the day ends with that process
// stopping at the day's last second.
func Write(dir string, day time.Time, loc *time.Location, o Options) (Day, error) {
	if loc == nil {
		loc = time.Local
	}
	if o.Agents <= 0 || o.Queues <= 0 || o.Calls <= 0 || o.Trunks < 0 {
		return Day{}, fmt.Errorf("busyday: %+v: agents, queues and calls must be positive", o)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Day{}, err
	}
	y, m, d := day.In(loc).Date()
	dayStart := time.Date(y, m, d, 0, 0, 0, 0, loc)
	dayEnd := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	first := dayStart
	if o.Yesterday {
		first = time.Date(y, m, d-1, 0, 0, 0, 0, loc)
	}
	peak := float64(o.Calls) / loadSeconds()
	center := &sim.Center{
		Agents: o.Agents, Queues: o.Queues, Trunks: o.Trunks,
		QueueRate: peak * queueShare, TrunkRate: peak * (1 - queueShare),
		Load:     func(t time.Time) float64 { return load.at(hourOf(t, loc)) },
		Staffing: func(t time.Time) float64 { return staffing.at(hourOf(t, loc)) },
		IdleMean: idleMean,
	}
	if o.Trunks == 0 {
		center.QueueRate = peak
	}
	g := &generator{
		dir: dir, loc: loc, dayStart: dayStart, epoch: first,
		traffic: sim.NewTraffic(o.Seed, first, sim.TrafficOptions{Center: center}),
		seen:    map[int64]bool{}, answered: map[int64]bool{},
	}
	if o.Checkpoints {
		g.board = newBeside(CheckpointOptions(loc))
	}
	g.out.Directory = directory(g.traffic.Directory(), first)
	err := g.run(first, dayEnd, !o.NoOutages)
	g.stopRunning(g.last) // after a failure
	if err == nil {
		err = g.err
	}
	if err != nil {
		return Day{}, err
	}
	for mid := first; mid.Before(dayEnd); mid = nextMidnight(mid, loc) {
		g.out.Paths = append(g.out.Paths, filepath.Join(dir, mid.Format(time.DateOnly)+".jsonl"))
	}
	if g.out.Lines, g.out.Bytes, err = countLines(g.out.Paths[len(g.out.Paths)-1]); err != nil {
		return Day{}, err
	}
	return g.out, nil
}

// countLines counts the lines and bytes of the file at path.
func countLines(path string) (lines int, size int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	for {
		n, err := f.Read(buf)
		lines += bytes.Count(buf[:n], []byte{'\n'})
		size += int64(n)
		if err == io.EOF {
			return lines, size, nil
		}
		if err != nil {
			return 0, 0, err
		}
	}
}

// generator writes the lines through the journal's writer, a process
// (journal.Writer) at a time, and, with Options.Checkpoints, has the board
// they make beside it give the writer its checkpoints.
type generator struct {
	dir      string
	loc      *time.Location
	dayStart time.Time // of the day counted in out
	traffic  *sim.Traffic
	stamper  sim.Stamper

	w *journal.Writer // of the process running; nil while none is
	// clock is the newest time given to the writer: the process's own
	// clock (journal.Config.Elapsed), which the lines' time follows.
	clock, epoch time.Time
	last         time.Time // of the last line written
	err          error
	board        *beside // nil without checkpoints

	seen, answered map[int64]bool // queue and trunk calls of the day; queue calls answered
	out            Day
}

// outage is a stretch of a day the feed did not see.
type outage struct {
	at, lasts  time.Duration // since midnight
	notRunning bool          // callboard stopped, rather than lost the connection
}

var outages = []outage{
	{at: 10*time.Hour + 17*time.Minute, lasts: 2 * time.Minute},
	{at: 15*time.Hour + 42*time.Minute, lasts: 5 * time.Minute, notRunning: true},
	{at: 19*time.Hour + 5*time.Minute, lasts: 40 * time.Second},
}

// latency is how long after an event its update is received.
const latency = 40 * time.Millisecond

func (g *generator) run(first, end time.Time, withOutages bool) error {
	g.startRunning(first)
	for mid := first; mid.Before(end); mid = nextMidnight(mid, g.loc) {
		for _, o := range outages {
			if !withOutages {
				break
			}
			at := mid.Add(o.at)
			g.advanceTo(at)
			g.outage(g.after(at), o)
		}
	}
	g.advanceTo(end.Add(-time.Second))
	g.out.End = g.after(end.Add(-time.Second))
	g.stopRunning(g.out.End)
	return g.err
}

// advanceTo writes what the model does up to to, a second at a time.
func (g *generator) advanceTo(to time.Time) {
	for now := g.traffic.Now().Truncate(time.Second).Add(time.Second); !now.After(to) && g.err == nil; now = now.Add(time.Second) {
		for _, ev := range g.traffic.Advance(now) {
			g.update(ev, ev.At.Add(latency))
		}
	}
}

// skipTo runs the model up to to, its events unseen.
func (g *generator) skipTo(to time.Time) {
	for now := g.traffic.Now().Truncate(time.Second).Add(time.Second); now.Before(to); now = now.Add(time.Second) {
		g.traffic.Advance(now)
	}
	g.traffic.Advance(to)
}

// after is at, or the time of the last line written when later: the
// lines of a file never run backwards.
func (g *generator) after(at time.Time) time.Time {
	if at.Before(g.last) {
		return g.last
	}
	return at
}

// startRunning writes a process starting at at: it logs in, goes live
// and receives the burst that describes the state of the center.
func (g *generator) startRunning(at time.Time) {
	g.tell(at)
	w, err := journal.Open(journal.Config{Dir: g.dir, Location: g.loc, SyncEvery: time.Hour,
		Elapsed: func() time.Duration { return g.clock.Sub(g.epoch) }}, at)
	if err != nil {
		g.fail(err)
		return
	}
	g.w, g.last = w, at
	if g.board != nil {
		g.board.started(at)
	}
	g.message(&feed.StatusMsg{State: feed.Connecting, At: at.Add(time.Millisecond)})
	g.message(&feed.DirectoryMsg{Directory: directory(g.traffic.Directory(), at), At: at.Add(300 * time.Millisecond)})
	g.goLive(at.Add(700 * time.Millisecond))
}

// goLive writes the connection going live at at and the burst after init.
func (g *generator) goLive(at time.Time) {
	g.skipTo(at)
	g.message(&feed.StatusMsg{State: feed.Live, Protocol: "v4", At: at})
	for i, ev := range g.traffic.Snapshot() {
		g.update(ev, at.Add(time.Duration(i/1000)*time.Millisecond))
	}
}

func (g *generator) outage(at time.Time, o outage) {
	if o.notRunning {
		g.stopRunning(at)
		g.skipTo(at.Add(o.lasts))
		g.startRunning(at.Add(o.lasts))
		return
	}
	g.message(&feed.StatusMsg{State: feed.Disconnected, Protocol: "v4", At: at,
		Reason: "connection reset by callcenter.axialys.net:443", NextRetry: at.Add(time.Second)})
	g.message(&feed.StatusMsg{State: feed.Connecting, Protocol: "v4", At: at.Add(o.lasts - time.Second)})
	g.goLive(at.Add(o.lasts))
}

// update writes ev, received at at, as the feed hands it over.
func (g *generator) update(ev sim.Event, at time.Time) {
	stamped := g.stamper.Stamp(ev, at)
	raw, err := json.Marshal(stamped)
	if err != nil {
		g.fail(err)
		return
	}
	u, derr := feed.Decode(raw)
	if derr != nil {
		g.fail(fmt.Errorf("busyday: the feed refuses a generated update: %v: %s", derr, raw))
		return
	}
	g.count(ev, at.Add(-time.Duration(stamped.Elapse)*time.Second))
	g.write(&feed.Event{Received: at, Raw: raw, Update: u}, at)
}

// count counts the calls of the day's updates, ev happening at at by
// its update (received less elapse): a call belongs to the day it entered,
// as the board dates it.
func (g *generator) count(ev sim.Event, at time.Time) {
	if !g.today(at) || (ev.Type != "queue" && ev.Type != "trunk") {
		return
	}
	id, ok := ev.Msg["id_call"].(sim.ID)
	if !ok {
		return
	}
	switch ev.Name {
	case "insert_call":
		waited, _ := ev.Msg["duration_in_queue"].(int64)
		if !g.seen[id.N] && !at.Add(-time.Duration(waited)*time.Second).Before(g.dayStart) {
			g.seen[id.N] = true
			if ev.Type == "queue" {
				g.out.QueueCalls++
			} else {
				g.out.TrunkCalls++
			}
		}
	case "connect_call":
		if ev.Type == "queue" && g.seen[id.N] && !g.answered[id.N] {
			g.answered[id.N] = true
			g.out.Answered++
		}
	}
}

func (g *generator) message(m feed.Message) {
	g.write(m, feed.MessageTime(m))
}

// write records m, received at at, in the running process's journal, and
// applies it to the board beside it.
func (g *generator) write(m feed.Message, at time.Time) {
	if g.err != nil || g.w == nil {
		return
	}
	g.tell(at)
	if g.board != nil {
		g.board.handle(m, at)
	}
	g.w.Record(m)
	g.last = at
	if _, ok := m.(*feed.Event); ok && g.today(at) {
		g.out.Updates++
	}
	if g.board != nil && g.board.due(false) {
		g.checkpoint()
	}
}

// stopRunning stops the running process at at, as callboard stops: the
// board's checkpoint, then the journal's end line.
func (g *generator) stopRunning(at time.Time) {
	if g.w == nil {
		return
	}
	if g.board != nil && g.board.due(true) {
		g.checkpoint()
	}
	g.tell(at)
	if err := g.w.Close(at); err != nil {
		g.fail(err)
	}
	if st := g.w.Status(); st.Dropped > 0 || st.Clock != "" {
		g.fail(fmt.Errorf("busyday: the journal's writer dropped %d lines (%s)", st.Dropped, st.Clock))
	}
	g.w, g.last = nil, at
	if g.board != nil {
		g.board.stopped(at)
	}
}

// checkpoint hands the board's checkpoint to the writer.
func (g *generator) checkpoint() {
	var buf bytes.Buffer
	if err := g.board.b.Checkpoint(&buf); err != nil {
		g.fail(err)
		return
	}
	g.w.Checkpoint(buf.Bytes(), g.board.ticked, maps.Clone(g.board.counted))
}

// tell moves the writer's clock on to at.
func (g *generator) tell(at time.Time) {
	if at.After(g.clock) {
		g.clock = at
	}
}

// today says whether at is in the day counted in out.
func (g *generator) today(at time.Time) bool {
	return !at.Before(g.dayStart) && at.Before(nextMidnight(g.dayStart, g.loc))
}

func (g *generator) fail(err error) {
	if g.err == nil {
		g.err = err
	}
}

// directory is the model's directory as a login's answer gives it.
func directory(d sim.Directory, at time.Time) feed.Directory {
	out := feed.Directory{Target: feed.Text(d.Target.String()), Expires: at.Add(2 * time.Hour)}
	for _, op := range d.Ops {
		a := feed.Agent{ID: feed.Text(op.ID.String()), Name: op.Nom}
		for _, g := range op.Groupes {
			a.Groups = append(a.Groups, feed.Text(g.String()))
		}
		out.Agents = append(out.Agents, a)
	}
	named := func(ns []sim.Named) []feed.Named {
		var out []feed.Named
		for _, n := range ns {
			out = append(out, feed.Named{ID: feed.Text(n.ID.String()), Name: n.Nom})
		}
		return out
	}
	out.Groups, out.Trunks = named(d.Groupes), named(d.Trunks)
	for _, p := range d.Pauses {
		out.Pauses = append(out.Pauses, feed.Named{ID: feed.Text(p.ID.String()), Name: p.Value})
	}
	return out
}

func nextMidnight(mid time.Time, loc *time.Location) time.Time {
	y, m, d := mid.In(loc).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}

// hourOf is t's time of day in hours.
func hourOf(t time.Time, loc *time.Location) float64 {
	t = t.In(loc)
	y, m, d := t.Date()
	return t.Sub(time.Date(y, m, d, 0, 0, 0, 0, loc)).Hours()
}

// curve is a share that follows the time of day, linear between its
// points (hour, share), from 0 to 24 h.
type curve [][2]float64

func (c curve) at(h float64) float64 {
	for i := 1; i < len(c); i++ {
		if h <= c[i][0] {
			a, b := c[i-1], c[i]
			return a[1] + (b[1]-a[1])*(h-a[0])/(b[0]-a[0])
		}
	}
	return c[len(c)-1][1]
}

// load is the share of the peak arrival rate through the day: a quiet
// night, the morning peak, the lunch dip, the afternoon, the evening.
var load = curve{
	{0, 0.02}, {6, 0.03}, {7, 0.2}, {8, 0.6}, {9, 0.95}, {11, 1}, {12, 0.8}, {13, 0.7},
	{14, 0.9}, {16, 0.95}, {17, 0.8}, {18, 0.5}, {19, 0.3}, {20, 0.15}, {21, 0.06}, {22, 0.03}, {24, 0.02},
}

// staffing is the share of the agents on shift, a little ahead of the
// load: at most 63 % of the directory (the rest on leave, part time…).
var staffing = curve{
	{0, 0.015}, {6.5, 0.02}, {7.5, 0.25}, {8.5, 0.6}, {11.5, 0.63}, {12, 0.49}, {13.5, 0.49},
	{14, 0.63}, {17, 0.6}, {18, 0.39}, {19.5, 0.21}, {20.5, 0.1}, {21.5, 0.035}, {22.5, 0.02}, {24, 0.015},
}

// loadSeconds is the day's load in seconds at the peak rate: the calls of
// a day are the peak rate times it.
func loadSeconds() float64 {
	s := 0.0
	for m := range 24 * 60 {
		s += load.at((float64(m)+0.5)/60) * 60
	}
	return s
}
