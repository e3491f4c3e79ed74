package feed

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"callboard/internal/testkit"
	"callboard/sim"
)

// Servers that speak just enough of each generation, for fakeServer: the
// open packet, then the default namespace's connect.
const (
	openV2 = `0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":5000}`
	openV4 = `0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`
)

// socketIOServer is a fakeServer script that opens a session of protocol
// and calls onFrame with every frame the client sends (a v4 client's
// CONNECT answered first), until onFrame says it is done or the client
// goes.
func socketIOServer(protocol string, onFrame func(msg string, send func(string)) (done bool)) func(ws *websocket.Conn) {
	return func(ws *websocket.Conn) {
		send := func(s string) { ws.WriteMessage(websocket.TextMessage, []byte(s)) }
		if protocol == ProtocolV2 {
			send(openV2)
			send("40") // a 2.x server connects the default namespace by itself
		} else {
			send(openV4)
		}
		for {
			_, msg, err := ws.ReadMessage()
			if err != nil {
				return
			}
			if protocol == ProtocolV4 && strings.HasPrefix(string(msg), "40") {
				send(`40{"sid":"abc"}`)
			}
			if onFrame(string(msg), send) {
				return
			}
		}
	}
}

func isInit(msg string) bool { return strings.HasPrefix(msg, `42["init"`) }

// liveAtOnce waits for the feed to go live and for its first update,
// failing at a disconnection before: the first connection must work.
func (w *watcher) liveAtOnce(protocol string) {
	w.t.Helper()
	w.until("live", func(m Message) bool {
		if isDisconnected(m) {
			w.t.Fatalf("disconnected before live: %+v", m)
		}
		return isLive(protocol)(m)
	})
	w.until("the first update", isEvent)
}

// TestNamespaceOpensOnceWhenTheTransportReadsAhead: the v4 transport's
// reading goroutine goes as far as it may before the client library's
// Connect returns, the server's open packet waiting for it. The namespace
// is opened with one CONNECT and the session goes live at once: a frame
// handed to the library from within Connect lost its open (no CONNECT, the
// opening timed out), or sent CONNECT twice (the server then closed the
// connection, and the library lost that close: the feed waited forever).
func TestNamespaceOpensOnceWhenTheTransportReadsAhead(t *testing.T) {
	t.Parallel()
	connects := make(chan string, 8)
	url := fakeServer(t, socketIOServer(ProtocolV4, func(msg string, send func(string)) bool {
		switch {
		case strings.HasPrefix(msg, "40"):
			connects <- msg
		case isInit(msg):
			send("42" + validLogin)
		}
		return false
	}))
	f := New(Config{URL: url, Protocol: ProtocolV4, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword), Timeout: 2 * time.Second})
	f.readAhead = func(ahead <-chan struct{}) { <-ahead }
	watchFeed(t, f, 64).liveAtOnce(ProtocolV4)
	if n := len(connects); n != 1 {
		t.Errorf("%d CONNECT packets, want 1", n)
	}
}

// TestSilentSessionIsGivenUp: the server connects the namespace and never
// answers init. The feed sends init twice on every connection, gives the
// connection up (ReasonNoUpdateAfterInit) and connects again on its
// backoff, saying how many connections in a row ended so; never live.
func TestSilentSessionIsGivenUp(t *testing.T) {
	t.Parallel()
	for _, protocol := range []string{ProtocolV2, ProtocolV4} {
		t.Run(protocol, func(t *testing.T) {
			inits := make(chan int, 16) // per connection, when it ends
			url := fakeServer(t, func(ws *websocket.Conn) {
				n := 0
				socketIOServer(protocol, func(msg string, _ func(string)) bool {
					if isInit(msg) {
						n++
					}
					return false
				})(ws)
				inits <- n
			})
			w := watch(t, Config{URL: url, Protocol: protocol, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword), ReinitAfter: 50 * time.Millisecond, RetryDelay: 20 * time.Millisecond})
			for i := 1; i <= 2; i++ {
				st := w.until("the silent connection's end", func(m Message) bool {
					if s, ok := m.(*StatusMsg); ok && s.State == Live {
						t.Fatalf("live: %+v", s)
					}
					return isDisconnected(m)
				}).(*StatusMsg)
				if want := SilentReason(i); st.Reason != want || st.NextRetry.IsZero() {
					t.Errorf("connection %d ended with %+v, want %q and a retry", i, st, want)
				}
				if n := testkit.Receive(t, "the server's count of inits", inits); n != 2 {
					t.Errorf("connection %d: %d inits, want 2", i, n)
				}
			}
			if got := SilentReason(3); got != "no update after init, 3 connections in a row" {
				t.Errorf("the third reason in a row: %q", got)
			}
		})
	}
}

// TestInitSentAgainWhenNothingFollows: the server ignores the first init
// (as if the client had lost it) and streams after the second, in both
// generations.
func TestInitSentAgainWhenNothingFollows(t *testing.T) {
	t.Parallel()
	for _, protocol := range []string{ProtocolV2, ProtocolV4} {
		t.Run(protocol, func(t *testing.T) {
			inits := make(chan int, 4)
			url := fakeServer(t, socketIOServer(protocol, func(msg string, send func(string)) bool {
				if !isInit(msg) {
					return false
				}
				inits <- len(inits) + 1
				if len(inits) < 2 {
					return false
				}
				send("42" + validLogin)
				return true
			}))
			watch(t, Config{URL: url, Protocol: protocol, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword), ReinitAfter: 200 * time.Millisecond}).liveAtOnce(protocol)
			if n := len(inits); n != 2 {
				t.Errorf("%d inits seen, want 2", n)
			}
		})
	}
}

// TestLiveSessionIsNeverGivenUpForSilence: once an update came, a session
// that hears nothing more (a quiet hour) is kept, in both generations, for
// as long as the heartbeat goes on: here longer than ReinitAfter and
// Timeout together, measured by heartbeats (every 50 ms, so at least 3 s
// for 60 of them), after which a second update comes on the same
// connection.
func TestLiveSessionIsNeverGivenUpForSilence(t *testing.T) {
	t.Parallel()
	const beats = 60
	cfg := func(url, protocol string) Config {
		return Config{URL: url, Protocol: protocol, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword), ReinitAfter: 20 * time.Millisecond, Timeout: 2 * time.Second}
	}
	scripts := map[string]func(ws *websocket.Conn){
		// the 2.x client pings every pingInterval; the server answers
		ProtocolV2: func(ws *websocket.Conn) {
			send := func(s string) { ws.WriteMessage(websocket.TextMessage, []byte(s)) }
			send(`0{"sid":"x","upgrades":[],"pingInterval":50,"pingTimeout":5000}`)
			send("40")
			for pings := 0; pings < beats; {
				_, msg, err := ws.ReadMessage()
				if err != nil {
					return
				}
				switch m := string(msg); {
				case isInit(m):
					send("42" + validLogin)
				case m == "2":
					pings++
					send("3")
				}
			}
			send("42" + validLogout)
		},
		// a 4.x server pings every pingInterval; the client answers
		ProtocolV4: func(ws *websocket.Conn) {
			var mu sync.Mutex
			send := func(s string) {
				mu.Lock()
				defer mu.Unlock()
				ws.WriteMessage(websocket.TextMessage, []byte(s))
			}
			send(`0{"sid":"x","upgrades":[],"pingInterval":50,"pingTimeout":5000,"maxPayload":1000000}`)
			stop := make(chan struct{})
			defer close(stop)
			go func() {
				tick := time.NewTicker(50 * time.Millisecond)
				defer tick.Stop()
				for {
					select {
					case <-stop:
						return
					case <-tick.C:
						send("2")
					}
				}
			}()
			for pongs := 0; pongs < beats; {
				_, msg, err := ws.ReadMessage()
				if err != nil {
					return
				}
				switch m := string(msg); {
				case strings.HasPrefix(m, "40"):
					send(`40{"sid":"abc"}`)
				case isInit(m):
					send("42" + validLogin)
				case m == "3":
					pongs++
				}
			}
			send("42" + validLogout)
		},
	}
	for protocol, script := range scripts {
		t.Run(protocol, func(t *testing.T) {
			w := watch(t, cfg(fakeServer(t, script), protocol))
			w.liveAtOnce(protocol)
			w.until("the second update, after the silence", func(m Message) bool {
				if isDisconnected(m) {
					t.Fatalf("the live session was given up: %+v", m)
				}
				ev, ok := m.(*Event)
				return ok && ev.Err == nil && ev.Update.Name == "logout"
			})
		})
	}
}
