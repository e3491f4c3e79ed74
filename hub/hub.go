// Package hub is the one road from a source of feed messages to the
// readers of a board. A process has one hub, and the hub owns the process's
// only state.Board, in the one goroutine that runs it: it applies each
// message at its own time (when it was received, not when it is applied),
// lets time pass every second, and publishes immutable views (state.View)
// to any number of subscribers. Publication is latest-wins: a reader that
// is slow skips views, it never holds back the feed or the other readers.
//
// It is a step of its own because the screen, snapshot, metrics and every
// ssh viewer read the same board: none of them keeps one.
package hub

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"callboard/feed"
	"callboard/state"
)

// Config says how a hub runs its board.
type Config struct {
	Options state.Options
	// Now is the clock; nil means the wall clock (without its monotonic
	// reading, so that durations live and replayed agree). A replay passes
	// its own.
	Now func() time.Time
	// Start is when the board's counters start; zero means Now().
	Start time.Time
	// MinInterval is the least time between two views published because
	// messages came (default 100 ms: at most ten a second under load).
	MinInterval time.Duration
	// TickInterval is how often time passes on the board, and a view is
	// published, when nothing comes (default 1 s).
	TickInterval time.Duration
	// MaxEvents, when above 0, stops the hub once it has applied that many
	// events: what a snapshot of N events asks. History does not count.
	MaxEvents int
	// History, when set, is the day kept before this process: Run first
	// has it apply its messages to the board, each at its own time (the
	// counters then start at the first of them, if it is before Start),
	// then publishes a view and takes the live messages. They are not
	// journaled again.
	History func(apply func(feed.Message)) error
	// Resume, when set, is asked first for the board of the day kept as
	// its newest checkpoint left it, and when time was last let pass on it
	// (journal.Keeper.Resume): History, or the messages of a replay, then
	// give only what came after it.
	Resume func(opts state.Options) (board *state.Board, ticked time.Time, ok bool)
	// Checkpoint, when set, is handed the board's checkpoint and when time
	// was last let pass on it, every CheckpointEvery of the messages' time,
	// once the message before it is journaled, and when Run ends: take,
	// called within Checkpoint (on the hub's goroutine: the board is the
	// hub's), copies the board's state (state.Board.CopyForCheckpoint),
	// and its WriteTo writes the checkpoint, from any goroutine, at any time
	// after (the journal's writer does, beside the day file), while the hub
	// goes on. A Checkpoint that keeps none does not call take.
	Checkpoint func(take func() io.WriterTo, ticked time.Time)
	// CheckpointEvery is how often, by the messages' time, Checkpoint is
	// called; default DefaultCheckpointEvery.
	CheckpointEvery time.Duration
	// Beside, when set, says whether another process, live, writes the
	// day History gave, and the time of the day's last line (at) — when
	// it no longer does, the last line it wrote. Asked once History has
	// run: if so, the board takes that process's view of the day
	// (state.Board.Join), and this process's start-up, until its feed is
	// first live, is no outage of the day and makes nothing stale. Asked
	// again when this process's feed is first live: should that process
	// have stopped meanwhile, the day was not seen from its last line
	// (state.Board.Leave).
	Beside func() (at time.Time, ok bool)
	// CatchUp, when set with Beside, applies the messages that process
	// wrote after the day's last line History gave and before until, this
	// process's feed going live: what the day saw while this process
	// connected. They are applied as the day's (their statuses are the
	// day's outages), and the updates this process then receives again
	// (the same cpt) are not applied twice.
	CatchUp func(until time.Time, apply func(feed.Message))
	// Journal, when set, keeps every live message Run applies, and says how
	// it goes in every view.
	Journal Journal
	// Notify, when set, says in every view how the alerts are sent out
	// (package notify).
	Notify func() state.NotifyHealth
	// CanAcknowledge, when set, says whether this process may acknowledge
	// alerts now (Acknowledge): nil when it writes the journal or keeps
	// none, else why not (another process writes it: acknowledged here,
	// the acknowledgement would not be kept).
	CanAcknowledge func() error
	// Report puts the day's calls and agents' days (state.Report) in the
	// last view (FeedEnded): what a report prints; it grows with the day,
	// too much to build for every view.
	Report bool
	// ReportOnRead makes that Report's calls as they are read
	// (state.Board.ReportOnRead): the board is not changed after its last
	// view, and the day's calls are not held twice.
	ReportOnRead bool
	// FollowMessages takes every view but the last at the time of the
	// newest message applied, when Now is later: a replay as fast as it
	// reads moves its clock as it reads, ahead of what the hub has applied
	// (the messages between wait in the channel), and a view taken there
	// would let time pass past them, a midnight included.
	FollowMessages bool
	// LastViewOnly says that nobody reads the views before the last, the
	// one published when the messages end (a report, replay --snapshot):
	// where the hub would take one of them, it only lets time pass on the
	// board (state.Board.Tick, all a view changes of it), so that the
	// last view is the same, and makes none.
	LastViewOnly bool
}

// Journal keeps the messages a hub applies (package journal writes them to
// disk). Record may wait while the disk is slower than the messages come:
// the hub, and the feed behind it, then slow down to the disk's pace (the
// feed's channel fills, the socket and the server's buffer hold the rest),
// so that no message is lost; it must not wait on a disk that refuses
// writes, nor for long on one that hangs.
type Journal interface {
	Record(feed.Message)
	Health() state.JournalHealth
}

// Hub owns a board and publishes its views. Create it with New, run it with
// Run; Subscribe and Latest may be called from any goroutine, before or
// while it runs.
type Hub struct {
	cfg   Config
	board *state.Board

	ticked time.Time      // the last time the board's time was let pass by handle
	newest time.Time      // the time of the newest message handled
	joined bool           // the board joined the day of a live writer (Beside) and this process's feed was not live yet
	caught map[int64]bool // the cpts of the updates CatchUp applied, until this process's own go past them
	// checkpointed is the newest message's time at the last Checkpoint.
	checkpointed time.Time

	mu     sync.Mutex
	subs   map[*Subscription]struct{}
	latest *state.View
	// cuts are latest as each audience key sees it, each made once per
	// view (by publish for the subscribers, by the first Latest or
	// Subscribe for the others) and shared by all who see the same.
	cuts  map[string]*state.View
	views int // views made (the first included), for the tests and the benchmarks
	made  int // cuts made, for the tests

	// beforeApply, set by tests, runs before each message is applied: a
	// way to make the reducer crash on a message of theirs.
	beforeApply func(feed.Message)

	acks chan *feed.AckMsg // asked of Acknowledge, for Run's loop (acks.go)
}

// New returns a hub whose board's counters start at cfg.Start, with a
// first view published at once (before any message).
func New(cfg Config) *Hub {
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return time.Now().Round(0) }
	}
	if cfg.Start.IsZero() {
		cfg.Start = cfg.Now()
	}
	if cfg.MinInterval <= 0 {
		cfg.MinInterval = 100 * time.Millisecond
	}
	if cfg.TickInterval <= 0 {
		cfg.TickInterval = time.Second
	}
	h := &Hub{cfg: cfg, board: state.New(cfg.Options, cfg.Start), subs: map[*Subscription]struct{}{}, acks: make(chan *feed.AckMsg, maxAcksWaiting)}
	h.latest, h.views = h.board.View(cfg.Start), 1
	return h
}

// Subscription receives the hub's views, latest wins: C holds at most one,
// the newest not yet taken. Close it when done.
type Subscription struct {
	C   <-chan *state.View
	ch  chan *state.View
	hub *Hub
	// audiences cut each view, in order (state.View.For), before it is
	// sent: a scoped subscriber never receives the whole view.
	audiences []state.Audience
	key       string
}

// Subscribe returns a subscription whose channel already holds the latest
// view, as the audiences see it: each cuts the view the one before made
// (a viewer's scope, then a wall page's within it). None: the whole board.
func (h *Hub) Subscribe(audiences ...state.Audience) *Subscription {
	ch := make(chan *state.View, 1)
	s := &Subscription{C: ch, ch: ch, hub: h, audiences: audiences, key: audienceKey(audiences)}
	h.mu.Lock()
	h.subs[s] = struct{}{}
	ch <- h.cutLatest(s.key, audiences)
	h.mu.Unlock()
	return s
}

// Close ends the subscription: no view is sent to it any more.
func (s *Subscription) Close() {
	s.hub.mu.Lock()
	delete(s.hub.subs, s)
	s.hub.mu.Unlock()
}

// Latest is the newest view published, as the audiences see it
// (Subscribe): the very view their subscribers received, cut once.
func (h *Hub) Latest(audiences ...state.Audience) *state.View {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.cutLatest(audienceKey(audiences), audiences)
}

// cutView is v as the audiences see it, each cutting what the one before
// made.
func cutView(v *state.View, audiences []state.Audience) *state.View {
	for _, a := range audiences {
		v = v.For(a)
	}
	return v
}

// cutLatest is the latest view as the audiences, whose key is key, see
// it: the cut made of it already for key, or a new one, kept for the
// others of key. Called with mu held.
func (h *Hub) cutLatest(key string, audiences []state.Audience) *state.View {
	if key == "" {
		return h.latest
	}
	if w := h.cuts[key]; w != nil {
		return w
	}
	w := cutView(h.latest, audiences)
	if h.cuts == nil {
		h.cuts = map[string]*state.View{}
	}
	h.cuts[key] = w
	h.made++
	return w
}

// audienceKey is what subscriptions that see the same views share: the
// keys of the audiences that cut (each length-prefixed, so that no two
// lists of keys run together alike); "" when none does.
func audienceKey(audiences []state.Audience) string {
	var b strings.Builder
	for _, a := range audiences {
		if k := a.Key(); k != "" {
			b.WriteString(strconv.Itoa(len(k)))
			b.WriteByte(':')
			b.WriteString(k)
		}
	}
	return b.String()
}

// handle applies a message at its time, after letting time pass on the
// board as it passes live, at least every timeStep of the messages' own
// time: a day kept or a recording played faster than it was received (as
// fast as it reads) has its stale calls and its outages end where they ended
// live, not when the hub's ticker next fires.
func (h *Hub) handle(m feed.Message, at time.Time) {
	if !at.IsZero() && at.Sub(h.ticked) >= timeStep {
		h.board.Tick(at)
		h.ticked = at
	}
	if at.After(h.newest) {
		h.newest = at
	}
	mark := h.board.FeedMark()
	if crash := h.apply(m, at); crash != nil {
		h.board.Quarantine(m, at, mark, panicMessage(crash))
	}
}

// handleKept applies a message kept in the journal, each update at its
// own time.
func (h *Hub) handleKept(m feed.Message) {
	for m := range feed.Unbatched(m) {
		h.handle(m, feed.MessageTime(m))
	}
}

// maxCaught bounds the cpts remembered of a catch-up.
const maxCaught = 1 << 16

// join ends the board's joining of a live writer's day as this process's
// feed goes live at live: what the writer saw meanwhile is applied as the
// day's (CatchUp), and the board joins the day again where it stands, or,
// should the writer have stopped, the day was not seen from its last line
// (Beside).
func (h *Hub) join(live time.Time) {
	at, writing := h.cfg.Beside()
	if h.cfg.CatchUp != nil {
		h.board.Unjoin()
		h.caught = map[int64]bool{}
		h.cfg.CatchUp(live, func(m feed.Message) {
			if ev, ok := m.(*feed.Event); ok && ev.Update.HasSeq && len(h.caught) < maxCaught {
				h.caught[ev.Update.Seq] = true
			}
			h.handleKept(m)
		})
		if !h.board.Join(live) {
			return // the day was not live: this process's going live ends its outage
		}
	}
	if !writing {
		h.board.Leave(at)
	}
}

// caughtUp reports whether ev, an update this process received, was
// applied already by the catch-up (join): the same cpt. The first that
// was not ends the look-up.
func (h *Hub) caughtUp(ev *feed.Event) bool {
	if h.caught == nil {
		return false
	}
	if ev.Update.HasSeq && h.caught[ev.Update.Seq] {
		delete(h.caught, ev.Update.Seq)
		return true
	}
	h.caught = nil
	return false
}

// apply applies m at at, and returns what it panicked with, if it did.
// A message that crashes the reducer is quarantined by handle rather than
// taking the process down: live, it would crash it again at each restart
// that replays it.
func (h *Hub) apply(m feed.Message, at time.Time) (crash any) {
	defer func() { crash = recover() }()
	if h.beforeApply != nil {
		h.beforeApply(m)
	}
	h.board.Handle(m, at)
	return nil
}

// panicMessage is what a message's application panicked with, as the note
// of its rejection: at most maxPanicMessage bytes (cut at a rune).
func panicMessage(p any) string {
	s := fmt.Sprint(p)
	if len(s) > maxPanicMessage {
		s = strings.ToValidUTF8(s[:maxPanicMessage], "") + "…"
	}
	return s
}

const maxPanicMessage = 300

// publish makes v the latest view and hands it to every subscriber, as
// its audiences see it (one cut view per audience, shared by the
// subscribers who see the same), replacing the one it has not taken yet.
// The cuts are made before mu is taken to hand them out, so that the
// readers of Latest and Subscribe do not wait on them (a cut of a big
// center takes about a millisecond, and there are as many as audiences).
// Only Run's goroutine publishes.
func (h *Hub) publish(v *state.View) {
	h.mu.Lock()
	wanted := make(map[string][]state.Audience, len(h.cuts))
	for s := range h.subs {
		if s.key != "" {
			wanted[s.key] = s.audiences
		}
	}
	h.mu.Unlock()
	cuts := make(map[string]*state.View, len(wanted))
	for key, audiences := range wanted {
		cuts[key] = cutView(v, audiences)
	}

	h.mu.Lock()
	defer h.mu.Unlock()
	h.latest, h.cuts = v, cuts
	h.made += len(cuts)
	for s := range h.subs {
		w := h.cutLatest(s.key, s.audiences) // made above, unless s came since
		select {
		case <-s.ch: // the reader is behind: it skips that view
		default:
		}
		s.ch <- w // never blocks: the hub is the only sender, under mu
	}
}

// timeStep is the least time between two ticks of the board by the
// messages' own time (handle): as often as it ticks live.
const timeStep = time.Second

// maxBatch is how many pending messages are applied before the hub looks at
// its clock again.
const maxBatch = 5000

// DefaultCheckpointEvery is Config.CheckpointEvery when not set.
const DefaultCheckpointEvery = 5 * time.Minute

// checkpoint hands the board's checkpoint to Config.Checkpoint, when it is
// due (every CheckpointEvery of the messages' time) or at the end.
func (h *Hub) checkpoint(end bool) {
	if h.cfg.Checkpoint == nil || h.newest.IsZero() {
		return
	}
	every := h.cfg.CheckpointEvery
	if every <= 0 {
		every = DefaultCheckpointEvery
	}
	if h.checkpointed.IsZero() && !end {
		h.checkpointed = h.newest // the first message: a checkpoint is due a period later
	}
	if !end && h.newest.Sub(h.checkpointed) < every {
		return
	}
	h.checkpointed = h.newest
	h.cfg.Checkpoint(func() io.WriterTo { return h.board.CopyForCheckpoint() }, h.ticked)
}

// PanicError is what Run returns when the board panicked outside a
// message's application (building a view, letting time pass): the board
// cannot be trusted any more. A message whose application panics is
// quarantined instead (state.Board.Quarantine): counted rejected, kept
// rejected in the journal, and the board goes on.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("the board crashed: %v", e.Value) }

// Run applies messages until ctx ends, messages is closed, or MaxEvents
// events were applied; it publishes a last view (FeedEnded when messages
// closed or MaxEvents was reached) and returns nil, ctx's error, or a
// *PanicError.
func (h *Hub) Run(ctx context.Context, messages <-chan feed.Message) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &PanicError{Value: p, Stack: debug.Stack()}
		}
	}()
	tick := time.NewTicker(h.cfg.TickInterval)
	defer tick.Stop()
	var pending <-chan time.Time // a view put off by MinInterval
	var lastPublish time.Time
	var pendingTimer *time.Timer
	defer func() {
		if pendingTimer != nil {
			pendingTimer.Stop()
		}
	}()
	events := 0
	// publishNow takes a view and publishes it; last says it is the last
	// (ended: the messages ended).
	publishNow := func(ended, last bool) {
		now := h.cfg.Now()
		if h.cfg.FollowMessages && !ended && !h.newest.IsZero() && h.newest.Before(now) {
			now = h.newest
		}
		if h.cfg.LastViewOnly && !last {
			h.board.Tick(now)
			lastPublish, pending = now, nil
			return
		}
		v := h.board.View(now)
		h.views++
		v.FeedEnded = ended
		if h.cfg.Journal != nil {
			v.Journal = h.cfg.Journal.Health()
		}
		if h.cfg.Notify != nil {
			v.Notify = h.cfg.Notify()
		}
		if h.cfg.Report && ended {
			r := h.board.Report
			if h.cfg.ReportOnRead {
				r = h.board.ReportOnRead
			}
			report := r(v.AsOf)
			v.Report = &report
		}
		h.publish(v)
		lastPublish, pending = now, nil
	}
	resumed := false
	if h.cfg.Resume != nil {
		if b, ticked, ok := h.cfg.Resume(h.cfg.Options); ok {
			h.board, h.ticked, h.newest, resumed = b, ticked, ticked, true
		}
	}
	if h.cfg.History != nil {
		first := !resumed
		err := h.cfg.History(func(m feed.Message) {
			if first {
				// the counters start where the day kept starts
				first = false
				if at := feed.MessageTime(m); !at.IsZero() && at.Before(h.cfg.Start) {
					h.board = state.New(h.cfg.Options, at)
				}
			}
			h.handleKept(m)
		})
		if err != nil {
			return fmt.Errorf("the journal: %w", err)
		}
		if h.cfg.Beside != nil {
			if at, ok := h.cfg.Beside(); ok {
				h.joined = h.board.Join(at)
			}
		}
		publishNow(false, false)
		h.checkpointed = h.newest
	}
	lastPublish = h.cfg.Now()
	// apply applies an update and reports whether it was the last one
	// asked for (MaxEvents).
	apply := func(ev *feed.Event) (done bool) {
		if !h.caughtUp(ev) {
			h.handle(ev, ev.Received)
		}
		events++
		if h.cfg.MaxEvents > 0 && events >= h.cfg.MaxEvents {
			publishNow(true, true)
			return true
		}
		return false
	}
	// applyMessage applies a message received and reports whether it
	// held the last event asked for (MaxEvents).
	applyMessage := func(m feed.Message) (done bool) {
		for m := range feed.Unbatched(m) {
			if ev, ok := m.(*feed.Event); ok {
				if apply(ev) {
					return true
				}
				continue
			}
			if st, ok := m.(*feed.StatusMsg); ok && st.State == feed.Live && h.joined {
				h.joined = false
				h.join(st.At)
			}
			h.handle(m, feed.MessageTime(m))
		}
		return false
	}
	// take applies a message received (ok false: the channel closed),
	// then journals it, and reports whether the hub is done: no more
	// messages, or MaxEvents. Journaled once applied, an update that
	// crashed the board goes in rejected, and is not applied again at the
	// next start.
	take := func(m feed.Message, ok bool) (done bool) {
		if !ok {
			publishNow(true, true)
			h.checkpoint(true)
			return true
		}
		done = applyMessage(m)
		if h.cfg.Journal != nil {
			h.cfg.Journal.Record(m)
		}
		h.checkpoint(false)
		return done
	}
	for {
		select {
		case <-ctx.Done():
			publishNow(false, true)
			h.checkpoint(true)
			return ctx.Err()
		case <-tick.C:
			publishNow(false, false)
		case <-pending:
			publishNow(false, false)
		case a := <-h.acks:
			if h.acknowledge(a) {
				publishNow(false, false)
			}
		case m, ok := <-messages:
			if take(m, ok) {
				return nil
			}
			// Take what else is pending at once, a bounded batch: one view
			// for a burst, and a flood still gets its views.
			for n, drained := 0, false; !drained && n < maxBatch; n++ {
				select {
				case m, ok := <-messages:
					if take(m, ok) {
						return nil
					}
				default:
					drained = true
				}
			}
			if pending != nil {
				continue
			}
			if wait := h.cfg.MinInterval - h.cfg.Now().Sub(lastPublish); wait > 0 {
				pendingTimer = time.NewTimer(wait)
				pending = pendingTimer.C
				continue
			}
			publishNow(false, false)
		}
	}
}
