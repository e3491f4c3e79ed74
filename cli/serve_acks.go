package cli

import (
	"strings"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"callboard/state"
)

// An ssh viewer acknowledges alerts in the name of the key it logged in
// with: the comment of the key's line in authorized_keys (what ssh-keygen
// writes there, "anne@desk"), else the key's SHA-256 fingerprint; the
// board keeps it sanitised and bounded (state.AckBy).

// keyNameKey is the ssh context's value of the name of the key a
// connection logged in with (keyName).
type keyNameKey struct{}

// keyName is the name of key, listed in authorized_keys with comment:
// the comment, else the key's fingerprint.
func keyName(comment string, key gossh.PublicKey) string {
	if name := strings.TrimSpace(state.Sanitize(comment)); name != "" {
		return name
	}
	return gossh.FingerprintSHA256(key)
}

// viewerName is who the viewer of a session is, for its
// acknowledgements: the name of the key it logged in with (key), as its
// connection's ctx holds it.
func viewerName(ctx ssh.Context, key ssh.PublicKey) string {
	if name, ok := ctx.Value(keyNameKey{}).(string); ok && name != "" {
		return name
	}
	if key != nil {
		return gossh.FingerprintSHA256(key)
	}
	return ""
}

// acknowledgeAs is how a viewer's board acknowledges alerts: on the hub,
// for every viewer, in the name by; each asked is logged.
func (s *sshServer) acknowledgeAs(by string) func(key state.AlertKey, since time.Time) error {
	return func(key state.AlertKey, since time.Time) error {
		err := s.hub.Acknowledge(key, since, by)
		attrs := []any{"by", state.AckBy(by), "rule", state.Sanitize(key.Rule), "queue_id", state.Sanitize(key.QueueID), "agent_id", state.Sanitize(key.AgentID), "since", since.Format(time.RFC3339)}
		if err != nil {
			s.log.Info("acknowledgement refused: "+err.Error(), attrs...)
		} else {
			s.log.Info("acknowledgement asked", attrs...)
		}
		return err
	}
}
