package hub

import (
	"errors"
	"time"

	"callboard/feed"
	"callboard/state"
)

// maxAcksWaiting bounds the acknowledgements asked and not yet applied by
// Run's loop: beyond, Acknowledge refuses (ErrBusy).
const maxAcksWaiting = 64

// ErrBusy is Acknowledge's refusal while the acknowledgements asked wait
// for the board.
var ErrBusy = errors.New("the board is busy: try again")

// Acknowledge asks the hub to acknowledge the alert of key raised at since
// on behalf of by (the ssh key's name or the local user: sanitised and
// bounded by the board, state.AckBy), and returns at once: Run's loop, the
// board's only owner, applies it at the hub's clock, journals it, and
// publishes a new view, so that every reader of the hub sees it in its
// next. An acknowledgement the board refuses (no such alert: it cleared
// meanwhile), or of an alert acknowledged already, changes nothing and is
// not journaled. It refuses with Config.CanAcknowledge's error (another
// process writes the journal), or ErrBusy.
func (h *Hub) Acknowledge(key state.AlertKey, since time.Time, by string) error {
	if h.cfg.CanAcknowledge != nil {
		if err := h.cfg.CanAcknowledge(); err != nil {
			return err
		}
	}
	a := &feed.AckMsg{Rule: key.Rule, QueueID: key.QueueID, AgentID: key.AgentID, Since: since, By: state.AckBy(by)}
	select {
	case h.acks <- a:
		return nil
	default:
		return ErrBusy
	}
}

// acknowledge applies a, asked of Acknowledge, at the hub's clock, and
// journals it when the board took it; it reports whether it did.
func (h *Hub) acknowledge(a *feed.AckMsg) bool {
	a.At = h.cfg.Now()
	if !h.board.Acknowledge(state.AckOf(a)) {
		return false
	}
	if a.At.After(h.newest) {
		h.newest = a.At
	}
	if h.cfg.Journal != nil {
		h.cfg.Journal.Record(a)
	}
	return true
}
