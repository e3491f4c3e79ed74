package tui

import "testing"

func BenchmarkView5000Agents(b *testing.B) {
	m := New(Config{Board: bigBoard(b, 5000), Now: fixedClock})
	m.tab = tabAgents
	m, _ = update(b, m, sizeMsg(160, 50))
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkRefresh5000AgentsFilteredSorted prepares the rows of a 5,000-agent
// board with a filter and a sort on, as each second and each feed batch do.
func BenchmarkRefresh5000AgentsFilteredSorted(b *testing.B) {
	m := New(Config{Board: bigBoard(b, 5000), Now: fixedClock})
	m.tab = tabAgents
	m.narrowed[tabAgents].query = "agent 1"
	m.narrowed[tabAgents].sortCol = 2
	m, _ = update(b, m, sizeMsg(160, 50))
	b.ReportAllocs()
	for b.Loop() {
		m.refresh(fixedClock())
	}
}
