package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"callboard/app"
)

// metricsCommand runs the feed and the reducer without a screen and serves
// the board at /metrics.
func metricsCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("callboard metrics", "")
	demo := fs.Bool("demo", false, "serve the metrics of a built-in simulator, with the configuration's rules but not its connection")
	listen := fs.String("listen", "127.0.0.1:9464", "address of the /metrics endpoint")
	session := newSessionFlags(fs, app.WriteJournal, true)
	scope := newScopeFlags(fs, "the metrics (every series labelled scope)")
	if err := parseArgs(fs, args, false, stdout, stderr); err != nil {
		return err
	}
	if *listen == "" {
		return usageError(errors.New("--listen: want the address of /metrics, host:port"))
	}
	o := session.options(stderr)
	o.Demo, o.MetricsListen = *demo, *listen
	var err error
	if o.Scope, err = scope.scope(); err != nil {
		return err
	}
	s, err := openSession(ctx, o)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintf(stdout, "callboard metrics: http://%s/metrics\n", s.Metrics.Addr)
	s.WatchJournal(func(p string) { complain(stderr, "callboard metrics: journal:", p) })
	return s.WaitMetrics() // the metrics are the command's purpose: without them it ends
}
