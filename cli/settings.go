package cli

import (
	"slices"
	"strings"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"callboard/app"
	"callboard/state"
	"callboard/tui"
)

// localSettingsWho is whose settings the local board of scope keeps: the
// local user's (app.LocalSettingsWho) for the whole center; for a pane
// with --queues or --groups, the user's and that scope's, its entries
// sorted ("anne queues=391,Support groups=12"), so that a pane per team
// starts on its own tab and filters, never on another team's.
func localSettingsWho(scope state.Scope) string {
	who := app.LocalSettingsWho()
	for _, l := range []struct {
		key     string
		entries []string
	}{{"queues", scope.Queues}, {"groups", scope.Groups}} {
		if len(l.entries) > 0 {
			who += " " + l.key + "=" + strings.Join(slices.Compact(slices.Sorted(slices.Values(l.entries))), ",")
		}
	}
	return who
}

// boardSettings are the remembered settings of who's board (an ssh
// viewer's name or key fingerprint, the local user): those of the last
// time, nil when there are none or they cannot be read (said with say:
// the board starts from its defaults), how the board saves them as they
// change (off its goroutine, a failure said once), and flush, which waits
// until the last saved is written (at the board's end). dir is where they
// are kept; "" the state directory's (app.SettingsDir).
func boardSettings(dir, who string, say func(string)) (settings *tui.Settings, save func(tui.Settings), flush func()) {
	if dir == "" {
		var err error
		if dir, err = app.SettingsDir(); err != nil {
			say(err.Error() + ": the board's settings are not remembered")
			return nil, nil, func() {}
		}
	}
	store := app.NewSettingsStore(dir)
	var s tui.Settings
	switch found, err := store.Load(who, &s); {
	case err != nil:
		say(err.Error() + "; the board starts from its defaults")
	case found:
		settings = &s
	}
	saver := store.Saver(who, say)
	return settings, func(s tui.Settings) { saver.Save(s) }, saver.Flush
}

// settingsSavedKey is the ssh context's value of a session's board's
// flush (rememberSettings).
type settingsSavedKey struct{}

// rememberSettings are who's remembered settings for sess's board, and how
// it saves them; settingsSaved(sess) waits, once the board ended, until
// the last saved is written. A trouble with them is logged.
func (s *sshServer) rememberSettings(sess ssh.Session, who string) (*tui.Settings, func(tui.Settings)) {
	if who == "" {
		return nil, nil
	}
	settings, save, flush := boardSettings(s.settingsDir, who, func(line string) { s.log.Warn(line, "who", who) })
	sess.Context().SetValue(settingsSavedKey{}, flush)
	return settings, save
}

// settingsSaved waits until the settings sess's board saved are written.
func settingsSaved(sess ssh.Session) {
	if flush, ok := sess.Context().Value(settingsSavedKey{}).(func()); ok {
		flush()
	}
}

// keyFingerprint is the SHA256 fingerprint of the key sess logged in with,
// "" for none.
func keyFingerprint(sess ssh.Session) string {
	if k := sess.PublicKey(); k != nil {
		return gossh.FingerprintSHA256(k)
	}
	return ""
}
