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
//	start      the recording begins (the board's counters start here)
//	directory  a login's directory: agents, groups, trunks, pauses, target, expires
//	status     a connection change: state, protocol, reason, refused
//	update     an update payload exactly as it arrived, as the string "raw"
//	end        the recording ends
type recordLine struct {
	T        time.Time        `json:"t"`
	Kind     string           `json:"kind"`
	Raw      *string          `json:"raw,omitempty"`
	State    string           `json:"state,omitempty"`
	Protocol string           `json:"protocol,omitempty"`
	Reason   string           `json:"reason,omitempty"`
	Refused  bool             `json:"refused,omitempty"`
	Dir      *recordDirectory `json:"directory,omitempty"`
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
	r.write(recordLine{T: start, Kind: "start"})
	return r
}

// Record appends one feed message.
func (r *Recorder) Record(m Message) {
	switch m := m.(type) {
	case *Batch:
		for _, ev := range m.Events {
			r.Record(ev)
		}
	case *Event:
		raw := string(m.Raw)
		r.write(recordLine{T: m.Received, Kind: "update", Raw: &raw})
	case *StatusMsg:
		r.write(recordLine{T: m.At, Kind: "status", State: m.State.String(), Protocol: m.Protocol, Reason: m.Reason, Refused: m.Refused})
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
		r.write(recordLine{T: m.At, Kind: "directory", Dir: d})
	}
}

func recordNames(ns []Named) []recordNamed {
	out := make([]recordNamed, 0, len(ns))
	for _, n := range ns {
		out = append(out, recordNamed{ID: string(n.ID), Name: n.Name})
	}
	return out
}

// Close writes the end line at end and flushes. It returns the first
// error met while recording.
func (r *Recorder) Close(end time.Time) error {
	r.write(recordLine{T: end, Kind: "end"})
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.w.Flush(); err != nil && r.err == nil {
		r.err = err
	}
	return r.err
}

func (r *Recorder) write(l recordLine) {
	b, err := json.Marshal(l)
	b = EscapeInvisible(b)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err == nil {
		b = append(b, '\n')
		_, err = r.w.Write(b)
	}
	if err != nil && r.err == nil {
		r.err = err
	}
}

// Recording is a recording read back.
type Recording struct {
	Start, End time.Time // End is zero when the recording was cut short
	Messages   []Message // in order, each dated (Event.Received, At)
}

// ReadRecording reads a recording. Updates go through Decode again, so a
// replay rejects what the live board rejected, for the same reasons.
func ReadRecording(rd io.Reader) (*Recording, error) {
	rec := &Recording{}
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		var l recordLine
		if err := json.Unmarshal(text, &l); err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		switch l.Kind {
		case "start":
			rec.Start = l.T
		case "end":
			rec.End = l.T
		case "update":
			if l.Raw == nil {
				return nil, fmt.Errorf("line %d: update without raw", line)
			}
			ev := &Event{Received: l.T, Raw: []byte(*l.Raw)}
			ev.Update, ev.Err = Decode(ev.Raw)
			rec.Messages = append(rec.Messages, ev)
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
			rec.Messages = append(rec.Messages, st)
		case "directory":
			if l.Dir == nil {
				return nil, fmt.Errorf("line %d: directory without content", line)
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
			rec.Messages = append(rec.Messages, &DirectoryMsg{Directory: d, At: l.T})
		default:
			return nil, fmt.Errorf("line %d: unknown kind %q", line, l.Kind)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if rec.Start.IsZero() {
		return nil, errors.New("not a callboard recording: no start line")
	}
	return rec, nil
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
