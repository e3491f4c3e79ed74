package tui

import "testing"

func BenchmarkView5000Agents(b *testing.B) {
	m := boardModel(bigBoard(b, 5000))
	m.tab = tabAgents
	m, _ = update(b, m, sizeMsg(160, 50))
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkRefresh5000AgentsFilteredSorted prepares the rows of a 5,000-agent
// view with a filter and a sort on, as each view the hub publishes does.
func BenchmarkRefresh5000AgentsFilteredSorted(b *testing.B) {
	board := bigBoard(b, 5000)
	m := boardModel(board)
	m.tab = tabAgents
	m.tabs[tabAgents].base().narrowing.query = "agent 1"
	m.tabs[tabAgents].base().narrowing.sortCol = 2
	m, _ = update(b, m, sizeMsg(160, 50))
	v := board.View(start)
	b.ReportAllocs()
	for b.Loop() {
		m.setView(v)
	}
}

// BenchmarkViewerTakesAView5000Agents is what each viewer's board does
// with each view it takes, on the tab a wallboard shows (Overview): the
// view made its own (each tab's rows, the queues turned critical and the
// agents past a limit since the last) and drawn. serve's viewers each do
// it up to four times a second.
func BenchmarkViewerTakesAView5000Agents(b *testing.B) {
	board := bigBoard(b, 5000)
	m := boardModel(board)
	m, _ = update(b, m, sizeMsg(160, 45))
	v := board.View(start)
	b.ReportAllocs()
	for b.Loop() {
		m.setView(v)
		_ = m.View()
	}
}
