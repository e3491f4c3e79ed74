package cli

import (
	"bytes"
	"container/list"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/wish/activeterm"
	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"

	"callboard/app"
	"callboard/config"
	"callboard/hub"
	"callboard/state"
	"callboard/tui"
)

// notABoard is the one line a session without a terminal, or with a
// command, gets before it is closed from the server on addr: how to
// connect, the port named when it is not ssh's own.
func notABoard(addr string) string {
	hint := "ssh -t <host>"
	if _, port, err := net.SplitHostPort(addr); err == nil && port != "22" {
		hint = "ssh -t -p " + port + " <host>"
	}
	return "callboard: a wallboard; connect with a terminal: " + hint + ", no command"
}

// serveCommand runs the one road without a screen of its own and serves a
// board to each viewer that logs in over ssh with an authorized key.
func serveCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("callboard serve", "")
	sshListen := fs.String("ssh-listen", "", "address of the ssh server (default [serve] ssh_listen, else 127.0.0.1:2222)")
	metricsListen := fs.String("metrics-listen", "", "also serve Prometheus metrics at this address, with callboard_viewers, e.g. 127.0.0.1:9464")
	session := newSessionFlags(fs, app.WriteJournal, false)
	if err := parseArgs(fs, args, false, stdout, stderr); err != nil {
		return err
	}
	tuneMemory(os.Getenv)
	var opts serveConfig
	o := session.options(stderr)
	o.MetricsListen = *metricsListen
	o.Check = func(cfg *config.Config) (err error) {
		opts, err = serveOptions(cfg.Serve, *sshListen)
		return err
	}
	checkWall(&o, &opts.wall)
	s, err := openSession(ctx, o)
	if err != nil {
		return err
	}
	defer s.Close()
	log := slog.New(slog.NewTextHandler(stderr, nil))

	var viewersChanged func(int)
	var connsChanged func(int, map[string]uint64)
	if s.Metrics != nil {
		exporter := s.Metrics.Exporter
		exporter.SetViewers(0)
		viewersChanged, connsChanged = exporter.SetViewers, exporter.SetSSHConnections
		fmt.Fprintf(stdout, "callboard serve: metrics on http://%s/metrics\n", s.Metrics.Addr)
		go func() { // the boards go on without the metrics
			<-s.Metrics.Stopped()
			if err := s.Metrics.Err(); err != nil {
				log.Error("metrics", "err", err)
			}
		}()
	}
	s.WatchJournal(func(p string) { log.Warn("journal", "status", state.Sanitize(p)) })
	opts.account = s.Account
	opts.report = journalReport(s, o.Journal, func(p string) { log.Warn("journal", "skipped", state.Sanitize(p)) })
	srv, err := startSSH(opts, s.Hub, s.Title, log, viewersChanged, connsChanged)
	if err != nil {
		return usageError(err)
	}
	fmt.Fprintf(stdout, "callboard serve: ssh on %s\n", srv.addr)
	if why := noAuthorizedKey(opts.authorizedKeys); why != "" {
		log.Warn("nobody can log in yet: "+why+"; add a public key to it (it is read at each login)", "authorized_keys", opts.authorizedKeys)
	}
	viewersLockedOut(log, opts.authorizedKeys, opts.viewers)
	log.Info("serving", "ssh", srv.addr, "authorized_keys", opts.authorizedKeys, "host_key", opts.hostKey, "max_sessions", opts.maxSessions, "max_startups", opts.maxStartups, "login_grace", setting(opts.loginGrace))

	<-s.Context().Done()
	srv.stop(s.Ending()) // the viewers go first, within the session's one end deadline
	s.Stop()
	log.Info("stopped")
	return s.Err()
}

// serveGCPercent and serveMemoryLimit are serve's garbage collection
// target and soft memory limit (GOGC and GOMEMLIMIT, which the environment
// may set). Unlike the other commands' board (main's GOGC 200), serve's
// heap holds the day of a busy center (150 MB live at 20:00 with 200
// viewers on the 5,000-agent day, BenchmarkServeBusyDay) and each viewer's
// layouts made and dropped several times a second: a collection at twice
// the live heap rather than three times keeps its resident set near 300
// MB, and the limit keeps what a burst (the restart's replay, viewers
// logging in together) takes from staying held. A heap live beyond the
// limit is collected more often, at most half the CPU going to it, never
// refused: the limit bends, the server goes on.
const (
	serveGCPercent   = 100
	serveMemoryLimit = 320 << 20
)

// tuneMemory sets serveGCPercent and serveMemoryLimit, each unless getenv
// says the environment set it.
func tuneMemory(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
}

// serveConfig is [serve] with its defaults resolved.
type serveConfig struct {
	listen         string
	authorizedKeys string
	hostKey        string
	maxSessions    int
	idleTimeout    time.Duration // 0: none
	loginGrace     time.Duration
	maxStartups    int
	account        string // the login, said in each board's header (the session's)
	viewers        viewerKeys
	report         dayReport // the day so far, for report --csv calls (serve_exec.go)
	// boardOutput, when set, is the writer a session's board is drawn to,
	// in place of the session itself: a test's seam, to stall a viewer's
	// output as a terminal that stops reading does (its channel's window
	// used, the session's writes block).
	boardOutput func(ssh.Session) io.Writer

	wall config.Wall // each viewer's rotating wall (wallpages.go)
}

// serveOptions resolves [serve] and the --ssh-listen flag: a flag address
// not on loopback must be the one the configuration names.
func serveOptions(c config.Serve, flagListen string) (serveConfig, error) {
	o := serveConfig{listen: c.SSHListen, authorizedKeys: c.AuthorizedKeys, hostKey: c.HostKey, maxSessions: c.MaxSessions, idleTimeout: c.IdleTimeout.Duration,
		loginGrace: c.LoginGrace.Duration, maxStartups: c.MaxStartups}
	if o.listen == "" {
		o.listen = config.DefaultSSHListen
	}
	if o.maxSessions < 1 {
		o.maxSessions = config.DefaultMaxSessions
	}
	if o.loginGrace <= 0 {
		o.loginGrace = config.DefaultLoginGrace
	}
	if o.maxStartups < 1 {
		o.maxStartups = config.DefaultMaxStartups
	}
	if flagListen != "" {
		if err := app.OnLoopback("ssh", flagListen, c.SSHListen, "[serve] ssh_listen"); err != nil {
			return o, err
		}
		o.listen = flagListen
	}
	var err error
	if o.authorizedKeys == "" {
		if o.authorizedKeys, err = config.DefaultAuthorizedKeys(); err != nil {
			return o, err
		}
	}
	if o.hostKey == "" {
		if o.hostKey, err = config.DefaultHostKey(); err != nil {
			return o, err
		}
	}
	o.viewers, err = newViewerKeys(c.Viewers)
	return o, err
}

// sshServer is the ssh side of serve: the server and its viewers.
type sshServer struct {
	addr string
	srv  *ssh.Server
	log  *slog.Logger
	hub  *hub.Hub

	title       string
	account     string // the login, said in each board's header
	maxSessions int
	idleTimeout time.Duration
	output      func(ssh.Session) io.Writer // serveConfig.boardOutput
	viewerKeys  viewerKeys
	report      dayReport     // serveConfig.report
	reporting   chan struct{} // holds the report being read (serve_exec.go)

	mu       sync.Mutex
	stopping bool
	viewers  map[ssh.Session]*viewer
	gone     chan struct{} // a send each time a viewer goes, dropped when full
	changed  func(int)     // told the number of viewers at each change, under mu; nil: nobody

	wall config.Wall // each viewer's rotating wall (wallpages.go)
	// settingsDir keeps the viewers' remembered settings (settings.go):
	// beside the host key, in the server's own state directory, apart
	// from the local boards' (a viewer named as a local user is not that
	// user).
	settingsDir string
}

// viewer is one ssh session's board.
type viewer struct {
	views   chan *state.View // the board's views: relayed from the hub, closed when the session ends
	done    chan struct{}    // closed when the session ends
	program *tui.Program
	idled   atomic.Bool  // the board ended for want of a key within idle_timeout
	named   *namedViewer // the viewer of [[serve.viewers]] the key is; nil: none
	pages   []tui.Page   // the rotating wall's pages, relayed as views are (wallpages.go)
}

// startSSH listens on opts.listen and serves boards of h's views.
// viewersChanged, when set, is told how many viewers there are at each
// change; connsChanged, when set, how many connections show no board
// (see startups) and how many were closed without one, by reason.
func startSSH(opts serveConfig, h *hub.Hub, title string, log *slog.Logger, viewersChanged func(int), connsChanged func(int, map[string]uint64)) (*sshServer, error) {
	if err := os.MkdirAll(filepath.Dir(opts.hostKey), 0o700); err != nil {
		return nil, fmt.Errorf("ssh host key: %v", err)
	}
	if err := checkHostKey(opts.hostKey); err != nil {
		return nil, err
	}
	s := &sshServer{log: log, hub: h, title: title, account: opts.account, maxSessions: opts.maxSessions, idleTimeout: opts.idleTimeout, output: opts.boardOutput, viewerKeys: opts.viewers, report: opts.report, reporting: make(chan struct{}, 1), viewers: map[ssh.Session]*viewer{}, gone: make(chan struct{}, 1), changed: viewersChanged}
	s.wall = opts.wall
	s.settingsDir = filepath.Join(filepath.Dir(opts.hostKey), "settings", "ssh")
	srv, err := wish.NewServer(
		wish.WithHostKeyPath(opts.hostKey),
		wish.WithPublicKeyAuth(func(ctx ssh.Context, key ssh.PublicKey) bool {
			return s.authorized(opts.authorizedKeys, ctx, key)
		}),
		wish.WithMiddleware(
			// each viewer's board, in the colour profile of their own
			// terminal, never forced to another (viewerRenderer)
			s.board,
			activeterm.Middleware(),
			s.gate, // one line per session: login and logout, or why it was refused
		),
	)
	if err != nil {
		return nil, fmt.Errorf("ssh server: %v", err)
	}
	if err := privateHostKey(opts.hostKey); err != nil {
		return nil, err
	}
	// Sessions only: no port forwarding, no global requests, no
	// subsystems (sftp), and in a session only the requests a board needs
	// (no agent or X11 forwarding, no signals).
	srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": boardSessionHandler}
	srv.RequestHandlers = map[string]ssh.RequestHandler{}
	srv.SubsystemHandlers = map[string]ssh.SubsystemHandler{}
	srv.LocalPortForwardingCallback = nil
	srv.ReversePortForwardingCallback = nil
	st := newStartups(opts.maxStartups, opts.loginGrace, log, connsChanged)
	srv.ConnCallback = func(ctx ssh.Context, conn net.Conn) net.Conn {
		pc := st.arrive(conn)
		ctx.SetValue(pendingKey{}, pc)
		return pc
	}
	ln, err := net.Listen("tcp", opts.listen)
	if err != nil {
		return nil, fmt.Errorf("ssh: %v", err)
	}
	s.addr, s.srv = ln.Addr().String(), srv
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, ssh.ErrServerClosed) {
			log.Error("ssh server", "err", err)
		}
	}()
	return s, nil
}

// sessionRequests are the requests a session may make: a terminal, its
// size, the environment (TERM, COLORTERM) and the shell, the board; exec is
// let through to run a read-only command (serve_exec.go), or be told to
// connect without one. Any other is
// answered no, in particular auth-agent-req@openssh.com and x11-req, which
// the ssh package would otherwise acknowledge though nothing is ever
// forwarded.
var sessionRequests = map[string]bool{"pty-req": true, "window-change": true, "env": true, "shell": true, "exec": true}

// maxEnv is how many environment variables a session may set: the ssh
// package keeps them all.
const maxEnv = 64

// boardSessionHandler is the ssh package's session handler on a channel
// that lets only sessionRequests through.
func boardSessionHandler(srv *ssh.Server, conn *gossh.ServerConn, newChan gossh.NewChannel, ctx ssh.Context) {
	ssh.DefaultSessionHandler(srv, conn, requestFilter{newChan}, ctx)
}

// requestFilter is a session channel whose requests other than
// sessionRequests are refused before the session sees them.
type requestFilter struct{ gossh.NewChannel }

func (c requestFilter) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := c.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		envs := 0
		for r := range reqs {
			if r.Type == "env" {
				envs++
			}
			if !sessionRequests[r.Type] || envs > maxEnv {
				_ = r.Reply(false, nil) // no reply when none is wanted
				continue
			}
			out <- r
		}
	}()
	return ch, out, nil
}

// startups are the ssh connections without a board: not authenticated
// yet, or authenticated and showing no board (no session, or one refused,
// or after their last board ended), as sshd's MaxStartups and
// LoginGraceTime keep those not authenticated: at most max at once, each
// for at most grace. One more than max closes the oldest, so that
// connections held open without a word, or by a key that opens no board,
// delay a viewer's login but cannot keep it out, nor take the process's
// descriptors. Connections showing a board (the viewers) do not count.
type startups struct {
	max   int
	grace time.Duration
	log   *slog.Logger
	// afterFunc is time.AfterFunc, the tests' own clock in theirs; its
	// result stops the timer.
	afterFunc func(time.Duration, func()) (stop func() bool)
	changed   func(int, map[string]uint64) // told the count and the refusals at each change, under mu; nil: nobody

	mu      sync.Mutex
	pending list.List // of *pendingConn, oldest first
	refused map[string]uint64
	full    bool // the cap was reached and not left since: said once
}

// Reasons a connection is closed before it authenticated, as counted.
const (
	refusedMaxStartups = "max_startups"
	refusedLoginGrace  = "login_grace"
)

func newStartups(max int, grace time.Duration, log *slog.Logger, changed func(int, map[string]uint64)) *startups {
	st := &startups{max: max, grace: grace, log: log, changed: changed, refused: map[string]uint64{refusedMaxStartups: 0, refusedLoginGrace: 0},
		afterFunc: func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }}
	if changed != nil {
		changed(0, st.refused)
	}
	return st
}

// pendingConn is a connection, counted among the startups while it shows
// no board and is open.
type pendingConn struct {
	net.Conn
	st     *startups
	elem   *list.Element // in st.pending; nil once out of it, under st.mu
	stop   func() bool   // stops the grace timer
	boards int           // boards shown on it, under st.mu
	closed bool          // under st.mu
}

// pendingKey holds a connection's *pendingConn in its ssh context.
type pendingKey struct{}

// arrive counts conn among the startups, closing the oldest when there are
// max already, and starts its grace time.
func (st *startups) arrive(conn net.Conn) *pendingConn {
	pc := &pendingConn{Conn: conn, st: st}
	st.mu.Lock()
	oldest := st.enter(pc)
	st.mu.Unlock()
	if oldest != nil {
		oldest.Conn.Close()
	}
	return pc
}

// enter counts pc among the startups (see arrive), and returns the oldest
// that gave way, to be closed. Under st.mu.
func (st *startups) enter(pc *pendingConn) (oldest *pendingConn) {
	if st.pending.Len() >= st.max {
		oldest = st.leave(st.pending.Front().Value.(*pendingConn), refusedMaxStartups)
		if !st.full {
			st.full = true
			st.log.Warn("ssh: as many connections without a board as max_startups: the oldest are closed as more come", "max_startups", st.max, "remote", pc.RemoteAddr().String())
		}
	}
	pc.elem = st.pending.PushBack(pc)
	pc.stop = st.afterFunc(st.grace, func() { st.expire(pc) })
	st.tell()
	return oldest
}

// leave takes pc out of the startups, counting it under reason unless
// that is "", and returns it; nil when it was out already. Under st.mu.
func (st *startups) leave(pc *pendingConn, reason string) *pendingConn {
	if pc.elem == nil {
		return nil
	}
	st.pending.Remove(pc.elem)
	pc.elem = nil
	if pc.stop != nil {
		pc.stop()
	}
	if reason != "" {
		st.refused[reason]++
	}
	if st.pending.Len() < st.max {
		st.full = false
	}
	st.tell()
	return pc
}

// tell gives the count and the refusals to changed. Under st.mu.
func (st *startups) tell() {
	if st.changed != nil {
		st.changed(st.pending.Len(), st.refused)
	}
}

// expire closes pc if it has shown no board within the grace time.
func (st *startups) expire(pc *pendingConn) {
	st.mu.Lock()
	gone := st.leave(pc, refusedLoginGrace)
	st.mu.Unlock()
	if gone != nil {
		st.log.Info("ssh connection closed: no board (not authenticated, or no session) within login_grace", "remote", pc.RemoteAddr().String(), "login_grace", setting(st.grace))
		pc.Conn.Close()
	}
}

// boardStarted takes pc out of the startups: a board is shown on it.
func (st *startups) boardStarted(pc *pendingConn) {
	st.mu.Lock()
	pc.boards++
	st.leave(pc, "")
	st.mu.Unlock()
}

// boardEnded counts pc among the startups again, with a grace time of its
// own, when its last board has ended and it is still open: kept open
// without a board, it is closed in time.
func (st *startups) boardEnded(pc *pendingConn) {
	st.mu.Lock()
	pc.boards--
	var oldest *pendingConn
	if pc.boards == 0 && !pc.closed {
		oldest = st.enter(pc)
	}
	st.mu.Unlock()
	if oldest != nil {
		oldest.Conn.Close()
	}
}

// Close takes the connection out of the startups, if it is still there,
// and closes it.
func (pc *pendingConn) Close() error {
	pc.st.mu.Lock()
	pc.closed = true
	pc.st.leave(pc, "")
	pc.st.mu.Unlock()
	return pc.Conn.Close()
}

// honouredOptions are the authorized_keys options this server keeps by
// what it is (it forwards no port, agent or X11 connection and runs no rc
// file), by their lower-case names. A line with any other is ignored: its
// key is refused rather than let in without what the options ask.
var honouredOptions = map[string]bool{"no-port-forwarding": true, "no-agent-forwarding": true, "no-x11-forwarding": true, "no-user-rc": true}

// optionsLogged marks a connection whose ignored authorized_keys lines
// have been logged: once per login, however many keys the client offers.
type optionsLogged struct{}

// noAuthorizedKey says why the authorized_keys file at path lets nobody
// in ("" when it holds a key): missing, unreadable, or without a key.
func noAuthorizedKey(path string) string {
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "the authorized_keys file does not exist"
	case err != nil:
		return "the authorized_keys file cannot be read: " + err.Error()
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		if _, _, _, _, err := gossh.ParseAuthorizedKey(line); err == nil {
			return ""
		}
	}
	return "the authorized_keys file holds no key"
}

// authorized says whether key is in the authorized_keys file, read anew,
// on a line without options other than honouredOptions.
func (s *sshServer) authorized(path string, ctx ssh.Context, key ssh.PublicKey) bool {
	who := s.who(key)
	remote := ctx.RemoteAddr().String()
	data, err := os.ReadFile(path)
	if err != nil {
		s.log.Warn("ssh key refused: no authorized keys", append(who, "remote", remote, "err", err)...)
		return false
	}
	logIgnored := ctx.Value(optionsLogged{}) == nil
	ctx.SetValue(optionsLogged{}, true)
	found, ignoredAt := false, 0
	for i, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		k, comment, options, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			continue
		}
		var unknown []string
		for _, o := range options {
			if name, _, _ := strings.Cut(o, "="); !honouredOptions[strings.ToLower(name)] {
				unknown = append(unknown, name)
			}
		}
		match := ssh.KeysEqual(k, key)
		switch {
		case len(unknown) > 0:
			if logIgnored {
				s.log.Warn("authorized_keys: a key with options is ignored", "file", path, "line", i+1, "options", strings.Join(unknown, ","), "key", gossh.FingerprintSHA256(k), "remote", remote)
			}
			if match && ignoredAt == 0 {
				ignoredAt = i + 1
			}
		case match:
			if !found {
				ctx.SetValue(keyNameKey{}, keyName(comment, k)) // who acknowledges (serve_acks.go)
			}
			found = true
		}
	}
	switch {
	case found:
		return true
	case ignoredAt > 0:
		s.log.Info("ssh key refused: listed only with options", append(who, "remote", remote, "line", ignoredAt)...)
	default:
		// a key of [[serve.viewers]] too, named: the viewers let nobody in
		s.log.Info("ssh key refused", append(who, "remote", remote)...)
	}
	return false
}

// gate lets only sessions with a terminal and no command through, as many
// as max_sessions, and logs each login and logout; a read-only command
// (serve_exec.go) it runs.
func (s *sshServer) gate(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		who := s.who(sess.PublicKey())
		remote := sess.RemoteAddr().String()
		_, _, isPty := sess.Pty()
		if sess.RawCommand() != "" && sess.Subsystem() == "" && s.command(sess, who) {
			return
		}
		if !isPty || sess.RawCommand() != "" || sess.Subsystem() != "" {
			s.log.Info("ssh session refused: no terminal or a command", append(who, "remote", remote)...)
			wish.Println(sess, notABoard(s.addr))
			_ = sess.Exit(1)
			return
		}
		v, why := s.add(sess)
		if v == nil {
			s.log.Info("ssh session refused: "+why, append(who, "remote", remote)...)
			wish.Println(sess, "callboard: "+why)
			_ = sess.Exit(1)
			return
		}
		pty, _, _ := sess.Pty()
		s.log.Info("login", append(who, "remote", remote, "user", sess.User(), "term", state.Sanitize(pty.Term), "size", fmt.Sprintf("%dx%d", pty.Window.Width, pty.Window.Height))...)
		if pc, ok := sess.Context().Value(pendingKey{}).(*pendingConn); ok {
			pc.st.boardStarted(pc)
			defer pc.st.boardEnded(pc)
		}
		start := time.Now()
		defer func() {
			s.remove(sess)
			s.log.Info("logout", append(who, "remote", remote, "duration", state.Clock(time.Since(start)))...)
		}()
		next(sess)
		s.mu.Lock()
		stopping := s.stopping
		s.mu.Unlock()
		switch {
		case stopping:
			wish.Println(sess, "\r\ncallboard: server stopping")
		case v.idled.Load():
			s.log.Info("idle viewer disconnected", append(who, "remote", remote, "idle_timeout", setting(s.idleTimeout))...)
			wish.Println(sess, "\r\ncallboard: no key for "+setting(s.idleTimeout)+": disconnected")
		}
		_ = sess.Exit(0)
	}
}

// add registers a viewer for sess, unless the server is stopping or full.
func (s *sshServer) add(sess ssh.Session) (*viewer, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.stopping:
		return nil, "server stopping"
	case len(s.viewers) >= s.maxSessions:
		return nil, fmt.Sprintf("too many viewers (%d): try again later", s.maxSessions)
	}
	v := &viewer{views: make(chan *state.View, 1), done: make(chan struct{}), named: s.viewerKeys.of(sess.PublicKey())}
	go relay(s.hub.Subscribe(v.named.audiences()...), v.views, v.done, realPacing(viewerPace))
	v.pages = s.viewerPages(v.named.audiences(), v.done)
	s.viewers[sess] = v
	if s.changed != nil {
		s.changed(len(s.viewers))
	}
	return v, ""
}

// viewerPace is the least time between two views a viewer's board takes:
// under load the hub publishes up to ten a second, and each viewer's board
// lays out and draws each view it takes, so that a viewer's cost grows with
// that rate; a remote wallboard drawn four times a second shows the same
// figures at most a quarter of a second later. A board at rest (a view a
// second) takes each view at once.
const viewerPace = 250 * time.Millisecond

// pacing is how relay spaces the views it hands on: at least every, by now
// and after (time.Now and time.After; the tests' own clock in theirs).
// The zero pacing hands each view at once.
type pacing struct {
	every time.Duration
	now   func() time.Time
	after func(time.Duration) <-chan time.Time
}

// realPacing is pacing of every on the real clock.
func realPacing(every time.Duration) pacing {
	return pacing{every: every, now: time.Now, after: time.After}
}

// relay hands the views of sub to out, latest wins, at most one every
// p.every (a view that comes sooner waits, replaced by any newer one, and
// goes when that time is up), until done closes; then it closes sub and
// out, so that nothing waits on either any more (a hub subscription's
// channel is never closed).
func relay(sub *hub.Subscription, out chan *state.View, done <-chan struct{}, p pacing) {
	defer close(out)
	defer sub.Close()
	var (
		held   *state.View      // the newest view not handed on yet
		due    <-chan time.Time // when held goes; nil: nothing held
		handed time.Time        // when the last view went
	)
	for {
		select {
		case <-done:
			return
		case v := <-sub.C:
			if due != nil {
				held = v
				continue
			}
			if p.every <= 0 {
				handOn(out, v)
				continue
			}
			now := p.now()
			if since := now.Sub(handed); handed.IsZero() || since >= p.every {
				handOn(out, v)
				handed = now
				continue
			}
			held, due = v, p.after(p.every-now.Sub(handed))
		case <-due:
			handOn(out, held)
			held, due, handed = nil, nil, p.now()
		}
	}
}

// handOn puts v in out, in place of the view there if the viewer has not
// taken it.
func handOn(out chan *state.View, v *state.View) {
	select {
	case out <- v:
	default:
		select {
		case <-out:
		default:
		}
		out <- v
	}
}

func (s *sshServer) remove(sess ssh.Session) {
	s.mu.Lock()
	v := s.viewers[sess]
	delete(s.viewers, sess)
	if s.changed != nil {
		s.changed(len(s.viewers))
	}
	s.mu.Unlock()
	if v != nil {
		close(v.done)
	}
	select {
	case s.gone <- struct{}{}:
	default:
	}
}

// Viewers is how many boards are being watched.
func (s *sshServer) Viewers() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.viewers)
}

// board runs sess's board (program), as wish's Bubble Tea middleware
// does, on the board's own frame writer: the terminal's size changes are
// told to the program, which is asked to quit when the session ends, and
// killed once it has run, in case it has not ended (its terminal is
// given back either way). A session with no board goes on to next.
func (s *sshServer) board(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		p := s.program(sess)
		if p == nil {
			next(sess)
			return
		}
		_, windowChanges, ok := sess.Pty()
		if !ok {
			wish.Fatalln(sess, "no active terminal, skipping")
			return
		}
		ctx, cancel := context.WithCancel(sess.Context())
		go followWindow(ctx, windowChanges, p)
		if err := p.Run(); err != nil {
			s.log.Error("board ended with an error", "err", err)
		}
		p.Kill()
		cancel()
		settingsSaved(sess)
		next(sess)
	}
}

// followWindow tells p each size of the session's terminal that comes in
// changes, and asks it to quit when ctx ends or when changes closes: the
// session's channel is closed then, though its connection may stay (a
// multiplexed ssh client killed), and a board with nowhere to draw ends.
func followWindow(ctx context.Context, changes <-chan ssh.Window, p interface {
	Send(tea.Msg)
	Quit()
}) {
	for {
		select {
		case <-ctx.Done():
			p.Quit()
			return
		case w, ok := <-changes:
			if !ok {
				p.Quit()
				return
			}
			p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
		}
	}
}

// program makes sess's board: its own program on its own subscription,
// drawn for its own terminal.
func (s *sshServer) program(sess ssh.Session) *tui.Program {
	s.mu.Lock()
	v := s.viewers[sess]
	s.mu.Unlock()
	if v == nil {
		return nil
	}
	settings, saveSettings := s.rememberSettings(sess, v.named.settingsWho(sess))
	cfg := tui.Config{Title: s.title, Account: s.account, Views: v.views, View: s.hub.Latest(v.named.audiences()...), Renderer: viewerRenderer(sess),
		Acknowledge: s.acknowledgeAs(v.named.acknowledger(sess)),
		Settings:    settings, SaveSettings: saveSettings,
		Pages: v.pages, RotateEvery: s.wall.RotateEvery.Duration}
	if v.named != nil {
		cfg.Viewer, cfg.Start = v.named.name, v.named.start
	}
	var m tea.Model = tui.New(cfg)
	if s.idleTimeout > 0 {
		m = &idleModel{Model: m, timeout: s.idleTimeout, last: time.Now(), idled: &v.idled}
	}
	var out io.Writer = sess
	if s.output != nil {
		out = s.output(sess)
	}
	// The session's terminal is emulated (the ssh package's default): the
	// keys are read from the session itself.
	p := tui.NewProgram(m, tui.NewKeyReader(sess), out)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		return nil
	}
	v.program = p
	return p
}

// viewerRenderer draws for sess's terminal, in the colour profile its TERM
// and environment (COLORTERM, NO_COLOR) say, on the background its
// COLORFGBG says (dark without it). It asks the terminal nothing: the
// background query of wish's renderer is not made — it waited for an
// answer some terminals never give, and the keys typed meanwhile were lost
// to it.
func viewerRenderer(sess ssh.Session) *lipgloss.Renderer {
	pty, _, _ := sess.Pty()
	if pty.Term == "" || pty.Term == "dumb" {
		return lipgloss.NewRenderer(sess, termenv.WithProfile(termenv.Ascii))
	}
	env := sessionEnv(append(sess.Environ(), "TERM="+pty.Term))
	r := lipgloss.NewRenderer(sess, termenv.WithEnvironment(env), termenv.WithUnsafe(), termenv.WithColorCache(true))
	tui.SetBackground(r, env.Getenv("COLORFGBG")) // set, so never asked
	return r
}

// sessionEnv is an ssh session's environment, as termenv reads it.
type sessionEnv []string

func (e sessionEnv) Environ() []string { return e }

func (e sessionEnv) Getenv(key string) string {
	v := ""
	for _, kv := range e { // the last wins, as the session's requests came
		if k, val, ok := strings.Cut(kv, "="); ok && k == key {
			v = val
		}
	}
	return v
}

// stop ends every board (each viewer is told the server stops) and the
// server, waiting for the viewers to go until deadline at most.
func (s *sshServer) stop(deadline time.Time) {
	s.mu.Lock()
	s.stopping = true
	for _, v := range s.viewers {
		if p := v.program; p != nil {
			go p.Quit()
		}
	}
	s.mu.Unlock()
	gaveUp := time.NewTimer(time.Until(deadline))
	defer gaveUp.Stop()
	for s.Viewers() > 0 {
		select {
		case <-s.gone:
		case <-gaveUp.C:
			s.log.Warn("viewers still connected at stop", "viewers", s.Viewers())
			s.srv.Close()
			return
		}
	}
	// What is left shows no board (a login without a session, a
	// connection kept open after its board ended): it is closed, not
	// waited for, so that the journal's end line keeps its time.
	s.srv.Close()
}

// idleModel ends the board it wraps when no key (nor click or turn of the
// wheel) came for timeout.
type idleModel struct {
	tea.Model
	timeout time.Duration
	last    time.Time // the last key or mouse action
	idled   *atomic.Bool
}

// idleCheck is the time to look whether the viewer is idle.
type idleCheck struct{}

func (m *idleModel) check(after time.Duration) tea.Cmd {
	return tea.Tick(after, func(time.Time) tea.Msg { return idleCheck{} })
}

func (m *idleModel) Init() tea.Cmd { return tea.Batch(m.Model.Init(), m.check(m.timeout)) }

func (m *idleModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg.(type) {
	case tea.KeyMsg, tea.MouseMsg: // a viewer who only clicks is there too
		m.last = time.Now()
	case idleCheck:
		if idle := time.Since(m.last); idle < m.timeout {
			return m, m.check(m.timeout - idle)
		}
		m.idled.Store(true)
		return m, tea.Quit
	}
	var cmd tea.Cmd
	m.Model, cmd = m.Model.Update(msg)
	return m, cmd
}

// checkHostKey refuses a host key path that is not a regular file of
// this user's, when there is one: a link planted there would have the key
// read from, or written and made private, wherever it points.
func checkHostKey(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // generated at first start
	}
	if err != nil {
		return fmt.Errorf("ssh host key: %v", err)
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("ssh host key %s: a symbolic link, refused (give the key's own path)", path)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("ssh host key %s: not a regular file, refused", path)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("ssh host key %s: owned by another user (uid %d), refused", path, st.Uid)
	}
	return nil
}

// privateHostKey makes the host key 0600 without following a link.
func privateHostKey(path string) error {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return fmt.Errorf("ssh host key: %v", err)
	}
	defer f.Close()
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("ssh host key: %v", err)
	}
	return nil
}
