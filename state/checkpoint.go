package state

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"callboard/feed"
)

// A checkpoint is the board's whole state written out, so that a board can
// be made again as it was without replaying the events that made it: its
// agents, queues, trunks, live calls, the day's records and counters,
// intervals, outages, feed health and event log. What the board derives
// from that state (sort keys and orders, the views' caches, the cache of
// caller keys) is not written: afterLoad makes it again.
//
// Its format: checkpointMagic, the version (uint32, big-endian), the
// length of the payload (uint64), the SHA-256 of the payload, then the
// payload, the gob of a ckBoard. A checkpoint of another version, torn,
// corrupt, or taken under other rules (ckBoard.Rules) is refused with an
// error, and its reader replays from the start instead.

// CheckpointVersion is the version of the checkpoint format this build
// writes and reads; any other is refused.
const CheckpointVersion = 1

// MaxCheckpointSize bounds the payload of a checkpoint read, in bytes.
const MaxCheckpointSize = 1 << 30

const checkpointMagic = "callboard board checkpoint\n"

// ErrCheckpoint is what every refusal of LoadCheckpoint wraps.
var ErrCheckpoint = errors.New("checkpoint refused")

// Checkpoint writes the board's whole state to w (see LoadCheckpoint).
func (b *Board) Checkpoint(w io.Writer) error {
	var payload bytes.Buffer
	if err := gob.NewEncoder(&payload).Encode(b.checkpoint()); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	sum := sha256.Sum256(payload.Bytes())
	head := make([]byte, 0, len(checkpointMagic)+4+8+len(sum))
	head = append(head, checkpointMagic...)
	head = binary.BigEndian.AppendUint32(head, CheckpointVersion)
	head = binary.BigEndian.AppendUint64(head, uint64(payload.Len()))
	head = append(head, sum[:]...)
	if _, err := w.Write(head); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if _, err := w.Write(payload.Bytes()); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}

// LoadCheckpoint reads a board written by Checkpoint under the same opts
// (those that the reducer follows: Options.Thresholds and Limits may
// differ). It refuses, with an error wrapping ErrCheckpoint, a checkpoint of
// another version or other rules, torn, corrupt, or larger than
// MaxCheckpointSize.
func LoadCheckpoint(r io.Reader, opts Options) (*Board, error) {
	opts = opts.withDefaults()
	head := make([]byte, len(checkpointMagic)+4+8+sha256.Size)
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, refused("torn header: %v", err)
	}
	if string(head[:len(checkpointMagic)]) != checkpointMagic {
		return nil, refused("not a checkpoint")
	}
	head = head[len(checkpointMagic):]
	if v := binary.BigEndian.Uint32(head); v != CheckpointVersion {
		return nil, refused("version %d, this build reads %d", v, CheckpointVersion)
	}
	size := binary.BigEndian.Uint64(head[4:])
	if size > MaxCheckpointSize {
		return nil, refused("%d bytes, beyond %d", size, MaxCheckpointSize)
	}
	// The payload is decoded as it is read, its checksum taken meanwhile,
	// and a board made of it only once the checksum holds: the decoder's
	// copy of it is the only one (a busy day's is tens of megabytes).
	body := &io.LimitedReader{R: r, N: int64(size)}
	sum := sha256.New()
	payload := io.TeeReader(body, sum)
	ck, derr := decodeCkBoard(payload)
	if _, err := io.Copy(io.Discard, payload); err != nil {
		return nil, refused("%v", err)
	}
	if body.N != 0 {
		return nil, refused("torn: %d bytes of %d", int64(size)-body.N, size)
	}
	if !bytes.Equal(sum.Sum(nil), head[12:]) {
		return nil, refused("corrupt: checksum mismatch")
	}
	if derr != nil {
		return nil, derr
	}
	return restoreChecked(ck, opts)
}

func refused(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCheckpoint, fmt.Sprintf(format, args...))
}

// decodeCheckpoint makes the board of a checkpoint's payload under opts
// (defaults taken), checking every index it holds.
func decodeCheckpoint(payload []byte, opts Options) (*Board, error) {
	ck, err := decodeCkBoard(bytes.NewReader(payload))
	if err != nil {
		return nil, err
	}
	return restoreChecked(ck, opts)
}

// decodeCkBoard decodes a checkpoint's payload from r.
func decodeCkBoard(r io.Reader) (ck *ckBoard, err error) {
	defer func() {
		if p := recover(); p != nil { // the decoder's own guard
			ck, err = nil, refused("undecodable: %v", p)
		}
	}()
	ck = new(ckBoard)
	if err := gob.NewDecoder(r).Decode(ck); err != nil {
		return nil, refused("undecodable: %v", err)
	}
	return ck, nil
}

// restoreChecked makes the board of ck, taken under opts' rules (defaults
// taken), checking every index it holds.
func restoreChecked(ck *ckBoard, opts Options) (b *Board, err error) {
	defer func() {
		if p := recover(); p != nil { // the checks of restore are meant to leave it nothing
			b, err = nil, refused("undecodable: %v", p)
		}
	}()
	if rules := checkpointRules(opts); ck.Rules != rules {
		return nil, refused("taken under other rules")
	}
	return restore(ck, opts)
}

// checkpointRules is a digest of the options the reducer follows: a
// checkpoint taken under others is not this board's.
func checkpointRules(o Options) string {
	o.Thresholds, o.QueueThresholds, o.Limits = Thresholds{}, nil, Limits{}
	loc := o.Location.String()
	o.Location = nil
	raw, err := json.Marshal(struct {
		Options
		Location string
	}{o, loc})
	if err != nil {
		panic(err) // options are plain values
	}
	sum := sha256.Sum256(raw)
	return fmt.Sprintf("%x", sum)
}

// ckTime is a time.Time in a checkpoint: its instant and its location;
// the zero time is the zero ckTime.
type ckTime struct {
	Sec  int64 // Unix seconds, minus zeroUnix so that the zero time is 0
	Nsec int32
	Zone ckZone
	// Name and Offset are the zone of a time in ckZoneOther.
	Name   string
	Offset int
}

// ckZone is the location a time of a checkpoint is in.
type ckZone uint8

// Locations of checkpoint times.
const (
	ckZoneUTC   ckZone = iota
	ckZoneBoard        // Options.Location
	ckZoneLocal        // time.Local
	ckZoneOther        // a fixed zone of its own (ckTime.Name and Offset)
)

const zeroUnix = -62135596800 // time.Time{}.Unix()

// checkpointTime is t in a checkpoint of a board in loc.
func checkpointTime(t time.Time, loc *time.Location) ckTime {
	if t.IsZero() {
		return ckTime{}
	}
	ct := ckTime{Sec: t.Unix() - zeroUnix, Nsec: int32(t.Nanosecond())}
	switch t.Location() {
	case time.UTC:
	case loc:
		ct.Zone = ckZoneBoard
	case time.Local:
		ct.Zone = ckZoneLocal
	default:
		ct.Zone = ckZoneOther
		ct.Name, ct.Offset = t.Zone()
	}
	return ct
}

// in is the time t of a checkpoint of a board in loc.
func (t ckTime) in(loc *time.Location) time.Time {
	if t == (ckTime{}) {
		return time.Time{}
	}
	at := time.Unix(t.Sec+zeroUnix, int64(t.Nsec))
	switch t.Zone {
	case ckZoneUTC:
		return at.UTC()
	case ckZoneBoard:
		return at.In(loc)
	case ckZoneLocal:
		return at.In(time.Local)
	default:
		return at.In(time.FixedZone(t.Name, t.Offset))
	}
}

// The checkpoint's mirror of the board: exported fields for gob, maps as
// slices sorted by key (a checkpoint of a board is the same bytes every
// time), pointers shared between lists as indexes in a table.
type (
	ckBoard struct {
		Rules   string
		Pauses  []ckPair
		Agents  []ckAgent
		Queues  []ckQueue
		Trunks  []ckTrunk
		Minutes []int
		LastMin ckTime
		Ticked  ckTime // the last hour's (minuteHistory.ticked)
		Swept   ckTime

		Since, LookedFrom, LiveAt, Received, DayStart ckTime
		Feed, DayFeed                                 ckFeed
		WasLive, AgentsBefore, Joining                bool

		Records          []ckRecord    // every call record anything points to
		CallLog, Carried []int         // indexes in Records
		Intervals        []ckInterval  // Blank where the board has none
		Lost             []ckAbandoned // every abandoned call anything points to
		Abandoned        []int         // indexes in Lost
		ToCallBack       []ckCallBack
		Gone             []ckCall
		GoneTrunk        []ckTrunkCall
		Outages          []ckSpan
		LogEntries       []ckLogEntry
		LogPrivate       []bool
		LogNext          int
		LogFull          bool
	}
	ckPair  struct{ K, V string }
	ckSpan  struct{ From, To ckTime }
	ckAgent struct {
		ID, Name                 string
		Groups                   []string
		GroupsNil, Placeholder   bool
		Presence                 int
		PauseID, Status          string
		Call                     *ckAgentCall
		State                    AgentState
		ShownPause               string
		Since, ShownSince        ckTime
		Seen, Heard              ckTime
		Stale                    bool
		Before                   *ckAgentBefore
		Answered, Outbound       int
		LastOutbound             string
		PausedBy                 []ckDuration
		LoggedIn, OnCall, Paused time.Duration
	}
	ckDuration struct {
		K string
		D time.Duration
	}
	ckAgentCall struct {
		ID, Caller, Queue, ShownCaller string
		Recorded, Placed               bool
	}
	ckAgentBefore struct {
		State      AgentState
		Pause      string
		Call       string
		ShownSince ckTime
	}
	ckCall struct {
		Key                 string // its id in its queue; in Gone, queue id NUL call id
		ID, Caller          string
		Priority, VIPRate   string
		Record              int // index in Records, -1 when none
		Entered, AnsweredAt ckTime
		Agent               string
		Seen, Heard, Day    ckTime
		Stale, BeforeStart  bool
		Credited, LostSight bool
	}
	ckQueue struct {
		ID, Name               string
		Placeholder            bool
		Heard                  ckTime
		Calls                  []ckCall
		Answered, AnsweredInSL int
		Abandoned, ShortAband  int
		TotalWait              time.Duration
		BeforeStart            int
	}
	ckTrunkCall struct {
		Key                    string // as ckCall.Key
		Connected, BeforeStart bool
		Day, Seen, Heard       ckTime
		LostSight, Stale       bool
	}
	ckTrunk struct {
		ID, Name                        string
		Placeholder                     bool
		Heard                           ckTime
		Calls                           []ckTrunkCall
		Total, Answered, Missed, Before int
	}
	ckRecord struct {
		ID, Queue, Caller, Agent       string
		Entered, Answered, Ended, Lost ckTime
		BeforeStart, Unsure            bool
	}
	ckAbandoned struct {
		ID, Queue, Caller string
		Entered, Ended    ckTime
		Short             bool
		Reached           Reached
		Record            int // index in Records, -1 when none
	}
	ckCallBack struct {
		Key   string
		Calls []int // indexes in Lost
	}
	ckCounts struct {
		Queue                           string
		Offered, Answered, AnsweredInSL int
		Abandoned, ShortAband           int
		TotalWait, LongestWait          time.Duration
	}
	ckInterval struct {
		Blank                       bool
		Queues                      []ckCounts
		LoggedIn, Reachable, Paused time.Duration
	}
	ckFeed struct {
		State                            feed.ConnState
		Protocol, Reason                 string
		Refused                          bool
		LastError                        string
		Lasting                          bool
		StateSince, DownSince, NextRetry ckTime
		Events, Rejected                 int
		RejectedBy, UnknownBy            []ckCount
		Unknown, Gaps, Reconnects        int
		LastEventAt                      ckTime
		LastSeq                          int64
		HasSeq                           bool
		Directory, TokenExpiry           ckTime
	}
	ckCount struct {
		K string
		N int
	}
	ckLogEntry struct {
		At         ckTime
		Raw        []byte
		Kind, Name string
		Unknown    bool
		Rejected   string
	}
)

// sortedKeys is m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// checkpoint is the board's state as its checkpoint holds it.
func (b *Board) checkpoint() *ckBoard {
	ck := &ckBoard{
		Rules: checkpointRules(b.opts), Minutes: b.waited.minutes, LastMin: b.ckT(b.waited.last), Ticked: b.ckT(b.waited.ticked), Swept: b.ckT(b.swept),
		Since: b.ckT(b.since), LookedFrom: b.ckT(b.lookedFrom), LiveAt: b.ckT(b.liveAt), Received: b.ckT(b.received), DayStart: b.ckT(b.dayStart),
		Feed: b.ckFeedOf(&b.feed), DayFeed: b.ckFeedOf(&b.dayFeed),
		WasLive: b.wasLive, AgentsBefore: b.agentsBefore, Joining: b.joining,
		LogPrivate: b.log.private, LogNext: b.log.next, LogFull: b.log.full,
	}
	records := map[*callRecord]int{}
	record := func(r *callRecord) int {
		if r == nil {
			return -1
		}
		i, ok := records[r]
		if !ok {
			i = len(ck.Records)
			records[r] = i
			ck.Records = append(ck.Records, ckRecord{ID: r.id, Queue: r.queue, Caller: r.caller, Agent: r.agent,
				Entered: b.ckT(b.recordTime(r, timeEntered)), Answered: b.ckT(b.recordTime(r, timeAnswered)),
				Ended: b.ckT(b.recordTime(r, timeEnded)), Lost: b.ckT(b.recordTime(r, timeLost)),
				BeforeStart: r.beforeStart, Unsure: r.unsure})
		}
		return i
	}
	for _, r := range b.callLog {
		ck.CallLog = append(ck.CallLog, record(r))
	}
	for _, r := range b.carried {
		ck.Carried = append(ck.Carried, record(r))
	}
	lost := map[*abandonedCall]int{}
	abandoned := func(a *abandonedCall) int {
		i, ok := lost[a]
		if !ok {
			i = len(ck.Lost)
			lost[a] = i
			ck.Lost = append(ck.Lost, ckAbandoned{ID: a.id, Queue: a.queue, Caller: a.caller, Entered: b.ckT(a.entered), Ended: b.ckT(a.ended),
				Short: a.short, Reached: a.reached, Record: record(a.record)})
		}
		return i
	}
	for _, a := range b.abandoned {
		ck.Abandoned = append(ck.Abandoned, abandoned(a))
	}
	for _, key := range sortedKeys(b.toCallBack) {
		cb := ckCallBack{Key: key}
		for _, a := range b.toCallBack[key] {
			cb.Calls = append(cb.Calls, abandoned(a))
		}
		ck.ToCallBack = append(ck.ToCallBack, cb)
	}
	callOf := func(key string, c *call) ckCall {
		return ckCall{Key: key, ID: c.id, Caller: c.caller, Priority: c.priority, VIPRate: c.vipRate, Record: record(c.record),
			Entered: b.ckT(c.entered), AnsweredAt: b.ckT(c.answeredAt), Agent: c.agent, Seen: b.ckT(c.seen), Heard: b.ckT(c.heard), Day: b.ckT(c.day),
			Stale: c.stale, BeforeStart: c.beforeStart, Credited: c.credited, LostSight: c.lostSight}
	}
	trunkCallOf := func(key string, c *trunkCall) ckTrunkCall {
		return ckTrunkCall{Key: key, Connected: c.connected, BeforeStart: c.beforeStart, Day: b.ckT(c.day), Seen: b.ckT(c.seen), Heard: b.ckT(c.heard),
			LostSight: c.lostSight, Stale: c.stale}
	}
	for _, id := range sortedKeys(b.pauses) {
		ck.Pauses = append(ck.Pauses, ckPair{id, b.pauses[id]})
	}
	for _, id := range sortedKeys(b.agents) {
		ck.Agents = append(ck.Agents, b.ckAgentOf(b.agents[id]))
	}
	for _, id := range sortedKeys(b.queues) {
		q := b.queues[id]
		cq := ckQueue{ID: q.id, Name: q.name, Placeholder: q.placeholder, Heard: b.ckT(q.heard),
			Answered: q.answered, AnsweredInSL: q.answeredInSL, Abandoned: q.abandoned, ShortAband: q.shortAband,
			TotalWait: q.totalWait, BeforeStart: q.beforeStart}
		for _, cid := range sortedKeys(q.calls) {
			cq.Calls = append(cq.Calls, callOf(cid, q.calls[cid]))
		}
		ck.Queues = append(ck.Queues, cq)
	}
	for _, id := range sortedKeys(b.trunks) {
		t := b.trunks[id]
		ct := ckTrunk{ID: t.id, Name: t.name, Placeholder: t.placeholder, Heard: b.ckT(t.heard),
			Total: t.total, Answered: t.answered, Missed: t.missed, Before: t.beforeStart}
		for _, cid := range sortedKeys(t.calls) {
			ct.Calls = append(ct.Calls, trunkCallOf(cid, t.calls[cid]))
		}
		ck.Trunks = append(ck.Trunks, ct)
	}
	for _, key := range sortedKeys(b.gone) {
		ck.Gone = append(ck.Gone, callOf(key, b.gone[key]))
	}
	for _, key := range sortedKeys(b.goneTrunk) {
		ck.GoneTrunk = append(ck.GoneTrunk, trunkCallOf(key, b.goneTrunk[key]))
	}
	for _, in := range b.intervals {
		if in == nil {
			ck.Intervals = append(ck.Intervals, ckInterval{Blank: true})
			continue
		}
		ci := ckInterval{LoggedIn: in.loggedIn, Reachable: in.reachable, Paused: in.paused}
		for _, q := range sortedKeys(in.queues) {
			n := in.queues[q]
			ci.Queues = append(ci.Queues, ckCounts{Queue: q, Offered: n.offered, Answered: n.answered, AnsweredInSL: n.answeredInSL,
				Abandoned: n.abandoned, ShortAband: n.shortAband, TotalWait: n.totalWait, LongestWait: n.longestWait})
		}
		ck.Intervals = append(ck.Intervals, ci)
	}
	for _, o := range b.outages {
		ck.Outages = append(ck.Outages, ckSpan{b.ckT(o.From), b.ckT(o.To)})
	}
	for _, e := range b.log.entries {
		ck.LogEntries = append(ck.LogEntries, ckLogEntry{At: b.ckT(e.At), Raw: e.Raw, Kind: e.Kind, Name: e.Name, Unknown: e.Unknown, Rejected: e.Rejected})
	}
	return ck
}

func (b *Board) ckAgentOf(a *agent) ckAgent {
	ca := ckAgent{ID: a.id, Name: a.name, Groups: a.groups, GroupsNil: a.groups == nil, Placeholder: a.placeholder,
		Presence: int(a.presence), PauseID: a.pauseID, Status: a.status, State: a.state, ShownPause: a.shownPause,
		Since: b.ckT(a.since), ShownSince: b.ckT(a.shownSince), Seen: b.ckT(a.seen), Heard: b.ckT(a.heard), Stale: a.stale,
		Answered: a.answered, Outbound: a.outbound, LastOutbound: a.lastOutbound,
		LoggedIn: a.loggedIn, OnCall: a.onCall, Paused: a.paused}
	if c := a.call; c != nil {
		ca.Call = &ckAgentCall{ID: c.id, Caller: c.caller, Queue: c.queue, ShownCaller: c.shownCaller, Recorded: c.recorded, Placed: c.placed}
	}
	if bf := a.before; bf != nil {
		ca.Before = &ckAgentBefore{State: bf.state, Pause: bf.pause, Call: bf.call, ShownSince: b.ckT(bf.shownSince)}
	}
	for _, reason := range sortedKeys(a.pausedBy) {
		ca.PausedBy = append(ca.PausedBy, ckDuration{reason, a.pausedBy[reason]})
	}
	return ca
}

func (b *Board) ckFeedOf(f *FeedHealth) ckFeed {
	counts := func(m map[string]int) []ckCount {
		var out []ckCount
		for _, k := range sortedKeys(m) {
			out = append(out, ckCount{k, m[k]})
		}
		return out
	}
	return ckFeed{State: f.State, Protocol: f.Protocol, Reason: f.Reason, Refused: f.Refused, LastError: f.LastError, Lasting: f.Lasting,
		StateSince: b.ckT(f.StateSince), DownSince: b.ckT(f.DownSince), NextRetry: b.ckT(f.NextRetry),
		Events: f.Events, Rejected: f.Rejected, RejectedBy: counts(f.RejectedBy), Unknown: f.Unknown, UnknownBy: counts(f.UnknownBy),
		Gaps: f.Gaps, Reconnects: f.Reconnects, LastEventAt: b.ckT(f.LastEventAt), LastSeq: f.LastSeq, HasSeq: f.hasSeq,
		Directory: b.ckT(f.Directory), TokenExpiry: b.ckT(f.TokenExpiry)}
}

// restore makes the board of checkpoint ck under opts (defaults taken),
// refusing one whose indexes or sizes do not hold together.
func restore(ck *ckBoard, opts Options) (*Board, error) {
	loc := opts.Location
	b := New(opts, ck.Since.in(loc))
	b.waited = minuteHistory{minutes: ck.Minutes, last: ck.LastMin.in(loc), ticked: ck.Ticked.in(loc)}
	if len(b.waited.minutes) > HistoryMinutes {
		return nil, refused("%d minutes of history", len(ck.Minutes))
	}
	b.swept, b.lookedFrom, b.liveAt, b.received = ck.Swept.in(loc), ck.LookedFrom.in(loc), ck.LiveAt.in(loc), ck.Received.in(loc)
	if b.dayStart = ck.DayStart.in(loc); !b.dayStart.Equal(startOfDay(b.since, loc)) {
		return nil, refused("its day does not start at %s in %s", b.dayStart, loc)
	}
	b.feed, b.dayFeed = ck.Feed.health(loc), ck.DayFeed.health(loc)
	b.wasLive, b.agentsBefore, b.joining = ck.WasLive, ck.AgentsBefore, ck.Joining
	for _, p := range ck.Pauses {
		b.pauses[p.K] = p.V
	}
	if len(ck.Agents) > opts.MaxAgents || len(ck.Queues) > opts.MaxQueues || len(ck.Trunks) > opts.MaxTrunks {
		return nil, refused("more agents, queues or trunks than the caps")
	}

	records := make([]*callRecord, len(ck.Records))
	for i, r := range ck.Records {
		rec := &callRecord{id: r.ID, queue: r.Queue, caller: r.Caller, agent: r.Agent, beforeStart: r.BeforeStart, unsure: r.Unsure}
		for which, t := range [recordTimeCount]ckTime{timeEntered: r.Entered, timeAnswered: r.Answered, timeEnded: r.Ended, timeLost: r.Lost} {
			b.setTime(rec, recordTime(which), t.in(loc))
		}
		records[i] = rec
	}
	var bad error
	recordAt := func(i int) *callRecord {
		if i == -1 {
			return nil
		}
		return entry(records, i, "call record", &bad)
	}
	for _, i := range ck.CallLog {
		b.callLog = append(b.callLog, recordAt(i))
	}
	for _, i := range ck.Carried {
		b.carried = append(b.carried, recordAt(i))
	}
	lost := make([]*abandonedCall, len(ck.Lost))
	for i, a := range ck.Lost {
		lost[i] = &abandonedCall{id: a.ID, queue: a.Queue, caller: a.Caller, entered: a.Entered.in(loc), ended: a.Ended.in(loc),
			short: a.Short, reached: a.Reached, record: recordAt(a.Record)}
	}
	for _, i := range ck.Abandoned {
		b.abandoned = append(b.abandoned, entry(lost, i, "abandoned call", &bad))
	}
	for _, cb := range ck.ToCallBack {
		for _, i := range cb.Calls {
			b.toCallBack[cb.Key] = append(b.toCallBack[cb.Key], entry(lost, i, "abandoned call", &bad))
		}
	}
	callOf := func(c *ckCall) *call {
		return &call{id: c.ID, caller: c.Caller, priority: c.Priority, vipRate: c.VIPRate, record: recordAt(c.Record),
			entered: c.Entered.in(loc), answeredAt: c.AnsweredAt.in(loc), agent: c.Agent,
			seen: c.Seen.in(loc), heard: c.Heard.in(loc), day: c.Day.in(loc),
			stale: c.Stale, beforeStart: c.BeforeStart, credited: c.Credited, lostSight: c.LostSight}
	}
	trunkCallOf := func(c *ckTrunkCall) *trunkCall {
		return &trunkCall{connected: c.Connected, beforeStart: c.BeforeStart, day: c.Day.in(loc), seen: c.Seen.in(loc), heard: c.Heard.in(loc),
			lostSight: c.LostSight, stale: c.Stale}
	}
	for i := range ck.Agents {
		a, err := agentOf(&ck.Agents[i], loc)
		if err != nil {
			return nil, err
		}
		b.agents[a.id] = a
	}
	for _, cq := range ck.Queues {
		q := &queue{id: cq.ID, name: cq.Name, placeholder: cq.Placeholder, heard: cq.Heard.in(loc), calls: make(map[string]*call, len(cq.Calls)),
			answered: cq.Answered, answeredInSL: cq.AnsweredInSL, abandoned: cq.Abandoned, shortAband: cq.ShortAband,
			totalWait: cq.TotalWait, beforeStart: cq.BeforeStart}
		for i := range cq.Calls {
			q.calls[cq.Calls[i].Key] = callOf(&cq.Calls[i])
		}
		b.queues[q.id] = q
	}
	for _, ct := range ck.Trunks {
		t := &trunk{id: ct.ID, name: ct.Name, placeholder: ct.Placeholder, heard: ct.Heard.in(loc), calls: make(map[string]*trunkCall, len(ct.Calls)),
			total: ct.Total, answered: ct.Answered, missed: ct.Missed, beforeStart: ct.Before}
		for i := range ct.Calls {
			t.calls[ct.Calls[i].Key] = trunkCallOf(&ct.Calls[i])
		}
		b.trunks[t.id] = t
	}
	for i := range ck.Gone {
		b.gone[ck.Gone[i].Key] = callOf(&ck.Gone[i])
	}
	for i := range ck.GoneTrunk {
		b.goneTrunk[ck.GoneTrunk[i].Key] = trunkCallOf(&ck.GoneTrunk[i])
	}
	for _, ci := range ck.Intervals {
		if ci.Blank {
			b.intervals = append(b.intervals, nil)
			continue
		}
		in := &interval{queues: make(map[string]*intervalCounts, len(ci.Queues)), loggedIn: ci.LoggedIn, reachable: ci.Reachable, paused: ci.Paused}
		for _, n := range ci.Queues {
			in.queues[n.Queue] = &intervalCounts{offered: n.Offered, answered: n.Answered, answeredInSL: n.AnsweredInSL,
				abandoned: n.Abandoned, shortAband: n.ShortAband, totalWait: n.TotalWait, longestWait: n.LongestWait}
		}
		b.intervals = append(b.intervals, in)
	}
	for _, o := range ck.Outages {
		b.outages = append(b.outages, Interval{From: o.From.in(loc), To: o.To.in(loc)})
	}
	if len(ck.LogEntries) != len(b.log.entries) || len(ck.LogPrivate) != len(b.log.private) ||
		ck.LogNext < 0 || ck.LogNext >= max(len(b.log.entries), 1) {
		return nil, refused("an event log of %d entries, next %d, where the board keeps %d", len(ck.LogEntries), ck.LogNext, len(b.log.entries))
	}
	for i, e := range ck.LogEntries {
		b.log.entries[i] = LogEntry{At: e.At.in(loc), Raw: e.Raw, Kind: e.Kind, Name: e.Name, Unknown: e.Unknown, Rejected: e.Rejected}
	}
	copy(b.log.private, ck.LogPrivate)
	b.log.next, b.log.full = ck.LogNext, ck.LogFull
	if bad != nil {
		return nil, bad
	}
	b.afterLoad()
	return b, nil
}

// entry is table[i], the i-th of what the checkpoint lists; nil, and bad
// set, when there is none.
func entry[T any](table []*T, i int, what string, bad *error) *T {
	if i < 0 || i >= len(table) {
		*bad = refused("%s %d of %d", what, i, len(table))
		return nil
	}
	return table[i]
}

func agentOf(ca *ckAgent, loc *time.Location) (*agent, error) {
	if ca.Presence < int(presenceUnknown) || ca.Presence > int(presencePaused) {
		return nil, refused("agent %q: presence %d", ca.ID, ca.Presence)
	}
	a := &agent{id: ca.ID, name: ca.Name, groups: ca.Groups, placeholder: ca.Placeholder, namesVersion: -1,
		presence: presence(ca.Presence), pauseID: ca.PauseID, status: ca.Status, state: ca.State, shownPause: ca.ShownPause,
		since: ca.Since.in(loc), shownSince: ca.ShownSince.in(loc), seen: ca.Seen.in(loc), heard: ca.Heard.in(loc), stale: ca.Stale,
		answered: ca.Answered, outbound: ca.Outbound, lastOutbound: ca.LastOutbound,
		loggedIn: ca.LoggedIn, onCall: ca.OnCall, paused: ca.Paused}
	if a.groups == nil && !ca.GroupsNil {
		a.groups = []string{}
	}
	if c := ca.Call; c != nil {
		a.call = &agentCall{id: c.ID, caller: c.Caller, queue: c.Queue, shownCaller: c.ShownCaller, recorded: c.Recorded, placed: c.Placed}
	}
	if bf := ca.Before; bf != nil {
		a.before = &agentBefore{state: bf.State, pause: bf.Pause, call: bf.Call, shownSince: bf.ShownSince.in(loc)}
	}
	if len(ca.PausedBy) > 0 {
		a.pausedBy = make(map[string]time.Duration, len(ca.PausedBy))
		for _, p := range ca.PausedBy {
			a.pausedBy[p.K] = p.D
		}
	}
	return a, nil
}

func (f *ckFeed) health(loc *time.Location) FeedHealth {
	counts := func(cs []ckCount) map[string]int {
		m := make(map[string]int, len(cs))
		for _, c := range cs {
			m[c.K] = c.N
		}
		return m
	}
	return FeedHealth{State: f.State, Protocol: f.Protocol, Reason: f.Reason, Refused: f.Refused, LastError: f.LastError, Lasting: f.Lasting,
		StateSince: f.StateSince.in(loc), DownSince: f.DownSince.in(loc), NextRetry: f.NextRetry.in(loc),
		Events: f.Events, Rejected: f.Rejected, RejectedBy: counts(f.RejectedBy), Unknown: f.Unknown, UnknownBy: counts(f.UnknownBy),
		Gaps: f.Gaps, Reconnects: f.Reconnects, LastEventAt: f.LastEventAt.in(loc), LastSeq: f.LastSeq, hasSeq: f.HasSeq,
		Directory: f.Directory.in(loc), TokenExpiry: f.TokenExpiry.in(loc)}
}

// afterLoad makes again what the board derives from its state, once a
// checkpoint has restored that state: the collation keys of names (the
// orders of agents, queues and trunks, the agents' group names and the
// intervals' rows are made when a view first asks, as New leaves them).
// Whatever else a board keeps beside its state (an index of it, a cache of
// a view) is made again here, or left to be made when first asked for.
func (b *Board) afterLoad() {
	for _, a := range b.agents {
		a.sortKey = b.names.key(a.name)
	}
	for _, q := range b.queues {
		q.sortKey = b.names.key(q.name)
	}
	for _, t := range b.trunks {
		t.sortKey = b.names.key(t.name)
	}
	b.rebuildIndexes() // the waiting counts and the calls' deadlines
}

// ckT is t in the board's checkpoint.
func (b *Board) ckT(t time.Time) ckTime { return checkpointTime(t, b.opts.Location) }
