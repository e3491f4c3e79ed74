// Command callboard is a terminal wallboard for call centers that run on
// Axialys Voice Management: live agents, queues and trunks from the
// vendor's real-time notifications API.
//
//	callboard [--config FILE]             the board, on the configured service
//	callboard --demo                      the board, on a built-in simulator
//	callboard simulate --listen ADDR      the simulator alone
//	callboard snapshot | metrics | doctor | replay | report | serve
//
// Every command starts the same road (road.go) and reads the hub's views;
// the day is kept in the account's journal (journal.Keeper).
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"callboard/config"
	"callboard/feed"
	"callboard/hub"
	"callboard/journal"
	"callboard/record"
	"callboard/sim"
	"callboard/state"
	"callboard/tui"
)

// Exit codes.
const (
	exitOK     = 0
	exitFail   = 1
	exitConfig = 2
)

func main() {
	// The board's heap is a few megabytes of long-lived state and a stream
	// of short-lived events: collecting at twice the live heap instead of
	// once costs a few megabytes and saves about a sixth of the CPU.
	debug.SetGCPercent(200)
	if os.Getenv("GOMAXPROCS") == "" && oneStream(os.Args[1:]) {
		// One stream goes through one board: a second processor does no
		// work of its own, it only spins and wakes threads for the reads
		// (a fifth of the CPU of a flood, and no faster).
		runtime.GOMAXPROCS(1)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// oneStream reports whether the command of args is one stream into one
// board and one reader of it: all but serve (its viewers draw their boards
// side by side) and simulate (a server).
func oneStream(args []string) bool {
	return len(args) == 0 || (args[0] != "serve" && args[0] != "simulate")
}

func run(args []string, stdout, stderr io.Writer) int {
	// engine.io-client-go swallows the first SIGINT, SIGTERM and SIGQUIT
	// (it installs handlers at import): these signals end the program here.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	defer stop()

	if len(args) > 0 {
		switch args[0] {
		case "simulate":
			return simulate(ctx, args[1:], stdout, stderr)
		case "snapshot":
			return snapshotCommand(ctx, args[1:], stdout, stderr)
		case "replay":
			return replayCommand(ctx, args[1:], stdout, stderr)
		case "metrics":
			return metricsCommand(ctx, args[1:], stdout, stderr)
		case "doctor":
			return doctorCommand(ctx, args[1:], stdout, stderr)
		case "report":
			return reportCommand(ctx, args[1:], stdout, stderr)
		case "serve":
			return serveCommand(ctx, args[1:], stdout, stderr)
		case "version":
			fmt.Fprintln(stdout, version())
			return exitOK
		}
	}
	return board(ctx, args, stdout, stderr)
}

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

// version names this build: the module version, the commit and its time
// when Go recorded them, and the Go release.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "callboard (no build information)"
	}
	v := "callboard " + info.Main.Version
	var revision, when, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = " (modified)"
			}
		}
	}
	if len(revision) > 12 {
		revision = revision[:12]
	}
	if revision != "" {
		v += " " + revision + modified
	}
	if when != "" {
		v += " " + when
	}
	return v + " " + info.GoVersion
}

func usageError(stderr io.Writer, err error) int {
	complain(stderr, "callboard:", err)
	return exitConfig
}

// newFlags is the flag set of the command name, whose usage names its
// operands ("" when it takes none) and lists its flags as every command
// does (printFlags).
func newFlags(name, operands string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		synopsis := name + " [flags]"
		if operands != "" {
			synopsis += " " + operands
		}
		fmt.Fprintf(fs.Output(), "Usage: %s\n\nFlags:\n", synopsis)
		printFlags(fs)
	}
	return fs
}

// printFlags lists the flags of fs on its output as flag.PrintDefaults
// does, spelt as the usage lines and the README spell them: --name.
func printFlags(fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		kind, text := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if kind != "" {
			line += " " + kind
		}
		line += "\n    \t" + strings.ReplaceAll(text, "\n", "\n    \t")
		switch def := f.DefValue; {
		case def == "" || def == "0" || def == "0s" || def == "false":
		case kind == "string":
			line += fmt.Sprintf(" (default %q)", def)
		default:
			line += fmt.Sprintf(" (default %s)", def)
		}
		fmt.Fprintln(fs.Output(), line)
	})
}

// parseArgs parses the flags of a command, the one usage scheme of every
// command: --help (or -h) prints the usage on stdout and ends the command
// with exit 0; a flag it does not know, a bad value or, when the command
// takes no operands, a stray argument is a usage error on stderr (exit 2).
// done is true when the command ends here, with code.
func parseArgs(fs *flag.FlagSet, args []string, operands bool, stdout, stderr io.Writer) (code int, done bool) {
	usage := fs.Usage
	fs.Usage = func() {} // said below, on the stream that fits
	fs.SetOutput(stderr)
	err := fs.Parse(args)
	fs.Usage = usage
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
		return exitOK, true
	case err != nil: // the flag package has said which flag and why
		fs.Usage()
		return exitConfig, true
	case !operands && fs.NArg() > 0:
		return usageError(stderr, fmt.Errorf("unexpected argument %q", fs.Arg(0))), true
	}
	return exitOK, false
}

func simulate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("callboard simulate", "")
	listen := fs.String("listen", "127.0.0.1:8080", "address to listen on")
	seed := fs.Int64("seed", 1, "seed of the simulated traffic")
	login := fs.String("login", sim.DefaultLogin, "login the simulator accepts")
	blast := fs.Int("blast", 0, "instead of the simulated call center, send this many updates as fast as possible after the first init")
	if code, done := parseArgs(fs, args, false, stdout, stderr); done {
		return code
	}
	password := os.Getenv("CALLBOARD_SIM_PASSWORD")
	if password == "" {
		password = sim.DefaultPassword
	}
	opts := sim.Options{Seed: *seed, Login: *login, Password: password, NoTraffic: *blast > 0}
	if *blast == 0 {
		if err := sim.Run(ctx, *listen, opts, stdout); err != nil {
			complain(stderr, "callboard simulate:", err)
			return exitFail
		}
		return exitOK
	}
	srv, err := sim.Start(*listen, opts)
	if err != nil {
		complain(stderr, "callboard simulate:", err)
		return exitFail
	}
	defer srv.Close()
	fmt.Fprintf(stdout, "callboard simulate: %s, login %q: %d updates to the first client that inits\n", srv.URL(), opts.Login, *blast)
	if err := srv.Blast(ctx, *blast); err != nil && !errors.Is(err, context.Canceled) {
		complain(stderr, "callboard simulate:", err)
		return exitFail
	}
	<-ctx.Done()
	return exitOK
}

func board(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("callboard", "")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		printFlags(fs)
	}
	showVersion := fs.Bool("version", false, "print the version and exit")
	configPath := fs.String("config", "", "configuration file (default $XDG_CONFIG_HOME/callboard/config.toml)")
	demo := fs.Bool("demo", false, "run on a built-in simulator instead of the configured service")
	wall := fs.Bool("wall", false, "start in wall mode: the key figures in big digits (w toggles)")
	record := fs.String("record", "", "write a recording of what is received to this file (JSON lines; no password, no token)")
	metricsListen := fs.String("metrics-listen", "", "also serve Prometheus metrics at this address, e.g. 127.0.0.1:9464")
	noJournal := fs.Bool("no-journal", false, "neither replay nor write the day's journal")
	if code, done := parseArgs(fs, args, false, stdout, stderr); done {
		return code
	}
	if *showVersion {
		fmt.Fprintln(stdout, version())
		return exitOK
	}

	src, code := openSource(ctx, *demo, *configPath, true, stderr)
	if src == nil {
		return code
	}
	defer src.close()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := wallClock()
	if *record != "" {
		stop, err := src.record(*record, start, stderr)
		if err != nil {
			return usageError(stderr, err)
		}
		defer stop()
	}
	if *noJournal {
		src.journal = ""
	}
	hcfg := hub.Config{Options: src.board, Start: start}
	if j := openDayJournal(src, true, wallClock, stderr); j != nil {
		defer j.Close()
		j.Attach(&hcfg)
	}
	r := startRoad(ctx, cancel, fromFeed(src.feed), hcfg)
	var metricsSrv *metricsServer
	if *metricsListen != "" {
		srv, err := serveMetrics(*metricsListen, src.metricsListen)
		if err != nil {
			cancel()
			<-r.done
			return usageError(stderr, err)
		}
		defer srv.close()
		metricsSrv = srv
		go exportViews(ctx, r.hub, srv.exporter)
	}

	var bell io.Writer
	if src.bell {
		bell = os.Stdout
	}
	views := r.hub.Subscribe()
	defer views.Close()
	err := tui.Run(ctx, tui.New(tui.Config{Title: src.title, Views: views.C, View: r.hub.Latest(), Bell: bell, Wall: *wall}))
	cancel()
	r.waitEnd()
	if metricsSrv != nil {
		if err := metricsSrv.err(); err != nil { // the board went on without them: said once the screen is back
			complain(stderr, "callboard:", err)
		}
	}
	if crash := r.Err(); crash != nil {
		complain(stderr, "callboard:", crash)
		return exitFail
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		complain(stderr, "callboard:", err)
		return exitFail
	}
	if h := r.hub.Latest().Feed; !h.Live() && h.DownSince.IsZero() && h.LastError != "" {
		// Never live: the header may have cut the reason; here it is whole.
		complain(stderr, "callboard: never live:", h.LastError)
	}
	return exitOK
}

// source is where the data comes from: the configured service, or an
// in-process simulator.
type source struct {
	feed  feed.Config
	board state.Options
	bell  bool // ring when a queue turns critical or an agent passes a limit

	metricsListen string // a non-loopback metrics address the configuration allows
	title         string
	close         func()

	journal      string // the account's journal directory; "" when none is kept (the demo, --no-journal)
	keepDays     int
	journalRetry time.Duration // how often a journal that could not be opened is tried again; 0 = 30 s
}

// openSource reads the configuration, or starts the demo simulator. With
// password, the password is fetched once now, so that a source that cannot
// give it stops the program at start (exit 2); without, the configuration
// needs no password source (report and replay never log in). On failure it has said why
// on stderr and returns nil and the exit code.
func openSource(ctx context.Context, demo bool, configPath string, password bool, stderr io.Writer) (*source, int) {
	if demo {
		secret := rand.Text()
		srv, err := sim.Start("127.0.0.1:0", sim.Options{Seed: time.Now().UnixNano(), Login: sim.DefaultLogin, Password: secret})
		if err != nil {
			complain(stderr, "callboard: starting the demo simulator:", err)
			return nil, exitFail
		}
		return &source{
			feed: feed.Config{URL: srv.URL(), Login: sim.DefaultLogin, Password: func(context.Context) (string, error) { return secret, nil }},
			board: state.Options{Thresholds: state.Thresholds{ // those of config.example.toml
				WaitingWarn: 3, WaitingCritical: 6,
				LongestWaitWarn: 30 * time.Second, LongestWaitCritical: 60 * time.Second,
				ServiceLevelWarn: 80, ServiceLevelCritical: 60,
			}},
			title: "callboard — demo",
			close: func() { srv.Close() },
		}, exitOK
	}
	path := configPath
	if path == "" {
		p, err := config.DefaultPath()
		if err != nil {
			return nil, usageError(stderr, err)
		}
		path = p
	}
	load := config.Load
	if !password {
		load = config.LoadOffline // it never logs in: no password source needed
	}
	cfg, warnings, err := load(path)
	if err != nil {
		return nil, usageError(stderr, err)
	}
	for _, w := range warnings {
		complain(stderr, "callboard: warning:", w)
	}
	passwordFunc := cfg.Axialys.PasswordFunc()
	if password {
		if passwordFunc, err = cfg.StartPassword(ctx); err != nil {
			return nil, usageError(stderr, err)
		}
	}
	client, err := cfg.Axialys.HTTPClient()
	if err != nil {
		return nil, usageError(stderr, fmt.Errorf("%s: axialys.ca_file: %v", cfg.Path, err))
	}
	return &source{
		feed: feed.Config{
			URL:          cfg.Axialys.URL,
			SocketIOPath: cfg.Axialys.SocketIOPath,
			Protocol:     cfg.Axialys.Protocol,
			Login:        cfg.Axialys.Login,
			Password:     passwordFunc,
			HTTPClient:   client,
		},
		board: boardOptions(cfg),
		bell:  cfg.Thresholds.Bell,

		metricsListen: cfg.Metrics.Listen,
		title:         "callboard",
		close:         func() {},

		journal:  journalDir(cfg, stderr),
		keepDays: cfg.Journal.KeepDays,
	}, exitOK
}

// journalDir is the configured account's journal directory, or "" (with a
// warning) when there is nowhere to keep it.
func journalDir(cfg *config.Config, stderr io.Writer) string {
	base := cfg.Journal.Dir
	if base == "" {
		var err error
		if base, err = journal.DefaultBase(); err != nil {
			complain(stderr, "callboard: warning:", err, "(no journal kept)")
			return ""
		}
	}
	return journal.AccountDir(base, cfg.Axialys.URL, cfg.Axialys.Login)
}

// openDayJournal opens src's journal keeper: for writing when write (a
// process with a live feed that runs for long), else to read it; what it
// says goes to stderr. It is nil when src keeps none (the demo,
// --no-journal).
func openDayJournal(src *source, write bool, now func() time.Time, stderr io.Writer) *journal.Keeper {
	return journal.OpenKeeper(journal.KeeperConfig{
		Dir: src.journal, Location: src.board.Location, KeepDays: src.keepDays, Write: write, Now: now, Retry: src.journalRetry,
		Say: func(problem string) { complain(stderr, "callboard:", problem) },
	})
}

// record starts a recording of what the feed delivers into path, its
// counters starting at start. stop writes the end line and closes the file.
func (src *source) record(path string, start time.Time, stderr io.Writer) (stop func(), err error) {
	f, err := openRecording(path)
	if err != nil {
		return nil, err
	}
	rec := record.NewRecorder(f, start)
	src.feed.OnMessage = rec.Record
	return func() {
		if err := rec.Close(wallClock()); err != nil {
			complain(stderr, "callboard: recording:", err)
		}
		f.Close()
	}, nil
}

func boardOptions(cfg *config.Config) state.Options {
	opts := state.Options{
		ResumePauseIDs:        cfg.Pauses.ResumeIDs,
		PauseLabels:           cfg.Pauses.Labels,
		ServiceLevelThreshold: cfg.ServiceLevel.Threshold.Duration,
		ShortAbandon:          cfg.ServiceLevel.ShortAbandon.Duration,
		Location:              cfg.Display.Location,
		CallerID:              state.CallerDisplay(cfg.Display.CallerID),
		Country:               cfg.Display.Country,
		Thresholds:            stateThresholds(cfg.Thresholds.Levels),
		QueueThresholds:       make(map[string]state.Thresholds, len(cfg.Thresholds.Queues)),
		MaxAgents:             cfg.Limits.MaxAgents,
		MaxQueues:             cfg.Limits.MaxQueues,
		MaxTrunks:             cfg.Limits.MaxTrunks,
	}
	for id, l := range cfg.Thresholds.Queues {
		opts.QueueThresholds[id] = stateThresholds(l)
	}
	opts.Interval = cfg.Report.Interval.Duration
	a := cfg.Alerts
	opts.Limits = state.Limits{
		Pause:        make(map[string]time.Duration, len(a.PauseMax)),
		PauseDefault: a.PauseMaxDefault.Duration, Call: a.CallMax.Duration,
		Ringing: a.RingingMax.Duration, Unavailable: a.UnavailableMax.Duration,
	}
	for pause, d := range a.PauseMax {
		opts.Limits.Pause[pause] = d.Duration
	}
	return opts
}

func stateThresholds(l config.Levels) state.Thresholds {
	return state.Thresholds{
		WaitingWarn: l.WaitingWarn, WaitingCritical: l.WaitingCritical,
		LongestWaitWarn: l.LongestWaitWarn.Duration, LongestWaitCritical: l.LongestWaitCritical.Duration,
		ServiceLevelWarn: l.ServiceLevelWarn, ServiceLevelCritical: l.ServiceLevelCritical,
	}
}
