package tui

import "testing"

func BenchmarkView5000Agents(b *testing.B) {
	m := New(Config{Board: bigBoard(b, 5000), Now: fixedClock})
	m, _ = update(b, m, sizeMsg(160, 50))
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}
