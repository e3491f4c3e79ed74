package cli

import (
	"testing"
	"time"

	"callboard/state"
)

func TestDurationsForAPerson(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0:00:00", 65 * time.Second: "0:01:05", 2*time.Hour + 34*time.Minute + 27*time.Second + 900*time.Millisecond: "2:34:27",
		-time.Second: "0:00:00", 100 * time.Hour: "100:00:00",
	} {
		if got := state.Clock(d); got != want {
			t.Errorf("state.Clock(%v) = %q, want %q", d, got, want)
		}
	}
	for d, want := range map[time.Duration]string{
		20 * time.Second: "20s", 30 * time.Minute: "30m", time.Hour: "1h", 90 * time.Minute: "1h30m", 150 * time.Second: "2m30s",
		500 * time.Millisecond: "500ms", 1500 * time.Millisecond: "1.5s", 2*time.Hour + 5*time.Second: "2h0m5s", 0: "0s",
	} {
		if got := setting(d); got != want {
			t.Errorf("setting(%v) = %q, want %q", d, got, want)
		}
	}
}
