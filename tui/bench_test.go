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
