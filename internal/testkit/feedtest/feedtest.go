// Package feedtest builds the events tests feed to a board, a hub or a
// journal: updates written as the vendor's JSON, decoded by the feed's own
// decoder, as the feed hands them over. Only tests import it; it is beside
// testkit, which imports no package of the program, because it imports
// feed.
package feedtest

import (
	"fmt"
	"time"

	"callboard/feed"
)

// Event is the update raw as the feed hands it over, received at at:
// decoded, or with the decoder's reason when the decoder refuses it.
func Event(at time.Time, raw string) *feed.Event {
	u, err := feed.Decode([]byte(raw))
	return &feed.Event{Received: at, Raw: []byte(raw), Update: u, Err: err}
}

// Update is the vendor's update numbered cpt, sent at at: an event of
// type_notification kind named name, whose msg is the JSON object msg. Its
// cpt comes last, so that a test finds an update in a file by `"cpt":N}`.
func Update(at time.Time, cpt int, kind, name, msg string) *feed.Event {
	return Event(at, fmt.Sprintf(`{"ts":%d,"elapse":0,"event":{"type_notification":%q,"event":%q,"msg":%s},"cpt":%d}`, at.Unix(), kind, name, msg, cpt))
}

// Login is agent's login, update number cpt.
func Login(at time.Time, cpt, agent int) *feed.Event {
	return Update(at, cpt, "UI", "login", fmt.Sprintf(`{"supp":"","id_operator":%d}`, agent))
}
