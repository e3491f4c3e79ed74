package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"callboard/feed"
)

// DefaultMaxBatch is how many feed messages one batch holds at most.
const DefaultMaxBatch = 5000

// feedBatchMsg carries the feed messages that were pending at once, in the
// order they came. closed is set when the channel was found closed.
type feedBatchMsg struct {
	msgs   []feed.Message
	closed bool
}

// waitForFeed returns the command that waits for the next feed message and
// then takes, without waiting, every message already pending, up to limit.
// Update runs it again after each batch, so exactly one reader waits.
func waitForFeed(ch <-chan feed.Message, limit int) tea.Cmd {
	return func() tea.Msg {
		first, ok := <-ch
		if !ok {
			return feedBatchMsg{closed: true}
		}
		msgs := make([]feed.Message, 1, min(1+len(ch), limit))
		msgs[0] = first
		for len(msgs) < limit {
			select {
			case m, ok := <-ch:
				if !ok {
					return feedBatchMsg{msgs: msgs, closed: true}
				}
				msgs = append(msgs, m)
			default:
				return feedBatchMsg{msgs: msgs}
			}
		}
		return feedBatchMsg{msgs: msgs}
	}
}

// tickMsg makes time pass on the board: durations, ages and the clock.
type tickMsg struct{}

// tick fires on the next whole second of the wall clock.
func tick() tea.Cmd {
	return tea.Every(time.Second, func(time.Time) tea.Msg { return tickMsg{} })
}

// refreshEvery is the shortest time between two refreshes caused by the
// feed: preparing the rows of a large board takes milliseconds, and events
// trickling in one by one would otherwise each pay for it.
const refreshEvery = 100 * time.Millisecond

// refreshMsg asks for the refresh a feed batch put off.
type refreshMsg struct{}
