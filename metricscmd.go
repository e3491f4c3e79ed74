package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"

	"callboard/hub"
	"callboard/journal"
	"callboard/metrics"
)

// metricsCommand runs the feed and the reducer without a screen and serves
// the board at /metrics.
func metricsCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("callboard metrics", "")
	configPath := fs.String("config", "", "configuration file (default $XDG_CONFIG_HOME/callboard/config.toml)")
	demo := fs.Bool("demo", false, "serve the metrics of a built-in simulator")
	listen := fs.String("listen", "127.0.0.1:9464", "address of the /metrics endpoint")
	record := fs.String("record", "", "write a recording of what is received to this file (JSON lines; no password, no token)")
	noJournal := fs.Bool("no-journal", false, "neither replay nor write the day's journal")
	if code, done := parseArgs(fs, args, false, stdout, stderr); done {
		return code
	}
	src, code := openSource(ctx, *demo, *configPath, true, stderr)
	if src == nil {
		return code
	}
	defer src.close()
	if *noJournal {
		src.journal = ""
	}
	srv, err := serveMetrics(*listen, src.metricsListen)
	if err != nil {
		return usageError(stderr, err)
	}
	defer srv.close()
	fmt.Fprintf(stdout, "callboard metrics: http://%s/metrics\n", srv.addr)

	start := wallClock()
	if *record != "" {
		stop, err := src.record(*record, start, stderr)
		if err != nil {
			return usageError(stderr, err)
		}
		defer stop()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	hcfg := hub.Config{Options: src.board, Start: start}
	if j := openDayJournal(src, true, wallClock, stderr); j != nil {
		defer j.Close()
		j.Attach(&hcfg)
	}
	r := startRoad(ctx, cancel, fromFeed(src.feed), hcfg)
	if hcfg.Journal != nil {
		go journal.SayChanges(ctx, r.hub, func(p string) { complain(stderr, "callboard metrics: journal:", p) })
	}
	go func() { // the metrics are the command's purpose: without them it ends
		<-srv.stopped
		cancel()
	}()
	exportViews(ctx, r.hub, srv.exporter)
	<-r.done // the recording is closed after the feed's last message
	if crash := r.Err(); crash != nil {
		complain(stderr, "callboard metrics:", crash)
		return exitFail
	}
	if err := srv.err(); err != nil {
		complain(stderr, "callboard metrics:", err)
		return exitFail
	}
	return exitOK
}

// exportViews hands each view the hub publishes to the exporter, until ctx
// ends.
func exportViews(ctx context.Context, h *hub.Hub, e *metrics.Exporter) {
	views := h.Subscribe()
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

// metricsListen is how the metrics server listens: net.Listen, a variable
// for tests.
var metricsListen = net.Listen

type metricsServer struct {
	addr     string
	exporter *metrics.Exporter
	http     *http.Server
	stopped  chan struct{} // closed once the server has stopped, by close or by itself
	failure  error         // why it stopped by itself, once stopped is closed
}

func (s *metricsServer) close() { s.http.Close() }

// err is the error that stopped the server by itself, or nil while it
// serves or when close stopped it.
func (s *metricsServer) err() error {
	select {
	case <-s.stopped:
		return s.failure
	default:
		return nil
	}
}

// serveMetrics listens on addr, which must be on loopback unless it is the
// address the configuration allows.
func serveMetrics(addr, allowed string) (*metricsServer, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("metrics listen address %q: %v", addr, err)
	}
	if ip := net.ParseIP(host); (ip == nil || !ip.IsLoopback()) && host != "localhost" && addr != allowed {
		return nil, fmt.Errorf("metrics listen address %q is not on loopback: allow it with [metrics] listen = %q in the configuration", addr, addr)
	}
	ln, err := metricsListen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: %v", err)
	}
	e := metrics.New()
	mux := http.NewServeMux()
	mux.Handle("/metrics", e.Handler())
	ln = netutil.LimitListener(ln, maxMetricsConns)
	s := &metricsServer{addr: ln.Addr().String(), exporter: e, stopped: make(chan struct{}), http: &http.Server{Handler: mux,
		ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: metricsIdleTimeout}}
	go func() {
		defer close(s.stopped)
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.failure = fmt.Errorf("the metrics server on %s stopped: %v", s.addr, err)
		}
	}()
	return s, nil
}
