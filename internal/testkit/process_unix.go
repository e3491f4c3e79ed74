//go:build unix

package testkit

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Gone waits until process pid has ended, a zombie counting as ended
// (nothing reaps orphans in some containers), and reports whether it did
// within Patience. A kill is delivered, not awaited: a test that killed a
// process asks Gone.
func Gone(pid int) bool {
	for deadline := time.Now().Add(Patience); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if ended(pid) {
			return true
		}
	}
	return false
}

func ended(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return errors.Is(err, os.ErrNotExist) && procMounted()
	}
	// the state follows the command's name, which may hold spaces and ')'
	i := strings.LastIndexByte(string(stat), ')')
	return i > 0 && i+2 < len(stat) && stat[i+2] == 'Z'
}

func procMounted() bool {
	_, err := os.Stat("/proc/self/stat")
	return err == nil
}
