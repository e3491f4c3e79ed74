package tui

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"callboard/internal/testkit"
)

// Reports cut where a read ends: the viewer's write is not the reader's
// read (a pipe, a pseudo-terminal, an ssh channel each cut where they
// will), so the start of a report is kept for the read that brings its
// end, never handed on as keys.

// readsReader hands out one of reads at each Read, then EOF.
type readsReader struct{ reads []string }

func (r *readsReader) Read(p []byte) (int, error) {
	if len(r.reads) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.reads[0])
	if r.reads[0] = r.reads[0][n:]; r.reads[0] == "" {
		r.reads = r.reads[1:]
	}
	return n, nil
}

// received runs reads, each one read of the KeyReader's source, through a
// program, and returns the keys and the mouse it got.
func received(t *testing.T, reads ...string) []tea.Msg {
	t.Helper()
	var msgs []tea.Msg
	src := &readsReader{reads: append(reads, endOfInput)}
	p := tea.NewProgram(recorder{&msgs}, tea.WithInput(NewKeyReader(src)), tea.WithOutput(io.Discard), tea.WithoutRenderer(), tea.WithoutSignalHandler())
	if _, err := p.Run(); err != nil {
		t.Fatal(err)
	}
	var input []tea.Msg
	for _, m := range msgs {
		switch m.(type) {
		case tea.KeyMsg, tea.MouseMsg:
			input = append(input, m)
		}
	}
	return input
}

func describe(msgs []tea.Msg) string {
	var s []string
	for _, m := range msgs {
		switch m := m.(type) {
		case tea.KeyMsg:
			s = append(s, fmt.Sprintf("key %q", m.String()))
		case tea.MouseMsg:
			s = append(s, fmt.Sprintf("mouse %s at %d,%d", m.String(), m.X, m.Y))
		}
	}
	return strings.Join(s, ", ")
}

// TestKeyReaderKeepsASplitReport cuts a report, SGR and X10, at every
// byte across two reads: one mouse message, no key. Cut after its escape
// alone, the escape is the Esc key (a lone escape at a read's end is
// handed on at once: the key a person pressed), and the rest still the
// report, not keys; after another report in the same read (a burst), the
// escape is the next report's, and no Esc comes.
func TestKeyReaderKeepsASplitReport(t *testing.T) {
	wheel := tea.MouseMsg{X: 2, Y: 6, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress}
	for _, report := range []string{sgrPress(65, 2, 6), string([]byte{0x1b, '[', 'M', 32 + 65, 32 + 3, 32 + 7})} {
		for cut := 1; cut < len(report); cut++ {
			got := received(t, report[:cut], report[cut:])
			want := []tea.Msg{wheel}
			if cut == 1 {
				want = []tea.Msg{tea.KeyMsg{Type: tea.KeyEsc}, wheel}
			}
			if describe(got) != describe(want) {
				t.Errorf("%q cut after %d bytes: %s; want %s", report, cut, describe(got), describe(want))
			}
			burst := received(t, report+report[:cut], report[cut:])
			if want := []tea.Msg{wheel, wheel}; describe(burst) != describe(want) {
				t.Errorf("%q twice, cut after %d bytes of the second: %s; want %s", report, cut, describe(burst), describe(want))
			}
		}
	}
	// Cut keys are kept too: an arrow, a character of two bytes.
	for _, c := range []struct {
		reads []string
		want  []tea.Msg
	}{
		{[]string{"j\x1b[", "A"}, []tea.Msg{keyRunes("j"), tea.KeyMsg{Type: tea.KeyUp}}},
		{[]string{"\x1b[1;5", "C"}, []tea.Msg{tea.KeyMsg{Type: tea.KeyCtrlRight}}},
		{[]string{"\xc3", "\xa9"}, []tea.Msg{keyRunes("é")}},
		{[]string{"\x1b"}, []tea.Msg{tea.KeyMsg{Type: tea.KeyEsc}}},
		{[]string{"j\x1b", "k"}, []tea.Msg{keyRunes("j"), tea.KeyMsg{Type: tea.KeyEsc}, keyRunes("k")}},
	} {
		if got := received(t, c.reads...); describe(got) != describe(c.want) {
			t.Errorf("%q: %s; want %s", c.reads, describe(got), describe(c.want))
		}
	}
}

// TestKeyReaderHoldsLittle: what the reader keeps of a sequence not yet
// ended is bounded: a sequence that never ends is let go at maxSequence
// bytes.
func TestKeyReaderHoldsLittle(t *testing.T) {
	k := NewKeyReader(&readsReader{reads: []string{"\x1b[<1;2;3", strings.Repeat("4", 200), "M", "q"}})
	buf := make([]byte, 256)
	for {
		_, err := k.Read(buf)
		if len(k.raw) > maxSequence {
			t.Fatalf("the reader holds %d bytes", len(k.raw))
		}
		if err != nil {
			break
		}
	}
}

// TestWheelBurstPastARead: 410 turns of the wheel in one write (4,100
// bytes, more than a read of 4,096) leave the board on its tab, through
// a pipe as serve reads a viewer and through a pseudo-terminal as the
// board reads its own.
func TestWheelBurstPastARead(t *testing.T) {
	burst := wheelBurst(410, 2, 6)
	if len(burst) <= readSize {
		t.Fatalf("the burst is %d bytes: not past a read", len(burst))
	}
	newModel := scriptedBoard(t)
	end := playBoard(t, newModel(renderer(termenv.Ascii)), 80, 24, "2", burst)
	if bar := strings.Split(end.screen, "\n")[tabBarLine]; !strings.Contains(bar, "[Agents]") {
		t.Errorf("after 2 and 410 turns of the wheel the tab bar is %q", bar)
	}
	// Split reports in writes of their own.
	end = playBoard(t, newModel(renderer(termenv.Ascii)), 80, 24, "2", "\x1b[<65;", "3;7M", "\x1b[M", " 4#")
	if bar := strings.Split(end.screen, "\n")[tabBarLine]; !strings.Contains(bar, "[Agents]") {
		t.Errorf("after 2 and split reports the tab bar is %q", bar)
	}

	t.Run("a terminal", func(t *testing.T) {
		ptmx, tty := openTerminal(t, 80, 24)
		shows := readTerminal(ptmx)
		var frame string
		pr := probe{inner: newModel(renderer(termenv.Ascii)), sized: make(chan struct{}), once: &sync.Once{}, frame: &frame}
		p := NewProgram(pr, tty, tty)
		done := make(chan error, 1)
		go func() { done <- p.Run() }()
		testkit.Receive(t, "the program taking the terminal's size", pr.sized)
		testkit.Eventually(t, "the mouse asked for", shows(mouseOn))
		for _, s := range []string{"2", burst, "\x1b[<65;", "3;7M", endOfInput} {
			ptmx.WriteString(s)
		}
		if err := testkit.Receive(t, "Run's return", done); err != nil {
			t.Fatalf("Run = %v", err)
		}
		if bar := strings.Split(frame, "\n")[tabBarLine]; !strings.Contains(bar, "[Agents]") {
			t.Errorf("after 2 and 410 turns of the wheel the tab bar is %q", bar)
		}
	})
}
