package cli

import (
	"strings"
	"time"
)

// The two ways the commands write a duration for a person, as the board
// does:
//
//   - elapsed, how long something lasted or has gone on (a session, a
//     wait): clock, h:mm:ss, the board's tables' way (state.Clock), so that one minute five never reads as an hour;
//   - a setting, a duration a person wrote (a flag, a key of the file, the
//     server's own pingInterval): setting, spelt as one writes it there
//     (20s, 30m, 1h30m, 500ms), never Go's 30m0s, and named beside it.

// setting writes d as a flag or a key takes it: Go's spelling without its
// trailing zero units (30m, not 30m0s; 1h, not 1h0m0s).
func setting(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
