package cli

import (
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"callboard/internal/testkit"
)

// tabBarOf is the tab bar last drawn in what a board wrote: its frame
// writer draws each line it changes at its place, the tab bar on the
// screen's second line.
func tabBarOf(t *testing.T, written string) string {
	t.Helper()
	at := strings.LastIndex(written, "\x1b[2;1H")
	if at < 0 {
		t.Fatalf("no tab bar drawn in %q", tail(written, 2000))
	}
	line := written[at+len("\x1b[2;1H"):]
	if next := regexp.MustCompile(`\x1b\[\d+;1H`).FindStringIndex(line); next != nil {
		line = line[:next[0]]
	}
	return ansi.Strip(line)
}

// sgrClick is a click as a terminal reports it in SGR's encoding, at
// column x and line y counted from 0.
func sgrClick(x, y int) string {
	return fmt.Sprintf("\x1b[<0;%d;%dM\x1b[<0;%d;%dm", x+1, y+1, x+1, y+1)
}

// TestServeMouse: over ssh with the OpenSSH client in a terminal, the board
// asks the viewer's terminal for the mouse; a click on a tab shows it; a
// burst of 50 turns of the wheel in one write lands as the mouse (no digit
// of a report taken for a tab's key); F1 opens and closes the help; at q
// the mouse is no longer asked for.
func TestServeMouse(t *testing.T) {
	t.Parallel()
	fx := newServeFixture(t)
	port, _ := fx.start(t)
	v := startViewer(t, fx.key, port)
	v.screen.waitFor(t, "live")
	v.screen.waitFor(t, "Overview")
	v.screen.waitFor(t, "\x1b[?1000h\x1b[?1006h")

	click := func(tab string) {
		t.Helper()
		bar := tabBarOf(t, v.screen.String())
		x := strings.Index(bar, tab)
		if x < 0 {
			t.Fatalf("the tab bar %q does not name %s", bar, tab)
		}
		off := len(v.screen.String())
		v.ptmx.WriteString(sgrClick(x, 1))
		v.screen.waitSince(t, off, "["+tab+"]")
	}
	click("Trunks")
	// The Agents tab, the wheel turned 50 times in one write, then F1 (the
	// help, drawn once all before it was taken): the Agents tab still.
	off := len(v.screen.String())
	v.ptmx.WriteString("2" + strings.Repeat("\x1b[<65;12;5M", 50) + "\x1bOP")
	v.screen.waitSince(t, off, "?/F1")
	if bar := tabBarOf(t, v.screen.String()); !strings.Contains(bar, "[Agents]") {
		t.Errorf("the tab bar after the wheel's burst: %q, want the Agents tab", bar)
	}
	v.ptmx.WriteString("\x1bOP")
	click("Queues")

	v.ptmx.WriteString("q")
	if err := v.wait(t); err != nil {
		t.Errorf("ssh after q: %v", err)
	}
	// what ssh wrote before it ended may still be on its way from the
	// terminal
	testkit.Eventually(t, "the mouse no longer asked for", func() bool {
		written := v.screen.String()
		return strings.LastIndex(written, "\x1b[?1006l\x1b[?1000l") > strings.LastIndex(written, "\x1b[?1000h")
	}, func() string { return tail(v.screen.String(), 300) })
}

// still is a board that never changes.
type still struct{}

func (still) Init() tea.Cmd                       { return nil }
func (still) Update(tea.Msg) (tea.Model, tea.Cmd) { return still{}, nil }
func (still) View() string                        { return "" }

// TestTheMouseIsNotIdle: a viewer who only clicks or turns the wheel is not
// disconnected as idle; one who does nothing is.
func TestTheMouseIsNotIdle(t *testing.T) {
	for _, c := range []struct {
		name string
		msg  tea.Msg
		idle bool
	}{
		{"a click", tea.MouseMsg{X: 3, Y: 1, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress}, false},
		{"the wheel", tea.MouseMsg{X: 3, Y: 5, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress}, false},
		{"a key", tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("2")}, false},
		{"nothing", nil, true},
	} {
		// the last action a day ago, the timeout an hour
		m := &idleModel{Model: still{}, timeout: time.Hour, last: time.Now().Add(-24 * time.Hour), idled: &atomic.Bool{}}
		if c.msg != nil {
			m.Update(c.msg)
		}
		m.Update(idleCheck{})
		if m.idled.Load() != c.idle {
			t.Errorf("after %s the viewer is idle: %v, want %v", c.name, m.idled.Load(), c.idle)
		}
	}
}
