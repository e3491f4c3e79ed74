package feed

// A Socket.IO 2.x client, for servers that speak Engine.IO protocol 3 (no
// maintained Go client exists for them). Only what callboard needs: one
// WebSocket transport, the default namespace, events in, events out.
//
// References:
//   - Engine.IO protocol, revision 3: https://github.com/socketio/engine.io-protocol/tree/v3
//     (packets 0 open, 1 close, 2 ping, 3 pong, 4 message, 6 noop; over
//     WebSocket one frame is one packet; the client pings every
//     pingInterval and the server answers with a pong)
//   - Socket.IO protocol, revision 4 (Socket.IO 2.x): https://github.com/socketio/socket.io-protocol/tree/v4
//     (inside message packets: 0 connect, 1 disconnect, 2 event, 4 error;
//     a 2.x server connects the default namespace by itself with `40`)

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/zishang520/socket.io-go-parser/v2/parser"
)

// eio3Conn is an open Engine.IO 3 WebSocket session.
type eio3Conn struct {
	ws        *websocket.Conn
	handshake Handshake
	writeMu   sync.Mutex
}

const (
	wsReadBuffer     = 64 << 10 // room for the frames a paced read takes
	eio3WriteTimeout = 10 * time.Second
	eio3MaxMessage   = 16 << 20
)

// wsURL turns the service URL and the Socket.IO path into the WebSocket
// address of an Engine.IO session of the given protocol revision.
func wsURL(baseURL, path, eio string) (string, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil {
		return "", err
	}
	switch u.Scheme {
	case "https":
		u.Scheme = "wss"
	case "http":
		u.Scheme = "ws"
	default:
		return "", fmt.Errorf("unsupported scheme %q", u.Scheme)
	}
	u.Path = path
	u.RawQuery = url.Values{"EIO": {eio}, "transport": {"websocket"}}.Encode()
	return u.String(), nil
}

// dialEIO3 opens the WebSocket and reads the open packet.
func dialEIO3(ctx context.Context, dialer *websocket.Dialer, baseURL, path string, timeout time.Duration) (*eio3Conn, error) {
	addr, err := wsURL(baseURL, path, "3")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ws, resp, err := dialer.DialContext(ctx, addr, nil)
	if err != nil {
		if resp != nil {
			return nil, webSocketRefused(resp)
		}
		return nil, describeDialError(err, addr, timeout)
	}
	ws.SetReadLimit(eio3MaxMessage)
	c := &eio3Conn{ws: ws}
	ws.SetReadDeadline(time.Now().Add(timeout))
	_, msg, err := ws.ReadMessage()
	if err != nil {
		ws.Close()
		return nil, fmt.Errorf("no open packet: %w", describeNetError(err))
	}
	if len(msg) < 2 || msg[0] != '0' {
		ws.Close()
		return nil, fmt.Errorf("not an Engine.IO 3 open packet: %.80q", msg)
	}
	var open struct {
		SID          string   `json:"sid"`
		Upgrades     []string `json:"upgrades"`
		PingInterval int64    `json:"pingInterval"`
		PingTimeout  int64    `json:"pingTimeout"`
	}
	if err := json.Unmarshal(msg[1:], &open); err != nil || open.PingInterval <= 0 || open.PingTimeout <= 0 {
		ws.Close()
		return nil, fmt.Errorf("unreadable open packet: %.80q", msg)
	}
	c.handshake = Handshake{
		Protocol: ProtocolV2, SID: open.SID, Upgrades: open.Upgrades,
		PingInterval: time.Duration(open.PingInterval) * time.Millisecond,
		PingTimeout:  time.Duration(open.PingTimeout) * time.Millisecond,
	}
	return c, nil
}

func (c *eio3Conn) send(packet string) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	c.ws.SetWriteDeadline(time.Now().Add(eio3WriteTimeout))
	return c.ws.WriteMessage(websocket.TextMessage, []byte(packet))
}

// emit sends a Socket.IO event on the default namespace.
func (c *eio3Conn) emit(name string, args ...any) error {
	b, err := json.Marshal(append([]any{name}, args...))
	if err != nil {
		return err
	}
	return c.send("42" + string(b))
}

// heartbeatWindow is how long the connection may stay silent before it is
// taken for dead: a ping is due every pingInterval and its pong within
// pingTimeout.
func (c *eio3Conn) heartbeatWindow() time.Duration {
	return c.handshake.PingInterval + c.handshake.PingTimeout
}

// streamV2 runs one Socket.IO 2.x session; see (*Feed).stream.
func (f *Feed) streamV2(ctx context.Context, dir Directory, deliver func(Message)) sessionEnd {
	conn, err := dialEIO3(ctx, f.dialer, f.cfg.URL, f.cfg.SocketIOPath, f.cfg.Timeout)
	if err != nil {
		return sessionEnd{reason: "connection failed: " + err.Error(), foreign: !isNetFault(err)}
	}
	stop := context.AfterFunc(ctx, func() { conn.ws.Close() })
	defer stop()
	defer conn.ws.Close()

	pings := make(chan struct{})
	defer close(pings)
	go func() {
		t := time.NewTicker(conn.handshake.PingInterval)
		defer t.Stop()
		for {
			select {
			case <-pings:
				return
			case <-t.C:
				if conn.send("2") != nil {
					return
				}
			}
		}
	}()

	tracker := f.newInitTracker(ProtocolV2, deliver)
	s := &eio3Session{conn: conn, dir: dir, tracker: tracker}
	defer func() { s.watch.stop() }()
	for {
		conn.ws.SetReadDeadline(time.Now().Add(conn.heartbeatWindow()))
		kind, msg, err := conn.ws.ReadMessage()
		if err != nil {
			switch {
			case ctx.Err() != nil:
				return sessionEnd{reason: "stopped", healthy: tracker.wasHealthy()}
			case s.silent.Load():
				return sessionEnd{reason: ReasonNoUpdateAfterInit, silent: true}
			case isTimeout(err):
				return sessionEnd{reason: fmt.Sprintf("no heartbeat from the server for %v", conn.heartbeatWindow()), healthy: tracker.wasHealthy()}
			}
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				return tracker.serverClosed()
			}
			return sessionEnd{reason: "connection lost: " + describeNetError(err).Error(), healthy: tracker.wasHealthy()}
		}
		if kind != websocket.TextMessage || len(msg) == 0 {
			continue
		}
		switch msg[0] {
		case '1': // close
			return tracker.serverClosed()
		case '2': // a ping from the server: answer it
			conn.send("3" + string(msg[1:]))
		case '4':
			if len(msg) > 2 && msg[1] == byte(parser.EVENT) {
				// `42["update",{…}]`: msg is this frame's own memory, the
				// payload is cut out of it, not copied
				if payload, ok := updatePayload(msg[2:]); ok {
					f.onUpdate(tracker, update{nsp: "/", payload: payload})
					continue
				}
			}
			end, done := f.onSocketIOPacket(string(msg[1:]), s)
			if done {
				return end
			}
		}
	}
}

// eio3Session is what a running Socket.IO 2.x session keeps.
type eio3Session struct {
	conn    *eio3Conn
	dir     Directory
	tracker *initTracker
	watch   *initWatch  // of the last init
	silent  atomic.Bool // the watch gave the session up (and closed conn)
}

// sendInit emits init with the session's target and token.
func (s *eio3Session) sendInit() error {
	return s.conn.emit("init", "supervisor", string(s.dir.Target), s.dir.Token.Reveal())
}

// onSocketIOPacket handles one Socket.IO packet of a 2.x session.
func (f *Feed) onSocketIOPacket(p string, s *eio3Session) (sessionEnd, bool) {
	if p == "" {
		return sessionEnd{}, false
	}
	tracker := s.tracker
	switch parser.PacketType(p[0]) {
	case parser.CONNECT:
		if strings.HasPrefix(p[1:], "/") && !strings.HasPrefix(p[1:], "/,") && p[1:] != "/" {
			return sessionEnd{}, false // another namespace
		}
		tracker.initSent()
		if err := s.sendInit(); err != nil {
			return sessionEnd{reason: "sending init: " + describeNetError(err).Error()}, true
		}
		s.watch.stop() // should the server connect the namespace twice
		s.watch = f.watchInit(tracker, func() { s.sendInit() }, func() {
			s.silent.Store(true)
			s.conn.ws.Close()
		})
	case parser.DISCONNECT:
		return tracker.serverClosed(), true
	case parser.CONNECT_ERROR: // "error" in protocol revision 4
		return sessionEnd{reason: "the server refused the connection: " + shorten(p[1:]), healthy: tracker.wasHealthy()}, true
	case parser.EVENT, parser.BINARY_EVENT: // a binary event's attachments are binary frames, left aside
		if u, ok := updateIn(p); ok {
			f.onUpdate(tracker, u)
		}
	}
	return sessionEnd{}, false
}

// sessionEnd says how a session ended.
type sessionEnd struct {
	reason  string
	healthy bool // at least one update arrived
	refused bool // the server closed the socket after init without a word
	silent  bool // no update came after init (ReasonNoUpdateAfterInit)
	// foreign: the socket did not open, and not for a network fault: the
	// server answered in words this generation does not expect (it may
	// speak the other one)
	foreign bool
}

// isNetFault reports whether err is a failure on the way to the server
// (DNS, refused, reset, timeout, TLS, a proxy's refusal) rather than in
// what it said.
func isNetFault(err error) bool {
	var ne *NetError
	var refusal *ProxyError
	return errors.As(err, &ne) || errors.As(err, &refusal)
}

// initTracker follows a session from init on, and delivers its updates.
// The session is live once the first update arrives: only then has the
// server shown that it accepted init (a server that refuses the token
// accepts the socket, and closes it after init). Until then the session is
// Connecting, ReasonAwaitingUpdate. The tracker also tells a refused init
// (the server closes the socket before any update) from a server that
// closes a working stream.
type initTracker struct {
	protocol string
	deliver  func(Message)
	now      func() time.Time

	order           sync.Mutex // held while delivering: a status never overtakes an update
	mu              sync.Mutex
	healthy         bool // an update arrived: the session is live
	updateSinceInit bool
}

func (f *Feed) newInitTracker(protocol string, deliver func(Message)) *initTracker {
	return &initTracker{protocol: protocol, deliver: deliver, now: f.cfg.Now}
}

// initSent is called just before init is sent.
func (t *initTracker) initSent() {
	t.order.Lock()
	defer t.order.Unlock()
	t.mu.Lock()
	t.updateSinceInit = false
	live := t.healthy
	t.mu.Unlock()
	if !live {
		t.deliver(&StatusMsg{State: Connecting, Protocol: t.protocol, Reason: ReasonAwaitingUpdate, At: t.now()})
	}
}

// update delivers ev, an update of the session; the first one is preceded
// by the Live status, dated when that update was received (what the board
// hears from then on counts as heard since it went live).
func (t *initTracker) update(ev *Event) {
	t.order.Lock()
	defer t.order.Unlock()
	t.mu.Lock()
	first := !t.healthy
	t.updateSinceInit, t.healthy = true, true
	t.mu.Unlock()
	if first {
		t.deliver(&StatusMsg{State: Live, Protocol: t.protocol, At: ev.Received})
	}
	t.deliver(ev)
}

// elsewhere delivers ev, an update that says nothing of init (of another
// namespace).
func (t *initTracker) elsewhere(ev *Event) {
	t.order.Lock()
	defer t.order.Unlock()
	t.deliver(ev)
}

func (t *initTracker) serverClosed() sessionEnd {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.updateSinceInit {
		return sessionEnd{reason: ReasonInitRefused, healthy: t.healthy, refused: true}
	}
	return sessionEnd{reason: "the server closed the connection", healthy: t.healthy}
}

// newDialer is the WebSocket dialer of both generations for the service
// at baseURL: the proxy and the TLS settings of the HTTP client (its
// transport's Proxy, the environment's when the client's transport is not
// net/http's), the proxy spoken to by proxiedDial (gorilla/websocket's own
// knows no https:// proxy).
func newDialer(client *http.Client, baseURL string, timeout, readPace time.Duration) *websocket.Dialer {
	var choose ProxyFunc = http.ProxyFromEnvironment
	d := &websocket.Dialer{HandshakeTimeout: timeout, ReadBufferSize: wsReadBuffer}
	if t, ok := client.Transport.(*http.Transport); ok {
		choose = t.Proxy
		if t.TLSClientConfig != nil {
			d.TLSClientConfig = t.TLSClientConfig.Clone()
		}
	}
	scheme := "https"
	if u, err := url.Parse(baseURL); err == nil && u.Scheme == "http" {
		scheme = "http"
	}
	d.NetDialContext = proxiedDial(pacedDial(readPace), choose, d.TLSClientConfig, scheme)
	return d
}

func (t *initTracker) wasHealthy() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.healthy
}
