package record

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"callboard/feed"
)

// A recording is a JSON-lines file of what the feed received, for replay
// and for sending to the developers: never a password, never a token.
// Every line has "t" (RFC 3339, nanoseconds) and "kind":
//
//	start      the recording begins (the board's counters start here); in a
//	           journal, a process starts writing (the time since the line
//	           before was not seen)
//	continue   a journal's next day, written by the same process; with
//	           "clock":"followed", where its writer followed a jump of the
//	           clock (see ClockFollowed)
//	directory  a login's directory: agents, groups, trunks, pauses, target, expires
//	status     a connection change: state, protocol, reason, refused
//	update     an update payload exactly as it arrived: as it is in "payload"
//	           when it is a JSON object on one line with nothing a terminal
//	           would act on, else as the string "raw"; with "rejected" (the
//	           panic's message) when applying it crashed the board: it is
//	           read back rejected (ReasonQuarantined), never applied again
//	end        the recording ends
//	ack        in a journal only: a viewer acknowledged an alert (see
//	           AckLine): rule, queue_id or agent_id, since (the alert's
//	           raise), by (who; bounded, escaped as every line is); "t" is
//	           when. Readers before it skip the line, as one they cannot
//	           read, and count it skipped.
//
// A journal's writer adds "clock" to a line where its time is not yet to
// be believed (see ClockAhead, ClockFollowed); recordings never have it.
type recordLine struct {
	T        time.Time        `json:"t"`
	Kind     string           `json:"kind"`
	Raw      *string          `json:"raw,omitempty"`
	Payload  json.RawMessage  `json:"payload,omitempty"`
	State    string           `json:"state,omitempty"`
	Protocol string           `json:"protocol,omitempty"`
	Reason   string           `json:"reason,omitempty"`
	Refused  bool             `json:"refused,omitempty"`
	Dir      *recordDirectory `json:"directory,omitempty"`
	Rejected string           `json:"rejected,omitempty"` // an update quarantined: why
	Clock    string           `json:"clock,omitempty"`    // ClockAhead on a line, ClockFollowed on a continue line

	// an ack line's (AckLine)
	Rule    string     `json:"rule,omitempty"`
	QueueID string     `json:"queue_id,omitempty"`
	AgentID string     `json:"agent_id,omitempty"`
	Since   *time.Time `json:"since,omitempty"`
	By      string     `json:"by,omitempty"`
}

type recordDirectory struct {
	Agents  []recordAgent `json:"agents"`
	Groups  []recordNamed `json:"groups"`
	Trunks  []recordNamed `json:"trunks"`
	Pauses  []recordNamed `json:"pauses"`
	Target  string        `json:"target"`
	Expires time.Time     `json:"expires"`
	Guessed bool          `json:"expires_guessed,omitempty"`
}

type recordAgent struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Groups []string `json:"groups"`
}

type recordNamed struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Recorder writes a recording. It is safe for concurrent use: its Record
// is what a feed.Config's OnMessage takes to record all the feed delivers.
type Recorder struct {
	mu  sync.Mutex
	w   *bufio.Writer
	err error
}

// NewRecorder starts a recording on w at start.
func NewRecorder(w io.Writer, start time.Time) *Recorder {
	r := &Recorder{w: bufio.NewWriter(w)}
	r.writeLine(AppendMark(nil, MarkStart, start))
	return r
}

// Record appends one feed message.
func (r *Recorder) Record(m feed.Message) {
	r.writeLine(Append(nil, m))
}

func recordNames(ns []feed.Named) []recordNamed {
	out := make([]recordNamed, 0, len(ns))
	for _, n := range ns {
		out = append(out, recordNamed{ID: string(n.ID), Name: n.Name})
	}
	return out
}

// Recording line kinds that mark a run rather than carry a message.
const (
	MarkStart    = "start"    // a process starts writing
	MarkContinue = "continue" // the same process goes on in a new file (a journal's next day)
	MarkTakeover = "takeover" // a process starts writing a journal where the one before stopped, having seen all that came since
	MarkEnd      = "end"      // the process stops writing
)

// The "clock" field of a journal's lines: what the writer knew of their
// time, so that readers need not guess it. Readers before it ignore the
// field (encoding/json skips unknown fields; the continue line is a no-op
// in the middle of a file) and judge those lines by time alone.
const (
	// ClockAhead is on a line written during a jump ahead of the machine's
	// clock the writer has not followed (yet): a reader holds it until the
	// writer says ClockFollowed, and skips it, as misdated, at any other
	// line (the clock came back), a start, or the end of the file.
	ClockAhead = "ahead"
	// ClockFollowed is on the continue line the writer writes when the
	// jump lasted and it follows it: the held lines are kept.
	ClockFollowed = "followed"
)

// AppendFollowed appends the continue line at t that says the writer
// followed a jump of the clock (ClockFollowed).
func AppendFollowed(dst []byte, t time.Time) []byte {
	return appendLine(dst, recordLine{T: t, Kind: MarkContinue, Clock: ClockFollowed})
}

// MarkAhead returns lines (one or more, each ending in a newline, as
// Append writes them) each flagged as written during a jump ahead
// not followed (ClockAhead).
func MarkAhead(lines []byte) []byte {
	const flag = `"clock":"ahead",`
	n := bytes.Count(lines, []byte{'\n'})
	out := make([]byte, 0, len(lines)+n*len(flag))
	for len(lines) > 0 {
		line, rest, _ := bytes.Cut(lines, []byte{'\n'})
		if len(line) > 0 && line[0] == '{' {
			out = append(append(append(out, '{'), flag...), line[1:]...)
		} else {
			out = append(out, line...)
		}
		out, lines = append(out, '\n'), rest
	}
	return out
}

// AppendMark appends the line of a mark at t to dst.
func AppendMark(dst []byte, kind string, t time.Time) []byte {
	return appendLine(dst, recordLine{T: t, Kind: kind})
}

// Append appends the lines of m (one per update of a Batch) to dst.
func Append(dst []byte, m feed.Message) []byte {
	for m := range feed.Unbatched(m) {
		dst = appendMessage(dst, m)
	}
	return dst
}

// appendMessage appends the line of m, a message of a batch's or alone.
func appendMessage(dst []byte, m feed.Message) []byte {
	switch m := m.(type) {
	case *feed.Event:
		return appendUpdateLine(dst, m)
	case *feed.StatusMsg:
		return appendLine(dst, recordLine{T: m.At, Kind: "status", State: m.State.String(), Protocol: m.Protocol, Reason: m.Reason, Refused: m.Refused})
	case *feed.DirectoryMsg:
		d := &recordDirectory{Target: string(m.Directory.Target), Expires: m.Directory.Expires, Guessed: m.Directory.ExpiresGuessed}
		for _, a := range m.Directory.Agents {
			ra := recordAgent{ID: string(a.ID), Name: a.Name, Groups: []string{}}
			for _, g := range a.Groups {
				ra.Groups = append(ra.Groups, string(g))
			}
			d.Agents = append(d.Agents, ra)
		}
		d.Groups, d.Trunks, d.Pauses = recordNames(m.Directory.Groups), recordNames(m.Directory.Trunks), recordNames(m.Directory.Pauses)
		return appendLine(dst, recordLine{T: m.At, Kind: "directory", Dir: d})
	case *feed.AckMsg:
		return appendAckLine(dst, m)
	}
	return dst
}

func appendLine(dst []byte, l recordLine) []byte {
	b, err := json.Marshal(l)
	if err != nil { // nothing in a recordLine fails to marshal
		return dst
	}
	dst = append(dst, feed.EscapeInvisible(b)...)
	return append(dst, '\n')
}

// Close writes the end line at end and flushes. It returns the first
// error met while recording.
func (r *Recorder) Close(end time.Time) error {
	r.writeLine(AppendMark(nil, MarkEnd, end))
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.w.Flush(); err != nil && r.err == nil {
		r.err = err
	}
	return r.err
}

func (r *Recorder) writeLine(b []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.w.Write(b); err != nil && r.err == nil {
		r.err = err
	}
}

// Reader reads a recording, or a journal (recordings one after the
// other, a start line each, and continue lines at midnight), a message at
// a time. Where a process started again after another's lines, it reports
// a Disconnected status dated at the last line before: the time nobody
// was watching; not where one took the journal over having seen all that
// came after them (a takeover line).
//
// It reads time as the board must see it, one way (see TimeSlack,
// TimeJump): a line outside the day set by Day (a journal's day file) is
// skipped and counted in Misdated; a line dated more than TimeSlack before
// the newest line taken, or more than TimeJump after it, is held until the
// lines after it say which it is: one that comes back to the time before
// the jump shows the held lines wrong (skipped, counted), while HoldLines
// lines that go on from it, a new run's start, or the end of the file,
// take them (a quiet spell, a clock put right). A single wild time never
// reaches the board.
//
// Updates go through feed.Decode again, so that a replay rejects what the
// live board rejected, for the same reasons.
//
// Lines a journal's writer flagged as written during a jump of its clock
// it had not followed (ClockAhead) are not guessed at: they are held (the
// newest AheadLines, or aheadBytes bytes, of them; older ones are skipped
// as misdated) until the writer's continue line saying it followed the
// jump (ClockFollowed) keeps them, in order, or until any other line, a
// start or the end of the file shows the jump did not last, and skips
// them as misdated.
type Reader struct {
	rd         *bufio.Reader
	buf        []byte // the line being read
	lenient    bool
	line       int
	from       time.Time      // the day's start, set by Day; zero: no bounds
	to         time.Time      // the day's end
	newest     time.Time      // of the newest line taken
	held       []feed.Message // lines after a jump ahead, waiting to be judged
	heldAt     time.Time      // the first held line's time
	heldNewest time.Time      // the newest held line's
	heldLen    int            // bytes of the held lines
	ahead      []feed.Message // lines the writer flagged ClockAhead, waiting for its word
	aheadSizes []int          // bytes of each
	aheadLen   int            // bytes of ahead
	flagged    bool           // the line parse read was flagged ClockAhead
	ready      []feed.Message // to return before reading on

	Start    time.Time // of the first start line
	End      time.Time // of the last end line, zero when none ended the last run
	Skipped  int       // lines skipped: torn or corrupt (lenient readers only), or misdated
	Misdated int       // of Skipped, those skipped for their time
}

// The time rule of recording readers (see Reader) and of the
// journal's writer.
const (
	// TimeSlack is how far a line may be dated before the newest line
	// taken and still be taken: lines from different goroutines, stamped
	// apart, are written a little out of order.
	TimeSlack = time.Minute
	// TimeJump is how far a line may be dated after the newest line taken
	// and be taken at once; beyond, it waits for the lines after it.
	TimeJump = 10 * time.Minute
	// HoldLines lines (or holdBytes bytes) that go on from a jump ahead
	// show it real: a quiet spell, a clock put right.
	HoldLines = 16
	holdBytes = 4 << 20
	// AheadLines lines (or aheadBytes bytes) flagged ClockAhead are held
	// at most, waiting for the writer to follow the jump: beyond, the
	// oldest are skipped as misdated.
	AheadLines = 1 << 16
	aheadBytes = 16 << 20
)

// Day bounds the lines read from now on to [from, to): the calendar day of
// a journal's day file, in its writer's time zone (23 or 25 hours on the
// days clocks change). A line up to TimeSlack before from, written just
// after the writer went on to the next file, is kept. Zero times: no
// bounds.
func (r *Reader) Day(from, to time.Time) {
	r.from, r.to = from, to
}

// Reset goes on reading from rd (a journal's next day file), as if its
// lines followed those read so far. What is held is taken first: a file's
// end ends a jump's wait (lines flagged ClockAhead are skipped).
func (r *Reader) Reset(rd io.Reader) {
	r.dropAhead()
	r.release()
	r.rd.Reset(rd)
}

// Resume makes the reader go on as after the lines a checkpoint covers
// (a journal read from a checkpoint on): a run's start line was read, and
// newest is the newest line's time taken.
func (r *Reader) Resume(newest time.Time) {
	r.Start, r.newest = newest, newest
}

// NewReader reads rd. A lenient reader skips (and counts) the
// lines it cannot read, as a journal may hold a torn last line; a strict
// one stops at them with an error. Both skip and count misdated lines.
func NewReader(rd io.Reader, lenient bool) *Reader {
	return &Reader{rd: bufio.NewReaderSize(rd, 64<<10), lenient: lenient}
}

// ErrNoStartLine is the error of a recording that has no start line
// before its first message, or none at all.
var ErrNoStartLine = errors.New("not a callboard recording: no start line")

// maxRecordLine is the longest line a recording reader reads.
const maxRecordLine = 64 << 20

// errLineTooLong is the error of a line longer than maxRecordLine.
var errLineTooLong = fmt.Errorf("line longer than %d MB", maxRecordLine>>20)

// readLine returns the next line, without its newline, or io.EOF after the
// last. A line longer than maxRecordLine is read to its end and given as
// errLineTooLong, so that the lines after it can still be read.
func (r *Reader) readLine() ([]byte, error) {
	r.buf = r.buf[:0]
	tooLong := false
	for {
		chunk, err := r.rd.ReadSlice('\n')
		if !tooLong && len(r.buf)+len(chunk) > maxRecordLine+1 {
			tooLong, r.buf = true, r.buf[:0]
		}
		if !tooLong {
			r.buf = append(r.buf, chunk...)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && (len(r.buf) > 0 || tooLong):
			// a last line without its newline
		case err != nil:
			return nil, err
		}
		if tooLong {
			return nil, errLineTooLong
		}
		return r.buf, nil
	}
}

// Next returns the next message, or io.EOF after the last.
func (r *Reader) Next() (feed.Message, error) {
	for {
		if len(r.ready) > 0 {
			m := r.ready[0]
			r.ready[0] = nil
			r.ready = r.ready[1:]
			return m, nil
		}
		line, err := r.readLine()
		if err == io.EOF {
			r.dropAhead()
			if len(r.held) > 0 {
				r.release()
				continue
			}
			break
		}
		if err != nil && err != errLineTooLong {
			return nil, err
		}
		r.line++
		text := bytes.TrimSpace(line)
		if len(text) == 0 && err == nil {
			continue
		}
		var m feed.Message
		r.flagged = false
		if err == nil {
			m, err = r.parse(text)
		}
		if err != nil {
			if r.lenient {
				r.Skipped++
				continue
			}
			return nil, fmt.Errorf("line %d: %v", r.line, err)
		}
		switch {
		case m != nil && r.flagged:
			r.holdAhead(m, len(text))
		case m != nil:
			r.dropAhead() // the writer's clock came back
			r.judge(m, len(text))
		}
	}
	if r.Start.IsZero() {
		return nil, ErrNoStartLine
	}
	return nil, io.EOF
}

// judge takes m, holds it, or skips it, by its time (see Reader).
func (r *Reader) judge(m feed.Message, size int) {
	t := feed.MessageTime(m)
	switch {
	case !r.inDay(t):
		r.misdated(1)
		return
	case r.newest.IsZero():
		r.take(m, t)
		return
	}
	if len(r.held) > 0 {
		ahead := r.heldAt.After(r.newest)
		switch {
		case ahead && t.Before(r.heldAt.Add(-TimeSlack)) && !t.Before(r.newest.Add(-TimeSlack)),
			!ahead && !t.Before(r.newest.Add(-TimeSlack)):
			// back to the time before the jump: the jump was wrong
			r.misdated(len(r.held))
			clear(r.held)
			r.held, r.heldLen = r.held[:0], 0
		case t.Before(r.heldNewest.Add(-TimeSlack)):
			r.misdated(1) // before the jump's time and the time before it
			return
		default: // goes on from the jump
			r.held, r.heldLen = append(r.held, m), r.heldLen+size
			if t.After(r.heldNewest) {
				r.heldNewest = t
			}
			if len(r.held) >= HoldLines || r.heldLen >= holdBytes {
				r.release()
			}
			return
		}
	}
	if t.Before(r.newest.Add(-TimeSlack)) || t.After(r.newest.Add(TimeJump)) {
		r.held, r.heldAt, r.heldNewest, r.heldLen = append(r.held, m), t, t, size
		return
	}
	r.take(m, t)
}

// holdAhead holds m, flagged ClockAhead, until the writer says whether it
// followed the jump.
func (r *Reader) holdAhead(m feed.Message, size int) {
	if !r.inDay(feed.MessageTime(m)) {
		r.misdated(1)
		return
	}
	r.ahead, r.aheadSizes, r.aheadLen = append(r.ahead, m), append(r.aheadSizes, size), r.aheadLen+size
	for len(r.ahead) > 1 && (len(r.ahead) > AheadLines || r.aheadLen > aheadBytes) {
		r.misdated(1) // the oldest goes
		r.aheadLen -= r.aheadSizes[0]
		r.ahead[0] = nil
		r.ahead, r.aheadSizes = r.ahead[1:], r.aheadSizes[1:]
	}
}

// dropAhead skips the lines held as flagged ClockAhead: the jump did not
// last.
func (r *Reader) dropAhead() {
	if len(r.ahead) == 0 {
		return
	}
	r.misdated(len(r.ahead))
	clear(r.ahead)
	r.ahead, r.aheadSizes, r.aheadLen = r.ahead[:0], r.aheadSizes[:0], 0
}

// keepAhead takes the lines held as flagged ClockAhead, after what was
// held before them: the writer followed the jump.
func (r *Reader) keepAhead() {
	if len(r.ahead) == 0 {
		return
	}
	r.release()
	for _, m := range r.ahead {
		r.take(m, feed.MessageTime(m))
	}
	clear(r.ahead)
	r.ahead, r.aheadSizes, r.aheadLen = r.ahead[:0], r.aheadSizes[:0], 0
}

// inDay reports whether t is in the day set by Day, if any.
func (r *Reader) inDay(t time.Time) bool {
	return r.from.IsZero() || !t.Before(r.from.Add(-TimeSlack)) && t.Before(r.to)
}

func (r *Reader) misdated(n int) {
	r.Skipped += n
	r.Misdated += n
}

// take makes m the next message returned.
func (r *Reader) take(m feed.Message, t time.Time) {
	r.ready = append(r.ready, m)
	if t.After(r.newest) {
		r.newest = t
	}
}

// release takes the held lines: the jump was real, the time goes on from
// theirs (back, after a clock put back).
func (r *Reader) release() {
	if len(r.held) == 0 {
		return
	}
	r.ready = append(r.ready, r.held...)
	clear(r.held)
	r.held, r.heldLen, r.newest = r.held[:0], 0, r.heldNewest
}

// markTime is a start, continue or end line's time as the reader takes
// it: in the day (when Day set one) and not before the newest line taken.
func (r *Reader) markTime(t time.Time) time.Time {
	if !r.from.IsZero() && !r.inDay(t) {
		t = r.from
		if r.newest.After(t) {
			t = r.newest
		}
	}
	return t
}

// parse reads one line: its message, or nil for a line that is not one.
func (r *Reader) parse(text []byte) (feed.Message, error) {
	if !r.Start.IsZero() {
		if ev, ok := parseUpdateLine(text); ok {
			ev.Update, ev.Err = feed.Decode(ev.Raw)
			return ev, nil
		}
	}
	var l recordLine
	if err := json.Unmarshal(text, &l); err != nil {
		return nil, err
	}
	r.flagged = l.Clock == ClockAhead
	if l.Kind != MarkStart && l.Kind != MarkContinue && l.Kind != MarkTakeover && r.Start.IsZero() {
		return nil, ErrNoStartLine
	}
	var m feed.Message
	switch l.Kind {
	case MarkStart, MarkContinue, MarkTakeover: // a journal's day read alone begins with a continue line
		r.flagged = false
		if l.Kind == MarkContinue && l.Clock == ClockFollowed {
			r.keepAhead()
		} else {
			r.dropAhead()
		}
		t := r.markTime(l.T)
		if r.newest.IsZero() {
			r.newest = t
		}
		switch {
		case r.Start.IsZero():
			r.Start = t
		case l.Kind != MarkContinue:
			// what the run before held is judged at its end
			r.release()
			if l.Kind == MarkTakeover {
				break // nothing was missed there
			}
			stopped := r.newest
			if r.End.After(stopped) {
				stopped = r.End
			}
			r.ready = append(r.ready, feed.NotRunning(stopped))
		}
		if l.Kind != MarkContinue {
			r.End = time.Time{}
		}
	case "end":
		r.flagged = false
		r.dropAhead()
		r.End = r.markTime(l.T)
	case "update":
		var raw []byte
		switch {
		case l.Payload != nil:
			raw = l.Payload
		case l.Raw != nil:
			raw = []byte(*l.Raw)
		default:
			return nil, errors.New("update without raw")
		}
		ev := &feed.Event{Received: l.T, Raw: raw}
		ev.Update, ev.Err = feed.Decode(ev.Raw)
		if l.Rejected != "" { // its cpt still counts in the sequence
			ev.Err = &feed.DecodeError{Reason: feed.ReasonQuarantined, Detail: l.Rejected}
		}
		m = ev
	case "status":
		st := &feed.StatusMsg{At: l.T, Protocol: l.Protocol, Reason: l.Reason, Refused: l.Refused}
		switch l.State {
		case "live":
			st.State = feed.Live
		case "disconnected":
			st.State = feed.Disconnected
		default:
			st.State = feed.Connecting
		}
		m = st
	case "directory":
		if l.Dir == nil {
			return nil, errors.New("directory without content")
		}
		d := feed.Directory{Target: feed.Text(l.Dir.Target), Expires: l.Dir.Expires, ExpiresGuessed: l.Dir.Guessed}
		for _, a := range l.Dir.Agents {
			fa := feed.Agent{ID: feed.Text(a.ID), Name: a.Name}
			for _, g := range a.Groups {
				fa.Groups = append(fa.Groups, feed.Text(g))
			}
			d.Agents = append(d.Agents, fa)
		}
		d.Groups, d.Trunks, d.Pauses = namesFrom(l.Dir.Groups), namesFrom(l.Dir.Trunks), namesFrom(l.Dir.Pauses)
		m = &feed.DirectoryMsg{Directory: d, At: l.T}
	case kindAck:
		ack, err := ackOf(&l)
		if err != nil {
			return nil, err
		}
		m = ack
	default:
		return nil, fmt.Errorf("unknown kind %q", l.Kind)
	}
	return m, nil
}

func namesFrom(rs []recordNamed) []feed.Named {
	out := make([]feed.Named, 0, len(rs))
	for _, r := range rs {
		out = append(out, feed.Named{ID: feed.Text(r.ID), Name: r.Name})
	}
	return out
}
