package feed

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// A recording is a JSON-lines file of what the feed received, for replay
// and for sending to the developers: never a password, never a token.
// Every line has "t" (RFC 3339, nanoseconds) and "kind":
//
//	start      the recording begins (the board's counters start here); in a
//	           journal, a process starts writing (the time since the line
//	           before was not seen)
//	continue   a journal's next day, written by the same process
//	directory  a login's directory: agents, groups, trunks, pauses, target, expires
//	status     a connection change: state, protocol, reason, refused
//	update     an update payload exactly as it arrived: as it is in "payload"
//	           when it is a JSON object on one line with nothing a terminal
//	           would act on, else as the string "raw"; with "rejected" (the
//	           panic's message) when applying it crashed the board: it is
//	           read back rejected (ReasonQuarantined), never applied again
//	end        the recording ends
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

// Recorder writes a recording. It is safe for concurrent use.
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
func (r *Recorder) Record(m Message) {
	r.writeLine(AppendRecord(nil, m))
}

func recordNames(ns []Named) []recordNamed {
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
	MarkEnd      = "end"      // the process stops writing
)

// AppendMark appends the line of a mark at t to dst.
func AppendMark(dst []byte, kind string, t time.Time) []byte {
	return appendLine(dst, recordLine{T: t, Kind: kind})
}

// AppendRecord appends the lines of m (one per update of a Batch) to dst.
func AppendRecord(dst []byte, m Message) []byte {
	switch m := m.(type) {
	case *Batch:
		for _, ev := range m.Events {
			dst = AppendRecord(dst, ev)
		}
		return dst
	case *Event:
		return appendUpdateLine(dst, m)
	case *StatusMsg:
		return appendLine(dst, recordLine{T: m.At, Kind: "status", State: m.State.String(), Protocol: m.Protocol, Reason: m.Reason, Refused: m.Refused})
	case *DirectoryMsg:
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
	}
	return dst
}

func appendLine(dst []byte, l recordLine) []byte {
	b, err := json.Marshal(l)
	if err != nil { // nothing in a recordLine fails to marshal
		return dst
	}
	dst = append(dst, EscapeInvisible(b)...)
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

// Recording is a recording read back.
type Recording struct {
	Start, End time.Time // End is zero when the recording was cut short
	Messages   []Message // in order, each dated (Event.Received, At)
}

// ReadRecording reads a whole recording, strictly: a line it cannot read
// is an error. Updates go through Decode again, so a replay rejects what
// the live board rejected, for the same reasons.
func ReadRecording(rd io.Reader) (*Recording, error) {
	r := NewRecordingReader(rd, false)
	rec := &Recording{}
	for {
		m, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		rec.Messages = append(rec.Messages, m)
	}
	rec.Start, rec.End = r.Start, r.End
	return rec, nil
}

// ReasonQuarantined is the rejection reason of an update whose application
// crashed the board (its DecodeError's Detail is the panic's message): it
// is counted and shown rejected, kept so in a recording or a journal, and
// never applied again.
const ReasonQuarantined = "made the board crash"

// Quarantined reports whether ev was rejected because its application
// crashed the board.
func (ev *Event) Quarantined() bool { return ev.Err != nil && ev.Err.Reason == ReasonQuarantined }

// ReasonNotRunning is the reason of the disconnection a recording reader
// reports where a process stopped writing and another started again: what
// happened in between was not seen.
const ReasonNotRunning = "callboard was not running"

// RecordingReader reads a recording, or a journal (recordings one after the
// other, a start line each, and continue lines at midnight), a message at
// a time. Where a process started again after another's lines, it reports
// a Disconnected status dated at the last line before: the time nobody
// was watching.
type RecordingReader struct {
	rd      *bufio.Reader
	buf     []byte // the line being read
	lenient bool
	line    int
	last    time.Time // of the last line read
	pending Message   // to return before reading on

	Start   time.Time // of the first start line
	End     time.Time // of the last end line, zero when none ended the last run
	Skipped int       // lines skipped by a lenient reader: torn or corrupt
}

// NewRecordingReader reads rd. A lenient reader skips (and counts) the
// lines it cannot read, as a journal may hold a torn last line; a strict
// one stops at them with an error.
func NewRecordingReader(rd io.Reader, lenient bool) *RecordingReader {
	return &RecordingReader{rd: bufio.NewReaderSize(rd, 64<<10), lenient: lenient}
}

// maxRecordLine is the longest line a recording reader reads.
const maxRecordLine = 64 << 20

// errLineTooLong is the error of a line longer than maxRecordLine.
var errLineTooLong = fmt.Errorf("line longer than %d MB", maxRecordLine>>20)

// readLine returns the next line, without its newline, or io.EOF after the
// last. A line longer than maxRecordLine is read to its end and given as
// errLineTooLong, so that the lines after it can still be read.
func (r *RecordingReader) readLine() ([]byte, error) {
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
func (r *RecordingReader) Next() (Message, error) {
	if m := r.pending; m != nil {
		r.pending = nil
		return m, nil
	}
	for {
		line, err := r.readLine()
		if err == io.EOF {
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
		var m Message
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
		if m != nil {
			return m, nil
		}
	}
	if r.Start.IsZero() {
		return nil, errors.New("not a callboard recording: no start line")
	}
	return nil, io.EOF
}

// parse reads one line: its message, or nil for a line that is not one.
func (r *RecordingReader) parse(text []byte) (Message, error) {
	if !r.Start.IsZero() {
		if ev, ok := parseUpdateLine(text); ok {
			ev.Update, ev.Err = Decode(ev.Raw)
			r.last = ev.Received
			return ev, nil
		}
	}
	var l recordLine
	if err := json.Unmarshal(text, &l); err != nil {
		return nil, err
	}
	if l.Kind != MarkStart && l.Kind != MarkContinue && r.Start.IsZero() {
		return nil, errors.New("not a callboard recording: no start line")
	}
	var m Message
	switch l.Kind {
	case "start":
		if r.Start.IsZero() {
			r.Start = l.T
		} else {
			m = &StatusMsg{State: Disconnected, Reason: ReasonNotRunning, At: r.last}
		}
		r.End = time.Time{}
	case "continue": // a journal's day read alone begins with one
		if r.Start.IsZero() {
			r.Start = l.T
		}
	case "end":
		r.End = l.T
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
		ev := &Event{Received: l.T, Raw: raw}
		ev.Update, ev.Err = Decode(ev.Raw)
		if l.Rejected != "" { // its cpt still counts in the sequence
			ev.Err = &DecodeError{Reason: ReasonQuarantined, Detail: l.Rejected}
		}
		m = ev
	case "status":
		st := &StatusMsg{At: l.T, Protocol: l.Protocol, Reason: l.Reason, Refused: l.Refused}
		switch l.State {
		case "live":
			st.State = Live
		case "disconnected":
			st.State = Disconnected
		default:
			st.State = Connecting
		}
		m = st
	case "directory":
		if l.Dir == nil {
			return nil, errors.New("directory without content")
		}
		d := Directory{Target: Text(l.Dir.Target), Expires: l.Dir.Expires, ExpiresGuessed: l.Dir.Guessed}
		for _, a := range l.Dir.Agents {
			fa := Agent{ID: Text(a.ID), Name: a.Name}
			for _, g := range a.Groups {
				fa.Groups = append(fa.Groups, Text(g))
			}
			d.Agents = append(d.Agents, fa)
		}
		d.Groups, d.Trunks, d.Pauses = namesFrom(l.Dir.Groups), namesFrom(l.Dir.Trunks), namesFrom(l.Dir.Pauses)
		m = &DirectoryMsg{Directory: d, At: l.T}
	default:
		return nil, fmt.Errorf("unknown kind %q", l.Kind)
	}
	r.last = l.T
	return m, nil
}

func namesFrom(rs []recordNamed) []Named {
	out := make([]Named, 0, len(rs))
	for _, r := range rs {
		out = append(out, Named{ID: Text(r.ID), Name: r.Name})
	}
	return out
}

// MessageTime is when a feed message happened: an event's reception, a
// directory's or a status's time.
func MessageTime(m Message) time.Time {
	switch m := m.(type) {
	case *Event:
		return m.Received
	case *Batch:
		if len(m.Events) > 0 {
			return m.Events[len(m.Events)-1].Received
		}
	case *DirectoryMsg:
		return m.At
	case *StatusMsg:
		return m.At
	}
	return time.Time{}
}
