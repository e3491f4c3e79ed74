// Package config loads and validates callboard's TOML configuration file
// (config.example.toml documents every key). Errors name the file, the key
// and what is wrong.
package config

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/nyaruka/phonenumbers"
)

// Config is the whole file, with defaults applied.
type Config struct {
	Path         string       `toml:"-"` // the file it was read from
	Axialys      Axialys      `toml:"axialys"`
	Display      Display      `toml:"display"`
	Pauses       Pauses       `toml:"pauses"`
	ServiceLevel ServiceLevel `toml:"service_level"`
	Thresholds   Thresholds   `toml:"thresholds"`
	Metrics      Metrics      `toml:"metrics"`
	Journal      Journal      `toml:"journal"`
	Alerts       Alerts       `toml:"alerts"`
	Report       Report       `toml:"report"`
	Serve        Serve        `toml:"serve"`
	Limits       Limits       `toml:"limits"`
	Notify       Notify       `toml:"notify"` // the alerts sent out of the board
	Wall         Wall         `toml:"wall"`   // the wall's rotating pages
	// Queues are the rules and limits of particular queues, by id (or
	// name): Queue.
	Queues map[string]Queue `toml:"queues"`
}

// Alerts are how long an agent may stay in a state before the board flags
// it; unset is no limit.
type Alerts struct {
	PauseMax        map[string]Duration `toml:"pause_max"` // per pause, by label or id
	PauseMaxDefault Duration            `toml:"pause_max_default"`
	CallMax         Duration            `toml:"call_max"`
	RingingMax      Duration            `toml:"ringing_max"`
	UnavailableMax  Duration            `toml:"unavailable_max"`
	// QueueLimits are every queue's limits, unless [queues."<id>"] sets
	// its own.
	QueueLimits
}

// Report says how the day is cut into intervals.
type Report struct {
	Interval Duration `toml:"interval"` // 15m, 30m or 60m (default 30m)
}

// Journal says where the day is kept (package journal).
type Journal struct {
	// Dir is the journals' base directory; each account gets a directory
	// of its own in it. Empty: $XDG_STATE_HOME/callboard/journal, else
	// ~/.local/state/callboard/journal.
	Dir string `toml:"dir"`
	// KeepDays is how many days of journal are kept, today included
	// (default DefaultKeepDays).
	KeepDays int `toml:"keep_days"`
}

// DefaultKeepDays is journal.keep_days's default: the one default of the
// days kept (package journal, told nothing, removes no day file).
const DefaultKeepDays = 14

// Metrics configures the Prometheus endpoint.
type Metrics struct {
	// Listen is an address the endpoint may use although it is not on
	// loopback: a metrics listener on another address is refused unless it
	// is this one.
	Listen string `toml:"listen"`
}

// Serve configures `callboard serve`, the board over ssh.
type Serve struct {
	// SSHListen is the ssh server's address (default 127.0.0.1:2222). A
	// --ssh-listen address not on loopback is refused unless it is this one.
	SSHListen string `toml:"ssh_listen"`
	// AuthorizedKeys is an OpenSSH authorized_keys file, read again at each
	// login. Empty: ~/.config/callboard/authorized_keys (see
	// DefaultAuthorizedKeys).
	AuthorizedKeys string `toml:"authorized_keys"`
	// HostKey is the server's ed25519 host key, generated at first start.
	// Empty: $XDG_STATE_HOME/callboard/ssh_host_ed25519_key, else
	// ~/.local/state/callboard/ssh_host_ed25519_key (see DefaultHostKey).
	HostKey string `toml:"host_key"`
	// MaxSessions is how many viewers may watch at once (default 50).
	MaxSessions int `toml:"max_sessions"`
	// IdleTimeout disconnects a viewer who pressed no key for that long;
	// zero (the default) never does: wallboards sit idle by design.
	IdleTimeout Duration `toml:"idle_timeout"`
	// LoginGrace is how long a connection may take to authenticate before
	// it is closed (default 30s), as sshd's LoginGraceTime.
	LoginGrace Duration `toml:"login_grace"`
	// MaxStartups is how many connections may be there at once that have
	// not authenticated yet (default 100), as sshd's MaxStartups: one more
	// closes the oldest of them. Viewers logged in do not count.
	MaxStartups int `toml:"max_startups"`
	// Viewers are the audiences named by their keys: Viewer.
	Viewers []Viewer `toml:"viewers"`
}

// Serve's defaults.
const (
	DefaultSSHListen   = "127.0.0.1:2222"
	DefaultMaxSessions = 50
	DefaultLoginGrace  = 30 * time.Second
	DefaultMaxStartups = 100
)

// DefaultAuthorizedKeys is $XDG_CONFIG_HOME/callboard/authorized_keys,
// else ~/.config/callboard/authorized_keys.
func DefaultAuthorizedKeys() (string, error) {
	p, err := DefaultPath()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(p), "authorized_keys"), nil
}

// DefaultHostKey is $XDG_STATE_HOME/callboard/ssh_host_ed25519_key, else
// ~/.local/state/callboard/ssh_host_ed25519_key.
func DefaultHostKey() (string, error) {
	if dir := os.Getenv("XDG_STATE_HOME"); dir != "" {
		return filepath.Join(dir, "callboard", "ssh_host_ed25519_key"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the state directory for the host key: %v (set serve.host_key)", err)
	}
	return filepath.Join(home, ".local", "state", "callboard", "ssh_host_ed25519_key"), nil
}

// Levels are the warn and critical levels of a queue's figures; zero is
// no threshold.
type Levels struct {
	WaitingWarn          int      `toml:"waiting_warn"`
	WaitingCritical      int      `toml:"waiting_critical"`
	LongestWaitWarn      Duration `toml:"longest_wait_warn"`
	LongestWaitCritical  Duration `toml:"longest_wait_critical"`
	ServiceLevelWarn     float64  `toml:"service_level_warn"`
	ServiceLevelCritical float64  `toml:"service_level_critical"`
}

// Thresholds are the default levels, the levels of particular queues (by
// queue id), and whether to ring the terminal bell when a queue turns
// critical.
type Thresholds struct {
	Levels
	Bell   bool              `toml:"bell"`
	Queues map[string]Levels `toml:"queues"`
}

// DefaultPasswordEnv is the environment variable that holds the password
// when the configuration names no source (password_env, password_command,
// password).
const DefaultPasswordEnv = "CALLBOARD_PASSWORD"

// Axialys says where the service is and as whom to log in.
type Axialys struct {
	URL             string `toml:"url"`
	SocketIOPath    string `toml:"socketio_path"`
	Login           string `toml:"login"`
	PasswordEnv     string `toml:"password_env"`
	PasswordCommand string `toml:"password_command"`
	// PasswordCommandTimeout bounds password_command (default 10 s).
	PasswordCommandTimeout Duration `toml:"password_command_timeout"`
	Password               Secret   `toml:"password"`
	Protocol               string   `toml:"protocol"` // auto, v2 or v4
	CAFile                 string   `toml:"ca_file"`  // extra certificate authorities, PEM
}

// Display holds presentation choices.
type Display struct {
	Timezone string `toml:"timezone"` // IANA name or "Local"
	CallerID string `toml:"caller_id"`
	// Country is the region of caller numbers written nationally
	// (0612…), an ISO 3166 code such as FR: callers are matched as the
	// phone numbers they are.
	Country string `toml:"country"`

	Location *time.Location `toml:"-"`
}

// DefaultCountry is Display.Country when the file does not set it.
const DefaultCountry = "FR"

// knownCountry reports whether region, upper case (FR), is one whose phone
// numbers the phone library the board matches callers with can read.
func knownCountry(region string) bool {
	return phonenumbers.GetSupportedRegions()[region]
}

// Caller number display modes.
const (
	CallerMask = "mask"
	CallerFull = "full"
	CallerHide = "hide"
)

// Pauses says how pauses end and how their reasons read.
type Pauses struct {
	ResumeIDs []string          `toml:"resume_ids"`
	Labels    map[string]string `toml:"labels"`
}

// ServiceLevel is every queue's service rule, unless [queues."<id>"] sets
// its own: the threshold, the short abandon, the target (percent; zero is
// none) and the formula (SLAnswered, the default, SLOffered or
// SLAnsweredOnly).
type ServiceLevel struct {
	Threshold    Duration `toml:"threshold"`
	ShortAbandon Duration `toml:"short_abandon"`
	Target       float64  `toml:"target"`
	Formula      string   `toml:"formula"`
}

// Duration is a TOML string such as "20s" or "1m30s".
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration (write it like \"20s\")", string(b))
	}
	if v < 0 {
		return fmt.Errorf("%q is negative", string(b))
	}
	d.Duration = v
	return nil
}

// Secret is a value that never prints.
type Secret string

func (Secret) String() string   { return "[redacted]" }
func (Secret) GoString() string { return "[redacted]" }

// DefaultPath is $XDG_CONFIG_HOME/callboard/config.toml, else
// ~/.config/callboard/config.toml.
func DefaultPath() (string, error) {
	if dir := os.Getenv("XDG_CONFIG_HOME"); dir != "" {
		return filepath.Join(dir, "callboard", "config.toml"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the configuration: %v (use --config FILE)", err)
	}
	return filepath.Join(home, ".config", "callboard", "config.toml"), nil
}

// Load reads and validates the file at path. Warnings are things the user
// should know that do not stop the program.
func Load(path string) (cfg *Config, warnings []string, err error) {
	return load(path, func(c *Config) error { return c.validate(true) })
}

// LoadOffline is Load for the commands that never log in (report, replay):
// they read the journal or a recording, so the file needs no password
// source (one that is there is checked all the same).
func LoadOffline(path string) (cfg *Config, warnings []string, err error) {
	return load(path, func(c *Config) error { return c.validate(false) })
}

// load reads the file at path, checked by validate.
func load(path string, validate func(*Config) error) (cfg *Config, warnings []string, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, fmt.Errorf("%s: no such file (copy config.example.toml there, or try --demo)", path)
		}
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	cfg = defaults()
	cfg.Path = path
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, describeTOMLError(err))
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		if near := didYouMean(undecoded[0]); near != "" {
			return nil, nil, fmt.Errorf("%s: unknown key %q: did you mean %q?", path, undecoded[0].String(), near)
		}
		return nil, nil, fmt.Errorf("%s: unknown key %q", path, undecoded[0].String())
	}
	if err := validate(cfg); err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, err)
	}
	if cfg.Axialys.Password != "" {
		if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
			warnings = append(warnings, fmt.Sprintf("%s holds axialys.password and is readable by others (mode %v): chmod 600 it, or use password_env or password_command", path, st.Mode().Perm()))
		}
	}
	return cfg, warnings, nil
}

func defaults() *Config {
	return &Config{
		Axialys: Axialys{
			URL:          "https://voice-management.axialys.com",
			SocketIOPath: "/socket.io/",
			Protocol:     "auto",
		},
		Display: Display{Timezone: "Local", CallerID: CallerMask, Country: DefaultCountry},
		Journal: Journal{KeepDays: DefaultKeepDays},
		Report:  Report{Interval: Duration{30 * time.Minute}},
		Serve:   Serve{SSHListen: DefaultSSHListen, MaxSessions: DefaultMaxSessions, LoginGrace: Duration{DefaultLoginGrace}, MaxStartups: DefaultMaxStartups},
		Pauses:  Pauses{ResumeIDs: []string{""}},
		Limits:  defaultLimits(),
		Notify:  defaultNotify(),
		ServiceLevel: ServiceLevel{
			Threshold:    Duration{20 * time.Second},
			ShortAbandon: Duration{5 * time.Second},
			Formula:      SLAnswered,
		},
	}
}

func describeTOMLError(err error) string {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		if pe.LastKey != "" {
			return fmt.Sprintf("line %d, key %s: %s", pe.Position.Line, pe.LastKey, pe.Message)
		}
		return fmt.Sprintf("line %d: %s", pe.Position.Line, pe.Message)
	}
	return err.Error()
}

func (c *Config) validate(needPassword bool) error {
	a := &c.Axialys
	u, err := url.Parse(a.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("axialys.url: %q is not an http(s) URL", a.URL)
	}
	if !strings.HasPrefix(a.SocketIOPath, "/") {
		return fmt.Errorf("axialys.socketio_path: %q must start with /", a.SocketIOPath)
	}
	switch a.Protocol {
	case "auto", "v2", "v4":
	default:
		return fmt.Errorf("axialys.protocol: %q: want auto, v2 or v4", a.Protocol)
	}
	if a.CAFile != "" {
		if _, err := a.TLSConfig(); err != nil {
			return fmt.Errorf("axialys.ca_file: %v", err)
		}
	}
	if strings.TrimSpace(a.Login) == "" {
		return errors.New("axialys.login: missing")
	}
	sources := 0
	for _, set := range []bool{a.PasswordEnv != "", a.PasswordCommand != "", a.Password != ""} {
		if set {
			sources++
		}
	}
	switch {
	case sources == 0:
		a.PasswordEnv = DefaultPasswordEnv
	case sources > 1:
		return errors.New("axialys: set only one of password_env, password_command and password")
	}
	if err := c.Thresholds.Levels.validate("thresholds"); err != nil {
		return err
	}
	for id, l := range c.Thresholds.Queues {
		if err := l.validate(fmt.Sprintf("thresholds.queues.%q", id)); err != nil {
			return err
		}
	}
	if c.Display.Timezone == "" || strings.EqualFold(c.Display.Timezone, "local") {
		c.Display.Location = time.Local
	} else {
		loc, err := time.LoadLocation(c.Display.Timezone)
		if err != nil {
			return fmt.Errorf("display.timezone: %q is not a known timezone", c.Display.Timezone)
		}
		c.Display.Location = loc
	}
	switch c.Display.CallerID {
	case CallerMask, CallerFull, CallerHide:
	default:
		return fmt.Errorf("display.caller_id: %q: want mask, full or hide", c.Display.CallerID)
	}
	if c.Display.Country = strings.ToUpper(c.Display.Country); !knownCountry(c.Display.Country) {
		return fmt.Errorf("display.country: %q is not a region of phone numbers: want a country code such as FR, BE or CH", c.Display.Country)
	}
	switch c.Report.Interval.Duration {
	case 15 * time.Minute, 30 * time.Minute, 60 * time.Minute:
	default:
		return fmt.Errorf("report.interval: %v: want 15m, 30m or 60m", c.Report.Interval.Duration)
	}
	if err := c.Limits.validate(); err != nil {
		return err
	}
	if err := validFormula("service_level.formula", c.ServiceLevel.Formula); err != nil {
		return err
	}
	if err := validPercent("service_level.target", c.ServiceLevel.Target); err != nil {
		return err
	}
	if err := c.Alerts.QueueLimits.validate("alerts"); err != nil {
		return err
	}
	for id, q := range c.Queues {
		if err := q.validate(fmt.Sprintf("queues.%q", id)); err != nil {
			return err
		}
	}
	if err := c.Notify.validate(needPassword); err != nil {
		return err
	}
	if c.Journal.KeepDays < 1 {
		return fmt.Errorf("journal.keep_days: %d: want 1 or more (days kept, today included)", c.Journal.KeepDays)
	}
	if _, _, err := net.SplitHostPort(c.Serve.SSHListen); err != nil {
		return fmt.Errorf("serve.ssh_listen: %q: want host:port", c.Serve.SSHListen)
	}
	if c.Serve.MaxSessions < 1 {
		return fmt.Errorf("serve.max_sessions: %d: want 1 or more", c.Serve.MaxSessions)
	}
	if c.Serve.IdleTimeout.Duration < 0 {
		return fmt.Errorf("serve.idle_timeout: %v: want a positive duration, or none", c.Serve.IdleTimeout.Duration)
	}
	if c.Serve.LoginGrace.Duration <= 0 {
		return fmt.Errorf("serve.login_grace: %v: want a positive duration (default 30s)", c.Serve.LoginGrace.Duration)
	}
	if c.Serve.MaxStartups < 1 {
		return fmt.Errorf("serve.max_startups: %d: want 1 or more (default %d)", c.Serve.MaxStartups, DefaultMaxStartups)
	}
	if err := c.Wall.validate(); err != nil {
		return err
	}
	if err := validateViewers(c.Serve.Viewers, c.Display.CallerID); err != nil {
		return err
	}
	return nil
}

// DefaultPasswordCommandTimeout is how long password_command may run.
const DefaultPasswordCommandTimeout = 10 * time.Second

// PasswordFunc returns a function that fetches the password from its
// source each time it is called (so a rotated secret is picked up at the
// next authentication). Its errors never hold the password, nor what
// password_command wrote on its standard error (that goes to log).
func (a Axialys) PasswordFunc() func(context.Context) (string, error) {
	switch {
	case a.PasswordEnv != "":
		name := a.PasswordEnv
		return func(context.Context) (string, error) { return envPassword(name) }
	case a.PasswordCommand != "":
		command, timeout := a.PasswordCommand, a.PasswordCommandTimeout.Duration
		if timeout <= 0 {
			timeout = DefaultPasswordCommandTimeout
		}
		return func(ctx context.Context) (string, error) { return runPasswordCommand(ctx, command, timeout) }
	default:
		secret := string(a.Password)
		return func(context.Context) (string, error) { return secret, nil }
	}
}

// StartPassword fetches the password once, at start, so that a source that
// cannot give it (an unset or empty variable, a password_command that fails
// or does not finish in time) stops the program there, with the file and
// the reason. The function it returns gives that password to the first
// login and asks the source again for each later one (a rotated secret is
// picked up).
func (c *Config) StartPassword(ctx context.Context) (func(context.Context) (string, error), error) {
	get := c.Axialys.PasswordFunc()
	first, err := get(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", c.Path, err)
	}
	var used atomic.Bool
	return func(ctx context.Context) (string, error) {
		if !used.Swap(true) {
			return first, nil
		}
		return get(ctx)
	}, nil
}

func envPassword(name string) (string, error) {
	v, ok := os.LookupEnv(name)
	switch {
	case !ok:
		return "", fmt.Errorf("axialys.password_env: environment variable %s is not set (export it, or use password_command)", name)
	case v == "":
		return "", fmt.Errorf("axialys.password_env: environment variable %s is empty (export the password in it, or use password_command)", name)
	}
	return v, nil
}

// runPasswordCommand runs command with sh in a process group of its own,
// and kills the whole group (sh and whatever it started) when timeout
// passes, ctx ends, or its standard output passes passwordOutputMax (a
// helper that prints without end is stopped at once, not at its timeout),
// so that a stuck or runaway helper can neither hang callboard, nor fill
// its memory, nor outlive it. What it writes on standard error goes to the
// log (stderr of the process, sanitised, when it fails; its first
// passwordOutputMax bytes, the rest counted), never into the error.
func runPasswordCommand(ctx context.Context, command string, timeout time.Duration) (string, error) {
	ctx, cancel := passwordDeadline(ctx, timeout)
	defer cancel()
	stdout := &cappedBuffer{max: passwordOutputMax, full: cancel}
	stderr := &cappedBuffer{max: passwordOutputMax}
	err := runGroup(ctx, []string{"sh", "-c", command}, nil, stdout, stderr)
	if stdout.cut > 0 || err != nil {
		if msg := helperMessages(stderr); msg != "" {
			passwordLog.Printf("password_command: %s", msg)
		}
		messages := "its messages are in the log"
		if stderr.cut > 0 {
			messages = fmt.Sprintf("its messages are in the log, cut after %d KiB", passwordOutputMax>>10)
		}
		switch {
		case stdout.cut > 0:
			return "", fmt.Errorf("axialys.password_command: its output passed %d KiB: stopped (a password is far shorter; is it the right command?)", passwordOutputMax>>10)
		case errors.Is(context.Cause(ctx), context.DeadlineExceeded):
			return "", fmt.Errorf("axialys.password_command did not finish within %v", timeout)
		case ctx.Err() != nil:
			return "", fmt.Errorf("axialys.password_command: %w", ctx.Err())
		}
		return "", fmt.Errorf("axialys.password_command failed: %v (%s)", err, messages)
	}
	pw := strings.TrimRight(string(stdout.kept), "\r\n")
	if pw == "" {
		return "", errors.New("axialys.password_command printed nothing")
	}
	return pw, nil
}

// passwordDeadline gives password_command's context its deadline: timeout
// from now. A test's own passes it when the test says.
var passwordDeadline = func(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, timeout)
}

// passwordOutputMax bounds what is read of password_command's standard
// output (a password never needs as much) and what is kept of its standard
// error for the log.
const passwordOutputMax = 64 << 10

// cappedBuffer keeps the first max bytes written to it and counts the
// rest. With full set, the first byte past max calls it and fails the
// write (the writer is to be stopped); else the rest is read and dropped,
// so that the writer is not blocked on a full pipe.
type cappedBuffer struct {
	max  int
	full func()
	kept []byte
	cut  int64 // bytes past max
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	room := c.max - len(c.kept)
	if len(p) <= room {
		c.kept = append(c.kept, p...)
		return len(p), nil
	}
	c.kept = append(c.kept, p[:room]...)
	c.cut += int64(len(p) - room)
	if c.full != nil {
		c.full()
		return room, errOutputPassedBound
	}
	return len(p), nil
}

var errOutputPassedBound = errors.New("output passed its bound")

// passwordLog is where password_command's standard error goes: stderr, the
// process's log. It is outside text: firstLines cleans it first.
var passwordLog = log.New(os.Stderr, "callboard: ", 0)

// firstLines keeps the first n lines of s, each made printable (see
// printable), so that a helper's messages cannot drive the terminal.
func firstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = append(lines[:n], "…")
	}
	for i, l := range lines {
		lines[i] = printable(l)
	}
	return strings.Join(lines, " / ")
}

// printable is s with every character that is not graphic (control
// characters and escape sequences' ESC, bidi marks and overrides,
// zero-width and other format characters, line separators), invalid UTF-8,
// quotes and backslashes escaped as in a Go string literal (\x1b, \u202e),
// the rest as it is: what was there can be read, and nothing acts on the
// terminal or reorders the line.
func printable(s string) string {
	q := strconv.QuoteToGraphic(s)
	return q[1 : len(q)-1]
}

// TLSConfig returns the TLS settings for the service: the system's
// certificate authorities, plus those of CAFile when set. Nil when there is
// nothing to change.
func (a Axialys) TLSConfig() (*tls.Config, error) { return caTLSConfig(a.CAFile) }

// caTLSConfig is TLS settings that trust the system's certificate
// authorities plus those of the PEM file caFile; nil when caFile is "".
func caTLSConfig(caFile string) (*tls.Config, error) {
	if caFile == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", caFile)
	}
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, nil
}

func (l Levels) validate(key string) error {
	switch {
	case l.WaitingWarn < 0 || l.WaitingCritical < 0:
		return fmt.Errorf("%s: waiting levels cannot be negative", key)
	case l.WaitingWarn > 0 && l.WaitingCritical > 0 && l.WaitingCritical < l.WaitingWarn:
		return fmt.Errorf("%s.waiting_critical: %d is below waiting_warn %d", key, l.WaitingCritical, l.WaitingWarn)
	case l.LongestWaitWarn.Duration > 0 && l.LongestWaitCritical.Duration > 0 && l.LongestWaitCritical.Duration < l.LongestWaitWarn.Duration:
		return fmt.Errorf("%s.longest_wait_critical: %v is below longest_wait_warn %v", key, l.LongestWaitCritical.Duration, l.LongestWaitWarn.Duration)
	case l.ServiceLevelWarn < 0 || l.ServiceLevelWarn > 100 || l.ServiceLevelCritical < 0 || l.ServiceLevelCritical > 100:
		return fmt.Errorf("%s: service levels are percentages, from 0 to 100", key)
	case l.ServiceLevelWarn > 0 && l.ServiceLevelCritical > l.ServiceLevelWarn:
		return fmt.Errorf("%s.service_level_critical: %v is above service_level_warn %v (a service level alarms as it falls)", key, l.ServiceLevelCritical, l.ServiceLevelWarn)
	}
	return nil
}
