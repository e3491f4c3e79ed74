package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"callboard/feed"
	"callboard/state"
)

// failingNotify is a sender whose webhook failed, a change dropped, one
// held by the cooldown; the failure's words are outside text.
var failingNotify = state.NotifyHealth{On: true, Sending: true, Sent: 3, WebhookFailures: 1, Dropped: 1, Held: 2,
	LastFailure: "webhook: https://chat.example/…: HTTP 503 (4 attempts)\x1b[2J\u202e", LastFailureAt: start}

// TestTheEventsTabSaysHowTheAlertsAreSentOut: a line under the feed's
// counts says what was sent, failed, dropped and held, and the last
// failure, sanitised; none without [notify]; another process sending is
// said.
func TestTheEventsTabSaysHowTheAlertsAreSentOut(t *testing.T) {
	for _, c := range []struct {
		health state.NotifyHealth
		want   string
	}{
		{failingNotify, "notify: 3 sent · 1 failed · 1 dropped · 2 held · last failure " + start.Format("15:04:05") + ": webhook: https://chat.example/…: HTTP 503 (4 attempts)"},
		{state.NotifyHealth{On: true}, "notify: not sending (another process writes the journal, or none is kept)"},
		{state.NotifyHealth{}, ""},
	} {
		tb := newTestBoard(t, state.Options{})
		m := New(Config{Renderer: renderer(termenv.Ascii)})
		m, _ = update(t, m, sizeMsg(160, 24), keyRunes("6"))
		m = tb.send(m, directory(), &feed.StatusMsg{State: feed.Live, At: start})
		v := tb.board.View(tb.clock)
		v.Notify = c.health
		m, _ = update(t, m, viewMsg{v})
		screen := m.View()
		if strings.ContainsAny(screen, "\x1b\u202e") {
			t.Errorf("the failure's escapes reached the screen: %q", screen)
		}
		got := ""
		for _, l := range strings.Split(screen, "\n") {
			if strings.Contains(l, "notify: ") || got != "" && strings.Contains(l, "attempts") {
				got = strings.TrimSpace(got + " " + strings.TrimSpace(l))
			}
		}
		if !strings.HasPrefix(got, c.want) || (c.want == "") != (got == "") {
			t.Errorf("notify line %q, want %q", got, c.want)
		}
	}
}

// TestNotifyGoldens: the scripted morning's Events tab with a sender that
// fails, at 80x24 and 40x12 (where the line is cut), colour and plain.
func TestNotifyGoldens(t *testing.T) {
	tb := newTestBoard(t, state.Options{})
	for _, msg := range scriptedMessages(t) {
		tb.board.Handle(msg, feed.MessageTime(msg))
	}
	v := tb.board.View(start)
	v.Notify = failingNotify
	playGoldens(t, func(r *lipgloss.Renderer) tea.Model {
		return New(Config{Title: "callboard — demo", View: v, Renderer: r})
	}, "6")
}
