package tui

import (
	"fmt"
	"io"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// The mouse as a terminal reports it: bytes through a real Program (the
// KeyReader, Bubble Tea's parsing, the frame writer).

// sgrPress is the SGR report of button b pressed (0 the left, 64 and 65
// the wheel up and down) at column x, line y, counted from 0 as
// tea.MouseMsg counts them (the report counts from 1).
func sgrPress(b, x, y int) string { return fmt.Sprintf("\x1b[<%d;%d;%dM", b, x+1, y+1) }

// sgrRelease is the SGR report of the left button released.
func sgrRelease(x, y int) string { return fmt.Sprintf("\x1b[<0;%d;%dm", x+1, y+1) }

// sgrClick is a press of the left button and its release.
func sgrClick(x, y int) string { return sgrPress(0, x, y) + sgrRelease(x, y) }

// x10Click is a click as X10 reports it (a terminal without SGR): each of
// button, column and line a byte, 32 more than its value, counted from 1;
// the release is button 3.
func x10Click(x, y int) string {
	return string([]byte{0x1b, '[', 'M', 32, byte(32 + x + 1), byte(32 + y + 1), 0x1b, '[', 'M', 32 + 3, byte(32 + x + 1), byte(32 + y + 1)})
}

// wheelBurst is n turns of the wheel down at x, y in one write, as a
// touchpad's fling sends them.
func wheelBurst(n, x, y int) string { return strings.Repeat(sgrPress(65, x, y), n) }

// sized is m given a window of width × height.
func sized(t *testing.T, m tea.Model, width, height int) Model {
	t.Helper()
	next, _ := m.Update(sizeMsg(width, height))
	return next.(Model)
}

// tabX is the column of the tab bar where name is drawn.
func tabX(t *testing.T, m Model, name string) int {
	t.Helper()
	x := strings.Index(screenLines(m)[tabBarLine], name)
	if x < 0 {
		t.Fatalf("the tab bar %q does not name %q", screenLines(m)[tabBarLine], name)
	}
	return x
}

// TestMouseReportsThroughAProgram: clicks in SGR and X10, and a burst of
// 50 turns of the wheel in one write, reach the board as the mouse: the
// screen is the board's after the same tea.MouseMsg, and no byte of a
// report becomes a key (the digits of "\x1b[<65;12;5M" would switch tabs).
func TestMouseReportsThroughAProgram(t *testing.T) {
	newModel := scriptedBoard(t)
	plain := renderer(termenv.Ascii)
	m := sized(t, newModel(plain), 80, 24)
	trunks := tabX(t, m, "Trunks")

	end := playBoard(t, newModel(plain), 80, 24, sgrClick(trunks, tabBarLine))
	if bar := strings.Split(end.screen, "\n")[tabBarLine]; !strings.Contains(bar, "[Trunks]") {
		t.Errorf("after an SGR click on Trunks the tab bar is %q", bar)
	}
	end = playBoard(t, newModel(plain), 80, 24, x10Click(trunks, tabBarLine))
	if bar := strings.Split(end.screen, "\n")[tabBarLine]; !strings.Contains(bar, "[Trunks]") {
		t.Errorf("after an X10 click on Trunks the tab bar is %q", bar)
	}

	for _, f1 := range []string{"\x1bOP", "\x1b[11~", "\x1b[[A"} { // xterm, rxvt, the Linux console
		if end := playBoard(t, newModel(plain), 80, 24, f1); !strings.Contains(end.screen, "?/F1") {
			t.Errorf("%q does not open the help:\n%s", f1, end.screen)
		}
	}

	big := func(*lipgloss.Renderer) tea.Model {
		return New(Config{View: bigBoard(t, 300).View(start), Renderer: plain})
	}
	for _, c := range []struct {
		name  string
		input []string
		msgs  []tea.Msg
	}{
		{"a burst of the wheel", []string{"2", wheelBurst(50, 10, 8)}, append([]tea.Msg{keyRunes("2")}, repeat(wheelDown(10, 8), 50)...)},
		{"the wheel, keys and clicks in one write", []string{"2" + wheelBurst(20, 10, 8) + "j" + sgrClick(10, 5) + wheelBurst(30, 10, 8) + "k"},
			append(append(append([]tea.Msg{keyRunes("2")}, repeat(wheelDown(10, 8), 20)...), keyRunes("j"), clickAt(10, 5), release(10, 5)), append(repeat(wheelDown(10, 8), 30), keyRunes("k"))...)},
		{"X10 clicks and wheel", []string{"2", x10Click(10, 6) + string([]byte{0x1b, '[', 'M', 32 + 65, 32 + 11, 32 + 9})}, []tea.Msg{keyRunes("2"), clickAt(10, 6), release(10, 6), wheelDown(10, 8)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			want, _ := update(t, sized(t, big(plain), 80, 24), c.msgs...)
			end := playBoard(t, big(plain), 80, 24, c.input...)
			if end.frame != want.View() {
				t.Errorf("the board after the bytes:\n%s\nwant, after the same mouse as messages:\n%s", end.frame, want.View())
			}
			if want.tab != tabAgents || want.current().base().panes[0].scroll.cursor == 0 {
				t.Errorf("the messages left tab %s, cursor on row %d: not a test", want.tab, want.current().base().panes[0].scroll.cursor)
			}
		})
	}
}

func repeat(msg tea.Msg, n int) []tea.Msg {
	msgs := make([]tea.Msg, n)
	for i := range msgs {
		msgs[i] = msg
	}
	return msgs
}

// TestTabBarGoldens: the tab bar at 80x24 and 40x12, colour and plain,
// with the Trunks tab active (the tabs on both sides of it named).
func TestTabBarGoldens(t *testing.T) {
	playGoldens(t, scriptedBoard(t), "5")
}

// TestMouseGoldens: the Agents tab, F1's help opened and closed (F1 as
// xterm and as the Linux console send it), the second row clicked (line 5
// of the screen at every size: the header, the tab bar, the column titles,
// the first row), the wheel turned down once over the rows (3 rows down).
func TestMouseGoldens(t *testing.T) {
	playGoldens(t, scriptedBoard(t), "2", "\x1bOP", "\x1b[11~", sgrClick(5, 4), sgrPress(65, 5, 6))
}

// TestKeyReaderHandsMouseReportsWhole: reports of every kind, in one write
// and in full reads that cut them, are handed on whole; ill-made ones and ones
// cut where the write ended are dropped, never handed on in pieces.
func TestKeyReaderHandsMouseReportsWhole(t *testing.T) {
	reports := []string{sgrPress(65, 150, 44), sgrRelease(3, 1), sgrPress(0, 999, 499), x10Click(200, 100)[:6], "\x1b[M\x60\xff\xff"}
	for _, report := range reports {
		input := strings.Repeat(report, 500)
		for _, size := range []int{readSize, len(input)} {
			reads := readAll(t, NewKeyReader(&chunkReader{b: []byte(input), n: size}))
			if got := strings.Join(reads, ""); got != input {
				t.Fatalf("%q in reads of %d: %d bytes out of %d, not the same", report, size, len(got), len(input))
			}
			for _, r := range reads {
				if strings.ReplaceAll(r, report, "") != "" {
					t.Fatalf("%q in reads of %d: a read cuts a report: %q", report, size, r)
				}
			}
		}
	}
	for _, c := range []struct{ input, want string }{
		{"a\x1b[<0;5Mb", "ab"},                               // two numbers
		{"a\x1b[<0;5;;Mb", "ab"},                             // an empty one
		{"a\x1b[<0;5;6Xb", "ab"},                             // not M or m
		{"a\x1b[<0;123456;6Mb", "ab"},                        // a column no terminal has
		{"a\x1b[<0;5\x1b[<65;1;1Mb", "a\x1b[<65;1;1Mb"},      // cut by the next report
		{"a\x1b[<" + strings.Repeat("1;", 60) + "5Mb", "ab"}, // longer than any
		{"a\x1b[<0;5", "a"},                                  // cut where the write ended
		{"a\x1b[M\x20", "a"},                                 // an X10 report cut so
	} {
		got := strings.Join(readAll(t, NewKeyReader(strings.NewReader(c.input))), "")
		if got != c.want {
			t.Errorf("%q read as %q, want %q", c.input, got, c.want)
		}
	}
}

// recorder is a model that keeps the messages it gets and quits at F12.
type recorder struct{ msgs *[]tea.Msg }

func (r recorder) Init() tea.Cmd { return nil }

func (r recorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyF12 {
		return r, tea.Quit
	}
	*r.msgs = append(*r.msgs, msg)
	return r, nil
}

func (r recorder) View() string { return "" }

// TestABurstOfTheWheelIsTheMouse: 50 turns of the wheel in one write, then
// a click, read through the KeyReader by Bubble Tea: 52 mouse messages,
// not one key.
func TestABurstOfTheWheelIsTheMouse(t *testing.T) {
	var msgs []tea.Msg
	input := wheelBurst(50, 150, 44) + sgrClick(7, 1) + endOfInput
	p := tea.NewProgram(recorder{&msgs}, tea.WithInput(NewKeyReader(strings.NewReader(input))), tea.WithOutput(io.Discard), tea.WithoutRenderer(), tea.WithoutSignalHandler())
	if _, err := p.Run(); err != nil {
		t.Fatal(err)
	}
	var mouse []tea.MouseMsg
	for _, msg := range msgs {
		switch msg := msg.(type) {
		case tea.MouseMsg:
			mouse = append(mouse, msg)
		case tea.KeyMsg:
			t.Errorf("a key %q", msg)
		}
	}
	released := tea.MouseMsg{X: 7, Y: 1, Button: tea.MouseButtonLeft, Action: tea.MouseActionRelease} // SGR names the button released
	want := append(repeat(wheelDown(150, 44), 50), clickAt(7, 1), released)
	if len(mouse) != len(want) {
		t.Fatalf("%d mouse messages, want %d", len(mouse), len(want))
	}
	for i := range want {
		if w := want[i].(tea.MouseMsg); mouse[i].X != w.X || mouse[i].Y != w.Y || mouse[i].Button != w.Button || mouse[i].Action != w.Action {
			t.Errorf("mouse message %d is %+v, want %+v", i, mouse[i], w)
		}
	}
}
