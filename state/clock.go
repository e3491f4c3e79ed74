package state

import (
	"strconv"
	"time"
)

// Clock writes d as h:mm:ss, hours included when 0 (a negative d as
// 0:00:00, a fraction of a second dropped), so that one minute five
// (0:01:05) never reads as an hour and five minutes: the one format of a
// duration a person reads, on the board (its tables, tiles, wall, header
// and notes) and in the commands' and the journal's messages.
func Clock(d time.Duration) string {
	s := int64(max(d, 0) / time.Second)
	b := make([]byte, 0, 10)
	b = strconv.AppendInt(b, s/3600, 10)
	b = append(b, ':')
	b = appendTwo(b, s/60%60)
	b = append(b, ':')
	return string(appendTwo(b, s%60))
}

func appendTwo(b []byte, n int64) []byte {
	return append(b, byte('0'+n/10), byte('0'+n%10))
}
