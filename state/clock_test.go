package state

import (
	"testing"
	"time"
)

func TestClockIsTheOneDurationFormat(t *testing.T) {
	for d, want := range map[time.Duration]string{
		-time.Second:                          "0:00:00",
		0:                                     "0:00:00",
		65*time.Second + 900*time.Millisecond: "0:01:05",
		2*time.Hour + 34*time.Minute + 27*time.Second: "2:34:27",
		101 * time.Hour: "101:00:00",
	} {
		if got := Clock(d); got != want {
			t.Errorf("Clock(%v) = %q, want %q", d, got, want)
		}
	}
}
