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
// payload: a gob stream whose first message is a ckBoard, its head, that
// says how many entries each of its tables holds (ckTables) and holds none
// of them; then the call records, in a format of their own between its
// messages (appendRecord); then the other tables in chunks (ckChunk) of at
// most ckChunkLen entries: the abandoned calls, then the indexes of the
// call log, of the calls carried over midnight and of the abandoned calls
// listed. A reader sizes each table from the head (a count bounded, and
// checked, before anything is sized from it) and makes each record and
// chunk into the board as it is read, so that loading takes little beyond
// the board it makes. A checkpoint of another version, torn, corrupt, or
// taken under other rules (ckBoard.Rules) is refused with an error, and its
// reader replays from the start instead.

// CheckpointVersion is the version of the checkpoint format this build
// writes and reads; any other is refused. Version 1 was the ckBoard whole,
// in one gob; version 2 had no alerts (a board loaded from it would number
// its alerts' changes from 1 again); version 3 had not the agents' time
// by their groups in each interval (a scoped view's means).
const CheckpointVersion = 4

// MaxCheckpointSize bounds the payload of a checkpoint read, in bytes.
const MaxCheckpointSize = 1 << 30

const checkpointMagic = "callboard board checkpoint\n"

// ckChunkLen bounds the entries of a checkpoint's chunk (a gob message of
// some 300 kB of abandoned calls at most).
const ckChunkLen = 4096

// maxCheckpointEntries bounds each count of a checkpoint's tables (some 14
// times a busy center's day of call records); the counts are bounded by
// the payload's size too, each entry taking a byte of it at least.
const maxCheckpointEntries = 1 << 22

// ErrCheckpoint is what every refusal of LoadCheckpoint wraps.
var ErrCheckpoint = errors.New("checkpoint refused")

// Checkpoint writes the board's whole state to w (see LoadCheckpoint): its
// CopyForCheckpoint, written.
func (b *Board) Checkpoint(w io.Writer) error {
	_, err := b.CopyForCheckpoint().WriteTo(w)
	return err
}

// CheckpointCopy is a board's state as its checkpoint holds it, copied out
// of the board (Board.CopyForCheckpoint): nothing of it changes with the
// board, so that it can be written (WriteTo) by any goroutine, while the
// board goes on. Its call records are copies of the board's (112 bytes
// each), turned into the checkpoint's as they are written.
type CheckpointCopy struct {
	head *ckBoard // the tables' counts, no table
	// records are the call records of the table, in order: the call log's
	// (head.Tables.CallLog of them), the calls carried over midnight's
	// (head.Tables.Carried), then those only the abandoned and live calls
	// point to.
	records []callRecord
	zones   []*time.Location // of records' times (Board.zones)
	loc     *time.Location
	// lost are the abandoned calls of the table; abandoned indexes the
	// board's list of them in lost.
	lost      []ckAbandoned
	abandoned []int
}

// CopyForCheckpoint copies the board's state for its checkpoint: cheap
// enough for the board's goroutine (the day's call records copied as they
// are), the encoding left to CheckpointCopy.WriteTo.
func (b *Board) CopyForCheckpoint() *CheckpointCopy {
	c := &CheckpointCopy{zones: slices.Clip(b.zones), loc: b.opts.Location}
	ck := b.checkpointHead(c)
	c.head = ck
	return c
}

// WriteTo writes the checkpoint of the board c was copied from.
func (c *CheckpointCopy) WriteTo(w io.Writer) (int64, error) {
	var payload bytes.Buffer
	if err := c.encode(&payload); err != nil {
		return 0, fmt.Errorf("checkpoint: %w", err)
	}
	sum := sha256.Sum256(payload.Bytes())
	head := make([]byte, 0, len(checkpointMagic)+4+8+len(sum))
	head = append(head, checkpointMagic...)
	head = binary.BigEndian.AppendUint32(head, CheckpointVersion)
	head = binary.BigEndian.AppendUint64(head, uint64(payload.Len()))
	head = append(head, sum[:]...)
	n, err := w.Write(head)
	if err != nil {
		return int64(n), fmt.Errorf("checkpoint: %w", err)
	}
	m, err := w.Write(payload.Bytes())
	if err != nil {
		return int64(n + m), fmt.Errorf("checkpoint: %w", err)
	}
	return int64(n + m), nil
}

// encode writes c's payload: its head, its call records (appendRecord),
// then its other tables in chunks.
func (c *CheckpointCopy) encode(payload *bytes.Buffer) error {
	enc := gob.NewEncoder(payload)
	if err := enc.Encode(c.head); err != nil {
		return err
	}
	var record []byte
	for i := range c.records {
		record = appendRecord(record[:0], &c.records[i], c.zones, c.loc)
		payload.Write(record)
	}
	for from := 0; from < len(c.lost); from += ckChunkLen {
		if err := enc.Encode(ckChunk{Lost: c.lost[from:min(from+ckChunkLen, len(c.lost))]}); err != nil {
			return err
		}
	}
	// the call log is the table's first records, the carried calls the next
	t := c.head.Tables
	for _, list := range []struct{ first, n int }{{0, t.CallLog}, {t.CallLog, t.Carried}} {
		for from := 0; from < list.n; from += ckChunkLen {
			indexes := make([]int, 0, min(ckChunkLen, list.n-from))
			for i := from; i < min(from+ckChunkLen, list.n); i++ {
				indexes = append(indexes, list.first+i)
			}
			if err := enc.Encode(ckChunk{Indexes: indexes}); err != nil {
				return err
			}
		}
	}
	for from := 0; from < len(c.abandoned); from += ckChunkLen {
		if err := enc.Encode(ckChunk{Indexes: c.abandoned[from:min(from+ckChunkLen, len(c.abandoned))]}); err != nil {
			return err
		}
	}
	return nil
}

// LoadCheckpoint reads a board written by Checkpoint under the same opts
// (those that the reducer follows, the alerts' limits among them:
// Options.Thresholds and QueueThresholds may differ). It refuses, with an error wrapping ErrCheckpoint, a checkpoint of
// another version or other rules, torn, corrupt, larger than
// MaxCheckpointSize, or whose counts do not hold together.
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
	// The payload is made into the board as it is read, its checksum taken
	// meanwhile; the board is returned only once the checksum holds.
	body := &io.LimitedReader{R: r, N: int64(size)}
	sum := sha256.New()
	payload := readerOf(io.TeeReader(body, sum))
	b, derr := decodeBoard(payload, int64(size), opts)
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
	return b, nil
}

func refused(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCheckpoint, fmt.Sprintf(format, args...))
}

// decodeCheckpoint makes the board of a checkpoint's payload under opts
// (defaults taken), checking every count and index it holds.
func decodeCheckpoint(payload []byte, opts Options) (*Board, error) {
	return decodeBoard(bytes.NewReader(payload), int64(len(payload)), opts)
}

// decodeBoard makes the board of the checkpoint's payload r, of size
// bytes, under opts (defaults taken), chunk by chunk, checking every count
// and index it holds.
func decodeBoard(r io.Reader, size int64, opts Options) (b *Board, err error) {
	defer func() {
		if p := recover(); p != nil { // the decoder's own guard; the checks are meant to leave it nothing
			b, err = nil, refused("undecodable: %v", p)
		}
	}()
	br := readerOf(r)
	dec := newShapedDecoder(br, 2) // which reads its messages alone from br: the records are read between
	head := new(ckBoard)
	if err := dec.decode(head, checkHeadShape(opts), new(ckBoardShape), new(ckBoardEntriesShape)); err != nil {
		if errors.Is(err, ErrCheckpoint) {
			return nil, err
		}
		return nil, refused("undecodable: %v", err)
	}
	if rules := checkpointRules(opts); head.Rules != rules {
		return nil, refused("taken under other rules")
	}
	if head.Lost != nil || head.CallLog != nil || head.Carried != nil || head.Abandoned != nil {
		return nil, refused("tables in its head")
	}
	t := head.Tables
	counts := []struct {
		what string
		n    int
	}{{"call records", t.Records}, {"abandoned calls", t.Lost}, {"calls in the log", t.CallLog}, {"calls carried", t.Carried}, {"abandoned calls listed", t.Abandoned}}
	total := int64(0)
	for _, c := range counts {
		if c.n < 0 || c.n > maxCheckpointEntries {
			return nil, refused("%d %s, beyond %d", c.n, c.what, maxCheckpointEntries)
		}
		total += int64(c.n)
	}
	if total > size {
		return nil, refused("%d entries in %d bytes", total, size)
	}
	l, err := newLoader(head, opts)
	if err != nil {
		return nil, err
	}
	l.records = make([]*callRecord, 0, presized(t.Records))
	for len(l.records) < t.Records {
		if err := l.readRecord(br); err != nil {
			if errors.Is(err, ErrCheckpoint) {
				return nil, err
			}
			return nil, refused("%s: undecodable: %v", counts[0].what, err)
		}
	}
	var chunk ckChunk
	next := func(what string, left int, has func(*ckChunk) int) error {
		clear(chunk.Lost[:cap(chunk.Lost)])
		chunk = ckChunk{Lost: chunk.Lost[:0], Indexes: chunk.Indexes[:0]}
		refuse := func(n int) error { return refused("%s: a chunk of %d entries where %d are left", what, n, left) }
		lostLeft := func(shape any) error {
			if n := len(shape.(*ckChunkShape).Lost); n > left {
				return refuse(n)
			}
			return nil
		}
		if err := dec.decode(&chunk, lostLeft, new(ckChunkShape), new(ckChunkShape)); err != nil {
			if errors.Is(err, ErrCheckpoint) {
				return err
			}
			return refused("%s: undecodable: %v", what, err)
		}
		if n := len(chunk.Lost) + len(chunk.Indexes); n == 0 || n != has(&chunk) || n > left {
			return refuse(n)
		}
		return nil
	}
	lost := func(c *ckChunk) int { return len(c.Lost) }
	indexes := func(c *ckChunk) int { return len(c.Indexes) }
	l.lost = make([]*abandonedCall, 0, presized(t.Lost))
	for len(l.lost) < t.Lost {
		if err := next(counts[1].what, t.Lost-len(l.lost), lost); err != nil {
			return nil, err
		}
		l.addLost(chunk.Lost)
	}
	lists := []*[]*callRecord{&l.b.callLog, &l.b.carried}
	for i, list := range lists {
		n := counts[2+i].n
		*list = make([]*callRecord, 0, presized(n))
		for len(*list) < n {
			if err := next(counts[2+i].what, n-len(*list), indexes); err != nil {
				return nil, err
			}
			for _, j := range chunk.Indexes {
				*list = append(*list, entry(l.records, j, "call record", &l.bad))
			}
		}
	}
	l.b.abandoned = make([]*abandonedCall, 0, presized(t.Abandoned))
	for len(l.b.abandoned) < t.Abandoned {
		if err := next(counts[4].what, t.Abandoned-len(l.b.abandoned), indexes); err != nil {
			return nil, err
		}
		for _, j := range chunk.Indexes {
			l.b.abandoned = append(l.b.abandoned, entry(l.lost, j, "abandoned call", &l.bad))
		}
	}
	return l.finish(head)
}

// presized is the capacity a table of n entries, a count of the head not
// yet borne out by the payload's bytes read, starts with: n up to a
// chunk's, and grown as its entries come (a header may say a gigabyte and
// a head 4 million entries of each table, in a file cut short).
func presized(n int) int { return min(n, ckChunkLen) }

// checkpointRules is a digest of the options the reducer follows: a
// checkpoint taken under others is not this board's.
func checkpointRules(o Options) string {
	// the alerts' limits are rules: the checkpoint carries the alerts
	// they raised
	o.Thresholds, o.QueueThresholds = Thresholds{}, nil
	if len(o.Limits.Pause) == 0 {
		o.Limits.Pause = nil // none, however written
	}
	if len(o.QueueLimitsOf) == 0 {
		o.QueueLimitsOf = nil
	}
	o.ServiceLevelTarget, o.ServiceLevelFormula = 0, "" // how the counts are shown
	queueAlerts := o.QueueLimits.set()
	for _, l := range o.QueueLimitsOf {
		queueAlerts = queueAlerts || l.set()
	}
	var rules map[string]QueueRule
	for k, r := range o.QueueRules {
		c := r.counting()
		if queueAlerts {
			c.Hide = r.Hide // a hidden queue raises no alert: the checkpoint's alerts follow it
		}
		if c != (QueueRule{}) {
			if rules == nil {
				rules = map[string]QueueRule{}
			}
			rules[k] = c // a key (an id, a name) and what counts follow
		}
	}
	o.QueueRules = rules
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
		// WaitLogs are Minutes' samples queue by queue (minuteHistory.logs).
		WaitLogs []ckMinuteLog
		LastMin  ckTime
		Ticked   ckTime // the last hour's (minuteHistory.ticked)
		Swept    ckTime

		Since, LookedFrom, LiveAt, Received, DayStart ckTime
		Feed, DayFeed                                 ckFeed
		WasLive, AgentsBefore, Joining                bool

		// Tables is how many entries each table holds, in the chunks that
		// follow the head; the head holds none of them.
		Tables           ckTables
		CallLog, Carried []int         // indexes in the call records
		Intervals        []ckInterval  // Blank where the board has none
		Lost             []ckAbandoned // every abandoned call anything points to
		Abandoned        []int         // indexes in Lost
		ToCallBack       []ckCallBack
		Gone             []ckCall
		GoneTrunk        []ckTrunkCall
		Outages          []ckSpan
		Acks             []ckAck // checkpoint_acks.go
		LogEntries       []ckLogEntry
		LogPrivate       []bool
		LogNext          int
		LogFull          bool
		Alerts           ckAlerts // checkpoint_alerts.go
	}
	ckTables struct {
		Records, Lost, CallLog, Carried, Abandoned int
	}
	// ckChunk is the next entries of one table, in order: ckBoard's
	// Lost, then the indexes of its CallLog, Carried and Abandoned.
	ckChunk struct {
		Lost    []ckAbandoned
		Indexes []int
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
		Record              int // index in the call records, -1 when none
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
	ckAbandoned struct {
		ID, Queue, Caller string
		Entered, Ended    ckTime
		Short             bool
		Reached           Reached
		Record            int // index in the call records, -1 when none
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
		Groups                      []ckGroupTime // interval.byGroups, by key
	}
	ckMinuteLog struct {
		Counts []ckCount // K the queue, N its calls waiting
		Ends   []int32
	}
	ckGroupTime struct {
		Key                         string
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
		// AgentID and QueueID are what the entry is about (LogEntry's);
		// a checkpoint written before them loads its entries about none.
		AgentID, QueueID string
	}
)

// sortedKeys is m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// checkpointHead is the head of the board's checkpoint, and, in c, its
// tables: the call records copied (in c.records) and the abandoned calls.
// A record's index is its place in c.records; those the head and c.lost
// point to are first numbered in the order met (ckRecordRef), their places
// known once the call log and the calls carried are copied.
func (b *Board) checkpointHead(c *CheckpointCopy) *ckBoard {
	ck := &ckBoard{
		Rules: checkpointRules(b.opts), Minutes: slices.Clone(b.waited.minutes), WaitLogs: ckMinuteLogs(b.waited.logs), LastMin: b.ckT(b.waited.last), Ticked: b.ckT(b.waited.ticked), Swept: b.ckT(b.swept),
		Since: b.ckT(b.since), LookedFrom: b.ckT(b.lookedFrom), LiveAt: b.ckT(b.liveAt), Received: b.ckT(b.received), DayStart: b.ckT(b.dayStart),
		Feed: b.ckFeedOf(&b.feed), DayFeed: b.ckFeedOf(&b.dayFeed),
		WasLive: b.wasLive, AgentsBefore: b.agentsBefore, Joining: b.joining,
		LogPrivate: slices.Clone(b.log.private), LogNext: b.log.next, LogFull: b.log.full,
		Alerts: b.ckAlertsOf(),
	}
	refs := map[*callRecord]int{} // the records pointed to, numbered as met
	var referred []*callRecord
	record := func(r *callRecord) int {
		if r == nil {
			return -1
		}
		i, ok := refs[r]
		if !ok {
			i = len(referred)
			refs[r] = i
			referred = append(referred, r)
		}
		return i
	}
	lost := map[*abandonedCall]int{}
	abandoned := func(a *abandonedCall) int {
		i, ok := lost[a]
		if !ok {
			i = len(c.lost)
			lost[a] = i
			c.lost = append(c.lost, ckAbandoned{ID: a.id, Queue: a.queue, Caller: a.caller, Entered: b.ckT(a.entered), Ended: b.ckT(a.ended),
				Short: a.short, Reached: a.reached, Record: record(a.record)})
		}
		return i
	}
	for _, a := range b.abandoned {
		c.abandoned = append(c.abandoned, abandoned(a))
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
		for _, k := range sortedKeys(in.byGroups) {
			t := in.byGroups[k]
			ci.Groups = append(ci.Groups, ckGroupTime{Key: k, LoggedIn: t[0], Reachable: t[1], Paused: t[2]})
		}
		ck.Intervals = append(ck.Intervals, ci)
	}
	for _, o := range b.outages {
		ck.Outages = append(ck.Outages, ckSpan{b.ckT(o.From), b.ckT(o.To)})
	}
	ck.Acks = b.ckAcks()
	for _, e := range b.log.entries {
		ck.LogEntries = append(ck.LogEntries, ckLogEntry{At: b.ckT(e.At), Raw: e.Raw, Kind: e.Kind, Name: e.Name, Unknown: e.Unknown, Rejected: e.Rejected, AgentID: e.AgentID, QueueID: e.QueueID})
	}

	// the table of records: the call log's, the carried calls', then the
	// others pointed to; place[i] is the place of referred[i]
	place := make([]int, len(referred))
	for i := range place {
		place[i] = -1
	}
	c.records = make([]callRecord, 0, len(b.callLog)+len(b.carried)+len(referred)) // not grown: a copy of tens of MB
	copyRecord := func(r *callRecord) {
		if i, ok := refs[r]; ok && place[i] == -1 {
			place[i] = len(c.records)
		}
		cp := *r
		if r.far != nil { // set in place (setTime)
			far := *r.far
			cp.far = &far
		}
		c.records = append(c.records, cp)
	}
	for _, r := range b.callLog {
		copyRecord(r)
	}
	for _, r := range b.carried {
		copyRecord(r)
	}
	for i, r := range referred {
		if place[i] == -1 {
			copyRecord(r)
		}
	}
	at := func(i int) int {
		if i == -1 {
			return -1
		}
		return place[i]
	}
	for i := range c.lost {
		c.lost[i].Record = at(c.lost[i].Record)
	}
	for i := range ck.Queues {
		for j := range ck.Queues[i].Calls {
			ck.Queues[i].Calls[j].Record = at(ck.Queues[i].Calls[j].Record)
		}
	}
	for i := range ck.Gone {
		ck.Gone[i].Record = at(ck.Gone[i].Record)
	}
	ck.Tables = ckTables{Records: len(c.records), Lost: len(c.lost), CallLog: len(b.callLog), Carried: len(b.carried), Abandoned: len(c.abandoned)}
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

// loader makes a board of a checkpoint, its tables given chunk by chunk
// (decodeBoard); bad is the first index that pointed nowhere.
type loader struct {
	b       *Board
	loc     *time.Location
	records []*callRecord
	lost    []*abandonedCall
	names   map[string]string // the queues' and agents' ids records hold, one string each
	bad     error
}

// newLoader starts the board of the checkpoint of head under opts
// (defaults taken), refusing one whose sizes do not hold together.
func newLoader(head *ckBoard, opts Options) (*loader, error) {
	loc := opts.Location
	b := New(opts, head.Since.in(loc))
	b.waited = minuteHistory{minutes: head.Minutes, last: head.LastMin.in(loc), ticked: head.Ticked.in(loc)}
	if len(b.waited.minutes) > HistoryMinutes || len(head.WaitLogs) != len(head.Minutes) {
		return nil, refused("%d minutes of history, %d logged", len(head.Minutes), len(head.WaitLogs))
	}
	var err error
	if b.waited.logs, err = minuteLogsOf(head.WaitLogs); err != nil {
		return nil, err
	}
	b.swept, b.lookedFrom, b.liveAt, b.received = head.Swept.in(loc), head.LookedFrom.in(loc), head.LiveAt.in(loc), head.Received.in(loc)
	if b.dayStart = head.DayStart.in(loc); !b.dayStart.Equal(startOfDay(b.since, loc)) {
		return nil, refused("its day does not start at %s in %s", b.dayStart, loc)
	}
	b.feed, b.dayFeed = head.Feed.health(loc), head.DayFeed.health(loc)
	b.wasLive, b.agentsBefore, b.joining = head.WasLive, head.AgentsBefore, head.Joining
	for _, p := range head.Pauses {
		b.pauses[p.K] = p.V
	}
	if len(head.Agents) > opts.MaxAgents || len(head.Queues) > opts.MaxQueues || len(head.Trunks) > opts.MaxTrunks {
		return nil, refused("more agents, queues or trunks than the caps")
	}
	return &loader{b: b, loc: loc, names: map[string]string{}}, nil
}

// recordAt is the i-th call record of the table, nil for -1.
func (l *loader) recordAt(i int) *callRecord {
	if i == -1 {
		return nil
	}
	return entry(l.records, i, "call record", &l.bad)
}

// addLost makes the next abandoned calls of the table.
func (l *loader) addLost(as []ckAbandoned) {
	for _, a := range as {
		l.lost = append(l.lost, &abandonedCall{id: a.ID, queue: a.Queue, caller: a.Caller, entered: a.Entered.in(l.loc), ended: a.Ended.in(l.loc),
			short: a.Short, reached: a.Reached, record: l.recordAt(a.Record)})
	}
}

// finish makes the rest of the board of head, its tables made.
func (l *loader) finish(head *ckBoard) (*Board, error) {
	b, loc := l.b, l.loc
	for _, cb := range head.ToCallBack {
		for _, i := range cb.Calls {
			b.toCallBack[cb.Key] = append(b.toCallBack[cb.Key], entry(l.lost, i, "abandoned call", &l.bad))
		}
	}
	callOf := func(c *ckCall) *call {
		return &call{id: c.ID, caller: c.Caller, priority: c.Priority, vipRate: c.VIPRate, record: l.recordAt(c.Record),
			entered: c.Entered.in(loc), answeredAt: c.AnsweredAt.in(loc), agent: c.Agent,
			seen: c.Seen.in(loc), heard: c.Heard.in(loc), day: c.Day.in(loc),
			stale: c.Stale, beforeStart: c.BeforeStart, credited: c.Credited, lostSight: c.LostSight}
	}
	trunkCallOf := func(c *ckTrunkCall) *trunkCall {
		return &trunkCall{connected: c.Connected, beforeStart: c.BeforeStart, day: c.Day.in(loc), seen: c.Seen.in(loc), heard: c.Heard.in(loc),
			lostSight: c.LostSight, stale: c.Stale}
	}
	for i := range head.Agents {
		a, err := agentOf(&head.Agents[i], loc)
		if err != nil {
			return nil, err
		}
		b.agents[a.id] = a
	}
	for _, cq := range head.Queues {
		q := &queue{id: cq.ID, name: cq.Name, placeholder: cq.Placeholder, heard: cq.Heard.in(loc), calls: make(map[string]*call, len(cq.Calls)),
			answered: cq.Answered, answeredInSL: cq.AnsweredInSL, abandoned: cq.Abandoned, shortAband: cq.ShortAband,
			totalWait: cq.TotalWait, beforeStart: cq.BeforeStart}
		for i := range cq.Calls {
			q.calls[cq.Calls[i].Key] = callOf(&cq.Calls[i])
		}
		b.queues[q.id] = q
	}
	for _, ct := range head.Trunks {
		t := &trunk{id: ct.ID, name: ct.Name, placeholder: ct.Placeholder, heard: ct.Heard.in(loc), calls: make(map[string]*trunkCall, len(ct.Calls)),
			total: ct.Total, answered: ct.Answered, missed: ct.Missed, beforeStart: ct.Before}
		for i := range ct.Calls {
			t.calls[ct.Calls[i].Key] = trunkCallOf(&ct.Calls[i])
		}
		b.trunks[t.id] = t
	}
	for i := range head.Gone {
		b.gone[head.Gone[i].Key] = callOf(&head.Gone[i])
	}
	for i := range head.GoneTrunk {
		b.goneTrunk[head.GoneTrunk[i].Key] = trunkCallOf(&head.GoneTrunk[i])
	}
	for _, ci := range head.Intervals {
		if ci.Blank {
			b.intervals = append(b.intervals, nil)
			continue
		}
		in := &interval{queues: make(map[string]*intervalCounts, len(ci.Queues)), loggedIn: ci.LoggedIn, reachable: ci.Reachable, paused: ci.Paused}
		for _, n := range ci.Queues {
			in.queues[n.Queue] = &intervalCounts{offered: n.Offered, answered: n.Answered, answeredInSL: n.AnsweredInSL,
				abandoned: n.Abandoned, shortAband: n.ShortAband, totalWait: n.TotalWait, longestWait: n.LongestWait}
		}
		for _, g := range ci.Groups {
			if in.byGroups == nil {
				in.byGroups = make(map[string]*[3]time.Duration, len(ci.Groups))
			}
			in.byGroups[g.Key] = &[3]time.Duration{g.LoggedIn, g.Reachable, g.Paused}
		}
		b.intervals = append(b.intervals, in)
	}
	for _, o := range head.Outages {
		b.outages = append(b.outages, Interval{From: o.From.in(loc), To: o.To.in(loc)})
	}
	if err := b.loadAlerts(head.Alerts, loc); err != nil {
		return nil, err
	}
	if err := l.loadAcks(head.Acks); err != nil { // of the alerts loaded
		return nil, err
	}
	if len(head.LogEntries) != len(b.log.entries) || len(head.LogPrivate) != len(b.log.private) ||
		head.LogNext < 0 || head.LogNext >= max(len(b.log.entries), 1) {
		return nil, refused("an event log of %d entries, next %d, where the board keeps %d", len(head.LogEntries), head.LogNext, len(b.log.entries))
	}
	for i, e := range head.LogEntries {
		b.log.entries[i] = LogEntry{At: e.At.in(loc), Raw: e.Raw, Kind: e.Kind, Name: e.Name, Unknown: e.Unknown, Rejected: e.Rejected, AgentID: e.AgentID, QueueID: e.QueueID}
	}
	copy(b.log.private, head.LogPrivate)
	b.log.next, b.log.full = head.LogNext, head.LogFull
	if l.bad != nil {
		return nil, l.bad
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
	b.resolveRules()   // the queues' rules and shown names
	b.rebuildIndexes() // the waiting counts and the calls' deadlines
}

// ckT is t in the board's checkpoint.
func (b *Board) ckT(t time.Time) ckTime { return checkpointTime(t, b.opts.Location) }

// ckMinuteLogs are logs as a checkpoint keeps them.
func ckMinuteLogs(logs []minuteLog) []ckMinuteLog {
	out := make([]ckMinuteLog, len(logs))
	for i, l := range logs {
		out[i].Ends = slices.Clone(l.ends)
		for _, c := range l.counts {
			out[i].Counts = append(out[i].Counts, ckCount{K: c.queue, N: c.n})
		}
	}
	return out
}

// minuteLogsOf are a checkpoint's logs, refused when a sample's end is not
// within them.
func minuteLogsOf(ck []ckMinuteLog) ([]minuteLog, error) {
	out := make([]minuteLog, len(ck))
	for i, l := range ck {
		from := int32(0)
		for _, end := range l.Ends {
			if end < from || int(end) > len(l.Counts) {
				return nil, refused("a minute's sample ending at %d of %d counts", end, len(l.Counts))
			}
			from = end
		}
		out[i].ends = l.Ends
		for _, c := range l.Counts {
			out[i].counts = append(out[i].counts, queueCount{c.K, c.N})
		}
	}
	return out, nil
}
