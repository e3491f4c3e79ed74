package feed

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"go.uber.org/goleak"

	"callboard/internal/testkit"
	"callboard/internal/testkit/simtest"
	"callboard/sim"
)

func TestServerRestartedOnTheSamePort(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t, sim.Options{Seed: 2})
	addr := strings.TrimPrefix(s.URL(), "http://")
	w := watch(t, Config{URL: s.URL(), Login: sim.DefaultLogin, Password: password(sim.DefaultPassword)})
	w.until("live", isLive(ProtocolV4))
	w.until("an update", isEvent)

	s.Close()
	// usually at once; at worst within the simulator's heartbeat window
	// (pingInterval 25 s + pingTimeout 20 s), if the close never reaches us
	w.until("the disconnection", isDisconnected)
	var again *sim.Server
	var err error
	testkit.Eventually(t, "listening on "+addr+" again", func() bool {
		again, err = sim.Start(addr, sim.Options{Seed: 3})
		return err == nil
	}, func() string { return err.Error() })
	defer again.Close()
	// the new server does not know the old token: the feed must log in again
	w.until("a new directory", func(m Message) bool { _, ok := m.(*DirectoryMsg); return ok })
	w.until("live again", isLive(ProtocolV4))
	w.until("an update from the new server", isEvent)
}

func TestServerThatNeverAnswers(t *testing.T) {
	t.Parallel()
	url := testkit.SilentListener(t)
	// the retry 1.5 to 4.5 times testkit.Patience away (three times ±50 %):
	// Run, stopped, must not wait for it (a Run that does fails the wait
	// below, and ends when the retry comes)
	w := watch(t, Config{URL: url, Login: "x", Password: password("y"), Timeout: 500 * time.Millisecond, RetryDelay: 3 * testkit.Patience})
	st := w.until("the failure", isDisconnected).(*StatusMsg)
	if !strings.Contains(st.Reason, "timeout") || st.NextRetry.IsZero() {
		t.Errorf("status %+v, want a timeout and a retry", st)
	}
	w.cancel()
	testkit.Receive(t, "Run's end once stopped (does it wait for its retry?)", w.done)
}

// TestSocketThatNeverAnswers: authentication works, the Socket.IO endpoint
// accepts the connection and then stays silent, for both generations.
func TestSocketThatNeverAnswers(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t, sim.Options{Seed: 1, NoTraffic: true})
	mux := http.NewServeMux()
	mux.Handle("/ws/", s.Handler())
	var mu sync.Mutex
	var held []net.Conn
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})
	mux.HandleFunc("/socket.io/", func(w http.ResponseWriter, r *http.Request) {
		// take the connection over and never answer on it
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		mu.Lock()
		held = append(held, conn)
		mu.Unlock()
	})
	front := &http.Server{Handler: mux}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go front.Serve(ln)
	defer front.Close()

	for _, protocol := range []string{ProtocolV2, ProtocolV4} {
		t.Run(protocol, func(t *testing.T) {
			w := watch(t, Config{URL: "http://" + ln.Addr().String(), Protocol: protocol, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword), Timeout: 500 * time.Millisecond})
			st := w.until("the failure", isDisconnected).(*StatusMsg)
			if !strings.Contains(st.Reason, "timeout") || st.NextRetry.IsZero() {
				t.Errorf("status %+v, want a reason and a retry", st)
			}
			t.Logf("%s: %s", protocol, st.Reason)
		})
	}
}

// fakeServer speaks just enough Engine.IO over WebSocket to open a session
// and then sends frames, some of them garbage.
func fakeServer(t *testing.T, script func(ws *websocket.Conn)) string {
	t.Helper()
	s := simtest.Start(t, sim.Options{Seed: 1, NoTraffic: true})
	upgrader := websocket.Upgrader{}
	mux := http.NewServeMux()
	mux.Handle("/ws/", s.Handler())
	mux.HandleFunc("/socket.io/", func(w http.ResponseWriter, r *http.Request) {
		ws, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		script(ws)
		for { // keep reading until the client goes
			if _, _, err := ws.ReadMessage(); err != nil {
				return
			}
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

const (
	validLogin  = `["update",{"cpt":1,"event":{"type_notification":"UI","event":"login","msg":{"id_operator":1}}}]`
	validLogout = `["update",{"cpt":3,"event":{"type_notification":"UI","event":"logout","msg":{"id_operator":1}}}]`
)

var garbage = []string{`42["update",{"cpt":2,"event"`, `garbage`, `4`, `42`, "\xff\xfe", `42["update","not an object"]`, `42{}`, `9`}

func TestGarbageFramesV2(t *testing.T) {
	t.Parallel()
	url := fakeServer(t, func(ws *websocket.Conn) {
		send := func(s string) { ws.WriteMessage(websocket.TextMessage, []byte(s)) }
		send(`0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":5000}`)
		send(`40`)
		send("42" + validLogin)
		for _, g := range garbage {
			send(g)
		}
		ws.WriteMessage(websocket.BinaryMessage, []byte{4, 1, 2, 3})
		send("42" + validLogout)
	})
	w := watch(t, Config{URL: url, Protocol: ProtocolV2, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword)})
	w.allowRejects = true
	w.until("live", isLive(ProtocolV2))
	var good, rejected int
	w.until("the logout after the garbage", func(m Message) bool {
		ev, ok := m.(*Event)
		if !ok {
			if isDisconnected(m) {
				t.Errorf("garbage closed the session: %+v", m)
			}
			return false
		}
		if ev.Err != nil {
			rejected++
			return false
		}
		good++
		return ev.Update.Name == "logout"
	})
	if good != 2 || rejected != 1 {
		t.Errorf("%d good and %d rejected updates, want 2 and 1 (the payload that is not an object)", good, rejected)
	}
}

func TestGarbageFramesV4(t *testing.T) {
	t.Parallel()
	loginThrough := make(chan struct{})
	url := fakeServer(t, func(ws *websocket.Conn) {
		send := func(s string) { ws.WriteMessage(websocket.TextMessage, []byte(s)) }
		send(`0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`)
		if _, msg, err := ws.ReadMessage(); err != nil || !strings.HasPrefix(string(msg), "40") {
			return
		}
		send(`40{"sid":"abc"}`)
		send("42" + validLogin)
		// The client library handles each packet on a goroutine of its
		// own: a garbage frame that closes the connection may overtake the
		// connect packet. Send it once the login is through.
		select {
		case <-loginThrough:
		case <-time.After(testkit.Patience):
			return
		}
		for _, g := range garbage {
			send("4" + g)
		}
		send("42" + validLogout)
	})
	w := watch(t, Config{URL: url, Protocol: ProtocolV4, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword)})
	w.allowRejects = true
	w.until("live", isLive(ProtocolV4))
	// whether the library drops the session on a frame it cannot parse or
	// goes on, the feed must survive, deliver what it can, and come back
	seen := map[string]bool{}
	w.until("the login", func(m Message) bool {
		if ev, ok := m.(*Event); ok && ev.Err == nil {
			seen[ev.Update.Name] = true
		}
		return seen["login"]
	})
	close(loginThrough)
	w.until("a new attempt or the logout", func(m Message) bool {
		if ev, ok := m.(*Event); ok && ev.Err == nil && ev.Update.Name == "logout" {
			return true
		}
		s, ok := m.(*StatusMsg)
		return ok && s.State == Connecting
	})
}

// TestNoGoroutineOutlivesItsConnection opens and closes 100 connections,
// both generations, and checks that no goroutine of ours or of the client
// libraries is left behind.
func TestNoGoroutineOutlivesItsConnection(t *testing.T) {
	s := simtest.Start(t, sim.Options{Seed: 9, AllowEIO3: true})
	ignore := []goleak.Option{
		goleak.IgnoreCurrent(), // the simulator, and the client library's process-wide watchers
	}
	// warm up: the first connection starts the library's lazy global goroutines
	for _, protocol := range []string{ProtocolV2, ProtocolV4} {
		cycle(t, s.URL(), protocol)
	}
	settled(t)
	ignore = append(ignore, goleak.IgnoreCurrent())
	for i := range 100 {
		protocol := ProtocolV4
		if i%2 == 1 {
			protocol = ProtocolV2
		}
		cycle(t, s.URL(), protocol)
	}
	// A closed connection's goroutines may take a moment to notice; they
	// must end.
	testkit.Eventually(t, "the end of the closed connections' goroutines", func() bool { return goleak.Find(ignore...) == nil },
		func() string { return goleak.Find(ignore...).Error() })
}

func cycle(t *testing.T, url, protocol string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan Message, 1024)
	done := make(chan struct{})
	go func() {
		defer close(done)
		// A short opening timeout: an opening that fails starts over soon.
		New(Config{URL: url, Protocol: protocol, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword), Timeout: 2 * time.Second}).Run(ctx, out)
	}()
	for live := false; !live; {
		live = isLive(protocol)(testkit.Receive(t, protocol+": live", out))
	}
	cancel()
	<-done
}

// TestDeadSocketNoticedWithinTheHeartbeat: the server opens the session and
// then falls silent (no ping for v4, no pong for v2); the feed must notice
// by the heartbeat of pingInterval + pingTimeout, not at a TCP timeout: the
// reason says which (how long that took on this machine is not measured).
func TestDeadSocketNoticedWithinTheHeartbeat(t *testing.T) {
	t.Parallel()
	scripts := map[string]func(ws *websocket.Conn){
		ProtocolV2: func(ws *websocket.Conn) {
			ws.WriteMessage(websocket.TextMessage, []byte(`0{"sid":"x","upgrades":[],"pingInterval":300,"pingTimeout":200}`))
			ws.WriteMessage(websocket.TextMessage, []byte(`40`))
		},
		ProtocolV4: func(ws *websocket.Conn) {
			ws.WriteMessage(websocket.TextMessage, []byte(`0{"sid":"x","upgrades":[],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}`))
			if _, msg, err := ws.ReadMessage(); err != nil || !strings.HasPrefix(string(msg), "40") {
				return
			}
			ws.WriteMessage(websocket.TextMessage, []byte(`40{"sid":"abc"}`))
		},
	}
	// what says the heartbeat ended the session (not a TCP timeout): v2's
	// own window, taken from the handshake; v4's client's ping timeout
	reasons := map[string]string{ProtocolV2: "no heartbeat from the server for 500ms", ProtocolV4: "connection lost: ping timeout"}
	for protocol, script := range scripts {
		t.Run(protocol, func(t *testing.T) {
			url := fakeServer(t, script)
			w := watch(t, Config{URL: url, Protocol: protocol, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword)})
			w.until("connected", isAwaitingUpdate)
			st := w.until("the dead socket", isDisconnected).(*StatusMsg)
			if st.Reason != reasons[protocol] {
				t.Errorf("ended by %q, want %q", st.Reason, reasons[protocol])
			}
		})
	}
}

// TestRefusedTokenNeverLoops: authentication works but every init is
// refused. The feed logs in again once, then backs off without logging in
// again and again.
func TestRefusedTokenNeverLoops(t *testing.T) {
	t.Parallel()
	url, auth := initRefusingServer(t)
	w := watch(t, Config{URL: url, Protocol: ProtocolV4, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword), RetryDelay: 20 * time.Millisecond})
	refusals := 0
	w.until("three refusals", func(m Message) bool {
		if s, ok := m.(*StatusMsg); ok && s.State == Disconnected && s.Reason == ReasonInitRefused {
			refusals++
		}
		return refusals == 3
	})
	if n := auth.Stats().AuthAttempts; n != 2 {
		t.Errorf("%d authentications for 3+ refused inits, want 2 (the first, and one renewal)", n)
	}
}
