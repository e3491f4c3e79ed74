package notify

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"callboard/config"
	"callboard/state"
)

// tlsServer is a local HTTPS server answering with answer, and its
// certificate written as a ca_file.
func tlsServer(t *testing.T, answer func(n int, body []byte) int) (srv *httptest.Server, caFile string, bodies func() [][]byte) {
	var mu sync.Mutex
	var got [][]byte
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s with %q", r.Method, r.Header.Get("Content-Type"))
		}
		mu.Lock()
		got = append(got, b)
		n := len(got)
		mu.Unlock()
		w.WriteHeader(answer(n, b))
	}))
	t.Cleanup(srv.Close)
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, caFile, func() [][]byte {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(got)
	}
}

// waits records the backoff asked for, and waits none of it.
type waits struct {
	mu    sync.Mutex
	asked []time.Duration
}

func (w *waits) wait(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.asked = append(w.asked, d)
	w.mu.Unlock()
	return ctx.Err()
}

// TestTheWebhookIsRetriedWithBackoff: a local HTTPS server, trusted through
// its certificate as ca_file (the sender's own client, no InsecureSkipVerify),
// fails twice, then accepts: the change is delivered on the third attempt,
// after the backoff's 1 s and 2 s.
func TestTheWebhookIsRetriedWithBackoff(t *testing.T) {
	srv, caFile, bodies := tlsServer(t, func(n int, _ []byte) int {
		if n <= 2 {
			return http.StatusServiceUnavailable
		}
		return http.StatusNoContent
	})
	var w waits
	var log logger
	cfg := config.Notify{Webhook: config.Secret(srv.URL + "/hooks/T0/B0/s3cret?token=s3cret"), CAFile: caFile}
	s := newSender(t, Options{Config: cfg, Board: "callboard", Wait: w.wait, Log: log.log})
	b := &board{writing: true}
	s.Observe(b.view())
	b.change(true, "10:02:03", support, "Support", 0, 1)
	s.Observe(b.view())
	drain(s)
	got := bodies()
	if len(got) != 3 || string(got[0]) != string(got[2]) {
		t.Fatalf("the server got %d posts: %q", len(got), got)
	}
	var m Message
	if err := json.Unmarshal(got[2], &m); err != nil || m.Event != "raised" || m.Rule != state.RuleAvailableMin || m.QueueID != "10" || m.Subject != "Support" {
		t.Errorf("posted %s (%v)", got[2], err)
	}
	if want := []time.Duration{time.Second, 2 * time.Second}; !slices.Equal(w.asked, want) {
		t.Errorf("backoff %v, want %v", w.asked, want)
	}
	if h := s.Health(); h.Sent != 1 || h.WebhookFailures != 0 {
		t.Errorf("health = %+v", h)
	}
}

// TestAWebhookThatFailsIsCountedWithoutItsSecret: a webhook still failing
// after its attempts is one failure, said without the URL's path or query;
// one not trusted (no ca_file) fails the same way.
func TestAWebhookThatFailsIsCountedWithoutItsSecret(t *testing.T) {
	srv, caFile, bodies := tlsServer(t, func(int, []byte) int { return http.StatusBadGateway })
	for _, c := range []struct {
		name, caFile, want string
		posts              int
	}{
		{"failing", caFile, "webhook: " + srv.URL + "/…: HTTP 502 (4 attempts)", 4},
		{"untrusted", "", "certificate", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := len(bodies())
			var w waits
			var log logger
			cfg := config.Notify{Webhook: config.Secret(srv.URL + "/hooks/s3cret?token=s3cret"), CAFile: c.caFile}
			s := newSender(t, Options{Config: cfg, Wait: w.wait, Log: log.log})
			b := &board{writing: true}
			s.Observe(b.view())
			b.change(true, "10:02:03", support, "Support", 0, 1)
			s.Observe(b.view())
			drain(s)
			h := s.Health()
			if h.WebhookFailures != 1 || h.Sent != 0 || !strings.Contains(h.LastFailure, c.want) {
				t.Errorf("health = %+v, want a failure saying %q", h, c.want)
			}
			if strings.Contains(h.LastFailure+log.text(), "s3cret") {
				t.Errorf("the secret was said: %q / %q", h.LastFailure, log.text())
			}
			if c.caFile != "" && len(bodies())-before != c.posts {
				t.Errorf("%d posts, want %d", len(bodies())-before, c.posts)
			}
			if c.caFile == "" && len(w.asked) != 0 {
				t.Errorf("a certificate refused was tried again after %v", w.asked)
			}
		})
	}
	// a refusal that will not pass (4xx) is not tried again
	srv2, caFile2, bodies2 := tlsServer(t, func(int, []byte) int { return http.StatusNotFound })
	var w waits
	s := newSender(t, Options{Config: config.Notify{Webhook: config.Secret(srv2.URL + "/gone"), CAFile: caFile2}, Wait: w.wait})
	b := &board{writing: true}
	s.Observe(b.view())
	b.change(true, "10:02:03", support, "Support", 0, 1)
	s.Observe(b.view())
	drain(s)
	if h := s.Health(); len(bodies2()) != 1 || h.WebhookFailures != 1 || !strings.HasSuffix(h.LastFailure, ": HTTP 404") {
		t.Errorf("%d posts, health %+v", len(bodies2()), h)
	}
}
