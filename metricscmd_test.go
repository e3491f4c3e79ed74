package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestMetricsListenerStaysOnLoopback(t *testing.T) {
	if _, err := serveMetrics("192.0.2.10:9464", ""); err == nil || !strings.Contains(err.Error(), "[metrics] listen") {
		t.Errorf("a non-loopback address without the configuration's consent: %v", err)
	}
	if _, err := serveMetrics("192.0.2.10:9464", "192.0.2.11:9464"); err == nil || !strings.Contains(err.Error(), "not on loopback") {
		t.Errorf("another address than the allowed one: %v", err)
	}
	srv, err := serveMetrics("127.0.0.1:0", "")
	if err != nil {
		t.Fatal(err)
	}
	srv.close()
	// the allowed address passes the check (it then fails to bind: no such interface here)
	if _, err := serveMetrics("192.0.2.10:9464", "192.0.2.10:9464"); err == nil || strings.Contains(err.Error(), "not on loopback") {
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
	srv, err := serveMetrics("127.0.0.1:0", "")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.close()
	for i := range 3 {
		c, err := net.Dial("tcp", srv.addr)
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
		c.SetReadDeadline(time.Now().Add(20 * time.Second)) // a bound on failure only
		if _, err := r.ReadByte(); err != io.EOF {
			t.Errorf("connection %d, idle after its scrape: %v, want closed by the server", i, err)
		}
	}
}
