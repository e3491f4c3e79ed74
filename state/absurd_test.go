package state

import (
	"testing"
)

func TestAbsurdDurationsNeverBecomeFigures(t *testing.T) {
	s := newScript(t, Options{})
	s.at(0, "queue", "insert_call", `{"id_queue":10,"id_call":"q1","duration_in_queue":9.3e9}`)
	s.at(sec, "queue", "insert_call", `{"id_queue":10,"id_call":"q2","duration_in_queue":"Infinity"}`)
	s.at(2*sec, "queue", "insert_call", `{"id_queue":10,"id_call":"q3","duration_in_queue":4}`)
	q := s.queue("10")
	if q.Waiting != 1 || q.LongestWait != 4*sec {
		t.Errorf("waiting %d, longest %v: want the one sane call, 4s", q.Waiting, q.LongestWait)
	}
	h := s.b.Feed()
	if h.Rejected != 2 || h.RejectedBy["bad duration"] != 2 {
		t.Errorf("rejected %d (%v), want 2 bad durations", h.Rejected, h.RejectedBy)
	}
	var logged []string
	for _, e := range s.b.Events() {
		if e.Rejected != "" {
			logged = append(logged, e.Rejected)
		}
	}
	want := []string{"bad duration: duration_in_queue: not a finite number", "bad duration: duration_in_queue: 9.3e+09 s is beyond 24 h"}
	if len(logged) != 2 || logged[0] != want[0] || logged[1] != want[1] {
		t.Errorf("the event log says %q, want %q", logged, want)
	}
}
