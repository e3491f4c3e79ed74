package tui

import (
	"strconv"
	"time"
)

// noValue stands in a cell whose figure is undefined.
const noValue = "—"

// clockDuration writes d as h:mm:ss, hours included when 0, so that one
// minute five (0:01:05) never reads as an hour and five minutes. It is the
// board's one format for a duration a person reads: in the tables, the
// tiles and the wall, and in the header's and the not-live notes' "last
// event 0:02:41 ago", "data frozen 0:03:05", "retry in 0:00:05".
func clockDuration(d time.Duration) string {
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

// percentText writes a percentage without decimals, "74 %" (the form of
// every service level shown), or noValue.
func percentText(v float64, ok bool) string {
	if !ok {
		return noValue
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + " %"
}
