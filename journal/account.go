package journal

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// DefaultBase is where journals go: $XDG_STATE_HOME/callboard/journal,
// else ~/.local/state/callboard/journal.
func DefaultBase() (string, error) {
	if d := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) { // a relative one is invalid (XDG)
		return filepath.Join(d, "callboard", "journal"), nil
	}
	home, err := os.UserHomeDir()
	if err == nil && home == "" {
		err = errors.New("no home directory")
	}
	if err != nil {
		return "", fmt.Errorf("journal: no state directory: %w", err)
	}
	return filepath.Join(home, ".local", "state", "callboard", "journal"), nil
}

// AccountDir is the journal directory of an account below base: a single
// path element, login@host as far as they are plain characters, then a
// hash of both as given, so that two accounts never share one. The host
// is the service URL's, in lower case, with its port unless the scheme's
// default.
func AccountDir(base, serviceURL, login string) string {
	host := accountHost(serviceURL)
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d:%s%d:%s", len(host), host, len(login), login)))
	name := plain(login, 40) + "@" + plain(host, 60) + "-" + hex.EncodeToString(sum[:6])
	return filepath.Join(base, strings.TrimLeft(name, ".-"))
}

func accountHost(serviceURL string) string {
	s := strings.TrimSpace(serviceURL)
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return strings.ToLower(s)
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	scheme := strings.ToLower(u.Scheme)
	if port == "" || scheme == "https" && port == "443" || scheme == "http" && port == "80" {
		return host
	}
	return net.JoinHostPort(host, port)
}

// plain keeps s's letters, digits, dots, dashes and underscores, up to limit
// bytes; anything else becomes an underscore.
func plain(s string, limit int) string {
	b := make([]byte, 0, min(len(s), limit))
	for _, r := range s {
		if len(b) == limit {
			break
		}
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '.', r == '-', r == '_':
			b = append(b, byte(r))
		default:
			b = append(b, '_')
		}
	}
	return string(b)
}
