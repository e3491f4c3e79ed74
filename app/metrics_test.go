package app

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"callboard/internal/testkit"
	"callboard/state"
)

func TestMetricsListenerStaysOnLoopback(t *testing.T) {
	if _, err := serveMetrics("192.0.2.10:9464", "", state.Scope{}); err == nil || !strings.Contains(err.Error(), "[metrics] listen") {
		t.Errorf("a non-loopback address without the configuration's consent: %v", err)
	}
	if _, err := serveMetrics("192.0.2.10:9464", "192.0.2.11:9464", state.Scope{}); err == nil || !strings.Contains(err.Error(), "not on loopback") {
		t.Errorf("another address than the allowed one: %v", err)
	}
	srv, err := serveMetrics("127.0.0.1:0", "", state.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	// the allowed address passes the check (it then fails to bind: no such interface here)
	if _, err := serveMetrics("192.0.2.10:9464", "192.0.2.10:9464", state.Scope{}); err == nil || strings.Contains(err.Error(), "not on loopback") {
		t.Errorf("the configured address was refused as non-loopback: %v", err)
	}
}

// TestMetricsIdleConnectionsAreClosed: connections kept alive after their
// scrape, and held without a word, are closed by /metrics once idle for
// metricsIdleTimeout (here shortened): a client cannot hold them, and the
// process's descriptors, without end.
func TestMetricsIdleConnectionsAreClosed(t *testing.T) {
	defer func(d time.Duration) { metricsIdleTimeout = d }(metricsIdleTimeout)
	metricsIdleTimeout = 50 * time.Millisecond
	srv, err := serveMetrics("127.0.0.1:0", "", state.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for i := range 3 {
		c, err := net.Dial("tcp", srv.Addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
		r := bufio.NewReader(c)
		resp, err := http.ReadResponse(r, nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		c.SetReadDeadline(time.Now().Add(testkit.Patience)) // a bound on failure only
		if _, err := r.ReadByte(); err != io.EOF {
			t.Errorf("connection %d, idle after its scrape: %v, want closed by the server", i, err)
		}
	}
}

// brokenListener listens, then fails at its first Accept: a metrics
// listener that fails after the start.
type brokenListener struct{ net.Listener }

func (brokenListener) Accept() (net.Conn, error) { return nil, errors.New("accept broken by the test") }

// brokenMetricsListen makes the metrics server listen with brokenListener
// for the rest of the test.
func brokenMetricsListen(t *testing.T) {
	listen := listenMetrics
	t.Cleanup(func() { listenMetrics = listen })
	listenMetrics = func(network, addr string) (net.Listener, error) {
		ln, err := net.Listen(network, addr)
		if err != nil {
			return nil, err
		}
		return brokenListener{ln}, nil
	}
}

// TestMetricsServerFailureIsKept: the error that stops the metrics server
// after its start is kept for its owner, and a server closed on purpose
// has none.
func TestMetricsServerFailureIsKept(t *testing.T) {
	brokenMetricsListen(t)
	srv, err := serveMetrics("127.0.0.1:0", "", state.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	<-srv.Stopped()
	if err := srv.Err(); err == nil || !strings.Contains(err.Error(), "accept broken by the test") || !strings.Contains(err.Error(), srv.Addr) {
		t.Errorf("after its listener failed: %v, want the listener's error and the address", err)
	}
	srv.Close()

	listenMetrics = net.Listen
	srv, err = serveMetrics("127.0.0.1:0", "", state.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Err(); err != nil {
		t.Errorf("while serving: %v", err)
	}
	srv.Close()
	<-srv.Stopped()
	if err := srv.Err(); err != nil {
		t.Errorf("closed on purpose: %v", err)
	}
}

// TestAMetricsSessionEndsWhenItsServerFails: the metrics are the purpose
// of `callboard metrics`; when its listener fails after the start,
// WaitMetrics returns why (the command ends with exit 1 and says it),
// instead of the session running on without serving.
func TestAMetricsSessionEndsWhenItsServerFails(t *testing.T) {
	brokenMetricsListen(t)
	s, err := Open(context.Background(), Options{Demo: true, MetricsListen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.WaitMetrics(); err == nil || !strings.Contains(err.Error(), "the metrics server on 127.0.0.1:") || !strings.Contains(err.Error(), "accept broken by the test") {
		t.Errorf("WaitMetrics: %v; want the metrics server's failure", err)
	}
}
