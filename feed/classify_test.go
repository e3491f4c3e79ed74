package feed

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"callboard/internal/testkit"
	"callboard/internal/testkit/simtest"
	"callboard/sim"
)

// loginServer answers every request with status and body.
func loginServer(t *testing.T, status int, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func hostOf(url string) string { return strings.TrimPrefix(url, "http://") }

// TestLoginAnswersAreClassified: which answers at the login URL are
// refusals of the credentials (retried slowly, exit 3) and which say that
// no Axialys login is there at all.
func TestLoginAnswersAreClassified(t *testing.T) {
	t.Parallel()
	const refusal, nowhere = "refusal", "no endpoint"
	mux := http.NewServeMux()
	mux.HandleFunc("/moved/ws/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere/", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/elsewhere/", http.NotFound)
	redirecting := httptest.NewServer(mux)
	t.Cleanup(redirecting.Close)

	cases := []struct {
		name, url string
		kind      string
		want      string
	}{
		{"404 page", loginServer(t, 404, "<html>Not Found</html>"), nowhere, ""},
		{"404 in JSON", loginServer(t, 404, `{"message":"Not Found"}`), nowhere, ""},
		{"405", loginServer(t, 405, "Method Not Allowed"), nowhere, ""},
		{"410 in JSON", loginServer(t, 410, `{"error":"gone"}`), nowhere, ""},
		{"400 page", loginServer(t, 400, "<html>Bad Request</html>"), nowhere, ""},
		{"401", loginServer(t, 401, ""), refusal, "authentication refused: (empty answer) (HTTP 401)"},
		{"403", loginServer(t, 403, `{"error":"mauvais mot de passe"}`), refusal, "authentication refused: mauvais mot de passe (HTTP 403)"},
		{"429", loginServer(t, 429, "Too Many Requests"), refusal, "authentication refused: Too Many Requests (HTTP 429)"},
		{"400 in JSON", loginServer(t, 400, `{"erreur":"compte inconnu"}`), refusal, "authentication refused: compte inconnu (HTTP 400)"},
		{"no id_session", loginServer(t, 200, `{"status":"KO"}`), refusal, "authentication refused: KO (HTTP 200)"},
	}
	client := &http.Client{Timeout: 5 * time.Second}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Authenticate(context.Background(), client, c.url, "login", "hunter2", time.Now())
			var refused *AuthError
			var missing *EndpointError
			switch c.kind {
			case refusal:
				if !errors.As(err, &refused) || errors.As(err, &missing) {
					t.Fatalf("err = %v (%T), want an *AuthError", err, err)
				}
				if err.Error() != c.want {
					t.Errorf("err = %q, want %q", err, c.want)
				}
			case nowhere:
				if !errors.As(err, &missing) || errors.As(err, &refused) {
					t.Fatalf("err = %v (%T), want an *EndpointError", err, err)
				}
				status := strings.Fields(c.name)[0]
				want := "no Axialys login endpoint at " + c.url + "/ws/ (HTTP " + status + "): check axialys.url"
				if err.Error() != want {
					t.Errorf("err = %q, want %q", err, want)
				}
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the password leaks: %q", err)
			}
		})
	}

	t.Run("redirected to a 404", func(t *testing.T) {
		_, err := Authenticate(context.Background(), client, redirecting.URL+"/moved", "login", "pw", time.Now())
		want := "no Axialys login endpoint at " + redirecting.URL + "/moved/ws/ (HTTP 404, after a redirect to " + redirecting.URL + "/elsewhere/): check axialys.url"
		if err == nil || err.Error() != want {
			t.Errorf("err = %v, want %q", err, want)
		}
	})
	t.Run("a password in the URL is not repeated", func(t *testing.T) {
		url := loginServer(t, 404, "")
		_, err := Authenticate(context.Background(), client, strings.Replace(url, "://", "://someone:s3cret@", 1), "login", "pw", time.Now())
		if err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "no Axialys login endpoint") {
			t.Errorf("err = %v", err)
		}
	})
}

// TestNetworkFaultsAreNamed: a stopped server, a dropped connection and a
// silent server, each on a real socket, named as what they are; a refused
// or dropped connection is never called a timeout.
func TestNetworkFaultsAreNamed(t *testing.T) {
	t.Parallel()
	silent := testkit.SilentListener(t)
	cases := []struct {
		name, url string
		fault     NetFault
		want      string
	}{
		{"stopped server", testkit.StoppedURL(t), FaultRefused, "connection refused by %s"},
		{"reset at once", testkit.DroppingListener(t, true, false), FaultReset, "connection reset by %s"},
		{"reset mid-request", testkit.DroppingListener(t, true, true), FaultReset, "connection reset by %s"},
		{"closed mid-request", testkit.DroppingListener(t, false, true), FaultClosed, "connection closed by %s without an answer"},
		{"silent server", silent, FaultTimeout, "no answer from %s within 300ms (timeout)"},
	}
	client := &http.Client{Timeout: 300 * time.Millisecond}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Authenticate(context.Background(), client, c.url, "login", "pw", time.Now())
			var ne *NetError
			if !errors.As(err, &ne) || ne.Fault != c.fault {
				t.Fatalf("err = %v, want a *NetError of fault %d", err, c.fault)
			}
			want := "authentication: " + strings.Replace(c.want, "%s", hostOf(c.url), 1)
			if err.Error() != want {
				t.Errorf("err = %q, want %q", err, want)
			}
			if c.fault != FaultTimeout && strings.Contains(err.Error(), "timeout") {
				t.Errorf("%q calls a %s a timeout", err, c.name)
			}
			var refused *AuthError
			if errors.As(err, &refused) {
				t.Errorf("%q is taken for a refusal of the credentials", err)
			}
		})
	}
}

// TestFeedNamesTheLoginFault: the feed reports a missing login endpoint as
// such, and retries it on the ordinary backoff (the credentials were not
// refused: no minute's wait, no refusal flag).
func TestFeedNamesTheLoginFault(t *testing.T) {
	t.Parallel()
	url := loginServer(t, 404, "<html>Not Found</html>")
	w := watch(t, Config{URL: url, Login: "x", Password: password("y")})
	st := w.until("the failure", isDisconnected).(*StatusMsg)
	want := "no Axialys login endpoint at " + url + "/ws/ (HTTP 404): check axialys.url"
	if st.Reason != want || st.Refused || !st.Lasting {
		t.Errorf("reason %q (refused %v, lasting %v), want %q, not refused, lasting", st.Reason, st.Refused, st.Lasting, want)
	}
	if wait := st.NextRetry.Sub(st.At); wait <= 0 || wait >= DefaultRefusedRetryDelay {
		t.Errorf("next retry in %v, want the ordinary backoff", wait)
	}
}

// TestRefusedCredentialsWaitAMinute: by default, credentials the server
// refuses are tried again a minute later, not on the ordinary backoff.
func TestRefusedCredentialsWaitAMinute(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t, sim.Options{Seed: 1, NoTraffic: true})
	w := watch(t, Config{URL: s.URL(), Login: sim.DefaultLogin, Password: password("wrong")})
	st := w.until("the refusal", isDisconnected).(*StatusMsg)
	if wait := st.NextRetry.Sub(st.At); !st.Refused || wait != time.Minute {
		t.Errorf("status %+v: next retry in %v, want a refusal retried in 1m0s", st, wait)
	}
}

// stoppableServer serves h until stop, which closes the listener and every
// connection it accepted (hijacked ones included) at once.
func stoppableServer(t *testing.T, h http.Handler) (url string, stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	srv := &http.Server{Handler: h, ConnState: func(c net.Conn, s http.ConnState) {
		if s == http.StateNew {
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}}
	go srv.Serve(ln)
	stop = func() {
		srv.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	}
	t.Cleanup(stop)
	return "http://" + ln.Addr().String(), stop
}

// TestStoppedServerIsNotATimeout: the server goes away while the board is
// live. The reconnections that follow must say the connection is refused,
// for both generations (the v4 client library loses the error of its own
// dial, which used to show as a timeout).
func TestStoppedServerIsNotATimeout(t *testing.T) {
	t.Parallel()
	for _, protocol := range []string{ProtocolV4, ProtocolV2} {
		t.Run(protocol, func(t *testing.T) {
			s := simtest.Start(t, sim.Options{Seed: 4, AllowEIO3: true})
			url, stop := stoppableServer(t, s.Handler())
			w := watch(t, Config{URL: url, Protocol: protocol, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword), Timeout: 5 * time.Second, RetryDelay: 20 * time.Millisecond})
			w.until("live", isLive(protocol))
			// an update: the token works, so the feed reconnects with it
			// rather than logging in again (where the refusal is named too)
			w.until("an update", isEvent)
			stop()
			st := w.until("a failed reconnection", func(m Message) bool {
				s, ok := m.(*StatusMsg)
				return ok && s.State == Disconnected && strings.HasPrefix(s.Reason, "connection failed")
			}).(*StatusMsg)
			if want := "connection failed: connection refused by " + hostOf(url); st.Reason != want {
				t.Errorf("reason %q, want %q", st.Reason, want)
			}
		})
	}
}

// TestSocketResetIsNotATimeout: the login works, and the Socket.IO
// endpoint resets every connection (SO_LINGER 0), for both generations.
func TestSocketResetIsNotATimeout(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t, sim.Options{Seed: 1, NoTraffic: true})
	mux := http.NewServeMux()
	mux.Handle("/ws/", s.Handler())
	mux.HandleFunc("/socket.io/", func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		conn.(*net.TCPConn).SetLinger(0)
		conn.Close()
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	for _, protocol := range []string{ProtocolV2, ProtocolV4} {
		t.Run(protocol, func(t *testing.T) {
			w := watch(t, Config{URL: srv.URL, Protocol: protocol, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword), Timeout: 5 * time.Second})
			st := w.until("the failure", isDisconnected).(*StatusMsg)
			if want := "connection failed: connection reset by " + hostOf(srv.URL); st.Reason != want {
				t.Errorf("reason %q, want %q", st.Reason, want)
			}
		})
	}
}

func TestLastingFailures(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		err     error
		lasting bool
	}{
		{&NetError{Fault: FaultTLSCertificate, Addr: "h:443"}, true},
		{&NetError{Fault: FaultTLSExpired, Addr: "h:443"}, true},
		{fmt.Errorf("login: %w", &NetError{Fault: FaultTLSHandshake, Addr: "h:443"}), true},
		{&EndpointError{URL: "https://h/ws/", Status: 404}, true},
		{&NetError{Fault: FaultRefused, Addr: "h:443"}, false},
		{&NetError{Fault: FaultDNS, Addr: "h:443"}, false},
		{&NetError{Fault: FaultTimeout, Addr: "h:443"}, false},
		{&AuthError{Message: "identifiants invalides"}, false},
		{errors.New("connection lost"), false},
	} {
		if got := Lasting(c.err); got != c.lasting {
			t.Errorf("Lasting(%v) = %v, want %v", c.err, got, c.lasting)
		}
	}
}
