package feed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/zishang520/engine.io-client-go/transports"
	"github.com/zishang520/engine.io/v2/types"
	"github.com/zishang520/socket.io-client-go/socket"
)

// ConnState is the state of the connection to the notifications server.
type ConnState int

// Connection states, in the order a healthy start goes through them.
const (
	Connecting ConnState = iota
	Live
	Disconnected
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

// Message is what the feed delivers: *DirectoryMsg, *Event or *StatusMsg.
type Message interface{ feedMessage() }

// DirectoryMsg carries the directory of a fresh authentication.
type DirectoryMsg struct {
	Directory Directory
	At        time.Time
}

// StatusMsg reports a change of connection state.
type StatusMsg struct {
	State     ConnState
	Protocol  string // "v4" once known
	Reason    string // why it is not live; outside text, sanitise before display
	At        time.Time
	NextRetry time.Time // zero when no retry is scheduled
}

func (*DirectoryMsg) feedMessage() {}
func (*StatusMsg) feedMessage()    {}
func (*Event) feedMessage()        {}

// Config says where and as whom to connect.
type Config struct {
	URL          string // auth at URL + "/ws/", Socket.IO at URL
	SocketIOPath string // default "/socket.io/"
	Login        string
	Password     func() (string, error) // asked at every authentication
	HTTPClient   *http.Client           // default: 10 s timeout, proxy from the environment
	Now          func() time.Time       // default time.Now
}

// Feed runs the connection. Create it with New, start it with Run.
type Feed struct {
	cfg Config
}

// New returns a feed for cfg, with defaults filled in.
func New(cfg Config) *Feed {
	if cfg.SocketIOPath == "" {
		cfg.SocketIOPath = "/socket.io/"
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Feed{cfg: cfg}
}

// ReasonInitRefused is the disconnection reason when the server closes the
// socket after `init` without sending any update: the way a refused or
// expired token shows, since the protocol has no refusal message.
const ReasonInitRefused = "the server closed the connection right after init: token refused or expired"

// authRetryAfterRefusal is how long the feed waits after the server refused
// the credentials: accounts get locked by eager retries.
const authRetryAfterRefusal = time.Minute

// Run authenticates, connects, and delivers messages on out until ctx ends.
// It reconnects by itself; it returns ctx's error when it stops.
func (f *Feed) Run(ctx context.Context, out chan<- Message) error {
	retry := newBackoff()
	for {
		f.status(ctx, out, &StatusMsg{State: Connecting, At: f.cfg.Now()})
		dir, err := f.authenticate(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			wait := retry.next()
			var refused *AuthError
			if errors.As(err, &refused) {
				wait = authRetryAfterRefusal
			}
			now := f.cfg.Now()
			f.status(ctx, out, &StatusMsg{State: Disconnected, Reason: err.Error(), At: now, NextRetry: now.Add(wait)})
			if !sleep(ctx, wait) {
				return ctx.Err()
			}
			continue
		}
		if !send(ctx, out, &DirectoryMsg{Directory: dir, At: f.cfg.Now()}) {
			return ctx.Err()
		}
		healthy, reason := f.stream(ctx, dir, out)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if healthy {
			retry.reset()
		}
		wait := retry.next()
		now := f.cfg.Now()
		f.status(ctx, out, &StatusMsg{State: Disconnected, Reason: reason, At: now, NextRetry: now.Add(wait)})
		if !sleep(ctx, wait) {
			return ctx.Err()
		}
	}
}

func (f *Feed) authenticate(ctx context.Context) (Directory, error) {
	password, err := f.cfg.Password()
	if err != nil {
		return Directory{}, fmt.Errorf("password: %w", err)
	}
	return Authenticate(ctx, f.cfg.HTTPClient, f.cfg.URL, f.cfg.Login, password, f.cfg.Now())
}

// stream holds one Socket.IO session with the token of dir. The client
// library reconnects the transport by itself and `init` is sent again on
// every connect; the session ends when ctx ends or the server closes the
// socket (which is how a refused token shows). healthy reports whether the
// session received at least one update.
func (f *Feed) stream(ctx context.Context, dir Directory, out chan<- Message) (healthy bool, reason string) {
	opts := socket.DefaultOptions()
	opts.SetPath(f.cfg.SocketIOPath)
	opts.SetForceNew(true)
	opts.SetParser(rawParser{})
	opts.SetReconnectionDelay(1000)
	opts.SetReconnectionDelayMax(30_000)
	opts.SetRandomizationFactor(0.5)
	opts.SetTimeout(10 * time.Second)
	opts.SetAutoConnect(false)
	opts.SetTransports(types.NewSet(transports.WebSocket))

	manager := socket.NewManager(strings.TrimRight(f.cfg.URL, "/"), opts)
	io := manager.Socket("/", opts)

	// Listeners run on the library's goroutines and may fire after the
	// session ended: once it has, they must deliver nothing.
	session, endSession := context.WithCancel(ctx)
	var sendMu sync.Mutex
	sessionOver := false
	deliver := func(m Message) {
		sendMu.Lock()
		defer sendMu.Unlock()
		if !sessionOver {
			send(session, out, m)
		}
	}
	defer func() {
		endSession()
		sendMu.Lock()
		sessionOver = true
		sendMu.Unlock()
	}()

	ended := make(chan string, 1)
	end := func(why string) {
		select {
		case ended <- why:
		default:
		}
	}
	var mu sync.Mutex
	var wasLive, updatedSinceInit bool

	io.On("connect", func(...any) {
		mu.Lock()
		updatedSinceInit = false
		mu.Unlock()
		io.Emit("init", "supervisor", string(dir.Target), dir.Token.Reveal())
		deliver(&StatusMsg{State: Live, Protocol: "v4", At: f.cfg.Now()})
	})
	io.On("disconnect", func(args ...any) {
		why := "disconnected"
		if len(args) > 0 {
			why = fmt.Sprint(args[0])
		}
		if !io.Active() { // the server closed the socket: the library will not retry
			mu.Lock()
			refused := !updatedSinceInit
			mu.Unlock()
			if refused {
				end(ReasonInitRefused)
			} else {
				end("the server closed the connection")
			}
			return
		}
		now := f.cfg.Now()
		deliver(&StatusMsg{State: Disconnected, Reason: why, At: now})
	})
	io.On("connect_error", func(args ...any) {
		why := "connection failed"
		if len(args) > 0 {
			why = fmt.Sprintf("connection failed: %v", args[0])
		}
		deliver(&StatusMsg{State: Disconnected, Reason: why, At: f.cfg.Now()})
	})
	io.On("update", func(args ...any) {
		if len(args) == 0 {
			return
		}
		mu.Lock()
		updatedSinceInit, wasLive = true, true
		mu.Unlock()
		deliver(f.event(args[0]))
	})
	io.Connect()

	var why string
	select {
	case <-ctx.Done():
		why = "stopped"
	case why = <-ended:
	}
	io.Disconnect()
	manager.SetReconnection(false)
	if e := manager.Engine(); e != nil {
		e.Close()
	}
	mu.Lock()
	defer mu.Unlock()
	return wasLive, why
}

// event decodes one `update` argument into an Event.
func (f *Feed) event(arg any) *Event {
	ev := &Event{Received: f.cfg.Now()}
	switch v := arg.(type) {
	case json.RawMessage:
		ev.Raw = v
	default: // the stock parser's tree, should a packet take that road
		b, err := json.Marshal(v)
		if err != nil {
			ev.Err = &DecodeError{Reason: "payload is not JSON", Detail: err.Error()}
			return ev
		}
		ev.Raw = b
	}
	u, err := Decode(ev.Raw)
	ev.Update, ev.Err = u, err
	return ev
}

func (f *Feed) status(ctx context.Context, out chan<- Message, s *StatusMsg) {
	send(ctx, out, s)
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
