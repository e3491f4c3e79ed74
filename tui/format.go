package tui

import (
	"strconv"
)

// noValue stands in a cell whose figure is undefined.
const noValue = "—"

// percentText writes a percentage without decimals, "74 %" (the form of
// every service level shown), or noValue.
func percentText(v float64, ok bool) string {
	if !ok {
		return noValue
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + " %"
}
