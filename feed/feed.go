package feed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/zishang520/engine.io-client-go/engine"
	"github.com/zishang520/engine.io-client-go/transports"
	"github.com/zishang520/engine.io-go-parser/packet"
	eioparser "github.com/zishang520/engine.io-go-parser/parser"
	"github.com/zishang520/engine.io/v2/types"
	"github.com/zishang520/socket.io-client-go/socket"
)

// ConnState is the state of the connection to the notifications server.
type ConnState int

// Connection states, in the order a healthy start goes through them.
const (
	Connecting   ConnState = iota // authenticating, opening, or connected and waiting for the first update
	Live                          // the server accepted init: an update of this connection arrived
	Disconnected                  // waiting to retry; StatusMsg.Reason says why
)

func (s ConnState) String() string {
	switch s {
	case Connecting:
		return "connecting"
	case Live:
		return "live"
	case Disconnected:
		return "disconnected"
	}
	return fmt.Sprintf("ConnState(%d)", int(s))
}

// Message is what the feed delivers: *DirectoryMsg, *StatusMsg, *Event, or
// *Batch (updates that arrived together); and *AckMsg, which the feed never
// delivers but which goes the same road from the hub on (the board, the
// journal, its readers).
type Message interface{ feedMessage() }

// AckMsg is a viewer acknowledging an alert (callboard's own, not the
// service's): the alert of Rule about QueueID or AgentID raised at Since,
// acknowledged by By at At. By is outside text.
type AckMsg struct {
	Rule, QueueID, AgentID string
	Since                  time.Time
	By                     string
	At                     time.Time
}

// DirectoryMsg carries the directory of a fresh authentication.
type DirectoryMsg struct {
	Directory Directory
	At        time.Time
}

// StatusMsg reports a change of connection state.
type StatusMsg struct {
	State     ConnState
	Protocol  string // ProtocolV2 or ProtocolV4 once known
	Reason    string // what is going on when not live; outside text, sanitise before display
	Refused   bool   // the server refused the credentials
	Lasting   bool   // the failure will not go away by retrying alone (see Lasting)
	At        time.Time
	NextRetry time.Time // zero when no retry is scheduled
}

func (*DirectoryMsg) feedMessage() {}
func (*StatusMsg) feedMessage()    {}
func (*Event) feedMessage()        {}
func (*AckMsg) feedMessage()       {}

// ReasonNotRunning is the reason of a Disconnected status that stands for
// time callboard was not running: a recording's or a journal's reader
// reports it where a process stopped writing and another started again,
// since what happened in between was not seen.
const ReasonNotRunning = "callboard was not running"

// NotRunning is the status that says the day was not seen from at on: no
// process was running. Readers give it where a journal's or a recording's
// lines stop: between two runs, a restart's history after the day
// replayed, a report of today after the end line.
func NotRunning(at time.Time) *StatusMsg {
	return &StatusMsg{State: Disconnected, Reason: ReasonNotRunning, At: at}
}

// MessageTime is when a feed message happened: an event's reception (a
// batch's last), a directory's or a status's time.
func MessageTime(m Message) time.Time {
	switch m := m.(type) {
	case *Event:
		return m.Received
	case *Batch:
		if len(m.Events) > 0 {
			return m.Events[len(m.Events)-1].Received
		}
	case *DirectoryMsg:
		return m.At
	case *StatusMsg:
		return m.At
	case *AckMsg:
		return m.At
	}
	return time.Time{}
}

// Protocol choices of Config.Protocol.
const ProtocolAuto = "auto"

// Config says where and as whom to connect.
type Config struct {
	URL          string // auth at URL + "/ws/", Socket.IO at URL
	SocketIOPath string // default "/socket.io/"
	Protocol     string // ProtocolAuto (default), ProtocolV2 or ProtocolV4
	Login        string
	Password     func(context.Context) (string, error) // asked at every authentication; ends when ctx does
	HTTPClient   *http.Client                          // login and probe; the WebSocket takes its transport's proxy and TLS settings (see newDialer); default: NewHTTPClient's, Timeout, proxy from the environment
	Timeout      time.Duration                         // for opening a connection; default 10 s
	Now          func() time.Time                      // default time.Now
	// OnMessage, when set, is called with every message before it is
	// delivered (a recorder, attached by the caller), from the feed's
	// goroutines, possibly at once.
	OnMessage func(Message)

	// RetryDelay is the first retry's delay, doubled at each failure in a
	// row up to 30 times it, ±50 % jitter; default 1 s.
	RetryDelay time.Duration
	// RefusedRetryDelay is how long the feed waits after the server refused
	// the credentials: accounts get locked by eager retries; default 1 min.
	RefusedRetryDelay time.Duration
	// ReinitAfter is how long a session waits for an update after init
	// before sending init again, once; default 5 s. When it has still had
	// no update Timeout after that, it ends (ReasonNoUpdateAfterInit) and
	// Run reconnects on its backoff. A session that had an update is never
	// ended for a silence: the heartbeat says whether it is alive.
	ReinitAfter time.Duration
	// MinRenewInterval keeps token renewals apart whatever the expiry
	// says; default 5 s.
	MinRenewInterval time.Duration
	// ReadPace is how long the WebSocket's reads let frames pile up in a
	// flood (see pacedConn), and how long an update may wait for others to
	// reach the board in one Batch; default 1 ms, negative: neither.
	ReadPace time.Duration
}

// Feed runs the connection. Create it with New, start it with Run.
type Feed struct {
	cfg    Config
	dialer *websocket.Dialer
	// readAhead, when set (by tests), is called by the v4 transport at
	// the end of its dial, within Connect, with a channel closed once the
	// transport's reading goroutine has gone as far as it may before
	// Connect returns: waiting for it makes that goroutine as fast as it
	// can be.
	readAhead func(<-chan struct{})
	// crashed carries a panic of one of the feed's goroutines (decoding
	// on the connection's reading goroutine, the batches' timer) to Run,
	// which raises it again: its caller recovers it, as the road does, and
	// ends the process with its terminal restored.
	crashed chan any
}

// guard, deferred on a goroutine of the feed, hands its panic to Run.
func (f *Feed) guard() {
	if p := recover(); p != nil {
		select {
		case f.crashed <- p:
		default: // Run has one already
		}
	}
}

// New returns a feed for cfg, with defaults filled in.
func New(cfg Config) *Feed {
	if cfg.SocketIOPath == "" {
		cfg.SocketIOPath = "/socket.io/"
	}
	if cfg.Protocol == "" {
		cfg.Protocol = ProtocolAuto
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = NewHTTPClient(nil, http.ProxyFromEnvironment)
		cfg.HTTPClient.Timeout = cfg.Timeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.RetryDelay <= 0 {
		cfg.RetryDelay = backoffMin
	}
	if cfg.RefusedRetryDelay <= 0 {
		cfg.RefusedRetryDelay = DefaultRefusedRetryDelay
	}
	if cfg.ReinitAfter <= 0 {
		cfg.ReinitAfter = defaultReinitAfter
	}
	if cfg.MinRenewInterval <= 0 {
		cfg.MinRenewInterval = defaultMinRenewInterval
	}
	if cfg.ReadPace == 0 {
		cfg.ReadPace = defaultReadPace
	}
	return &Feed{cfg: cfg, dialer: newDialer(cfg.HTTPClient, cfg.URL, cfg.Timeout, cfg.ReadPace), crashed: make(chan any, 1)}
}

// ReasonAwaitingUpdate is the reason of the Connecting status between the
// socket's connect and the first update: init is sent, and the server has
// not shown yet that it accepted it. The session is Live once it has, or
// ends with ReasonNoUpdateAfterInit when it has not in time.
const ReasonAwaitingUpdate = "connected, waiting for the first update"

// ReasonInitRefused is the disconnection reason when the server closes the
// socket after `init` without sending any update: the way a refused or
// expired token shows, since the protocol has no refusal message.
const ReasonInitRefused = "the server closed the connection right after init: token refused or expired"

// DefaultRefusedRetryDelay is Config.RefusedRetryDelay's default.
const DefaultRefusedRetryDelay = time.Minute

// RefreshTime is when a token obtained at issued and expiring at expires
// should be renewed: five minutes before expiry, or at 80 % of its life
// when that comes first (or when the token lives less than five minutes).
func RefreshTime(issued, expires time.Time) time.Time {
	life := expires.Sub(issued)
	if life <= 0 {
		return issued
	}
	at80 := issued.Add(life * 8 / 10)
	if early := expires.Add(-5 * time.Minute); early.After(issued) && early.Before(at80) {
		return early
	}
	return at80
}

const defaultReinitAfter = 5 * time.Second

// probeAgainAfter is how many connections in a row must fail in words of
// another protocol before the generation is probed again (auto only).
const probeAgainAfter = 3

const defaultMinRenewInterval = 5 * time.Second

const defaultReadPace = time.Millisecond

func (f *Feed) renewalTime(issued, expires time.Time) time.Time {
	at := RefreshTime(issued, expires)
	if soonest := issued.Add(f.cfg.MinRenewInterval); at.Before(soonest) {
		return soonest
	}
	return at
}

// Run authenticates, connects, and delivers messages on out until ctx ends.
// It reconnects by itself, forever, with backoff; it renews the token before
// it expires and after the server refuses it. It returns ctx's error.
func (f *Feed) Run(ctx context.Context, out chan<- Message) error {
	// the logins' kept-alive connections end with the feed
	defer f.cfg.HTTPClient.CloseIdleConnections()
	r := runner{f: f, out: out, retry: newBackoffFrom(f.cfg.RetryDelay)}
	return r.run(ctx)
}

type runner struct {
	f        *Feed
	out      chan<- Message
	retry    *backoff
	dir      *Directory
	refresh  time.Time // when dir's token must be renewed
	protocol string    // resolved protocol, "" until probed
	reauth   bool      // the last init was refused: authenticate before connecting
	refusals int       // refused inits in a row
	foreign  int       // connections in a row that failed in words of another protocol
	silent   int       // connections in a row that had no update after init
}

func (r *runner) status(ctx context.Context, s *StatusMsg) { r.f.send(ctx, r.out, s) }

func (r *runner) run(ctx context.Context) error {
	f := r.f
	for {
		if r.dir == nil || r.reauth || !f.cfg.Now().Before(r.refresh) {
			if !r.authenticate(ctx) {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				continue
			}
		}
		if r.protocol == "" {
			if !r.probe(ctx) {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				continue
			}
		}
		r.status(ctx, &StatusMsg{State: Connecting, Protocol: r.protocol, Reason: "connecting", At: f.cfg.Now()})
		end := r.session(ctx)
		select { // a panic while the session ended (its last batch, a late listener)
		case p := <-f.crashed:
			panic(p)
		default:
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if end.healthy {
			r.retry.reset()
			r.refusals = 0
		}
		if end.foreign {
			r.foreign++
		} else {
			r.foreign = 0
		}
		if r.foreign == probeAgainAfter && f.cfg.Protocol == ProtocolAuto {
			// the server may have moved to the other generation
			r.protocol, r.foreign = "", 0
		}
		if end.silent {
			r.silent++
			end.reason = SilentReason(r.silent)
		} else {
			r.silent = 0
		}
		if end.refused {
			r.refusals++
			if r.refusals == 1 { // a refused token is renewed once at once, then backs off
				r.reauth = true
				continue
			}
		}
		if !r.wait(ctx, StatusMsg{Reason: end.reason}, r.retry.next()) {
			return ctx.Err()
		}
	}
}

// wait reports the disconnection st says (its reason and flags) and
// sleeps; false when ctx ended.
func (r *runner) wait(ctx context.Context, st StatusMsg, d time.Duration) bool {
	now := r.f.cfg.Now()
	st.State, st.Protocol, st.At, st.NextRetry = Disconnected, r.protocol, now, now.Add(d)
	r.status(ctx, &st)
	return sleep(ctx, d)
}

// failure is the disconnection status of err.
func failure(err error) StatusMsg {
	return StatusMsg{Reason: err.Error(), Lasting: Lasting(err)}
}

// Lasting tells whether err is a failure that retrying alone will not
// mend: a TLS certificate that is not accepted, no TLS where TLS is
// expected, no login endpoint at the URL, a proxy that wants other
// credentials, a socks5:// proxy that answers in another protocol. Someone must change the configuration or the server. The
// feed retries all the same (the board stays up while it is fixed); a
// one-shot command can stop at once.
func Lasting(err error) bool {
	var refusal *ProxyError
	if errors.As(err, &refusal) {
		return refusal.Status == http.StatusProxyAuthRequired
	}
	var ne *NetError
	if errors.As(err, &ne) {
		switch ne.Fault {
		case FaultTLSCertificate, FaultTLSExpired, FaultTLSHandshake, FaultNotSOCKS:
			return true
		}
		return false
	}
	var nowhere *EndpointError
	return errors.As(err, &nowhere)
}

func (r *runner) authenticate(ctx context.Context) bool {
	f := r.f
	r.status(ctx, &StatusMsg{State: Connecting, Protocol: r.protocol, Reason: "authenticating", At: f.cfg.Now()})
	dir, err := f.authenticate(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return false
		}
		// A refusal of the credentials waits a minute; a missing login
		// endpoint (*EndpointError) and network faults take the backoff.
		var refusal *AuthError
		if errors.As(err, &refusal) {
			r.wait(ctx, StatusMsg{Reason: err.Error(), Refused: true}, f.cfg.RefusedRetryDelay)
		} else {
			r.wait(ctx, failure(err), r.retry.next())
		}
		return false
	}
	now := f.cfg.Now()
	r.dir, r.reauth, r.refresh = &dir, false, f.renewalTime(now, dir.Expires)
	return r.f.send(ctx, r.out, &DirectoryMsg{Directory: dir, At: now})
}

func (r *runner) probe(ctx context.Context) bool {
	switch r.f.cfg.Protocol {
	case ProtocolV2, ProtocolV4:
		r.protocol = r.f.cfg.Protocol
		return true
	}
	r.status(ctx, &StatusMsg{State: Connecting, Reason: "probing the Socket.IO server", At: r.f.cfg.Now()})
	h, err := Probe(ctx, r.f.cfg.HTTPClient, r.f.cfg.URL, r.f.cfg.SocketIOPath)
	if err != nil {
		if ctx.Err() == nil {
			r.wait(ctx, failure(err), r.retry.next())
		}
		return false
	}
	r.protocol = h.Protocol
	return true
}

// session runs one connection with the current token and, meanwhile,
// renews the token when it is due, so that the next connection has a
// valid one. The running stream is left alone.
func (r *runner) session(ctx context.Context) sessionEnd {
	f := r.f
	// Listeners may fire after the session ended: once it has, they must
	// deliver nothing.
	sctx, endSession := context.WithCancel(ctx)
	batches := newBatcher(f.cfg.ReadPace, func(m Message) {
		defer f.guard() // on the batches' timer, too
		f.send(sctx, r.out, m)
	})
	deliver := batches.deliver
	// a batch goes when the session's connection has nothing more to
	// decode and reads again, or at the latest after the pace
	sctx = withBeforeRead(sctx, batches.flush)
	done := make(chan sessionEnd, 1)
	dir, protocol := *r.dir, r.protocol
	go func() {
		defer f.guard()
		if protocol == ProtocolV2 {
			done <- f.streamV2(sctx, dir, deliver)
		} else {
			done <- f.streamV4(sctx, dir, deliver)
		}
	}()
	defer func() {
		batches.close() // the updates of the session before its end
		endSession()
	}()
	for {
		renew := time.NewTimer(max(r.refresh.Sub(f.cfg.Now()), 0))
		select {
		case end := <-done:
			renew.Stop()
			return end
		case p := <-f.crashed:
			panic(p)
		case <-renew.C:
			fresh, err := f.authenticate(ctx)
			now := f.cfg.Now()
			if err != nil {
				r.refresh = now.Add(r.retry.next()) // try again soon; the stream goes on
				continue
			}
			r.dir, r.refresh = &fresh, f.renewalTime(now, fresh.Expires)
			deliver(&DirectoryMsg{Directory: fresh, At: now})
		}
	}
}

func (f *Feed) authenticate(ctx context.Context) (Directory, error) {
	password, err := f.cfg.Password(ctx)
	if err != nil {
		return Directory{}, fmt.Errorf("password: %w", err)
	}
	return Authenticate(ctx, f.cfg.HTTPClient, f.cfg.URL, f.cfg.Login, password, f.cfg.Now())
}

// streamV4 runs one Socket.IO 3/4 session with the zishang520 client: it
// connects, emits init, delivers updates, and returns when the connection
// ends for any reason (the library's own reconnection is off: Run does it,
// for both generations alike).
func (f *Feed) streamV4(ctx context.Context, dir Directory, deliver func(Message)) sessionEnd {
	opts := socket.DefaultOptions()
	opts.SetPath(f.cfg.SocketIOPath)
	opts.SetForceNew(true)
	opts.SetMultiplex(false)
	tracker := f.newInitTracker(ProtocolV4, deliver)
	var serverDisconnected atomic.Bool
	opts.SetParser(rawParser{
		onUpdate: func(u update) {
			defer f.guard() // on the library's goroutines
			f.onUpdate(tracker, u)
		},
		onDisconnect: func() { serverDisconnected.Store(true) },
	})
	opts.SetReconnection(false)
	opts.SetTimeout(f.cfg.Timeout)
	opts.SetAutoConnect(false)
	dial := &wsTransports{ctx: ctx, dialer: f.dialer, guard: f.guard, connectReturned: make(chan struct{}), readAhead: f.readAhead}
	opts.SetTransports(types.NewSet[transports.TransportCtor](dial))
	if t, ok := f.cfg.HTTPClient.Transport.(*http.Transport); ok && t.TLSClientConfig != nil {
		opts.SetTLSClientConfig(t.TLSClientConfig.Clone())
	}

	manager := socket.NewManager(strings.TrimRight(f.cfg.URL, "/"), opts)
	io := manager.Socket("/", opts)
	ended := make(chan sessionEnd, 1)
	end := func(e sessionEnd) {
		select {
		case ended <- e:
		default:
		}
	}
	sendInit := func() { io.Emit("init", "supervisor", string(dir.Target), dir.Token.Reveal()) }
	var watchMu sync.Mutex
	var watch *initWatch
	connected := make(chan struct{})
	var connectedOnce sync.Once
	io.On("connect", func(...any) {
		// closed before init is sent: whatever ends the session after
		// init finds the socket connected
		connectedOnce.Do(func() { close(connected) })
		tracker.initSent()
		sendInit()
		watchMu.Lock()
		defer watchMu.Unlock()
		watch.stop() // should the library report a connect twice
		watch = f.watchInit(tracker, sendInit, func() { end(sessionEnd{reason: ReasonNoUpdateAfterInit, silent: true}) })
	})
	io.On("disconnect", func(args ...any) {
		why := "disconnected"
		if len(args) > 0 {
			why = fmt.Sprint(args[0])
		}
		// the server's disconnect packet may be reported after the
		// transport's close that follows it
		if why == "io server disconnect" || serverDisconnected.Load() {
			end(tracker.serverClosed())
			return
		}
		end(sessionEnd{reason: "connection lost: " + why, healthy: tracker.wasHealthy()})
	})
	timedOut := fmt.Sprintf("connection failed: no answer within %v (timeout)", f.cfg.Timeout)
	io.On("connect_error", func(args ...any) {
		why := "connection failed"
		if len(args) > 0 {
			why = fmt.Sprintf("connection failed: %v", args[0])
			if err, ok := args[0].(error); ok && err.Error() == "timeout" { // the manager's own opening timeout
				why = timedOut
			}
		}
		end(sessionEnd{reason: why, healthy: tracker.wasHealthy()})
	})
	// Connect dials the WebSocket before it returns (wsTransport.DoOpen,
	// within Config.Timeout); the opening timer below bounds the rest, the
	// open packet and the namespace's connect.
	dialed := make(chan struct{})
	go func() {
		io.Connect()
		close(dial.connectReturned) // the transport may read now
		close(dialed)
	}()
	// The library also loses the error of a dial that fails (it is emitted
	// before anyone listens): a stopped server would show as a timeout.
	// Our transport keeps it.
	failed := func(reason string) sessionEnd {
		err := dial.err()
		if err != nil {
			reason = "connection failed: " + err.Error()
		}
		return sessionEnd{reason: reason, healthy: tracker.wasHealthy(), foreign: !isNetFault(err)}
	}

	opening := time.NewTimer(f.cfg.Timeout)
	defer opening.Stop()
	var result sessionEnd
wait:
	for {
		select {
		case <-ctx.Done():
			result = sessionEnd{reason: "stopped", healthy: tracker.wasHealthy()}
			break wait
		case result = <-ended:
			if !isClosed(connected) && ctx.Err() == nil && result.reason != timedOut {
				result = failed(result.reason)
			}
			break wait
		case <-connected:
			connected = nil
		case <-dialed:
			dialed = nil
			// Connect has returned: a failed dial left the engine closed,
			// and nothing more will come of it.
			if e := manager.Engine(); e != nil && e.ReadyState() == engine.SocketStateClosed && !isClosed(connected) {
				result = failed("connection failed: the WebSocket did not open")
				break wait
			}
		case <-opening.C:
			// a dial that failed was named when Connect returned: this is
			// a server (or something in front of it) that stays silent
			if !isClosed(connected) {
				result = sessionEnd{reason: timedOut, healthy: tracker.wasHealthy()}
				break wait
			}
		}
	}
	watchMu.Lock()
	watch.stop()
	watchMu.Unlock()
	if failed := closeQuietly(func() {
		io.Disconnect()
		if e := manager.Engine(); e != nil {
			e.Close()
		}
	}); failed != "" {
		result.reason += " (the client library failed closing it: " + failed + ")"
	}
	return result
}

// closeQuietly runs the client library's teardown of a session that has
// ended, and says how it failed when it panicked on a type assertion: its
// close handlers assert the close's error, nil on a close asked for, when
// a listener of the opening is still there (seen under load). The session
// is over either way; any other panic is not the library's known fault,
// and goes on.
func closeQuietly(teardown func()) (failed string) {
	defer func() {
		if p := recover(); p != nil {
			var assertion *runtime.TypeAssertionError
			if err, ok := p.(error); !ok || !errors.As(err, &assertion) {
				panic(p)
			}
			failed = assertion.Error()
		}
	}()
	teardown()
	return ""
}

// isClosed reports whether ch is closed; a nil channel counts as closed
// (the loop that received from it set it to nil).
func isClosed(ch <-chan struct{}) bool {
	if ch == nil {
		return true
	}
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// event decodes the payload of an `update` into an Event.
func (f *Feed) event(payload json.RawMessage) *Event {
	ev := &Event{Received: f.cfg.Now(), Raw: payload}
	if len(payload) == 0 {
		ev.Err = &DecodeError{Reason: ReasonNoPayload}
		return ev
	}
	ev.Update, ev.Err = Decode(payload)
	return ev
}

// send hands m to Config.OnMessage, when set, and delivers it.
func (f *Feed) send(ctx context.Context, out chan<- Message, m Message) bool {
	if f.cfg.OnMessage != nil {
		f.cfg.OnMessage(m)
	}
	return send(ctx, out, m)
}

func send(ctx context.Context, out chan<- Message, m Message) bool {
	select {
	case out <- m:
		return true
	case <-ctx.Done():
		return false
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// wsTransports is the WebSocket transport the v4 client library is given
// in place of its own. engine.io-client-go v1.1.0 dials with no handshake
// timeout and no way to abandon the dial: against a server that accepts
// and stays silent, every opening left a socket and a goroutine parked in
// the dial, for as long as that server held them. This transport dials
// with the feed's dialer (proxy, TLS, handshake timeout: Config.Timeout)
// under the session's context, and closing it abandons a dial under way.
//
// Nor does it read before Connect has returned. The library was written
// after the JavaScript client, where what the connection says is heard on
// a later tick, once Connect is over; it dials from within Connect, before
// its manager listens to the engine, and looks at the engine's state when
// the dial returns. A frame handled meanwhile on the reading goroutine (the
// library's own transport reads at once) lost the engine's open (no
// namespace CONNECT was ever sent: the opening timed out), or sent CONNECT
// twice (which the server answers by closing the connection), or left the
// manager's opening listeners in place, which took the manager's close
// listener away on the first error: the session went on for ever without
// knowing its connection had ended.
//
// Otherwise it does what the library's does (engine/websocket.go).
type wsTransports struct {
	ctx             context.Context // the session's
	dialer          *websocket.Dialer
	guard           func()        // deferred on the reading goroutine (Feed.guard)
	connectReturned chan struct{} // closed once Connect has returned: reading may start
	// readAhead, when set, is called at the end of a dial with a channel
	// closed once the reading goroutine has gone as far as it may before
	// Connect returns (Feed.readAhead)
	readAhead func(<-chan struct{})
	mu        sync.Mutex
	dialErr   error // why the last dial failed, named
}

// err is why the last dial failed, nil when none did.
func (c *wsTransports) err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dialErr
}

func (*wsTransports) Name() string { return transports.WebSocket.Name() }

func (c *wsTransports) New(socket engine.Socket, opts engine.SocketOptionsInterface) engine.Transport {
	t := &wsTransport{Transport: engine.MakeTransport(), dialer: c}
	t.ctx, t.cancel = context.WithCancel(c.ctx)
	t.Prototype(t)
	t.Construct(socket, opts)
	return t
}

type wsTransport struct {
	engine.Transport
	dialer  *wsTransports
	ctx     context.Context
	cancel  context.CancelFunc // abandons the dial
	writeMu sync.Mutex         // one write at a time
	connMu  sync.Mutex
	conn    *websocket.Conn // nil until open
}

func (t *wsTransport) Name() string { return transports.WebSocket.Name() }

// DoOpen dials, as the library's transport does, from within Connect.
func (t *wsTransport) DoOpen() {
	query := url.Values{}
	for k, vs := range t.Query() {
		query[k] = append([]string(nil), vs...)
	}
	if t.Opts().TimestampRequests() {
		query.Set(t.Opts().TimestampParam(), strconv.FormatInt(time.Now().UnixNano(), 36))
	}
	if !t.SupportsBinary() {
		query.Set("b64", "1")
	}
	scheme := "ws"
	if t.Opts().Secure() {
		scheme = "wss"
	}
	addr := t.CreateUri(scheme, query).String()
	conn, resp, err := t.dialer.dialer.DialContext(t.ctx, addr, t.Opts().ExtraHeaders().Clone())
	if err != nil {
		if resp != nil {
			err = webSocketRefused(resp)
		} else {
			err = describeDialError(err, addr, t.dialer.dialer.HandshakeTimeout)
		}
		t.dialer.mu.Lock()
		t.dialer.dialErr = err
		t.dialer.mu.Unlock()
		t.OnError("websocket error", err, nil)
		return
	}
	t.connMu.Lock()
	if t.ctx.Err() != nil { // closed while dialling
		t.connMu.Unlock()
		conn.Close()
		return
	}
	t.conn = conn
	t.connMu.Unlock()
	t.OnOpen()
	held := make(chan struct{})
	go t.read(conn, held)
	if t.dialer.readAhead != nil {
		t.dialer.readAhead(held)
	}
}

// read hands every frame to the engine, in order, on this one goroutine,
// once Connect has returned; it closes held when it waits for that.
func (t *wsTransport) read(conn *websocket.Conn, held chan<- struct{}) {
	defer t.dialer.guard()
	close(held)
	select {
	case <-t.dialer.connectReturned:
	case <-t.ctx.Done(): // DoClose closes conn
		return
	}
	for {
		kind, data, err := conn.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			switch {
			case t.ReadyState() == engine.TransportStateClosed: // closed on our side
			case errors.As(err, &ce), errors.Is(err, net.ErrClosed):
				t.OnClose(engine.NewTransportError("websocket connection closed", nil, nil).Err())
			default:
				t.OnError("websocket error", err, nil)
			}
			return
		}
		switch {
		case kind == websocket.TextMessage && len(data) > 0 && data[0] == '4':
			// An Engine.IO message: decoded here rather than by the library,
			// which would copy it into a buffer grown from 512 bytes.
			t.OnPacket(&packet.Packet{Type: packet.MESSAGE, Data: &wsFrame{BufferInterface: types.NewStringBuffer(data[1:]), data: data[1:]}})
		case kind == websocket.TextMessage:
			t.OnData(types.NewStringBuffer(data))
		case kind == websocket.BinaryMessage:
			t.OnData(types.NewBytesBuffer(data))
		}
	}
}

// wsFrame is the Engine.IO message of a text frame that wsTransport read:
// data is the frame's own memory, which nothing else holds or reuses, so
// an update's payload may be kept as it is.
type wsFrame struct {
	types.BufferInterface
	data []byte
}

// Write sends packets on a goroutine of its own and says "drain" when
// done, as the library's transport does; the engine sends nothing more
// until then.
func (t *wsTransport) Write(packets []*packet.Packet) {
	t.SetWritable(false)
	go func() {
		defer func() {
			t.SetWritable(true)
			t.Emit("drain")
		}()
		t.writeMu.Lock()
		defer t.writeMu.Unlock()
		t.connMu.Lock()
		conn := t.conn
		t.connMu.Unlock()
		for _, p := range packets {
			data, err := eioparser.Parserv4().EncodePacket(p, t.SupportsBinary())
			if err != nil {
				t.OnError("websocket error", err, nil)
				return
			}
			kind := websocket.BinaryMessage
			if _, ok := data.(*types.StringBuffer); ok {
				kind = websocket.TextMessage
			}
			conn.SetWriteDeadline(time.Now().Add(eio3WriteTimeout))
			if err := conn.WriteMessage(kind, data.Bytes()); err != nil {
				if t.ReadyState() != engine.TransportStateClosed {
					t.OnError("websocket error", err, nil)
				}
				return
			}
		}
	}()
}

// DoClose abandons a dial under way, or closes the connection.
func (t *wsTransport) DoClose() {
	t.cancel()
	t.connMu.Lock()
	defer t.connMu.Unlock()
	if t.conn != nil {
		t.conn.Close()
	}
}
