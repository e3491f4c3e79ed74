package tui

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// frameWriter draws a board's frames on its terminal, in the alternate
// screen, in place of Bubble Tea's renderer: that one flushes on a ticker
// that wakes the process FrameRate times a second for ever, this one only
// when a frame is drawn. A frame is written at once when the last was
// written at least a frame's time ago; otherwise one timer is armed for
// the rest of that time, and the newest frame is written when it fires.
// Of a frame only the lines that changed are written, each cut to the
// terminal's width; at most the terminal's height of lines are written
// (the last ones, as Bubble Tea's renderer does).
type frameWriter struct {
	out   io.Writer
	clock frameClock
	every time.Duration // the least time between two writes

	mu            sync.Mutex
	width, height int      // the terminal's; 0 while unknown
	raw           []string // the lines on the screen, as drawn
	shown         []string // the same, cut as written
	repaint       bool     // every line to be written, and what is below erased
	drawn         string   // the frame on the screen, as drawn
	pending       string   // the newest frame not yet written
	hasPending    bool
	timer         frameTimer // armed while a frame waits for its time
	last          time.Time  // the last write of a frame
	started       bool
	stopped       bool
	buf           bytes.Buffer
}

// frameClock is the time a frameWriter reads and waits on.
type frameClock interface {
	Now() time.Time
	AfterFunc(d time.Duration, f func()) frameTimer
}

// frameTimer is a call armed by a frameClock.
type frameTimer interface{ Stop() bool }

// wallClock is the frameClock of the time of day.
type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

func (wallClock) AfterFunc(d time.Duration, f func()) frameTimer { return time.AfterFunc(d, f) }

// enterScreen takes the terminal for the frames: the alternate screen,
// cleared, the cursor hidden, pastes bracketed (each one a key message, so
// that a pasted q is text), the mouse's buttons and wheel reported
// (mouseOn).
const enterScreen = ansi.SetModeAltScreenSaveCursor + ansi.EraseEntireScreen + ansi.CursorHomePosition +
	ansi.HideCursor + ansi.SetModeBracketedPaste + mouseOn

// mouseOn asks the terminal to report the mouse's buttons and wheel
// (1000: a press and a release of a button, a turn of the wheel; no
// motion), in SGR's encoding (1006: "\x1b[<b;x;yM", any column; a terminal
// without it sends X10's "\x1b[Mbxy"). Bubble Tea parses both into
// tea.MouseMsg; its own option (tea.WithMouseCellMotion) writes these
// through its renderer, which a board runs without.
const mouseOn = ansi.SetModeMouseNormal + ansi.SetModeMouseExtSgr

// mouseOff stops the reports mouseOn asked for: a terminal left reporting
// the mouse types escape sequences at each click into the shell.
const mouseOff = ansi.ResetModeMouseExtSgr + ansi.ResetModeMouseNormal

// LeaveScreen gives the terminal back, as Bubble Tea restores it: the
// mouse no longer reported, pastes no longer bracketed, the cursor shown,
// the main screen.
const LeaveScreen = mouseOff + ansi.ResetModeBracketedPaste + ansi.ShowCursor + ansi.ResetModeAltScreenSaveCursor

// newFrameWriter writes frames to out at most rate a second, on clock's
// time.
func newFrameWriter(out io.Writer, clock frameClock, rate int) *frameWriter {
	return &frameWriter{out: out, clock: clock, every: time.Second / time.Duration(rate)}
}

// start takes the screen: the alternate screen, cleared, the cursor
// hidden, pastes bracketed, the mouse reported.
func (w *frameWriter) start() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.started {
		return
	}
	w.started = true
	_, _ = io.WriteString(w.out, enterScreen)
}

// stop writes the frame still waiting, if any, and gives the screen back:
// the mouse no longer reported, pastes no longer bracketed, the cursor
// shown, the main screen. Nothing is
// drawn after it. It may be called more than once, and without start.
func (w *frameWriter) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		return
	}
	w.stopped = true
	if w.timer != nil {
		w.timer.Stop()
		w.timer = nil
	}
	if !w.started {
		return
	}
	w.flush()
	_, _ = io.WriteString(w.out, LeaveScreen)
}

// resize is the terminal's new size: the next frame is written whole.
func (w *frameWriter) resize(width, height int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.width, w.height = width, height
	w.shown, w.repaint = nil, true
}

// draw is a new frame: written now if the last write is a frame's time
// ago, else when that time has come, unless a newer frame replaces it
// first.
func (w *frameWriter) draw(frame string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped || !w.hasPending && !w.repaint && frame == w.drawn {
		return
	}
	w.pending, w.hasPending = frame, true
	if w.timer != nil {
		return // it writes the newest frame
	}
	now := w.clock.Now()
	if since := now.Sub(w.last); w.last.IsZero() || since >= w.every {
		w.flush()
		return
	}
	w.timer = w.clock.AfterFunc(w.every-now.Sub(w.last), w.due)
}

// due writes the frame that waited for its time.
func (w *frameWriter) due() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.timer = nil
	if w.stopped {
		return
	}
	w.flush()
}

// flush writes the lines of the pending frame that differ from the
// screen's: the last height lines, each cut to the width. A frame the
// screen already shows writes nothing. w.mu is held.
func (w *frameWriter) flush() {
	if !w.hasPending {
		return
	}
	frame := w.pending
	w.pending, w.hasPending = "", false
	raw := strings.Split(frame, "\n")
	if w.height > 0 && len(raw) > w.height {
		raw = raw[len(raw)-w.height:]
	}
	lines := make([]string, len(raw))
	w.buf.Reset()
	for i, line := range raw {
		same := !w.repaint && i < len(w.shown)
		if same && w.raw[i] == line {
			lines[i] = w.shown[i] // cut once, when it changed
			continue
		}
		lines[i] = w.cut(line)
		if same && w.shown[i] == lines[i] {
			continue
		}
		w.buf.WriteString(ansi.CursorPosition(1, i+1))
		w.buf.WriteString(lines[i])
		// A line as wide as the terminal leaves the cursor on its last
		// cell, which an erase would clear.
		if w.width <= 0 || ansi.StringWidth(lines[i]) < w.width {
			w.buf.WriteString(ansi.EraseLineRight)
		}
	}
	// what is below the frame, but for a frame as high as the terminal,
	// whose row below would be its own last one
	if (w.repaint || len(w.shown) > len(lines)) && (w.height <= 0 || len(lines) < w.height) {
		w.buf.WriteString(ansi.CursorPosition(1, len(lines)+1))
		w.buf.WriteString(ansi.EraseScreenBelow)
	}
	w.raw, w.shown, w.repaint, w.drawn = raw, lines, false, frame
	if w.buf.Len() == 0 {
		return
	}
	w.last = w.clock.Now()
	_, _ = w.out.Write(w.buf.Bytes())
}

// cut is line as the terminal shows it: cut to its width when it is
// known, escape sequences kept whole, wide characters counted as wide.
func (w *frameWriter) cut(line string) string {
	if w.width <= 0 {
		return line
	}
	return ansi.Truncate(line, w.width, "")
}
