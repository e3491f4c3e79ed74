package app

import (
	"os"
	"os/user"
	"testing"
)

// TestTheLocalUserAcknowledges: the local board acknowledges in the
// user's login name, $USER when the system cannot say.
func TestTheLocalUserAcknowledges(t *testing.T) {
	want := os.Getenv("USER")
	if u, err := user.Current(); err == nil && u.Username != "" {
		want = u.Username
	}
	if want == "" {
		want = "?"
	}
	if got := LocalUser(); got != want {
		t.Errorf("LocalUser() = %q, want %q", got, want)
	}
	if (&Session{}).Acknowledger("anne") != nil {
		t.Error("a session without a board acknowledges")
	}
}
