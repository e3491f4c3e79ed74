package feed

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"callboard/internal/testkit"
	"callboard/internal/testkit/nodepeer"
	"callboard/internal/testkit/proxytest"
	"callboard/internal/testkit/simtest"
	"callboard/sim"
)

// proxiedClient is the service's HTTP client through the proxy at
// proxyURL, trusting the authorities of pems (ca_file), made as
// config.Axialys.HTTPClient makes it.
func proxiedClient(t *testing.T, proxyURL *url.URL, pems ...[]byte) *http.Client {
	t.Helper()
	roots := x509.NewCertPool()
	for _, p := range pems {
		if p != nil && !roots.AppendCertsFromPEM(p) {
			t.Fatal("no certificate in the PEM")
		}
	}
	client := NewHTTPClient(&tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}, http.ProxyURL(proxyURL))
	client.Timeout = testkit.Patience
	return client
}

var proxyKinds = []struct {
	name  string
	start func(testing.TB, proxytest.Options) *proxytest.Proxy
	opts  proxytest.Options
}{
	{"http proxy", proxytest.Start, proxytest.Options{User: "ops", Password: "s3cret"}},
	{"https proxy", proxytest.Start, proxytest.Options{TLS: true, User: "ops", Password: "s3cret"}},
	{"socks5 proxy", proxytest.StartSOCKS5, proxytest.Options{User: "ops", Password: "s3cret"}},
}

// TestBothGenerationsGoThroughAProxy: behind an http:// or an https://
// proxy (its own certificate among ca_file's authorities, credentials in
// its URL), or a socks5:// one, the login, the probe and the WebSocket of both generations go
// through it, to the simulator served in TLS and to the official Node
// servers in plain HTTP: the board gets the directory and the updates of a
// service only the proxy can reach, and the proxy counts the tunnels.
func TestBothGenerationsGoThroughAProxy(t *testing.T) {
	t.Parallel()
	for _, kind := range proxyKinds {
		t.Run(kind.name, func(t *testing.T) {
			t.Parallel()
			p := kind.start(t, kind.opts)
			s := simtest.Start(t, sim.Options{Seed: 5, AllowEIO3: true})
			secureURL, serverPEM := proxytest.ServeTLS(t, s.Handler())
			for _, protocol := range []string{ProtocolV2, ProtocolV4} {
				t.Run("simulator over TLS, "+protocol, func(t *testing.T) {
					target := strings.TrimPrefix(secureURL, "https://")
					before := p.Connects(target)
					client := proxiedClient(t, p.URL, p.CertPEM, serverPEM)
					w := watch(t, Config{URL: secureURL, Protocol: protocol, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword), HTTPClient: client})
					w.until("the directory", isDirectory)
					w.until("live ("+protocol+")", isLive(protocol))
					w.until("an update", isEvent)
					w.stop()
					// the login's tunnel, and the WebSocket's
					if n := p.Connects(target) - before; n < 2 {
						t.Errorf("%d tunnels to %s, want the login's and the WebSocket's", n, target)
					}
				})
			}
			for _, g := range nodeGenerations {
				t.Run(nodepeer.Generation{Major: g.major}.Name(), func(t *testing.T) {
					srv := nodepeer.Start(t, g.major, "secret")
					target := proxytest.Behind(srv.URL)
					client := proxiedClient(t, p.URL, p.CertPEM)
					// protocol auto: the probe goes through the proxy too
					w := watch(t, Config{URL: "http://" + target, Login: "demo", Password: password("secret"), HTTPClient: client})
					w.until("the directory", isDirectory)
					w.until("live ("+g.protocol+")", isLive(g.protocol))
					w.until("an update", isEvent)
					w.stop()
					// plain HTTP is forwarded by an HTTP proxy; a WebSocket
					// needs a tunnel, and SOCKS has nothing else
					if p.URL.Scheme == "socks5" && p.Connects(target) < 2 {
						t.Errorf("%d tunnels, want the login's and the WebSocket's", p.Connects(target))
					}
					if p.URL.Scheme != "socks5" && (p.Forwards(target) < 2 || p.Connects(target) < 1) {
						t.Errorf("%d requests forwarded (want the login and the probe), %d tunnels (want the WebSocket's)", p.Forwards(target), p.Connects(target))
					}
				})
			}
		})
	}
}

func isDirectory(m Message) bool { _, ok := m.(*DirectoryMsg); return ok }

// TestAProxyThatRefusesIsNamedWithoutItsCredentials: a proxy that wants
// other credentials is named, with its status and page, at the login and
// at the WebSocket of each generation; its password is never said.
func TestAProxyThatRefusesIsNamedWithoutItsCredentials(t *testing.T) {
	t.Parallel()
	p := proxytest.Start(t, proxytest.Options{TLS: true, User: "ops", Password: "s3cret"})
	s := simtest.Start(t, sim.Options{Seed: 5, AllowEIO3: true})
	secureURL, serverPEM := proxytest.ServeTLS(t, s.Handler())
	wrong := *p.URL
	wrong.User = url.UserPassword("ops", "not-the-pass")
	client := proxiedClient(t, &wrong, p.CertPEM, serverPEM)
	secret := func(step string, err error) {
		t.Helper()
		if err == nil || strings.Contains(err.Error(), "not-the-pass") {
			t.Errorf("%s: %v", step, err)
		}
	}
	target := strings.TrimPrefix(secureURL, "https://")
	want := "the proxy " + p.URL.Host + " refused the tunnel to " + target + ": HTTP 407 (it wants credentials: the user and password of the proxy's URL): 407 Proxy Authentication Required (an HTML page)"
	_, err := Authenticate(context.Background(), client, secureURL, sim.DefaultLogin, sim.DefaultPassword, time.Now())
	secret("login", err)
	if !strings.Contains(err.Error(), want) || !Lasting(err) {
		t.Errorf("login: %v, want the proxy's refusal, lasting", err)
	}
	for _, protocol := range []string{ProtocolV2, ProtocolV4} {
		f := New(Config{URL: secureURL, Protocol: protocol, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword), HTTPClient: client, Timeout: time.Hour})
		end := oneSession(t, f, protocol, Directory{Token: "t"})
		if end.reason != "connection failed: "+want || end.foreign {
			t.Errorf("%s: %+v, want %q, a network fault", protocol, end, want)
		}
	}
	var refusal *ProxyError
	_, err = DialProxy(context.Background(), nil, &wrong, client.Transport.(*http.Transport).TLSClientConfig, target)
	if !errors.As(err, &refusal) || !Lasting(err) {
		t.Errorf("DialProxy: %v (lasting %v), want a lasting *ProxyError", err, Lasting(err))
	}
	if p.Refused() < 4 {
		t.Errorf("the proxy refused %d requests, want the login's and the WebSockets'", p.Refused())
	}
}

// TestAnInvalidProxyURLIsNotSaid: the proxy's URL in the environment may
// hold a password: one that does not parse is not said.
func TestAnInvalidProxyURLIsNotSaid(t *testing.T) {
	t.Setenv("HTTPS_PROXY", "http://ops:not-the-pass%zz@proxy.corp:3128") // no URL: a bad escape
	_, err := ProxyFromEnvironment()(&http.Request{URL: &url.URL{Scheme: "https", Host: proxytest.Host}})
	if err == nil || strings.Contains(err.Error(), "not-the-pass") || !strings.Contains(err.Error(), "HTTPS_PROXY") {
		t.Errorf("err = %v", err)
	}
	t.Setenv("HTTPS_PROXY", "https://ops:s3cret@proxy.corp:8443")
	t.Setenv("NO_PROXY", "")
	u, err := ProxyFromEnvironment()(&http.Request{URL: &url.URL{Scheme: "https", Host: proxytest.Host}})
	if err != nil || u == nil || ProxyAddr(u) != "proxy.corp:8443" {
		t.Errorf("the environment's proxy read now: %v, %v", u, err)
	}
}

// TestTheWayToAProxyIsNamed: what fails on the way to the proxy names the
// proxy: nothing listening, a certificate not among the authorities, a
// plain proxy given as https://.
func TestTheWayToAProxyIsNamed(t *testing.T) {
	t.Parallel()
	secure := proxytest.Start(t, proxytest.Options{TLS: true})
	plain := proxytest.Start(t, proxytest.Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	plainAsTLS := *plain.URL
	plainAsTLS.Scheme = "https"
	for _, c := range []struct {
		name  string
		proxy *url.URL
		fault NetFault
		want  string
	}{
		{"nothing listens", &url.URL{Scheme: "http", Host: closed}, FaultRefused, "connection refused by the proxy " + closed},
		{"no such name", &url.URL{Scheme: "http", Host: "proxy.invalid:3128"}, FaultDNS, "cannot resolve the proxy proxy.invalid (DNS)"},
		{"unknown authority", secure.URL, FaultTLSCertificate, "TLS certificate of the proxy " + secure.URL.Host + " not accepted"},
		{"plain proxy as https", &plainAsTLS, FaultTLSHandshake, "the proxy " + plain.URL.Host + " does not speak TLS (is the proxy's URL http://?)"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		_, err := DialProxy(ctx, nil, c.proxy, nil, "callboard.test:443")
		cancel()
		var ne *NetError
		if !errors.As(err, &ne) || ne.Fault != c.fault || !ne.Proxy || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
		// the login, through net/http's client, is told the same
		_, err = Authenticate(context.Background(), proxiedClient(t, c.proxy), "https://callboard.test", "x", "y", time.Now())
		if !errors.As(err, &ne) || ne.Fault != c.fault || !ne.Proxy || !strings.Contains(err.Error(), c.want) {
			t.Errorf("login, %s: %v, want %q", c.name, err, c.want)
		}
	}
}

// TestAPeerThatIsNoSOCKSProxyIsNamed: a socks5:// proxy that answers in
// another protocol is named, at once and as lasting, at the WebSocket's
// dial and at the login; one that stays silent (an HTTP proxy waiting for
// a request line) is named once the greeting's wait is over, not at the
// end of the login's timeout, and retried.
func TestAPeerThatIsNoSOCKSProxyIsNamed(t *testing.T) {
	t.Parallel()
	garbage := proxytest.StartNotSOCKS(t, "HTTP/1.1 400 Bad Request\r\n\r\n")
	want := "the proxy " + garbage.Host + " does not speak SOCKS5"
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	_, err := DialProxy(ctx, nil, garbage, nil, "callboard.test:443")
	cancel()
	var ne *NetError
	if !errors.As(err, &ne) || ne.Fault != FaultNotSOCKS || !ne.Proxy || !Lasting(err) || !strings.Contains(err.Error(), want) {
		t.Errorf("dial: %v, want %q, lasting", err, want)
	}
	_, err = Authenticate(context.Background(), proxiedClient(t, garbage), "https://callboard.test", "x", "y", time.Now())
	if !errors.As(err, &ne) || ne.Fault != FaultNotSOCKS || !Lasting(err) || err.Error() != "authentication: "+want+` (it answered "HT"): is it an HTTP proxy, whose URL is http://?` {
		t.Errorf("login: %v, want %q, lasting", err, want)
	}

	// an HTTP proxy given as socks5:// waits for the end of a request line
	silent := proxytest.Start(t, proxytest.Options{})
	asSOCKS := &url.URL{Scheme: "socks5", Host: silent.URL.Host}
	client := newHTTPClient(nil, http.ProxyURL(asSOCKS), 50*time.Millisecond)
	client.Timeout = time.Hour
	_, err = Authenticate(context.Background(), client, "https://callboard.test", "x", "y", time.Now())
	want = "authentication: the proxy " + silent.URL.Host + " did not answer the SOCKS5 greeting within 50ms: is it a SOCKS5 proxy? (an HTTP proxy's URL is http://)"
	if !errors.As(err, &ne) || ne.Fault != FaultTimeout || Lasting(err) || err.Error() != want {
		t.Errorf("login: %v, want %q, not lasting", err, want)
	}
}

// TestAProxysRefusalIsSaidWithoutTheRequest: the login's error says the
// proxy's refusal itself, not net/http's `Post "https://…/ws/": ` before
// it.
func TestAProxysRefusalIsSaidWithoutTheRequest(t *testing.T) {
	t.Parallel()
	p := proxytest.Start(t, proxytest.Options{User: "ops", Password: "s3cret"})
	wrong := *p.URL
	wrong.User = url.UserPassword("ops", "not-the-pass")
	_, err := Authenticate(context.Background(), proxiedClient(t, &wrong), "https://callboard.test", "x", "y", time.Now())
	want := "authentication: the proxy " + p.URL.Host + " refused the tunnel to callboard.test:443: HTTP 407"
	var refusal *ProxyError
	if !errors.As(err, &refusal) || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("login: %v, want it to start %q", err, want)
	}
}
