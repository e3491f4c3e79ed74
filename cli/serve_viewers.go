package cli

import (
	"bytes"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"callboard/config"
	"callboard/state"
	"callboard/tui"
)

// A key that logs in (it is in authorized_keys: the one gate) is matched
// to the viewer of [[serve.viewers]] that lists it, by the key or its
// fingerprint; that viewer's name, scope, caller_id and start view are
// the session's. A key in no viewer sees the whole center as the board
// shows it, unnamed.

// namedViewer is one [[serve.viewers]], resolved.
type namedViewer struct {
	name     string
	audience state.Audience
	start    string // a tab's name as the board spells it, or "wall"; "" the Overview
}

// audiences are what the session's views are cut by (hub.Subscribe): the
// viewer's; none for a key in no viewer, which sees the whole board.
func (v *namedViewer) audiences() []state.Audience {
	if v == nil || v.audience.Whole() {
		return nil
	}
	return []state.Audience{v.audience}
}

// viewerKeys are the viewers of [[serve.viewers]] by their keys'
// fingerprints.
type viewerKeys map[string]*namedViewer

// newViewerKeys resolves viewers (checked by config: each key parses and
// is one viewer's); a start that names no tab of the board is refused.
func newViewerKeys(viewers []config.Viewer) (viewerKeys, error) {
	byKey := viewerKeys{}
	for _, c := range viewers {
		start, err := startView(c.Start)
		if err != nil {
			return nil, fmt.Errorf("serve.viewers %q.start: %v", c.Name, err)
		}
		v := &namedViewer{name: c.Name, start: start, audience: state.Audience{
			Scope:    state.Scope{Queues: c.Queues, Groups: c.Groups},
			CallerID: state.CallerDisplay(c.CallerID),
		}}
		for _, k := range c.Keys {
			fp, err := config.ViewerKeyFingerprint(k)
			if err != nil {
				return nil, fmt.Errorf("serve.viewers %q.keys: %v", c.Name, err)
			}
			byKey[fp] = v
		}
	}
	return byKey, nil
}

// startView is start, a viewer's, as the board names it: a tab's name
// (whatever its case) or "wall"; "" the Overview.
func startView(start string) (string, error) {
	if start == "" || strings.EqualFold(start, "wall") {
		return strings.ToLower(start), nil
	}
	names := tui.TabNames()
	for _, n := range names {
		if strings.EqualFold(n, start) {
			return n, nil
		}
	}
	return "", fmt.Errorf("%q: want a tab (%s) or wall", start, strings.Join(names, ", "))
}

// of is the viewer key is listed under; nil: none.
func (vk viewerKeys) of(key ssh.PublicKey) *namedViewer {
	if key == nil {
		return nil
	}
	return vk[gossh.FingerprintSHA256(key)]
}

// who are the log attributes that say who a session is: its key's
// fingerprint, and its viewer's name when the key is one's.
func (s *sshServer) who(key ssh.PublicKey) []any {
	fp := ""
	if key != nil {
		fp = gossh.FingerprintSHA256(key)
	}
	attrs := []any{slog.String("fingerprint", fp)}
	if v := s.viewerKeys.of(key); v != nil {
		attrs = append(attrs, slog.String("viewer", v.name))
	}
	return slices.Clip(attrs) // each line appends its own
}

// acknowledger is who sess's acknowledgements are by: its viewer's name,
// else its key's (viewerName).
func (v *namedViewer) acknowledger(sess ssh.Session) string {
	if v != nil {
		return v.name
	}
	return viewerName(sess.Context(), sess.PublicKey())
}

// viewersLockedOut says, in log, each viewer key that the authorized_keys
// file at path does not list now: it cannot log in until it is added (the
// file is read again at each login). Said once, at start.
func viewersLockedOut(log *slog.Logger, path string, vk viewerKeys) {
	data, err := os.ReadFile(path)
	if err != nil {
		return // said already: nobody can log in
	}
	listed := map[string]bool{}
	for _, line := range bytes.Split(data, []byte("\n")) {
		if k, _, _, _, err := gossh.ParseAuthorizedKey(line); err == nil {
			listed[gossh.FingerprintSHA256(k)] = true
		}
	}
	fps := slices.Sorted(maps.Keys(vk))
	for _, fp := range fps {
		if !listed[fp] {
			log.Warn("a viewer's key is not in authorized_keys: it cannot log in until it is added", "viewer", vk[fp].name, "fingerprint", fp, "authorized_keys", path)
		}
	}
}

// settingsWho is whom sess's remembered settings are kept for: the
// viewer's name, else the key's fingerprint ("" none: nothing kept).
func (n *namedViewer) settingsWho(sess ssh.Session) string {
	if n != nil {
		return n.name
	}
	return keyFingerprint(sess)
}
