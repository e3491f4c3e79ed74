package feed

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"callboard/internal/testkit"
	"callboard/internal/testkit/simtest"
	"callboard/sim"
)

func TestBackoffDoublesToThirtySecondsWithJitter(t *testing.T) {
	t.Parallel()
	b := newBackoff()
	wants := []time.Duration{1, 2, 4, 8, 16, 30, 30, 30}
	for round := range 200 {
		b.reset()
		for i, w := range wants {
			d, base := b.next(), w*time.Second
			if d < base/2 || d > base*3/2 {
				t.Fatalf("round %d, attempt %d: %v, want %v ± 50 %%", round, i, d, base)
			}
		}
	}
	// the jitter is real: not every delay of an attempt is the same
	seen := map[time.Duration]bool{}
	for range 20 {
		b.reset()
		seen[b.next()] = true
	}
	if len(seen) < 10 {
		t.Errorf("only %d distinct first delays in 20 tries", len(seen))
	}
}

func TestRefreshTime(t *testing.T) {
	t.Parallel()
	issued := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		life, want time.Duration
	}{
		{2 * time.Hour, 96 * time.Minute},                 // 80 % comes before expiry − 5 min
		{20 * time.Minute, 15 * time.Minute},              // expiry − 5 min comes first
		{10 * time.Minute, 5 * time.Minute},               // likewise
		{4 * time.Minute, 3*time.Minute + 12*time.Second}, // 80 %: expiry − 5 min is already past
		{-time.Minute, 0},                                 // expired: renew now
	}
	for _, c := range cases {
		if got := RefreshTime(issued, issued.Add(c.life)).Sub(issued); got != c.want {
			t.Errorf("lifetime %v: renew after %v, want %v", c.life, got, c.want)
		}
	}
}

func TestAuthenticationFailuresAreNamed(t *testing.T) {
	t.Parallel()
	serve := func(status int, body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	cases := []struct {
		name, url string
		want      []string
		refused   bool
	}{
		{"refused", serve(403, `{"error":"mauvais mot de passe"}`), []string{"authentication refused: mauvais mot de passe"}, true},
		{"no token", serve(200, `{"status":"KO"}`), []string{"authentication refused", "KO"}, true},
		{"server error", serve(502, "<html>Bad Gateway</html>"), []string{"server error HTTP 502", "Bad Gateway"}, false},
		{"not JSON", serve(200, "<html>maintenance</html>"), []string{"not the expected JSON", "maintenance"}, false},
		{"unreachable", testkit.StoppedURL(t), []string{"connection refused"}, false},
		{"timeout", testkit.SilentListener(t), []string{"timeout"}, false},
		{"DNS", "http://callboard-no-such-host.invalid", []string{"cannot resolve callboard-no-such-host.invalid (DNS)"}, false},
	}
	client := &http.Client{Timeout: 500 * time.Millisecond}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Authenticate(context.Background(), client, c.url, "login", "hunter2", time.Now())
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not say %q", err, w)
				}
			}
			if _, refused := err.(*AuthError); refused != c.refused {
				t.Errorf("%q: refusal %v, want %v", err, refused, c.refused)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the password leaks: %q", err)
			}
		})
	}
}

// TestTokenRenewedBeforeExpiry: with short tokens the feed logs in again
// before they expire, while the stream goes on. When (80 % of the token's
// life, never sooner than MinRenewInterval) is renewalTime's, tested on its
// own: measured here it would bound a duration by a loaded machine's clock.
func TestTokenRenewedBeforeExpiry(t *testing.T) {
	t.Parallel()
	// The token must still be good when the stream's init reaches the
	// simulator, which refuses an expired one: 5 s leave a loaded machine
	// (the race detector, tests alongside) room for the opening, and the
	// renewal comes at 4 s.
	const ttl = 5 * time.Second
	s := simtest.Start(t, sim.Options{Seed: 5, TokenTTL: ttl})
	// An opening waited for as long as only a hang takes: on a loaded
	// machine it took more than the production 10 s once, and a
	// connection started over is a drop this test would blame on the
	// renewal.
	w := watch(t, Config{URL: s.URL(), Login: sim.DefaultLogin, Password: password(sim.DefaultPassword), MinRenewInterval: 100 * time.Millisecond, Timeout: testkit.Patience})
	first := w.until("the directory", func(m Message) bool { _, ok := m.(*DirectoryMsg); return ok }).(*DirectoryMsg)
	updates := 0
	renewed := w.until("a renewal", func(m Message) bool {
		if isDisconnected(m) {
			t.Errorf("the stream dropped: %+v", m)
		}
		if isEvent(m) {
			updates++
		}
		_, ok := m.(*DirectoryMsg)
		return ok
	}).(*DirectoryMsg)
	if renewed.Directory.Token == first.Directory.Token {
		t.Error("same token after renewal")
	}
	w.until("an update after the renewal", func(m Message) bool {
		if isDisconnected(m) {
			t.Errorf("the stream dropped: %+v", m)
		}
		return isEvent(m)
	})
	if updates == 0 {
		t.Log("no update before the renewal (slow opening): the stream was not shown to survive it")
	}
}

// TestRenewalsKeepTheirDistance: a token that lives less than the minimum
// renewal interval is renewed no sooner than that interval.
func TestRenewalsKeepTheirDistance(t *testing.T) {
	t.Parallel()
	f := New(Config{MinRenewInterval: 2 * time.Second})
	issued := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	if got := f.renewalTime(issued, issued.Add(time.Second)).Sub(issued); got != 2*time.Second {
		t.Errorf("a token of 1 s renewed after %v, want 2 s", got)
	}
	if got := f.renewalTime(issued, issued.Add(time.Hour)).Sub(issued); got != 48*time.Minute {
		t.Errorf("a token of 1 h renewed after %v, want 48 min", got)
	}
	if got := New(Config{}).cfg.MinRenewInterval; got != 5*time.Second {
		t.Errorf("default minimum renewal interval %v, want 5 s", got)
	}
}

func TestExpiryInThePastIsNotTrusted(t *testing.T) {
	t.Parallel()
	for _, expire := range []string{"2001-01-01T00-00-00.000000+GMT", "garbage", ""} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"id_session":"t","target":1,"expire":"` + expire + `"}`))
		}))
		now := time.Now()
		dir, err := Authenticate(context.Background(), http.DefaultClient, srv.URL, "l", "p", now)
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !dir.ExpiresGuessed || !dir.Expires.Equal(now.Add(DefaultTokenLifetime)) {
			t.Errorf("expire %q: expires %v (guessed %v), want two hours from now, guessed", expire, dir.Expires, dir.ExpiresGuessed)
		}
	}
}

// TestTheLibrarysTeardownFaultEndsOnlyItsSession: the client library's
// close handlers assert a nil error on a close asked for (a panic seen
// under load, which ended a serve): the teardown of a session that has
// ended says so and goes on; any other panic goes on up.
func TestTheLibrarysTeardownFaultEndsOnlyItsSession(t *testing.T) {
	var closeError any // nil, as the library's close carries it
	failed := closeQuietly(func() { _ = closeError.(error) })
	if !strings.Contains(failed, "interface is nil, not error") {
		t.Errorf("the library's fault said as %q", failed)
	}
	if failed := closeQuietly(func() {}); failed != "" {
		t.Errorf("a clean teardown said %q", failed)
	}
	defer func() {
		if p := recover(); p != "another fault" {
			t.Errorf("another panic: %v, want it to go on up", p)
		}
	}()
	closeQuietly(func() { panic("another fault") })
}
