package main

import (
	"strings"
	"testing"
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
