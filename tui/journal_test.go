package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"

	"callboard/feed"
	"callboard/state"
)

// TestTheBoardSaysWhatItDidNotSee: a stretch of today the board did not
// see (an outage, or callboard not running) shows beside the day's span on
// the Overview, and a journal that cannot be written says so in the header.
func TestTheBoardSaysWhatItDidNotSee(t *testing.T) {
	tb := newTestBoard(t, state.Options{})
	m := New(Config{Title: "callboard"})
	m, _ = update(t, m, sizeMsg(120, 30))
	m = tb.send(m, directory(),
		&feed.StatusMsg{State: feed.Live, At: start},
		&feed.StatusMsg{State: feed.Disconnected, Reason: feed.ReasonNotRunning, At: start.Add(4 * time.Minute)},
		&feed.StatusMsg{State: feed.Live, At: start.Add(31 * time.Minute)},
	)
	tb.clock = start.Add(40 * time.Minute)
	v := tb.board.View(tb.clock)
	v.Journal = state.JournalHealth{On: true, Problem: "not writing (disk full)"}
	m, _ = update(t, m, viewMsg{v})
	screen := m.View()
	from, to := start.Add(4*time.Minute).Format("15:04"), start.Add(31*time.Minute).Format("15:04")
	if !strings.Contains(screen, "not live "+from+"–"+to) {
		t.Errorf("the stretch not seen (%s–%s) is not shown:\n%s", from, to, screen)
	}
	header := strings.SplitN(screen, "\n", 2)[0]
	if !strings.Contains(header, "journal: not writing (disk full)") {
		t.Errorf("header %q does not say the journal is not written", header)
	}
}

// TestAJournalThatDoesNotWriteStaysInANarrowHeader: the clock, the last
// event and the title give way to it, down to the state word and a cut
// warning.
func TestAJournalThatDoesNotWriteStaysInANarrowHeader(t *testing.T) {
	problem := "not writing (another process writes it, pid 123456)"
	for _, tc := range []struct {
		width int
		want  string
	}{
		{160, "journal: " + problem},
		{100, "journal: " + problem},
		{80, "journal: " + problem},
		{60, "journal: not writing"},
		{40, "journal: not writing"},
	} {
		tb := newTestBoard(t, state.Options{})
		m := New(Config{Title: "callboard"})
		m, _ = update(t, m, sizeMsg(tc.width, 24))
		m = tb.send(m, directory(), &feed.StatusMsg{State: feed.Live, At: start})
		v := tb.board.View(tb.clock)
		v.Journal = state.JournalHealth{On: true, Problem: problem}
		m, _ = update(t, m, viewMsg{v})
		header := strings.SplitN(m.View(), "\n", 2)[0]
		if !strings.Contains(header, tc.want) || !strings.Contains(header, "live") || lipgloss.Width(header) > tc.width {
			t.Errorf("at %d columns the header is %q: want the state and %q", tc.width, header, tc.want)
		}
	}
}
