package sim

import (
	"sync"
	"testing"
	"time"

	"github.com/zishang520/engine.io-client-go/transports"
	"github.com/zishang520/engine.io/v2/types"
	"github.com/zishang520/socket.io-client-go/socket"

	"callboard/internal/testkit"
)

// client is a real Socket.IO client (socket.io-client-go) that records
// what it receives.
//
// That client, at v1.1.0, has flaws the tests work around: it picks its
// first transport at random from its set (WebTransport included by
// default), it hands each packet to listeners on a goroutine of its own (so
// updates arrive out of order), and it now and then loses a packet it sends
// (a CONNECT, an init). See await.
type client struct {
	sock          *socket.Socket
	target, token any

	mu          sync.Mutex
	updates     []map[string]any
	connects    int
	disconnects []string
}

// dial connects to s and emits init with target and token on every connect,
// as the vendor's page does.
func dial(t *testing.T, s *Server, target any, token string) *client {
	t.Helper()
	opts := socket.DefaultOptions()
	opts.SetPath("/socket.io/")
	opts.SetTransports(types.NewSet(transports.WebSocket))
	opts.SetTimeout(time.Second)
	opts.SetReconnectionDelay(50)
	opts.SetReconnectionDelayMax(200)
	c := &client{sock: socket.NewManager(s.URL(), opts).Socket("/", opts), target: target, token: token}
	c.sock.On("update", func(args ...any) {
		m, _ := args[0].(map[string]any)
		c.mu.Lock()
		c.updates = append(c.updates, m)
		c.mu.Unlock()
	})
	c.sock.On("connect", func(...any) {
		c.mu.Lock()
		c.connects++
		c.mu.Unlock()
		c.init()
	})
	c.sock.On("disconnect", func(args ...any) {
		reason, _ := args[0].(string)
		c.mu.Lock()
		c.disconnects = append(c.disconnects, reason)
		c.mu.Unlock()
	})
	t.Cleanup(func() { c.sock.Disconnect() })
	return c
}

func (c *client) init() { c.sock.Emit("init", "supervisor", c.target, c.token) }

func (c *client) snapshot() (updates []map[string]any, connects int, disconnects []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]map[string]any(nil), c.updates...), c.connects, append([]string(nil), c.disconnects...)
}

// await waits for done, failing after testkit.Patience. Every second
// meanwhile, it makes up for a lost packet: it emits init again if
// connected (the server ignores a repeated init), or connects again if the
// connection never came.
func (c *client) await(t *testing.T, what string, done func() bool) {
	t.Helper()
	start, nudged := time.Now(), time.Now()
	for !done() {
		if time.Since(start) > testkit.Patience {
			u, n, d := c.snapshot()
			t.Fatalf("timed out waiting for %s: %d updates, %d connects, disconnects %q", what, len(u), n, d)
		}
		if time.Since(nudged) > time.Second {
			nudged = time.Now()
			if _, _, d := c.snapshot(); len(d) == 0 {
				if c.sock.Connected() {
					c.init()
				} else {
					c.sock.Disconnect()
					c.sock.Connect()
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestClientStreamsAfterInit(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{Seed: 7, Tick: 50 * time.Millisecond})
	target, token := login(t, s)
	s.mu.Lock()
	burst := len(s.traffic.Snapshot())
	s.mu.Unlock()
	c := dial(t, s, target, token)
	c.init() // before the connection too, as the vendor's page does
	c.await(t, "the burst and some live updates", func() bool {
		u, _, _ := c.snapshot()
		return len(u) > burst+5
	})
	updates, _, _ := c.snapshot()
	seen := map[float64]bool{}
	for i, u := range updates {
		ev, _ := u["event"].(map[string]any)
		if _, ok := u["ts"].(float64); !ok || ev == nil || ev["type_notification"] == nil || ev["msg"] == nil {
			t.Fatalf("update %d is malformed: %v", i, u)
		}
		if _, ok := u["elapse"].(float64); !ok {
			t.Fatalf("update %d has no elapse: %v", i, u)
		}
		cpt, _ := u["cpt"].(float64)
		if seen[cpt] {
			t.Fatalf("update %d: cpt %v twice", i, cpt)
		}
		seen[cpt] = true
	}
	// The order is checked on the wire, by TestWireOrder.
	lo, hi := updates[0]["cpt"].(float64), updates[0]["cpt"].(float64)
	for cpt := range seen {
		lo, hi = min(lo, cpt), max(hi, cpt)
	}
	if int(hi-lo)+1 != len(seen) {
		t.Errorf("cpt runs from %v to %v with %d updates: some are missing", lo, hi, len(seen))
	}
	// await re-emits init: the server must not subscribe a socket twice.
	if _, connects, _ := c.snapshot(); s.Stats().InitsAccepted > connects {
		t.Errorf("stats %+v after %d connects: a socket was subscribed twice", s.Stats(), connects)
	}
}

func TestClientTargetAsNumberOrString(t *testing.T) {
	s := startServer(t, Options{Seed: 3, NoTraffic: true})
	_, token := login(t, s)
	target := s.Directory().Target
	for i, arg := range []any{float64(target.N), target.String()} {
		c := dial(t, s, arg, token)
		c.await(t, "the init to be accepted", func() bool { return s.Stats().InitsAccepted == i+1 })
		// (the next init is counted apart: whether this socket is gone yet
		// does not matter, and the client library may lose its disconnect)
		c.sock.Disconnect()
	}
	if st := s.Stats(); st.InitsRefused != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestClientInitRefused(t *testing.T) {
	s := startServer(t, Options{Seed: 3, Tick: 20 * time.Millisecond})
	target, token := login(t, s)
	cases := []struct {
		name   string
		target any
		token  string
	}{
		{"unknown token", target, "0123456789abcdef"},
		{"wrong target", float64(s.Directory().Target.N + 1), token},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			refused := s.Stats().InitsRefused
			c := dial(t, s, tc.target, tc.token)
			// The server counts its refusal, then disconnects the socket.
			// How the client library names that disconnect depends on the
			// order it reads the packet and the transport's close in (on a
			// loaded machine, "transport close"; its own connect timeout may
			// even come first and start over): the server's counts say it.
			c.await(t, "the server's refusal", func() bool { return s.Stats().InitsRefused > refused })
			c.await(t, "the refused socket gone", func() bool { return s.Stats().Connected == 0 })
			if updates, _, _ := c.snapshot(); len(updates) != 0 {
				t.Errorf("a refused socket got %d updates", len(updates))
			}
			if st := s.Stats(); st.InitsAccepted != 0 || st.Streaming != 0 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}
