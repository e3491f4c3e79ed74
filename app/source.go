package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"callboard/config"
	"callboard/feed"
	"callboard/journal"
	"callboard/sim"
	"callboard/state"
)

// source is where the data comes from: the configured service, or an
// in-process simulator.
type source struct {
	feed  feed.Config
	board state.Options
	bell  bool // ring when a queue turns critical or an agent passes a limit

	metricsListen string // a non-loopback metrics address the configuration allows
	title         string
	close         func()

	journal  string // the account's journal directory; "" when none is kept (the demo, --no-journal)
	keepDays int

	notify config.Notify // the alerts sent out; none for the demo
}

// ConfigPath is the configuration file a command reads: path, or when it
// is "" the default one (config.DefaultPath).
func ConfigPath(path string) (string, error) {
	if path != "" {
		return path, nil
	}
	return config.DefaultPath()
}

// demoSource starts the demo simulator on a free loopback port, with a
// password of its own. Its board follows cfg's rules (thresholds, alerts,
// display, pauses, the bell, the metrics' address) when a configuration
// was read (see demoConfig), else the thresholds of config.example.toml;
// cfg's connection is never used.
func demoSource(cfg *config.Config) (*source, error) {
	secret := rand.Text()
	srv, err := sim.Start("127.0.0.1:0", sim.Options{Seed: time.Now().UnixNano(), Login: sim.DefaultLogin, Password: secret})
	if err != nil {
		return nil, fmt.Errorf("starting the demo simulator: %w", err)
	}
	src := &source{
		feed: feed.Config{URL: srv.URL(), Login: sim.DefaultLogin, Password: func(context.Context) (string, error) { return secret, nil }},
		board: state.Options{Thresholds: state.Thresholds{ // those of config.example.toml
			WaitingWarn: 3, WaitingCritical: 6,
			LongestWaitWarn: 30 * time.Second, LongestWaitCritical: 60 * time.Second,
			ServiceLevelWarn: 80, ServiceLevelCritical: 60,
		}},
		title: "callboard — demo",
		close: func() { srv.Close() },
	}
	if cfg != nil {
		src.board, src.bell, src.metricsListen = BoardOptions(cfg), cfg.Thresholds.Bell, cfg.Metrics.Listen
	}
	return src, nil
}

// demoConfig is the configuration the demo follows: the file at path, or
// when path is "" the default one if it exists (nil when it does not: the
// demo's own rules). Its connection ([axialys]) is neither checked nor
// used (config.LoadDemo); anything else wrong in it stops the demo, as it
// would stop the board. Its warnings are said.
func demoConfig(path string, say func(string)) (*config.Config, error) {
	if path == "" {
		def, err := config.DefaultPath()
		if err != nil {
			return nil, nil // no home, no default file
		}
		if _, err := os.Stat(def); errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		path = def
	} else if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, ConfigError{fmt.Errorf("%s: no such file (--config with --demo names the rules to try on the demo)", path)}
	}
	cfg, warnings, err := config.LoadDemo(path)
	if err != nil {
		return nil, ConfigError{err}
	}
	for _, w := range warnings {
		say("warning: " + w)
	}
	return cfg, nil
}

// loadConfig reads the configuration at path ("" the default). With
// password, the configuration must name a password source; without, it
// needs none (report and replay never log in). Its warnings are said.
func loadConfig(path string, password bool, say func(string)) (*config.Config, error) {
	path, err := ConfigPath(path)
	if err != nil {
		return nil, ConfigError{err}
	}
	load := config.Load
	if !password {
		load = config.LoadOffline // it never logs in: no password source needed
	}
	cfg, warnings, err := load(path)
	if err != nil {
		return nil, ConfigError{err}
	}
	for _, w := range warnings {
		say("warning: " + w)
	}
	return cfg, nil
}

// configSource is the service cfg names. With password, the password is
// fetched once now, so that a source that cannot give it stops the
// program at start; without, it is never fetched.
func configSource(ctx context.Context, cfg *config.Config, password bool, say func(string)) (*source, error) {
	passwordFunc := cfg.Axialys.PasswordFunc()
	if password {
		var err error
		if passwordFunc, err = cfg.StartPassword(ctx); err != nil {
			return nil, ConfigError{err}
		}
	}
	fc, err := FeedConfig(cfg, passwordFunc)
	if err != nil {
		return nil, ConfigError{err}
	}
	return &source{
		feed:  fc,
		board: BoardOptions(cfg),
		bell:  cfg.Thresholds.Bell,

		metricsListen: cfg.Metrics.Listen,
		title:         "callboard",
		close:         func() {},

		journal:  journalDir(cfg, say),
		keepDays: cfg.Journal.KeepDays,

		notify: cfg.Notify,
	}, nil
}

// FeedConfig is the feed of the service cfg names, logging in with
// password.
func FeedConfig(cfg *config.Config, password func(context.Context) (string, error)) (feed.Config, error) {
	client, err := HTTPClient(cfg.Axialys)
	if err != nil {
		return feed.Config{}, fmt.Errorf("%s: axialys.ca_file: %v", cfg.Path, err)
	}
	return feed.Config{
		URL:          cfg.Axialys.URL,
		SocketIOPath: cfg.Axialys.SocketIOPath,
		Protocol:     cfg.Axialys.Protocol,
		Login:        cfg.Axialys.Login,
		Password:     password,
		HTTPClient:   client,
	}, nil
}

// BoardOptions are the board's rules as cfg sets them.
func BoardOptions(cfg *config.Config) state.Options {
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
	opts.ServiceLevelTarget, opts.ServiceLevelFormula = cfg.ServiceLevel.Target, cfg.ServiceLevel.Formula
	opts.QueueRules = queueRules(cfg.Queues)
	a := cfg.Alerts
	opts.Limits = state.Limits{
		Pause:        make(map[string]time.Duration, len(a.PauseMax)),
		PauseDefault: a.PauseMaxDefault.Duration, Call: a.CallMax.Duration,
		Ringing: a.RingingMax.Duration, Unavailable: a.UnavailableMax.Duration,
	}
	for pause, d := range a.PauseMax {
		opts.Limits.Pause[pause] = d.Duration
	}
	opts.QueueLimits, opts.QueueLimitsOf = queueLimits(cfg)
	return opts
}

func stateThresholds(l config.Levels) state.Thresholds {
	return state.Thresholds{
		WaitingWarn: l.WaitingWarn, WaitingCritical: l.WaitingCritical,
		LongestWaitWarn: l.LongestWaitWarn.Duration, LongestWaitCritical: l.LongestWaitCritical.Duration,
		ServiceLevelWarn: l.ServiceLevelWarn, ServiceLevelCritical: l.ServiceLevelCritical,
	}
}

// journalDir is the configured account's journal directory, or "" (with a
// warning said) when there is nowhere to keep it.
func journalDir(cfg *config.Config, say func(string)) string {
	base := cfg.Journal.Dir
	if base == "" {
		var err error
		if base, err = journal.DefaultBase(); err != nil {
			say(fmt.Sprintf("warning: %v (no journal kept)", err))
			return ""
		}
	}
	return journal.AccountDir(base, cfg.Axialys.URL, cfg.Axialys.Login)
}

// HTTPClient returns the client for the service (feed.NewHTTPClient): a
// 10-second timeout, the proxy from the environment as it is now
// (HTTPS_PROXY, HTTP_PROXY, NO_PROXY: feed.ProxyFromEnvironment), and the
// account's TLS configuration, for the service and for a proxy spoken to in
// TLS alike. The feed's WebSocket follows the same proxy and TLS settings.
func HTTPClient(a config.Axialys) (*http.Client, error) {
	tlsConfig, err := a.TLSConfig()
	if err != nil {
		return nil, err
	}
	return feed.NewHTTPClient(tlsConfig, feed.ProxyFromEnvironment()), nil
}
