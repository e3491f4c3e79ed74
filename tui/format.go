package tui

import (
	"strconv"
	"time"
)

// noValue stands in a cell whose figure is undefined.
const noValue = "—"

// clockDuration writes d as h:mm:ss, hours included when 0, so that one
// minute five (0:01:05) never reads as an hour and five minutes.
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

// age writes d briefly: 3s, 4m07s, 2h05m.
func age(d time.Duration) string {
	s := int64(max(d, 0) / time.Second)
	switch {
	case s < 60:
		return strconv.FormatInt(s, 10) + "s"
	case s < 3600:
		return string(appendTwo(append(strconv.AppendInt(nil, s/60, 10), 'm'), s%60)) + "s"
	}
	return string(appendTwo(append(strconv.AppendInt(nil, s/3600, 10), 'h'), s/60%60)) + "m"
}

// percentText writes a percentage without decimals, or noValue.
func percentText(v float64, ok bool) string {
	if !ok {
		return noValue
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + "%"
}
