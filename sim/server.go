package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	sio "github.com/zishang520/socket.io/v2/socket"
)

// Credentials accepted when Options leaves them empty.
const (
	DefaultLogin    = "demo"
	DefaultPassword = "demo"
)

// Options configures a [Server]. The zero value is usable.
type Options struct {
	Seed            int64  // of the traffic model
	Login, Password string // accepted credentials; DefaultLogin, DefaultPassword if empty
	TokenTTL        time.Duration
	Tick            time.Duration // step of the traffic generator; 250ms if zero
	// NoTraffic turns the generator off, burst included: sockets then get
	// only what Push and PushRaw send. The directory is still served.
	NoTraffic bool
	// Directory replaces the generated directory in the authentication
	// answer, for scripted tests; use it with NoTraffic.
	Directory *Directory
	Surprises bool // see TrafficOptions
	// AllowEIO3 accepts Socket.IO 2.x clients (Engine.IO protocol 3) too.
	AllowEIO3 bool
	Now       func() time.Time                 // time.Now if nil
	Logf      func(format string, args ...any) // silent if nil; never given secrets
}

// Stats counts what the server saw.
type Stats struct {
	AuthAttempts  int // POST /ws/ requests
	AuthFailures  int // of which refused
	InitsAccepted int // sockets that joined the stream
	InitsRefused  int
	Connected     int // Socket.IO sockets connected now
	Streaming     int // of which joined the stream
}

// streamRoom is the Socket.IO room of the sockets that sent a valid init.
const streamRoom sio.Room = "stream"

// Server is a running simulator: HTTP authentication at /ws/ and Socket.IO
// at /socket.io/.
type Server struct {
	opts    Options
	ln      net.Listener
	http    *http.Server
	io      *sio.Server
	handler http.Handler
	dir     Directory

	// mu orders what sockets get: it is held from stamping an update to
	// handing it to Socket.IO. Socket.IO may call our handlers while holding
	// its own locks, so handlers that can run then take only smu.
	mu      sync.Mutex
	traffic *Traffic
	stamp   Stamper

	smu     sync.Mutex // guards the fields below; never held while calling Socket.IO
	tokens  map[string]grant
	sockets map[sio.SocketId]bool // connected
	streams map[sio.SocketId]bool // connected and inited
	stats   Stats

	stop      chan struct{}
	genDone   chan struct{}
	wg        sync.WaitGroup // the HTTP server
	closeOnce sync.Once
	closeErr  error
}

// Start listens on addr (such as "127.0.0.1:0") and serves until Close.
func Start(addr string, opts Options) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := newServer(opts)
	s.ln = ln
	s.http = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.logf("sim: serve: %v", err)
		}
	}()
	if opts.NoTraffic {
		close(s.genDone)
	} else {
		go s.generate()
	}
	return s, nil
}

func newServer(opts Options) *Server {
	if opts.Login == "" && opts.Password == "" {
		opts.Login, opts.Password = DefaultLogin, DefaultPassword
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = 2 * time.Hour
	}
	if opts.Tick <= 0 {
		opts.Tick = 250 * time.Millisecond
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{
		opts:    opts,
		traffic: NewTraffic(opts.Seed, opts.Now(), TrafficOptions{Surprises: opts.Surprises}),
		tokens:  map[string]grant{},
		sockets: map[sio.SocketId]bool{},
		streams: map[sio.SocketId]bool{},
		stop:    make(chan struct{}),
		genDone: make(chan struct{}),
	}
	s.dir = s.traffic.Directory()
	if opts.Directory != nil {
		s.dir = *opts.Directory
	}

	ioOpts := sio.DefaultServerOptions()
	ioOpts.SetAllowEIO3(opts.AllowEIO3)
	s.io = sio.NewServer(nil, ioOpts)
	s.io.Use(s.attach)
	s.io.On("connection", s.onConnection)

	mux := http.NewServeMux()
	mux.HandleFunc("/ws/", s.handleAuth)
	mux.Handle("/socket.io/", s.io.ServeHandler(nil))
	s.handler = mux
	return s
}

// URL is the base address of the server, such as http://127.0.0.1:43567.
func (s *Server) URL() string {
	addr := s.ln.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(addr.Port))
}

// Handler serves the authentication and the Socket.IO endpoints.
func (s *Server) Handler() http.Handler { return s.handler }

// Directory is what a successful authentication lists.
func (s *Server) Directory() Directory { return s.dir }

// Close stops the generator, disconnects every socket and closes the
// listener. It waits for the server's goroutines to end.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		close(s.stop)
		<-s.genDone
		s.io.Close(nil)
		s.closeErr = s.http.Close()
		s.wg.Wait()
	})
	return s.closeErr
}

// generate runs the traffic model against the clock and streams its events.
func (s *Server) generate() {
	defer close(s.genDone)
	tick := time.NewTicker(s.opts.Tick)
	defer tick.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-tick.C:
			s.mu.Lock()
			now := s.opts.Now()
			for _, ev := range s.traffic.Advance(now) {
				s.send(s.stamp.Stamp(ev, now))
			}
			s.mu.Unlock()
		}
	}
}

// send streams u to every socket that sent a valid init. Callers hold mu.
func (s *Server) send(u Update) {
	s.smu.Lock()
	streaming := len(s.streams)
	s.smu.Unlock()
	if streaming == 0 {
		return
	}
	raw, err := json.Marshal(u)
	if err != nil {
		s.logf("sim: cannot encode update: %v", err)
		return
	}
	s.emitToStream(raw)
}

// emitToStream sends one update to every socket of the stream with one Emit
// per socket rather than a room broadcast: the library's broadcast shares
// one pre-encoded frame between its asynchronous writes, and under a burst
// sockets receive some updates twice and others never.
func (s *Server) emitToStream(raw json.RawMessage) {
	s.io.Sockets().Sockets().Range(func(id sio.SocketId, sock *sio.Socket) bool {
		if sock.Rooms().Has(streamRoom) {
			sock.Emit("update", raw)
		}
		return true
	})
}

// Push stamps ev with the next cpt (and now, if ev.At is zero), streams it
// and returns what was sent. It does not change the traffic model.
func (s *Server) Push(ev Event) Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	if ev.At.IsZero() {
		ev.At = now
	}
	u := s.stamp.Stamp(ev, now)
	s.send(u)
	return u
}

// PushRaw streams payload as is, as the argument of an update.
func (s *Server) PushRaw(payload json.RawMessage) error {
	if !json.Valid(payload) {
		return errors.New("sim: PushRaw: payload is not valid JSON")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.emitToStream(payload)
	return nil
}

// RevokeTokens makes every token issued so far invalid for later inits.
// Sockets already streaming stay connected.
func (s *Server) RevokeTokens() {
	s.smu.Lock()
	defer s.smu.Unlock()
	clear(s.tokens)
}

// DisconnectAll closes the connection of every socket, as a network cut
// would: Socket.IO clients reconnect on their own and must init again.
func (s *Server) DisconnectAll() {
	s.io.Sockets().Sockets().Range(func(_ sio.SocketId, sock *sio.Socket) bool {
		sock.Conn().Close(true) // no Socket.IO disconnect packet: that one is final
		return true
	})
}

// Stats returns the counters so far.
func (s *Server) Stats() Stats {
	s.smu.Lock()
	defer s.smu.Unlock()
	st := s.stats
	st.Connected = len(s.sockets)
	st.Streaming = len(s.streams)
	return st
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}
