package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"callboard/app"
	"callboard/tui"
)

// usage heads the board's --help: what the command does and its
// subcommands, each of which has a --help of its own.
const usage = `callboard: a terminal wallboard for call centers on Axialys Voice Management.

Usage:
  callboard [--config FILE] [--wall] [--record FILE] [--metrics-listen ADDR]
                                the board, on the configured service
  callboard --demo              the board, on a built-in simulator
  callboard snapshot            print the board once as JSON, for scripts
  callboard metrics             serve Prometheus metrics, no screen
  callboard serve               serve a board to each viewer over ssh (public keys only), no screen
  callboard doctor              check the configuration and the connection step by step
  callboard replay FILE         replay a recording on the board (or --snapshot)
  callboard report --csv WHAT   a day of the journal as CSV: calls, intervals or agents
  callboard simulate            run the simulator alone, for another client
  callboard version             print the version (also --version)

Each subcommand takes --help. Flags of the board:
`

// boardCommand is the board on the terminal, on the configured service or
// the demo simulator.
func boardCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("callboard", "")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		printFlags(fs)
	}
	showVersion := fs.Bool("version", false, "print the version and exit")
	demo := fs.Bool("demo", false, "run on a built-in simulator instead of the configured service")
	wall := fs.Bool("wall", false, "start in wall mode: the key figures in big digits (w toggles)")
	metricsListen := fs.String("metrics-listen", "", "also serve Prometheus metrics at this address, e.g. 127.0.0.1:9464")
	session := newSessionFlags(fs, app.WriteJournal, true)
	if err := parseArgs(fs, args, false, stdout, stderr); err != nil {
		return err
	}
	if *showVersion {
		fmt.Fprintln(stdout, version())
		return nil
	}

	o := session.options(stderr)
	o.Demo, o.MetricsListen = *demo, *metricsListen
	s, err := openSession(ctx, o)
	if err != nil {
		return err
	}
	defer s.Close()

	var bell io.Writer
	if s.Bell {
		bell = stdout // the terminal the board is drawn on
	}
	views := s.Hub.Subscribe()
	defer views.Close()
	err = tui.Run(s.Context(), tui.New(tui.Config{Title: s.Title, Views: views.C, View: s.Hub.Latest(), Bell: bell, Wall: *wall}))
	s.Stop()
	if s.Metrics != nil {
		if err := s.Metrics.Err(); err != nil { // the board went on without them: said once the screen is back
			complain(stderr, "callboard:", err)
		}
	}
	if crash := s.Err(); crash != nil {
		return crash
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	if h := s.Hub.Latest().Feed; !h.Live() && h.DownSince.IsZero() && h.LastError != "" {
		// Never live: the header may have cut the reason; here it is whole.
		complain(stderr, "callboard: never live:", h.LastError)
	}
	return nil
}
