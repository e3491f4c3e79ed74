package feed

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Conformance against the official Node Socket.IO servers, 2.x and 4.x,
// each running testdata/node/standin.js. The packages are installed from
// npm into ../.cache/node (ignored by git) on first use. Without node the
// tests skip, unless CALLBOARD_REQUIRE_NODE is set (as .ci/run does).

// nodeGenerations are the official Node servers the feed is tried against:
// socket.io 2 (Engine.IO 3) and 4.
var nodeGenerations = []struct {
	major    int
	protocol string
}{{2, ProtocolV2}, {4, ProtocolV4}}

type nodeServer struct {
	url string
	cmd *exec.Cmd
}

func requireNode(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		if os.Getenv("CALLBOARD_REQUIRE_NODE") != "" {
			t.Fatal("node is required (CALLBOARD_REQUIRE_NODE is set) but not found")
		}
		t.Skip("node not found")
	}
}

// npmPackages installs pkgs into a cache folder named name and returns its
// node_modules.
func npmPackages(t testing.TB, name string, pkgs ...string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".cache", "node", name))
	if err != nil {
		t.Fatal(err)
	}
	modules := filepath.Join(dir, "node_modules")
	missing := false
	for _, p := range pkgs {
		name := p[:strings.LastIndexByte(p, '@')]
		if _, err := os.Stat(filepath.Join(modules, name, "package.json")); err != nil {
			missing = true
		}
	}
	if missing {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		args := append([]string{"install", "--no-audit", "--no-fund", "--loglevel=error"}, pkgs...)
		cmd := exec.Command("npm", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm install %v: %v\n%s", pkgs, err, out)
		}
	}
	return modules
}

func startStandin(t *testing.T, major int, password string) *nodeServer {
	t.Helper()
	return startStandinOn(t, major, password, 0)
}

// startStandinOn starts the stand-in on the given port (0: any free one).
func startStandinOn(t testing.TB, major int, password string, port int, env ...string) *nodeServer {
	t.Helper()
	requireNode(t)
	modules := npmPackages(t, fmt.Sprintf("socket.io-%d", major), fmt.Sprintf("socket.io@%d", major))
	cmd := exec.Command("node", "testdata/node/standin.js")
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules, "LOGIN=demo", "PASSWORD="+password, fmt.Sprintf("PORT=%d", port))
	cmd.Env = append(cmd.Env, env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if port, ok := strings.CutPrefix(sc.Text(), "listening "); ok {
				ready <- port
			}
		}
	}()
	select {
	case port := <-ready:
		return &nodeServer{url: "http://127.0.0.1:" + port, cmd: cmd}
	case <-time.After(20 * time.Second):
		t.Fatal("the Node stand-in did not start")
		return nil
	}
}

type standinStats struct {
	Auths        int    `json:"auths"`
	RefusedAuths int    `json:"refused_auths"`
	Inits        int    `json:"inits"`
	RefusedInits int    `json:"refused_inits"`
	Version      string `json:"version"`
}

func (s *nodeServer) stats(t *testing.T) standinStats {
	t.Helper()
	resp, err := http.Get(s.url + "/control/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st standinStats
	json.NewDecoder(resp.Body).Decode(&st)
	return st
}

func (s *nodeServer) control(t *testing.T, what string) {
	t.Helper()
	resp, err := http.Post(s.url+"/control/"+what, "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// watcher runs a feed and lets a test wait for what it delivers.
type watcher struct {
	t            *testing.T
	allowRejects bool // rejected updates are expected
	out          chan Message
	batched      []*Event // of a Batch received, not looked at yet
	cancel       context.CancelFunc
	done         chan struct{}
}

func watch(t *testing.T, cfg Config) *watcher {
	if cfg.Timeout == 0 {
		// the v4 client library now and then loses the packet that opens
		// the namespace; a short opening timeout makes the feed start over
		// soon instead of after the production 10 s
		cfg.Timeout = 2 * time.Second
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &watcher{t: t, out: make(chan Message, 4096), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		New(cfg).Run(ctx, w.out)
	}()
	t.Cleanup(w.stop)
	return w
}

func (w *watcher) stop() {
	w.cancel()
	<-w.done
}

// until returns the first message for which ok holds; the updates of a
// Batch are looked at one by one.
func (w *watcher) until(what string, within time.Duration, ok func(Message) bool) Message {
	w.t.Helper()
	deadline := time.After(within)
	for {
		if len(w.batched) > 0 {
			ev := w.batched[0]
			w.batched = w.batched[1:]
			if ev.Err != nil && !w.allowRejects {
				w.t.Errorf("rejected update: %v: %s", ev.Err, ev.Raw)
			}
			if ok(ev) {
				return ev
			}
			continue
		}
		select {
		case m := <-w.out:
			if b, isBatch := m.(*Batch); isBatch {
				w.batched = b.Events
				continue
			}
			if ev, isEvent := m.(*Event); isEvent && ev.Err != nil && !w.allowRejects {
				w.t.Errorf("rejected update: %v: %s", ev.Err, ev.Raw)
			}
			if ok(m) {
				return m
			}
		case <-deadline:
			w.t.Fatalf("no %s within %v", what, within)
			return nil
		}
	}
}

func isLive(protocol string) func(Message) bool {
	return func(m Message) bool {
		s, ok := m.(*StatusMsg)
		return ok && s.State == Live && s.Protocol == protocol
	}
}

func isEvent(m Message) bool { _, ok := m.(*Event); return ok }

func isDisconnected(m Message) bool {
	s, ok := m.(*StatusMsg)
	return ok && s.State == Disconnected
}

func TestConformanceWithNodeServers(t *testing.T) {
	t.Parallel()
	for _, c := range nodeGenerations {
		t.Run(fmt.Sprintf("socket.io@%d", c.major), func(t *testing.T) {
			t.Parallel()
			srv := startStandin(t, c.major, "secret")
			t.Logf("socket.io %s", srv.stats(t).Version)
			cfg := Config{URL: srv.url, Login: "demo", Password: password("secret")}

			w := watch(t, cfg)
			dir := w.until("directory", 10*time.Second, func(m Message) bool { _, ok := m.(*DirectoryMsg); return ok }).(*DirectoryMsg).Directory
			if len(dir.Agents) != 2 || dir.Target != "5207" || dir.ExpiresGuessed {
				t.Errorf("directory %+v", dir)
			}
			w.until("live ("+c.protocol+")", 30*time.Second, isLive(c.protocol))
			for range 5 {
				w.until("an update", 5*time.Second, isEvent)
			}
			// a burst arrives whole and in order
			srv.control(t, "burst?n=3000")
			last := w.until("an update", 5*time.Second, isEvent).(*Event).Update.Seq
			for i := range 2500 {
				seq := w.until("an update of the burst", 5*time.Second, isEvent).(*Event).Update.Seq
				if seq != last+1 {
					t.Fatalf("burst update %d: cpt %d after %d", i, seq, last)
				}
				last = seq
			}

			// the server drops every socket: reconnect, init again, events go on
			srv.control(t, "disconnect")
			w.until("the disconnection", 5*time.Second, isDisconnected)
			w.until("live again", 30*time.Second, isLive(c.protocol))
			w.until("an update after the reconnection", 5*time.Second, isEvent)
			if st := srv.stats(t); st.Inits < 2 || st.Auths != 1 {
				t.Errorf("after a server disconnect: %+v, want a second init with the same token", st)
			}

			// tokens expire: the init is refused, the feed authenticates again
			srv.control(t, "expire")
			w.until("live with a new token", 15*time.Second, func(m Message) bool {
				_, ok := m.(*DirectoryMsg)
				return ok
			})
			w.until("live again", 30*time.Second, isLive(c.protocol))
			w.until("an update with the new token", 5*time.Second, isEvent)
			if st := srv.stats(t); st.Auths != 2 || st.RefusedInits < 1 {
				t.Errorf("after the token expired: %+v, want one refused init and one new authentication", st)
			}
			w.stop()

			// a wrong password is tried once, then not before the refusal's
			// delay (a minute by default)
			bad := watch(t, Config{URL: srv.url, Login: "demo", Password: password("wrong"), RefusedRetryDelay: 300 * time.Millisecond})
			refusal := bad.until("the refusal", 10*time.Second, isDisconnected).(*StatusMsg)
			if !refusal.Refused || !strings.Contains(refusal.Reason, "identifiants invalides") || refusal.NextRetry.Sub(refusal.At) != 300*time.Millisecond {
				t.Errorf("refusal %+v, want one naming the server's words, retried in 300ms", refusal)
			}
			again := bad.until("the second refusal", 10*time.Second, isDisconnected).(*StatusMsg)
			if gap := again.At.Sub(refusal.At); !again.Refused || gap < 300*time.Millisecond {
				t.Errorf("second refusal %+v, %v after the first: want at least 300ms", again, gap)
			}
			if st := srv.stats(t); st.RefusedAuths < 2 {
				t.Errorf("%d refused authentications, want 2", st.RefusedAuths)
			}
		})
	}
}

// TestAFloodComesInBatches: a burst from the official servers reaches the
// board in a few channel sends of many updates each, not one send per
// update, in both generations, every update in order.
func TestAFloodComesInBatches(t *testing.T) {
	t.Parallel()
	for _, c := range nodeGenerations {
		t.Run(fmt.Sprintf("socket.io@%d", c.major), func(t *testing.T) {
			t.Parallel()
			srv := startStandin(t, c.major, "secret")
			w := watch(t, Config{URL: srv.url, Login: "demo", Password: password("secret"), Protocol: c.protocol})
			w.until("live ("+c.protocol+")", 30*time.Second, isLive(c.protocol))
			w.until("an update", 5*time.Second, isEvent)
			w.batched = nil // what the watcher has not looked at yet is of before the burst
			const n = 3000
			srv.control(t, fmt.Sprintf("burst?n=%d", n))
			sends, updates := 0, 0
			var last int64
			deadline := time.After(30 * time.Second)
			for updates < n {
				var evs []*Event
				select {
				case m := <-w.out:
					switch m := m.(type) {
					case *Batch:
						evs = m.Events
					case *Event:
						evs = []*Event{m}
					default:
						continue
					}
				case <-deadline:
					t.Fatalf("%d updates of the burst of %d in 30 s", updates, n)
				}
				sends++
				for _, ev := range evs {
					if last != 0 && ev.Update.Seq != last+1 {
						t.Fatalf("cpt %d after %d", ev.Update.Seq, last)
					}
					last = ev.Update.Seq
					updates++
				}
			}
			if sends > n/20 {
				t.Errorf("%d updates in %d sends, want batches of 20 or more on average", updates, sends)
			}
			t.Logf("%d updates in %d sends", updates, sends)
		})
	}
}
