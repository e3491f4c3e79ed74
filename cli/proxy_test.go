package cli

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"callboard/internal/testkit"
	"callboard/internal/testkit/nodepeer"
	"callboard/internal/testkit/proxytest"
	"callboard/internal/testkit/simtest"
	"callboard/sim"
	"callboard/state"
)

// TestCommandsGoThroughTheProxy: with HTTPS_PROXY / HTTP_PROXY naming an
// http:// or an https:// proxy (its password in the URL, its certificate
// in ca_file beside the service's), `snapshot` gets the board of each
// generation, of the simulator in TLS and of the official Node servers,
// through the proxy only (the service's name is known to it alone), and
// `doctor` passes every step on the same road; the proxy's password shows
// nowhere.
func TestCommandsGoThroughTheProxy(t *testing.T) {
	nodepeer.Require(t)
	for _, kind := range []struct {
		name string
		opts proxytest.Options
	}{
		{"http proxy", proxytest.Options{User: "ops", Password: "pr0xy-s3cret"}},
		{"https proxy", proxytest.Options{TLS: true, User: "ops", Password: "pr0xy-s3cret"}},
	} {
		t.Run(kind.name, func(t *testing.T) {
			p := proxytest.Start(t, kind.opts)
			t.Setenv("HTTPS_PROXY", p.URL.String())
			t.Setenv("HTTP_PROXY", p.URL.String())
			t.Setenv("NO_PROXY", "")
			srv := simtest.Start(t, sim.Options{Seed: 6, Login: sim.DefaultLogin, Password: "pw", AllowEIO3: true})
			secureURL, serverPEM := proxytest.ServeTLS(t, srv.Handler())
			caFile := proxytest.CAFile(t, p.CertPEM, serverPEM)
			services := []struct{ name, url, protocol, password string }{
				{"simulator over TLS, v4", secureURL, "v4", "pw"},
				{"simulator over TLS, v2", secureURL, "v2", "pw"},
			}
			for _, g := range nodepeer.Generations {
				node := nodepeer.Start(t, g.Major, "pw")
				services = append(services, struct{ name, url, protocol, password string }{g.Name(), "http://" + proxytest.Behind(node.URL), g.Protocol, "pw"})
			}
			for _, s := range services {
				t.Run(s.name, func(t *testing.T) {
					t.Setenv("CALLBOARD_TEST_PASSWORD", s.password)
					path := writeConfig(t, s.url)
					body, _ := os.ReadFile(path)
					extra := fmt.Sprintf("[axialys]\nca_file = %q\n", caFile)
					if strings.HasPrefix(s.name, "simulator") {
						extra += fmt.Sprintf("protocol = %q\n", s.protocol) // auto would find v4
					} else {
						extra += "login = \"demo\"\n"
						body = []byte(strings.Replace(string(body), fmt.Sprintf("login = %q\n", sim.DefaultLogin), "", 1))
					}
					os.WriteFile(path, []byte(strings.Replace(string(body), "[axialys]\n", extra, 1)), 0o600)
					target := strings.TrimPrefix(strings.TrimPrefix(s.url, "https://"), "http://")
					before := p.Connects(target)

					code, out, errs := runCommand("snapshot", "--config", path, "--events", "1", "--wait", "1m", "--no-journal")
					var snap state.Snapshot
					if code != exitOK || json.Unmarshal([]byte(out), &snap) != nil || snap.Feed.State != "live" || snap.Feed.Protocol != s.protocol || len(snap.Agents) == 0 || snap.Feed.Events == 0 {
						t.Fatalf("snapshot: exit %d, feed %+v, %d agents\n%s", code, snap.Feed, len(snap.Agents), errs)
					}
					if p.Connects(target) == before { // the WebSocket's tunnel at least
						t.Errorf("no tunnel to %s through the proxy", target)
					}

					code, out, errs = runCommand("doctor", "--config", path, "--listen", "300ms")
					if code != exitOK || !strings.Contains(out, "ok    tcp            "+target+" reached through the proxy "+p.URL.Host) ||
						!strings.Contains(out, "ok    events") { // doctor's generation is the probe's
						t.Errorf("doctor: exit %d\n%s%s", code, out, errs)
					}
					if strings.Contains(out+errs, "pr0xy-s3cret") {
						t.Errorf("the proxy's password is shown:\n%s%s", out, errs)
					}
				})
			}
		})
	}
}

// TestAProxyThatWantsOtherCredentials: a proxy that refuses the
// credentials of its URL (407) is named by doctor's tcp step, with what to
// check and not the password; snapshot stops at once (waiting would not
// mend it), saying the same, however long its --timeout.
func TestAProxyThatWantsOtherCredentials(t *testing.T) {
	p := proxytest.Start(t, proxytest.Options{TLS: true, User: "ops", Password: "pr0xy-s3cret"})
	wrong := *p.URL
	wrong.User = url.UserPassword("ops", "not-the-pass")
	t.Setenv("HTTPS_PROXY", wrong.String())
	t.Setenv("NO_PROXY", "")
	t.Setenv("CALLBOARD_TEST_PASSWORD", "pw")
	srv := simtest.Start(t, sim.Options{Seed: 6, Login: sim.DefaultLogin, Password: "pw"})
	secureURL, serverPEM := proxytest.ServeTLS(t, srv.Handler())
	path := writeConfig(t, secureURL)
	body, _ := os.ReadFile(path)
	os.WriteFile(path, []byte(strings.Replace(string(body), "[axialys]\n", fmt.Sprintf("[axialys]\nca_file = %q\n", proxytest.CAFile(t, p.CertPEM, serverPEM)), 1)), 0o600)
	refused := "the proxy " + p.URL.Host + " refused the tunnel to " + proxytest.Behind(secureURL) + ": HTTP 407"

	code, out, errs := runCommand("doctor", "--config", path, "--timeout", "1h")
	if code != exitNeverLive || !strings.Contains(out, "FAIL  tcp            "+refused) || !strings.Contains(out, "check the user and password in the proxy's URL") {
		t.Errorf("doctor: exit %d\n%s%s", code, out, errs)
	}
	r := snapshotAwaited(t, path)
	if r.code != exitNeverLive || !strings.Contains(r.errs, refused) {
		t.Errorf("snapshot: exit %d\n%s%s", r.code, r.out, r.errs)
	}
	if strings.Contains(out+errs+r.out+r.errs, "not-the-pass") {
		t.Error("the proxy's password is shown")
	}
}

// TestAPeerThatIsNoSOCKSProxy: a socks5:// proxy answering in another
// protocol is named by doctor's tcp step, with what to check, and stops
// snapshot at once (a configuration fault: waiting would not mend it),
// saying the proxy, however long its --timeout.
func TestAPeerThatIsNoSOCKSProxy(t *testing.T) {
	garbage := proxytest.StartNotSOCKS(t, "HTTP/1.1 400 Bad Request\r\n\r\n")
	t.Setenv("HTTPS_PROXY", garbage.String())
	t.Setenv("NO_PROXY", "")
	t.Setenv("CALLBOARD_TEST_PASSWORD", "pw")
	path := writeConfig(t, "https://callboard.test")
	said := "the proxy " + garbage.Host + " does not speak SOCKS5"

	code, out, errs := runCommand("doctor", "--config", path, "--timeout", "1h")
	if code != exitNeverLive || !strings.Contains(out, "FAIL  tcp            "+said) || !strings.Contains(out, "an HTTP proxy's URL is http://") {
		t.Errorf("doctor: exit %d\n%s%s", code, out, errs)
	}
	r := snapshotAwaited(t, path)
	if r.code != exitNeverLive || !strings.Contains(r.errs, "no live connection: authentication: "+said) || strings.Contains(r.errs, `"https://`) {
		t.Errorf("snapshot: exit %d\n%s%s", r.code, r.out, r.errs)
	}
}

// awaitedRun is the end of a command run beside the test.
type awaitedRun struct {
	code      int
	out, errs string
}

// snapshotAwaited runs `snapshot` of the configuration at path (a --timeout
// of an hour: it must stop of itself) and returns its end.
func snapshotAwaited(t *testing.T, path string) awaitedRun {
	t.Helper()
	done := make(chan awaitedRun, 1)
	go func() {
		code, out, errs := runCommand("snapshot", "--config", path, "--timeout", "1h", "--no-journal")
		done <- awaitedRun{code, out, errs}
	}()
	return testkit.Receive(t, "the snapshot's end", done)
}
