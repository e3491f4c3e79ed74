package tui

import (
	"bytes"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"callboard/state"
)

// handClock is a frameClock moved by the test: its timers fire in
// advance, in their order.
type handClock struct {
	now    time.Time
	timers []*handTimer
}

type handTimer struct {
	at      time.Time
	f       func()
	stopped bool
}

func (t *handTimer) Stop() bool {
	was := !t.stopped
	t.stopped = true
	return was
}

func (c *handClock) Now() time.Time { return c.now }

func (c *handClock) AfterFunc(d time.Duration, f func()) frameTimer {
	t := &handTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

// armed is the number of timers armed and neither fired nor stopped.
func (c *handClock) armed() int {
	n := 0
	for _, t := range c.timers {
		if !t.stopped {
			n++
		}
	}
	return n
}

// advance moves the time by d, firing the timers due by then.
func (c *handClock) advance(d time.Duration) {
	c.now = c.now.Add(d)
	for _, t := range c.timers {
		if !t.stopped && !t.at.After(c.now) {
			t.stopped = true
			t.f()
		}
	}
}

// writes records each write to it.
type writes struct {
	mu  sync.Mutex
	all [][]byte
}

func (w *writes) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.all = append(w.all, bytes.Clone(p))
	return len(p), nil
}

func (w *writes) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.all)
}

func (w *writes) last() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.all) == 0 {
		return ""
	}
	return string(w.all[len(w.all)-1])
}

func (w *writes) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return string(bytes.Join(w.all, nil))
}

// cells is a terminal screen of width×height, as far as the frame writer
// uses one: the cursor's position, erasing to the end of the line, below
// it and the whole screen, printable text (one cell a rune: the tests
// write ASCII); other sequences (modes, colours) change no cell.
type cells struct {
	width, height int
	rows          [][]rune
	row, col      int
}

func newCells(width, height int) *cells {
	c := &cells{width: width, height: height}
	c.clear()
	return c
}

func (c *cells) clear() {
	c.rows = make([][]rune, c.height)
	for i := range c.rows {
		c.rows[i] = []rune(strings.Repeat(" ", c.width))
	}
}

// feed interprets what was written.
func (c *cells) feed(t *testing.T, s string) {
	t.Helper()
	for len(s) > 0 {
		if s[0] != '\x1b' {
			if s[0] < ' ' {
				t.Fatalf("control character %q written", s[0])
			}
			r, size := utf8.DecodeRuneInString(s)
			w := ansi.StringWidth(string(r))
			if c.col+w > c.width {
				t.Fatalf("a line written past the width %d on row %d", c.width, c.row+1)
			}
			c.rows[c.row][c.col] = r
			if w == 2 {
				c.rows[c.row][c.col+1] = 0 // the wide rune's second cell
			}
			c.col += w
			s = s[size:]
			continue
		}
		end := strings.IndexFunc(s[2:], func(r rune) bool { return r >= '@' && r <= '~' })
		if s[1] != '[' || end < 0 {
			t.Fatalf("unexpected sequence in %q", s)
		}
		params, final := s[2:2+end], s[2+end]
		s = s[3+end:]
		switch final {
		case 'H':
			row, col := 1, 1
			if params != "" {
				r, cl, _ := strings.Cut(params, ";")
				row, _ = strconv.Atoi(r)
				col, _ = strconv.Atoi(cl)
			}
			c.row, c.col = min(row, c.height)-1, col-1
		case 'K':
			for i := c.col; i < c.width; i++ {
				c.rows[c.row][i] = ' '
			}
		case 'J':
			switch params {
			case "":
				for i := c.col; i < c.width; i++ {
					c.rows[c.row][i] = ' '
				}
				for r := c.row + 1; r < c.height; r++ {
					c.rows[r] = []rune(strings.Repeat(" ", c.width))
				}
			case "2":
				c.clear()
			}
		}
	}
}

// text is the screen, its rows' trailing blanks cut.
func (c *cells) text() string {
	rows := make([]string, len(c.rows))
	for i, r := range c.rows {
		rows[i] = strings.TrimRight(strings.ReplaceAll(string(r), "\x00", ""), " ")
	}
	return strings.Join(rows, "\n")
}

// framesFixture is a frame writer at 20 frames a second on a hand clock,
// started, and a screen of the given size that shows what it wrote.
type framesFixture struct {
	t      *testing.T
	clock  *handClock
	out    *writes
	w      *frameWriter
	screen *cells
	fed    int // writes fed to the screen
}

func newFramesFixture(t *testing.T, width, height int) *framesFixture {
	f := &framesFixture{t: t, clock: &handClock{now: start}, out: &writes{}}
	f.w = newFrameWriter(f.out, f.clock, 20)
	f.w.start()
	f.w.resize(width, height)
	f.screen = newCells(width, height)
	f.sync()
	return f
}

// sync feeds the screen what was written since the last sync, and
// returns it.
func (f *framesFixture) sync() string {
	f.t.Helper()
	f.out.mu.Lock()
	var b strings.Builder
	for _, p := range f.out.all[f.fed:] {
		b.Write(p)
	}
	f.fed = len(f.out.all)
	f.out.mu.Unlock()
	s := b.String()
	f.screen.feed(f.t, s)
	return s
}

// shows fails unless the screen shows want.
func (f *framesFixture) shows(want string) {
	f.t.Helper()
	f.sync()
	if got := f.screen.text(); got != want {
		f.t.Errorf("the screen shows\n%s\nwant\n%s", got, want)
	}
}

// armed fails the test unless want timers are armed.
func (f *framesFixture) armed(want int, when string) {
	f.t.Helper()
	if got := f.clock.armed(); got != want {
		f.t.Fatalf("%d timers armed %s, want %d", got, when, want)
	}
}

func lines(s ...string) string { return strings.Join(s, "\n") }

func TestFramesStartAndStopTheScreen(t *testing.T) {
	out := &writes{}
	w := newFrameWriter(out, &handClock{now: start}, 20)
	w.start()
	if got := out.String(); got != "\x1b[?1049h\x1b[2J\x1b[H\x1b[?25l\x1b[?2004h\x1b[?1000h\x1b[?1006h" {
		t.Errorf("start wrote %q, want the alternate screen, cleared, the cursor hidden, pastes bracketed, the mouse's buttons and wheel reported in SGR", got)
	}
	w.draw("board")
	n := out.count()
	w.stop()
	w.stop()
	if got := out.String()[len(out.String())-len(LeaveScreen):]; got != "\x1b[?1006l\x1b[?1000l\x1b[?2004l\x1b[?25h\x1b[?1049l" || out.count() != n+1 {
		t.Errorf("stop wrote %q in %d writes, want the mouse no longer reported, pastes unbracketed, the cursor shown, the main screen, once", got, out.count()-n)
	}
	w.draw("after")
	if out.count() != n+1 {
		t.Errorf("a frame drawn after stop was written: %q", out.last())
	}

	unstarted := &writes{}
	w = newFrameWriter(unstarted, &handClock{now: start}, 20)
	w.draw("never shown")
	w.stop()
	if got := unstarted.String(); strings.Contains(got, "\x1b[?1049l") {
		t.Errorf("stop without start left a screen it never took: %q", got)
	}
}

func TestFramesWriteOnlyTheLinesThatChanged(t *testing.T) {
	f := newFramesFixture(t, 20, 6)
	f.w.draw(lines("header 10:00:01", "queue A  3", "queue B  1", "footer"))
	f.shows(lines("header 10:00:01", "queue A  3", "queue B  1", "footer", "", ""))

	f.clock.advance(time.Second)
	f.w.draw(lines("header 10:00:02", "queue A  3", "queue B  2", "footer"))
	written := f.sync()
	for _, unchanged := range []string{"queue A", "footer"} {
		if strings.Contains(written, unchanged) {
			t.Errorf("the unchanged line %q was written again: %q", unchanged, written)
		}
	}
	f.shows(lines("header 10:00:02", "queue A  3", "queue B  2", "footer", "", ""))

	// shorter lines and fewer of them: what the last frame showed beyond
	// them is erased
	f.clock.advance(time.Second)
	f.w.draw(lines("header", "q"))
	f.shows(lines("header", "q", "", "", "", ""))
}

func TestAFrameShownIsNotWrittenAgain(t *testing.T) {
	f := newFramesFixture(t, 20, 4)
	f.w.draw(lines("header 10:00:01", "queue A  3"))
	n := f.out.count()
	for range 5 {
		f.clock.advance(time.Second)
		f.w.draw(lines("header 10:00:01", "queue A  3"))
	}
	if f.out.count() != n {
		t.Errorf("%d writes of the frame shown: %q", f.out.count()-n, f.out.last())
	}
	// a frame that differs from the screen only past its width
	f.w.draw(lines("header 10:00:01 and more", "queue A  3"))
	n = f.out.count()
	f.clock.advance(time.Second)
	f.w.draw(lines("header 10:00:01 and MORE", "queue A  3"))
	if f.out.count() != n {
		t.Errorf("%d writes of a frame that differs past the width: %q", f.out.count()-n, f.out.last())
	}
	if f.clock.armed() != 0 {
		t.Errorf("%d timers armed with nothing to draw", f.clock.armed())
	}
}

func TestFramesAreCutToTheTerminal(t *testing.T) {
	f := newFramesFixture(t, 10, 3)
	bold := "\x1b[1m"
	f.w.draw(lines("1 first", "2 "+bold+"second line, too long\x1b[0m", "3 third", "4 exactly 10", "5 0123456789", "6 last"))
	written := f.sync()
	// the last three lines, as Bubble Tea's renderer keeps them
	f.shows(lines("4 exactly", "5 01234567", "6 last"))
	if strings.Contains(written, "first") || strings.Contains(written, "second") {
		t.Errorf("lines above the terminal's height were written: %q", written)
	}
	// a line as wide as the terminal leaves the cursor on its last cell:
	// no erase after it
	if strings.Contains(written, "5 01234567"+ansi.EraseLineRight) {
		t.Errorf("a full line was followed by an erase of its last cell: %q", written)
	}
	if strings.Contains(written, ansi.EraseScreenBelow) {
		t.Errorf("a frame as high as the terminal erased below its last line: %q", written)
	}

	// escape sequences count no width and are kept, wide runes count two
	f.clock.advance(time.Second)
	f.w.draw(lines("a", bold+"0123456789abc\x1b[0m", "日本語ですX"))
	written = f.sync()
	if !strings.Contains(written, bold+"0123456789\x1b[0m") || strings.Contains(written, "abc") {
		t.Errorf("a styled line cut wrong: %q", written)
	}
	f.shows(lines("a", "0123456789", "日本語です"))
}

func TestFramesAreWrittenAtMostTwentyASecond(t *testing.T) {
	f := newFramesFixture(t, 20, 3)
	f.w.draw("frame 1")
	f.shows(lines("frame 1", "", ""))
	f.armed(0, "after a frame written at once")

	// two more within the frame's 50 ms: one timer, for the rest of it
	f.clock.advance(10 * time.Millisecond)
	f.w.draw("frame 2")
	f.clock.advance(10 * time.Millisecond)
	f.w.draw("frame 3")
	f.shows(lines("frame 1", "", ""))
	f.armed(1, "for the frames waiting")
	f.clock.advance(29 * time.Millisecond)
	f.shows(lines("frame 1", "", ""))
	f.clock.advance(time.Millisecond)
	// the newest frame only, 50 ms after the last write
	if written := f.sync(); strings.Contains(written, "frame 2") || !strings.Contains(written, "frame 3") {
		t.Errorf("50 ms after frame 1, wrote %q, want frame 3 only", written)
	}
	f.shows(lines("frame 3", "", ""))

	// a frame a frame's time after the last write is written at once
	f.clock.advance(50 * time.Millisecond)
	f.w.draw("frame 4")
	f.shows(lines("frame 4", "", ""))
	f.armed(0, "after a frame written at once")

	// a frame like the one shown, drawn in the frame's time, then
	// another: the timer writes the newest
	f.clock.advance(20 * time.Millisecond)
	f.w.draw("frame 5")
	f.w.draw("frame 4")
	n := f.out.count()
	f.clock.advance(30 * time.Millisecond)
	if f.out.count() != n {
		t.Errorf("the frame shown was written again: %q", f.out.last())
	}
}

func TestAResizeRepaintsTheFrame(t *testing.T) {
	f := newFramesFixture(t, 20, 4)
	f.w.draw(lines("header", "row one", "row two"))
	f.shows(lines("header", "row one", "row two", ""))

	// the terminal's emulator may move or lose cells at a resize: the
	// frame is written whole on the new screen, and the rest erased
	f.clock.advance(time.Second)
	f.w.resize(8, 5)
	f.screen = newCells(8, 5)
	for r := range f.screen.rows {
		f.screen.rows[r] = []rune("########")
	}
	f.w.draw(lines("header", "row one", "row two"))
	f.shows(lines("header", "row one", "row two", "", ""))
}

func TestStopWritesTheFrameThatWaits(t *testing.T) {
	f := newFramesFixture(t, 20, 2)
	f.w.draw("first")
	f.clock.advance(10 * time.Millisecond)
	f.w.draw("last")
	f.w.stop()
	written := f.sync()
	if !strings.Contains(written, "last"+ansi.EraseLineRight+LeaveScreen) {
		t.Errorf("stop wrote %q, want the last frame then the screen left", written)
	}
	if f.clock.armed() != 0 {
		t.Errorf("%d timers still armed after stop", f.clock.armed())
	}
	n := f.out.count()
	f.clock.advance(time.Second)
	if f.out.count() != n {
		t.Errorf("written after stop: %q", f.out.last())
	}
}

// TestAnIdleBoardWritesNothing: a board shown whose views say the same
// (an idle center's at the same second) writes nothing and arms no timer,
// whatever it is sent; the next second writes the header's clock.
func TestAnIdleBoardWritesNothing(t *testing.T) {
	m, tb := scripted(t, state.Options{}, 80, 24)
	f := newFramesFixture(t, 80, 24)
	f.w.draw(m.View())
	f.sync()
	n := f.out.count()
	for range 10 {
		m, _ = update(t, m, tb.view())
		f.w.draw(m.View())
	}
	if f.out.count() != n || f.clock.armed() != 0 {
		t.Errorf("the same view written %d times, %d timers armed", f.out.count()-n, f.clock.armed())
	}
	f.clock.advance(time.Second)
	tb.clock = tb.clock.Add(time.Second)
	m, _ = update(t, m, tb.view())
	f.w.draw(m.View())
	written := f.sync()
	if f.out.count() != n+1 || !strings.Contains(written, "15:17:02") || strings.Contains(written, "Calls waiting") {
		t.Errorf("the next second: %d writes, %q, want one of the lines that changed", f.out.count()-n, written)
	}
	f.shows(screenOf(m.View(), 24))
}

// screenOf is the text a screen of height rows shows of frame.
func screenOf(frame string, height int) string {
	rows := strings.Split(ansi.Strip(frame), "\n")
	for len(rows) < height {
		rows = append(rows, "")
	}
	for i, r := range rows {
		rows[i] = strings.TrimRight(r, " ")
	}
	return strings.Join(rows[len(rows)-height:], "\n")
}
