//go:build !unix

package feed

const canSetRcvLowat = false

func setRcvLowat(uintptr, int) {}
