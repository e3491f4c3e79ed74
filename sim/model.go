package sim

import (
	"strconv"
	"time"
)

// ID is an identifier as the vendor writes it: the same field holds a JSON
// number in one message and a string of digits in the next.
type ID struct {
	N      int64
	Quoted bool // written as a JSON string
}

// String returns the decimal text of the identifier.
func (id ID) String() string { return strconv.FormatInt(id.N, 10) }

// MarshalJSON writes the identifier as a number, or as a string if Quoted.
func (id ID) MarshalJSON() ([]byte, error) {
	b := strconv.AppendInt(nil, id.N, 10)
	if id.Quoted {
		return strconv.AppendQuote(nil, string(b)), nil
	}
	return b, nil
}

// Directory is the configuration part of the authentication answer.
type Directory struct {
	Ops     []Op    `json:"ops"`
	Groupes []Named `json:"groupes"`
	Trunks  []Named `json:"trunks"`
	Pauses  []Pause `json:"pauses"`
	Target  ID      `json:"target"` // the supervisor's id
}

// Op is an agent of the directory.
type Op struct {
	ID      ID     `json:"id"`
	Nom     string `json:"nom"`
	Groupes []ID   `json:"groupes"`
}

// Named is a group (queue) or a trunk of the directory.
type Named struct {
	ID  ID     `json:"id"`
	Nom string `json:"nom"`
}

// Pause is a pause type; a UI pause event's supp is the text of its ID.
type Pause struct {
	ID    ID     `json:"id"`
	Value string `json:"value"`
}

// Event is one notification, as found under "event" in an update.
type Event struct {
	At   time.Time      `json:"-"` // when it happened
	Type string         `json:"type_notification"`
	Name string         `json:"event"`
	Msg  map[string]any `json:"msg"`
}

// Update is the single argument of a Socket.IO "update" event.
type Update struct {
	TS     int64 `json:"ts"`     // unix seconds when sent
	Elapse int64 `json:"elapse"` // seconds between the event and its sending
	Cpt    int64 `json:"cpt"`    // sequence number
	Event  Event `json:"event"`
}

// Stamper numbers events into updates, as the server does for its stream.
// The zero value starts at cpt 1.
type Stamper struct{ cpt int64 }

// Stamp wraps ev into the next update, sent at now.
func (s *Stamper) Stamp(ev Event, now time.Time) Update {
	s.cpt++
	elapse := int64(0)
	if !ev.At.IsZero() && now.After(ev.At) {
		elapse = int64(now.Sub(ev.At) / time.Second)
	}
	return Update{TS: now.Unix(), Elapse: elapse, Cpt: s.cpt, Event: ev}
}
