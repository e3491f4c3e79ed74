package feed

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"callboard/internal/testkit"
	"callboard/internal/testkit/nodepeer"
	"callboard/internal/testkit/simtest"
	"callboard/sim"
)

// Hostile servers (issue 11): servers that accept and stay silent, close
// every socket after init, change Socket.IO generation under the same URL,
// or send updates in shapes the client must not lose without a trace.

// openFDs counts the process's open file descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count open files: %v", err)
	}
	return len(entries)
}

// TestSilentServerLeaksNothing: every opening against a server that
// accepts and never answers times out, and leaves neither a socket nor a
// goroutine behind (the v4 client library dials without a handshake
// timeout: each retry used to leave one of each, parked in the dial).
func TestSilentServerLeaksNothing(t *testing.T) {
	openFDs(t)
	url := testkit.SinkListener(t)
	dir := Directory{Target: "5207", Token: "token"}
	for _, protocol := range []string{ProtocolV2, ProtocolV4} {
		t.Run(protocol, func(t *testing.T) {
			f := New(Config{URL: url, Protocol: protocol, Login: "x", Password: password("y"), Timeout: 30 * time.Millisecond})
			open := func() {
				t.Helper()
				var end sessionEnd
				if protocol == ProtocolV2 {
					end = f.streamV2(context.Background(), dir, func(Message) {})
				} else {
					end = f.streamV4(context.Background(), dir, func(Message) {})
				}
				if !strings.Contains(end.reason, "timeout") {
					t.Fatalf("session ended with %q, want a timeout", end.reason)
				}
			}
			open() // the client library starts its lazy process-wide goroutines
			goroutines, fds := settled(t)
			for range 20 {
				open()
			}
			testkit.Eventually(t, fmt.Sprintf("no more than the %d goroutines and %d open files of before the 20 openings", goroutines, fds), func() bool {
				return runtime.NumGoroutine() <= goroutines && openFDs(t) <= fds
			}, func() string { return fmt.Sprintf("%d goroutines, %d open files", runtime.NumGoroutine(), openFDs(t)) })
		})
	}
}

// settled polls the goroutine and open file counts, 50 ms apart, until
// they stop falling (for at most 5 s), and returns them: a baseline, which
// a slow machine can only make higher.
func settled(t *testing.T) (int, int) {
	t.Helper()
	g, n := runtime.NumGoroutine(), openFDs(t)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		g2, n2 := runtime.NumGoroutine(), openFDs(t)
		if g2 >= g && n2 >= n {
			return g2, n2
		}
		g, n = g2, n2
	}
	return g, n
}

// initRefusingServer logs in with the simulator's credentials and streams
// from another simulator (both generations), which knows none of the
// tokens: it closes every socket after init. auth is the first.
func initRefusingServer(t *testing.T) (url string, auth *sim.Server) {
	t.Helper()
	auth = simtest.Start(t, sim.Options{Seed: 1, NoTraffic: true})
	stream := simtest.Start(t, sim.Options{Seed: 1, NoTraffic: true, AllowEIO3: true})
	mux := http.NewServeMux()
	mux.Handle("/ws/", auth.Handler())
	mux.Handle("/socket.io/", stream.Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL, auth
}

func isAwaitingUpdate(m Message) bool {
	s, ok := m.(*StatusMsg)
	return ok && s.State == Connecting && s.Reason == ReasonAwaitingUpdate
}

// TestClosedAfterInitIsNeverLive: the server accepts every socket and
// closes it after init (it knows none of the tokens). The feed is never
// live: the socket's connect is not the server accepting init.
func TestClosedAfterInitIsNeverLive(t *testing.T) {
	t.Parallel()
	url, _ := initRefusingServer(t)
	for _, protocol := range []string{ProtocolV2, ProtocolV4} {
		t.Run(protocol, func(t *testing.T) {
			w := watch(t, Config{URL: url, Protocol: protocol, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword), RetryDelay: 50 * time.Millisecond})
			refusals, connected := 0, 0
			w.until("three refused inits", func(m Message) bool {
				switch {
				case isLive(protocol)(m):
					t.Fatalf("live, with every init refused: %+v", m)
				case isEvent(m):
					t.Fatalf("an event, with every init refused: %+v", m)
				case isAwaitingUpdate(m):
					connected++
				case isDisconnected(m) && m.(*StatusMsg).Reason == ReasonInitRefused:
					refusals++
				case isDisconnected(m):
					t.Logf("%+v", m)
				}
				return refusals == 3
			})
			if connected < 3 {
				t.Errorf("%d sockets connected for 3 refused inits", connected)
			}
		})
	}
}

// TestLiveOnTheFirstUpdate: a quiet server accepts init and sends nothing
// for a while. The feed says it is connected and waits; it goes live with
// the first update, the Live status just before it and dated alike.
func TestLiveOnTheFirstUpdate(t *testing.T) {
	t.Parallel()
	for _, protocol := range []string{ProtocolV2, ProtocolV4} {
		t.Run(protocol, func(t *testing.T) {
			s := simtest.Start(t, sim.Options{Seed: 1, NoTraffic: true, AllowEIO3: true})
			w := watch(t, Config{URL: s.URL(), Protocol: protocol, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword)})
			w.until("connected, waiting", func(m Message) bool {
				if isLive(protocol)(m) {
					t.Fatalf("live before any update: %+v", m)
				}
				return isAwaitingUpdate(m)
			})
			simtest.WaitStreaming(t, s, 1)
			s.PushRaw(json.RawMessage(validLogin[len(`["update",`) : len(validLogin)-1]))
			var live *StatusMsg
			ev := w.until("the update", func(m Message) bool {
				if st, ok := m.(*StatusMsg); ok && !isAwaitingUpdate(st) { // the v4 library may report a connect twice
					if st.State != Live || live != nil {
						t.Fatalf("status %+v after init", st)
					}
					live = st
				}
				return isEvent(m)
			}).(*Event)
			if live == nil || live.Protocol != protocol || !live.At.Equal(ev.Received) {
				t.Errorf("live status %+v before the first update (received %v), want one of %s dated alike", live, ev.Received, protocol)
			}
		})
	}
}

// TestServerChangesGeneration: the server at the URL moves from Socket.IO
// 2.x to 4.x, or back (the official Node servers, one after the other on
// the same port). After a few connections that fail in the other
// generation's words, the feed probes again and goes live in the new one.
func TestServerChangesGeneration(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		from, to      int
		before, after string
	}{{2, 4, ProtocolV2, ProtocolV4}, {4, 2, ProtocolV4, ProtocolV2}} {
		t.Run(fmt.Sprintf("socket.io@%d to @%d", c.from, c.to), func(t *testing.T) {
			t.Parallel()
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			port := ln.Addr().(*net.TCPAddr).Port
			ln.Close()
			old := nodepeer.StartOn(t, c.from, "secret", port)
			w := watch(t, Config{URL: old.URL, Login: "demo", Password: password("secret"), RetryDelay: 50 * time.Millisecond})
			w.until("live ("+c.before+")", isLive(c.before))
			old.Kill()
			nodepeer.StartOn(t, c.to, "secret", port)
			w.until("live ("+c.after+")", isLive(c.after))
			w.until("an update", isEvent)
		})
	}
}

// TestProbedAgainOnlyAfterForeignFailures: connections that fail on the
// way (reset) never make the feed probe again; connections that the
// server refuses in words (HTTP 400 to the WebSocket) do, after three in a
// row, and again after three more: 3 probes for 7 connections.
func TestProbedAgainOnlyAfterForeignFailures(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		refuse func(w http.ResponseWriter)
		probes int // for 7 failed connections
	}{
		{"reset", func(w http.ResponseWriter) {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.(*net.TCPConn).SetLinger(0)
				conn.Close()
			}
		}, 1},
		{"HTTP 400", func(w http.ResponseWriter) {
			http.Error(w, `{"code":5,"message":"Unsupported protocol version"}`, http.StatusBadRequest)
		}, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := simtest.Start(t, sim.Options{Seed: 1, NoTraffic: true})
			var mu sync.Mutex
			probes := 0
			mux := http.NewServeMux()
			mux.Handle("/ws/", s.Handler())
			mux.HandleFunc("/socket.io/", func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Query().Get("transport") == "polling" {
					mu.Lock()
					probes++
					mu.Unlock()
					w.Write([]byte(`0{"sid":"x","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`))
					return
				}
				c.refuse(w)
			})
			srv := httptest.NewServer(mux)
			t.Cleanup(srv.Close)
			w := watch(t, Config{URL: srv.URL, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword), RetryDelay: 10 * time.Millisecond})
			failures := 0
			w.until("seven failed connections", func(m Message) bool {
				if st, ok := m.(*StatusMsg); ok && st.State == Disconnected && strings.HasPrefix(st.Reason, "connection failed") {
					failures++
				}
				return failures == 7
			})
			w.stop()
			mu.Lock()
			defer mu.Unlock()
			if probes != c.probes {
				t.Errorf("%d probes for 7 failed connections, want %d", probes, c.probes)
			}
		})
	}
}

// TestDisconnectAfterInitIsARefusal: a Socket.IO 4 server refuses the
// token by disconnecting the socket after init (the disconnect packet,
// then the connection closes). The client library may report the close
// before the packet; the session must still end as a refused init, every
// time, or the feed would not log in again.
func TestDisconnectAfterInitIsARefusal(t *testing.T) {
	t.Parallel()
	url := fakeServer(t, func(ws *websocket.Conn) {
		ws.WriteMessage(websocket.TextMessage, []byte(`0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`))
		if _, msg, err := ws.ReadMessage(); err != nil || !strings.HasPrefix(string(msg), "40") {
			return
		}
		ws.WriteMessage(websocket.TextMessage, []byte(`40{"sid":"abc"}`))
		for {
			_, msg, err := ws.ReadMessage()
			if err != nil {
				return
			}
			if strings.HasPrefix(string(msg), `42["init"`) {
				break
			}
		}
		ws.WriteMessage(websocket.TextMessage, []byte(`41`))
		ws.Close()
	})
	f := New(Config{URL: url, Protocol: ProtocolV4, Timeout: 2 * time.Second})
	for i := range 20 {
		end := f.streamV4(context.Background(), Directory{Target: "5207", Token: "t"}, func(Message) {})
		if strings.Contains(end.reason, "no answer within") {
			continue // the library lost the packet that opens the namespace
		}
		if !end.refused || end.reason != ReasonInitRefused {
			t.Fatalf("session %d ended %+v, want a refused init", i, end)
		}
	}
}

// TestOddUpdatesAreAppliedOrCounted: updates with an acknowledgement id,
// without payload, on another namespace, or binary. Both generations
// treat them alike: applied where the payload is usable, otherwise
// delivered rejected with the reason (the board counts and shows them);
// none is lost without a trace, none from another namespace is applied.
func TestOddUpdatesAreAppliedOrCounted(t *testing.T) {
	t.Parallel()
	update := func(cpt int, name string) string {
		return fmt.Sprintf(`["update",{"cpt":%d,"event":{"type_notification":"UI","event":%q,"msg":{"id_operator":1}}}]`, cpt, name)
	}
	type want struct{ name, reason, detail string }
	wants := []want{
		{name: "login"},
		{name: "pause"}, // with an ack id
		{reason: ReasonNoPayload},
		{reason: ReasonOtherNamespace, detail: "/admin"},
		{reason: ReasonBinaryUpdate, detail: "a binary attachment in place of JSON"},
		{name: "logout"},
	}
	for _, c := range []struct {
		protocol string
		open     string
		binary   []byte // the attachment's frame
	}{
		{ProtocolV2, `0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":5000}`, []byte{4, 1, 2, 3}},
		{ProtocolV4, `0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`, []byte{1, 2, 3}},
	} {
		t.Run(c.protocol, func(t *testing.T) {
			url := fakeServer(t, func(ws *websocket.Conn) {
				send := func(s string) { ws.WriteMessage(websocket.TextMessage, []byte(s)) }
				send(c.open)
				if c.protocol == ProtocolV2 {
					send(`40`)
				} else {
					if _, msg, err := ws.ReadMessage(); err != nil || !strings.HasPrefix(string(msg), "40") {
						return
					}
					send(`40{"sid":"abc"}`)
				}
				for { // a server streams once it has the init
					_, msg, err := ws.ReadMessage()
					if err != nil {
						return
					}
					if strings.HasPrefix(string(msg), `42["init"`) {
						break
					}
				}
				send("42" + update(1, "login"))
				send("4217" + update(2, "pause"))
				send(`42["update"]`)
				send("42/admin," + update(3, "logout"))
				send(`451-["update",{"_placeholder":true,"num":0}]`)
				ws.WriteMessage(websocket.BinaryMessage, c.binary)
				send("42" + update(4, "logout"))
			})
			w := watch(t, Config{URL: url, Protocol: c.protocol, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword)})
			w.allowRejects = true
			var got []want
			w.until("the last update", func(m Message) bool {
				if isDisconnected(m) { // the v4 library may lose the opening packet: all over again
					t.Logf("the session ended: %+v", m)
					got = nil
				}
				ev, ok := m.(*Event)
				if !ok {
					return false
				}
				if ev.Err != nil {
					got = append(got, want{reason: ev.Err.Reason, detail: ev.Err.Detail})
					return false
				}
				got = append(got, want{name: ev.Update.Name})
				return ev.Update.Seq == 4
			})
			if fmt.Sprint(got) != fmt.Sprint(wants) {
				t.Errorf("updates\n%v\nwant\n%v", got, wants)
			}
		})
	}
}

func TestUpdateIn(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		packet      string
		ok          bool
		nsp         string
		payload     string
		attachments int
	}{
		{`2["update",{"a":1}]`, true, "/", `{"a":1}`, 0},
		{`212["update",{"a":1}]`, true, "/", `{"a":1}`, 0},
		{`2/x,3["update",{"a":1}]`, true, "/x", `{"a":1}`, 0},
		{`2["update"]`, true, "/", ``, 0},
		{`52-["update",{"a":{"_placeholder":true,"num":0},"b":{"_placeholder":true,"num":1}}]`, true, "/", `{"a":{"_placeholder":true,"num":0},"b":{"_placeholder":true,"num":1}}`, 2},
		{`51-/x,["update",{"_placeholder":true,"num":0}]`, true, "/x", `{"_placeholder":true,"num":0}`, 1},
		{`2["other",{"a":1}]`, false, "", "", 0},
		{`51-["other",{"_placeholder":true,"num":0}]`, false, "", "", 0},
		{`5x-["update",{}]`, false, "", "", 0},
		{`5["update",{}]`, false, "", "", 0},
		{`0{"sid":"x"}`, false, "", "", 0},
		{``, false, "", "", 0},
	} {
		u, ok := updateIn(c.packet)
		if ok != c.ok || u.nsp != c.nsp || string(u.payload) != c.payload || u.attachments != c.attachments {
			t.Errorf("%s: %+v %v", c.packet, u, ok)
		}
	}
}

// TestSilentServerSoak runs the feed against a Socket.IO endpoint that
// accepts and never answers (the login works) for CALLBOARD_SOAK (a
// duration, e.g. 30m; skipped when unset), retrying every few hundred
// milliseconds, and checks that goroutines and open files stay flat.
func TestSilentServerSoak(t *testing.T) {
	soak, err := time.ParseDuration(os.Getenv("CALLBOARD_SOAK"))
	if err != nil {
		t.Skip("CALLBOARD_SOAK is not a duration")
	}
	openFDs(t)
	s := simtest.Start(t, sim.Options{Seed: 1, NoTraffic: true})
	mux := http.NewServeMux()
	mux.Handle("/ws/", s.Handler())
	mux.HandleFunc("/socket.io/", func(w http.ResponseWriter, r *http.Request) {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			io.Copy(io.Discard, conn) // silent until the client goes
			conn.Close()
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	for _, protocol := range []string{ProtocolV2, ProtocolV4} {
		t.Run(protocol, func(t *testing.T) {
			w := watch(t, Config{URL: srv.URL, Protocol: protocol, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword), Timeout: 100 * time.Millisecond, RetryDelay: 10 * time.Millisecond})
			failures := 0
			count := func(m Message) bool {
				if isDisconnected(m) {
					failures++
				}
				return false
			}
			drain := func(d time.Duration) {
				for deadline := time.After(d); ; {
					select {
					case m := <-w.out:
						count(m)
					case <-deadline:
						return
					}
				}
			}
			drain(soak / 10) // settled: the libraries' lazy goroutines are up
			g0, n0 := runtime.NumGoroutine(), openFDs(t)
			maxG, maxN := g0, n0
			for end := time.Now().Add(soak * 9 / 10); time.Now().Before(end); {
				drain(soak / 100)
				maxG, maxN = max(maxG, runtime.NumGoroutine()), max(maxN, openFDs(t))
			}
			t.Logf("%d failed openings; goroutines %d, at most %d; open files %d, at most %d", failures, g0, maxG, n0, maxN)
			// a retry under way holds a few of each, client and server side
			if maxG > g0+10 || maxN > n0+10 {
				t.Errorf("goroutines %d → %d, open files %d → %d", g0, maxG, n0, maxN)
			}
		})
	}
}
