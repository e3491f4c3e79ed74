package tui

import (
	"strconv"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// start is the fixed clock of the tests: the vendor's sample timestamp.
var start = time.Unix(1547651821, 0).UTC()

// directory is a small fixed directory; one agent's name carries an
// escape sequence, as outside text may.
func directory() *feed.DirectoryMsg {
	return &feed.DirectoryMsg{At: start, Directory: feed.Directory{
		Agents: []feed.Agent{
			{ID: "1", Name: "Alice Martin", Groups: []feed.Text{"10"}},
			{ID: "2", Name: "Bob Durand", Groups: []feed.Text{"10", "11"}},
			{ID: "3", Name: "Chloé Petit", Groups: []feed.Text{"11"}},
			{ID: "4", Name: "David\x1b[2J Roux\a", Groups: []feed.Text{"11"}},
		},
		Groups: []feed.Named{{ID: "10", Name: "Support"}, {ID: "11", Name: "Sales"}},
		Trunks: []feed.Named{{ID: "345940", Name: "Paris 01"}, {ID: "346223", Name: "Lyon 04"}},
		Pauses: []feed.Named{{ID: "2", Name: "Lunch"}},
		Target: "99",
	}}
}

// bigBoard is a board of n agents, all logged in.
func bigBoard(t testing.TB, n int) *state.Board {
	t.Helper()
	b := state.New(state.Options{Location: time.UTC}, start)
	d := feed.Directory{Groups: []feed.Named{{ID: "10", Name: "Support"}}}
	for i := range n {
		id := feed.Text(strconv.Itoa(i + 1))
		d.Agents = append(d.Agents, feed.Agent{ID: id, Name: "Agent " + string(id), Groups: []feed.Text{"10"}})
	}
	b.SetDirectory(d, start)
	for i := range n {
		b.Apply(feedtest.Event(start, `{"ts":1547651821,"elapse":`+strconv.Itoa(i%4000)+`,"cpt":`+strconv.Itoa(i+1)+
			`,"event":{"type_notification":"UI","event":"login","msg":{"supp":"","id_operator":`+strconv.Itoa(i+1)+`,"id_client":1}}}`), start)
	}
	return b
}

func keyRunes(s string) tea.KeyMsg {
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// update sends msgs to m in turn, as the program would, and returns the
// model and the last command.
func update(t testing.TB, m Model, msgs ...tea.Msg) (Model, tea.Cmd) {
	t.Helper()
	var cmd tea.Cmd
	for _, msg := range msgs {
		var next tea.Model
		next, cmd = m.Update(msg)
		m = next.(Model)
	}
	return m, cmd
}

// testBoard stands in for the hub in the tests: it applies messages to a
// board at their own time and hands the board's view, taken at its clock,
// to a model.
type testBoard struct {
	t     testing.TB
	board *state.Board
	clock time.Time
}

func newTestBoard(t testing.TB, opts state.Options) *testBoard {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	return &testBoard{t: t, board: state.New(opts, start), clock: start}
}

// send applies msgs and gives m the view that follows.
func (tb *testBoard) send(m Model, msgs ...feed.Message) Model {
	tb.t.Helper()
	for _, msg := range msgs {
		tb.board.Handle(msg, feed.MessageTime(msg))
	}
	m, _ = update(tb.t, m, tb.view())
	return m
}

// view is the board's view at the clock, as a message.
func (tb *testBoard) view() viewMsg { return viewMsg{tb.board.View(tb.clock)} }

// scripted is a model showing the scripted morning (scriptedFeed), with
// opts, at size.
func scripted(t testing.TB, opts state.Options, width, height int) (Model, *testBoard) {
	tb := newTestBoard(t, opts)
	m := New(Config{Title: "callboard — demo"})
	m, _ = update(t, m, sizeMsg(width, height))
	return tb.send(m, scriptedMessages(t)...), tb
}

// boardModel shows b as of the tests' clock.
func boardModel(b *state.Board) Model { return New(Config{View: b.View(start)}) }

// runCmd runs cmd and the commands it batches, as the program would. Use
// it on models without views: a wait for the next view would block.
func runCmd(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	if batch, ok := cmd().(tea.BatchMsg); ok {
		for _, c := range batch {
			runCmd(c)
		}
	}
}

// The tabs in the board's order (newTabs), as the tests name them.
const (
	tabOverview tab = iota
	tabAgents
	tabQueues
	tabCalls
	tabTrunks
	tabEvents
	tabDay
	tabAlerts
	tabCount
)

// String is the tab's title, for the tests' names and messages.
func (t tab) String() string { return newTabs()[t].Title() }

func (m *Model) agentsTab() *agentsTab { return m.tabs[tabAgents].(*agentsTab) }
func (m *Model) callsTab() *callsTab   { return m.tabs[tabCalls].(*callsTab) }
func (m *Model) dayTab() *dayTab       { return m.tabs[tabDay].(*dayTab) }
