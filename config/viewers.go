package config

// Viewer is one audience of `callboard serve` ([[serve.viewers]]): the
// ssh keys it logs in with, the scope it sees, how it sees caller numbers
// and the view it starts on. A key in authorized_keys that is in no viewer
// gets the defaults: the whole center, display.caller_id, the Overview.
type Viewer struct {
	Name string `toml:"name"`
	// Keys are the viewer's public keys, each an authorized_keys line's
	// key ("ssh-ed25519 AAAA…", a comment allowed) or its SHA256
	// fingerprint ("SHA256:…"). A key must also be in authorized_keys.
	Keys []string `toml:"keys"`
	// Queues and Groups are the viewer's scope, ids or names
	// (state.Scope); both empty: the whole center.
	Queues []string `toml:"queues"`
	Groups []string `toml:"groups"`
	// CallerID is how the viewer sees caller numbers: mask, full or hide;
	// "" display.caller_id. Never more than display.caller_id shows.
	CallerID string `toml:"caller_id"`
	// Start is the view the viewer starts on: a tab's name or "wall"; ""
	// the Overview.
	Start string `toml:"start"`
}
