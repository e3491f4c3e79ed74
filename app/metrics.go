package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"

	"callboard/hub"
	"callboard/metrics"
	"callboard/state"
)

// exportViews hands each view of views (the session's, as its scope sees
// them) to the exporter, until ctx ends.
func exportViews(ctx context.Context, views *hub.Subscription, e *metrics.Exporter) {
	defer views.Close()
	for {
		select {
		case <-ctx.Done():
			return
		case v := <-views.C:
			e.Update(v)
		}
	}
}

// maxMetricsConns bounds the connections to /metrics open at once: more
// wait in the kernel's backlog, so that clients holding connections open
// cannot take the process's descriptors (those of the viewers, the
// journal, the feed).
const maxMetricsConns = 64

// metricsIdleTimeout is how long a kept-alive connection to /metrics may
// wait for its next request; a scraper reconnects. A variable for tests.
var metricsIdleTimeout = time.Minute

// listenMetrics is how the metrics server listens: net.Listen, a variable
// for tests.
var listenMetrics = net.Listen

// MetricsServer serves the board's Prometheus metrics at /metrics.
type MetricsServer struct {
	Addr     string            // where it listens
	Exporter *metrics.Exporter // the page it serves, fed the views
	http     *http.Server
	stopped  chan struct{} // closed once the server has stopped, by Close or by itself
	failure  error         // why it stopped by itself, once stopped is closed
}

// Close stops the server.
func (s *MetricsServer) Close() { s.http.Close() }

// Stopped is closed once the server has stopped, by Close or by itself.
func (s *MetricsServer) Stopped() <-chan struct{} { return s.stopped }

// Err is the error that stopped the server by itself, or nil while it
// serves or when Close stopped it.
func (s *MetricsServer) Err() error {
	select {
	case <-s.stopped:
		return s.failure
	default:
		return nil
	}
}

// serveMetrics listens on addr, which must be on loopback unless it is the
// address the configuration allows ([metrics] listen); a scope that is not
// the whole center names every series of the page (metrics.NewScoped).
func serveMetrics(addr, allowed string, scope state.Scope) (*MetricsServer, error) {
	if err := OnLoopback("metrics", addr, allowed, "[metrics] listen"); err != nil {
		return nil, err
	}
	ln, err := listenMetrics("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: %v", err)
	}
	e := metrics.NewScoped(scope)
	mux := http.NewServeMux()
	mux.Handle("/metrics", e.Handler())
	ln = netutil.LimitListener(ln, maxMetricsConns)
	s := &MetricsServer{Addr: ln.Addr().String(), Exporter: e, stopped: make(chan struct{}), http: &http.Server{Handler: mux,
		ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: metricsIdleTimeout}}
	go func() {
		defer close(s.stopped)
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.failure = fmt.Errorf("the metrics server on %s stopped: %v", s.Addr, err)
		}
	}()
	return s, nil
}

// OnLoopback refuses a listen address of what ("metrics", "ssh") that is
// not on loopback, unless it is allowed, the address the configuration's
// key names: a board is not shown to the network by a flag alone.
func OnLoopback(what, addr, allowed, key string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s listen address %q: %v", what, addr, err)
	}
	if ip := net.ParseIP(host); (ip == nil || !ip.IsLoopback()) && host != "localhost" && addr != allowed {
		return fmt.Errorf("%s listen address %q is not on loopback: allow it with %s = %q in the configuration", what, addr, key, addr)
	}
	return nil
}
