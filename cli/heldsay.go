package cli

import (
	"io"
	"strconv"
	"sync"
)

// heldLines says a session's lines on a writer, except while a board is
// drawn on the same terminal: then they are held (the first maxHeldLines,
// the others counted), and said once the terminal is given back. A line
// written over a board would scribble over its screen; the board says its
// troubles itself (the header's journal note, the Events tab's notify
// line).
type heldLines struct {
	mu      sync.Mutex
	w       io.Writer
	holding bool
	held    []string
	dropped int
}

const maxHeldLines = 100

func (h *heldLines) say(line string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case !h.holding:
		complain(h.w, "callboard:", line)
	case len(h.held) < maxHeldLines:
		h.held = append(h.held, line)
	default:
		h.dropped++
	}
}

// hold holds the lines said from now on.
func (h *heldLines) hold() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.holding = true
}

// release says the lines held, and those said from now on, on w.
func (h *heldLines) release(w io.Writer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.w, h.holding = w, false
	for _, line := range h.held {
		complain(w, "callboard:", line)
	}
	if h.dropped > 0 {
		complain(w, "callboard:", strconv.Itoa(h.dropped)+" more lines not shown while the board was on screen")
	}
	h.held, h.dropped = nil, 0
}
