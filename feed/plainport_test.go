package feed

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"callboard/internal/testkit"
	"callboard/internal/testkit/proxytest"
	"callboard/sim"
)

// plainListeners are servers that do not speak TLS: a plain HTTP server
// (it answers a TLS client hello with its 400 page) and another protocol
// (an SSH server's greeting). Each is given as an https:// URL.
func plainListeners(t *testing.T) map[string]string {
	t.Helper()
	web := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(web.Close)
	ssh := proxytest.Answering(t, "SSH-2.0-OpenSSH_9.6\r\n")
	return map[string]string{
		"plain HTTP": strings.Replace(web.URL, "http://", "https://", 1),
		"SSH":        "https://" + ssh,
	}
}

// TestTLSToAPlainPortIsNamedAtOnce: TLS spoken to a port that answers in
// something else fails with a named error, on the login, the probe and
// the WebSocket of both generations, and the failure is lasting (a
// one-shot command stops at once). Every wait is an hour: an answer that
// came by a deadline would not come within the test's patience.
func TestTLSToAPlainPortIsNamedAtOnce(t *testing.T) {
	t.Parallel()
	for name, u := range plainListeners(t) {
		t.Run(name, func(t *testing.T) {
			want := "the server at " + strings.TrimPrefix(u, "https://") + " does not speak TLS (is the URL http://?)"
			client := &http.Client{Timeout: time.Hour}
			check := func(step string, err error) {
				t.Helper()
				var ne *NetError
				if !errors.As(err, &ne) || ne.Fault != FaultTLSHandshake || !strings.Contains(err.Error(), want) || !Lasting(err) {
					t.Errorf("%s: %v (lasting %v), want %q", step, err, Lasting(err), want)
				}
			}
			_, err := Authenticate(context.Background(), client, u, "x", "y", time.Now())
			check("login", err)
			_, err = Probe(context.Background(), client, u, "/socket.io/")
			check("probe", err)
			_, err = dialEIO3(context.Background(), newDialer(client, u, time.Hour, 0), u, "/socket.io/", time.Hour)
			check("2.x WebSocket", err)
		})
	}
}

// TestTheFeedSaysAPlainPortAtOnce: the feed's first failure against a
// plain HTTP port given as https:// is that port named, lasting, whatever
// its opening timeout; and so is the WebSocket's of each generation once
// the login went elsewhere (a service whose Socket.IO is on the plain port).
func TestTheFeedSaysAPlainPortAtOnce(t *testing.T) {
	t.Parallel()
	u := plainListeners(t)["plain HTTP"]
	want := "does not speak TLS (is the URL http://?)"
	w := watch(t, Config{URL: u, Login: "x", Password: password("y"), Timeout: time.Hour, HTTPClient: &http.Client{Timeout: time.Hour}})
	st := w.until("the failure", isDisconnected).(*StatusMsg)
	if !st.Lasting || !strings.Contains(st.Reason, want) || !strings.HasPrefix(st.Reason, "authentication: ") {
		t.Errorf("status %+v, want a lasting %q", st, want)
	}

	// the login answers over TLS, the WebSocket's address is the plain port
	s := sim.Start
	srv, err := s("127.0.0.1:0", sim.Options{Seed: 1, AllowEIO3: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	secure := httptest.NewTLSServer(srv.Handler())
	t.Cleanup(secure.Close)
	for _, protocol := range []string{ProtocolV2, ProtocolV4} {
		t.Run(protocol, func(t *testing.T) {
			f := New(Config{URL: secure.URL, Protocol: protocol, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword), Timeout: time.Hour, HTTPClient: secure.Client()})
			f.cfg.URL = u // the login is done below, with the TLS server
			dir, err := Authenticate(context.Background(), secure.Client(), secure.URL, sim.DefaultLogin, sim.DefaultPassword, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			end := oneSession(t, f, protocol, dir)
			if !strings.Contains(end.reason, want) || end.foreign {
				t.Errorf("session end %+v, want a network fault %q", end, want)
			}
		})
	}
}

// oneSession runs one session of f in protocol's generation with dir's
// token, delivering nowhere, and returns how it ended.
func oneSession(t *testing.T, f *Feed, protocol string, dir Directory) sessionEnd {
	t.Helper()
	ended := make(chan sessionEnd, 1)
	go func() {
		if protocol == ProtocolV2 {
			ended <- f.streamV2(context.Background(), dir, func(Message) {})
		} else {
			ended <- f.streamV4(context.Background(), dir, func(Message) {})
		}
	}()
	return testkit.Receive(t, "the session's end", ended)
}
