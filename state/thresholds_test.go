package state

import (
	"fmt"
	"testing"
	"time"
)

func TestQueueLevels(t *testing.T) {
	opts := Options{
		Thresholds: Thresholds{
			WaitingWarn: 2, WaitingCritical: 4,
			LongestWaitWarn: 30 * time.Second, LongestWaitCritical: 60 * time.Second,
			ServiceLevelWarn: 80, ServiceLevelCritical: 60,
		},
		QueueThresholds: map[string]Thresholds{"20": {WaitingWarn: 1, WaitingCritical: 2}},
	}
	s := newScript(t, opts)
	if l := s.queue("10").Levels; l.Worst != LevelOK {
		t.Errorf("an empty queue: %+v", l)
	}
	for i := range 2 {
		s.at(0, "queue", "insert_call", fmt.Sprintf(`{"id_queue":10,"id_call":%d,"duration_in_queue":%d}`, i, 10*i))
	}
	s.now = t0.Add(25 * time.Second)
	if l := s.queue("10").Levels; l.Waiting != LevelWarn || l.LongestWait != LevelWarn || l.ServiceLevel != LevelOK || l.Worst != LevelWarn {
		t.Errorf("2 waiting, longest 35 s: %+v", l)
	}
	s.now = t0.Add(55 * time.Second)
	if l := s.queue("10").Levels; l.LongestWait != LevelCritical || l.Worst != LevelCritical {
		t.Errorf("longest 65 s: %+v", l)
	}
	// service level falls: 1 answered late, 1 abandoned → 0 %
	s.at(56*time.Second, "queue", "connect_call", `{"id_queue":10,"id_call":0}`)
	s.at(57*time.Second, "queue", "delete_call", `{"id_queue":10,"id_call":1}`)
	if l := s.queue("10").Levels; l.ServiceLevel != LevelCritical || l.Waiting != LevelOK {
		t.Errorf("service level 0 %%: %+v", l)
	}
	// queue 20 has its own thresholds
	s.at(58*time.Second, "queue", "insert_call", `{"id_queue":20,"id_call":"a"}`)
	if l := s.queue("20").Levels; l.Waiting != LevelWarn || l.LongestWait != LevelOK {
		t.Errorf("queue 20, 1 waiting against its own threshold: %+v", l)
	}
	if tot := s.b.Totals(s.now); tot.Levels.ServiceLevel != LevelCritical {
		t.Errorf("totals %+v", tot.Levels)
	}
}
