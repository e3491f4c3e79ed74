package feed

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"callboard/internal/testkit"
	"callboard/internal/testkit/nodepeer"
)

// Conformance against the official Node Socket.IO servers, 2.x and 4.x,
// each running the stand-in of internal/testkit/nodepeer.

// nodeGenerations are the official Node servers the feed is tried against:
// socket.io 2 (Engine.IO 3) and 4.
var nodeGenerations = []struct {
	major    int
	protocol string
}{{2, ProtocolV2}, {4, ProtocolV4}}

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
	return watchWith(t, cfg, 4096)
}

// watchWith is watch with a channel of room messages: 0, and the feed
// waits for the test at every send.
func watchWith(t *testing.T, cfg Config, room int) *watcher {
	if cfg.Timeout == 0 {
		// an opening that fails starts over soon instead of after the
		// production 10 s
		cfg.Timeout = 2 * time.Second
	}
	return watchFeed(t, New(cfg), room)
}

// watchFeed runs f, made by New, for a watcher of a channel of room
// messages.
func watchFeed(t *testing.T, f *Feed, room int) *watcher {
	ctx, cancel := context.WithCancel(context.Background())
	w := &watcher{t: t, out: make(chan Message, room), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		f.Run(ctx, w.out)
	}()
	t.Cleanup(w.stop)
	return w
}

func (w *watcher) stop() {
	w.cancel()
	<-w.done
}

// until returns the first message for which ok holds; the updates of a
// Batch are looked at one by one. It fails the test, naming what it waited
// for, when none comes within testkit.Patience.
func (w *watcher) until(what string, ok func(Message) bool) Message {
	w.t.Helper()
	deadline := time.After(testkit.Patience)
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
			w.t.Fatalf("waited %v for %s", testkit.Patience, what)
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
			srv := nodepeer.Start(t, c.major, "secret")
			t.Logf("socket.io %s", srv.Stats(t).Version)
			cfg := Config{URL: srv.URL, Login: "demo", Password: password("secret")}

			w := watch(t, cfg)
			dir := w.until("directory", func(m Message) bool { _, ok := m.(*DirectoryMsg); return ok }).(*DirectoryMsg).Directory
			if len(dir.Agents) != 2 || dir.Target != "5207" || dir.ExpiresGuessed {
				t.Errorf("directory %+v", dir)
			}
			w.until("live ("+c.protocol+")", isLive(c.protocol))
			for range 5 {
				w.until("an update", isEvent)
			}
			// a burst arrives whole and in order
			srv.Control(t, "burst?n=3000")
			last := w.until("an update", isEvent).(*Event).Update.Seq
			for i := range 2500 {
				seq := w.until("an update of the burst", isEvent).(*Event).Update.Seq
				if seq != last+1 {
					t.Fatalf("burst update %d: cpt %d after %d", i, seq, last)
				}
				last = seq
			}

			// the server drops every socket: reconnect, init again, events go on
			srv.Control(t, "disconnect")
			w.until("the disconnection", isDisconnected)
			w.until("live again", isLive(c.protocol))
			w.until("an update after the reconnection", isEvent)
			if st := srv.Stats(t); st.Inits < 2 || st.Auths != 1 {
				t.Errorf("after a server disconnect: %+v, want a second init with the same token", st)
			}

			// tokens expire: the init is refused, the feed authenticates again
			srv.Control(t, "expire")
			w.until("live with a new token", func(m Message) bool {
				_, ok := m.(*DirectoryMsg)
				return ok
			})
			w.until("live again", isLive(c.protocol))
			w.until("an update with the new token", isEvent)
			if st := srv.Stats(t); st.Auths != 2 || st.RefusedInits < 1 {
				t.Errorf("after the token expired: %+v, want one refused init and one new authentication", st)
			}
			w.stop()

			// a wrong password is tried once, then not before the refusal's
			// delay (a minute by default)
			bad := watch(t, Config{URL: srv.URL, Login: "demo", Password: password("wrong"), RefusedRetryDelay: 300 * time.Millisecond})
			refusal := bad.until("the refusal", isDisconnected).(*StatusMsg)
			if !refusal.Refused || !strings.Contains(refusal.Reason, "identifiants invalides") || refusal.NextRetry.Sub(refusal.At) != 300*time.Millisecond {
				t.Errorf("refusal %+v, want one naming the server's words, retried in 300ms", refusal)
			}
			again := bad.until("the second refusal", isDisconnected).(*StatusMsg)
			if gap := again.At.Sub(refusal.At); !again.Refused || gap < 300*time.Millisecond {
				t.Errorf("second refusal %+v, %v after the first: want at least 300ms", again, gap)
			}
			if st := srv.Stats(t); st.RefusedAuths < 2 {
				t.Errorf("%d refused authentications, want 2", st.RefusedAuths)
			}
		})
	}
}

// TestAFloodComesInBatches: a burst from the official servers reaches a
// board that is behind in a few channel sends of many updates each, not
// one send per update, in both generations, every update in order. The
// board is behind by construction (nothing read while the server sends the
// burst, the channel without room), not by the machine's load: how many
// updates arrive within ReadPace of each other when the board keeps up
// depends on how fast the server writes.
func TestAFloodComesInBatches(t *testing.T) {
	t.Parallel()
	for _, c := range nodeGenerations {
		t.Run(fmt.Sprintf("socket.io@%d", c.major), func(t *testing.T) {
			t.Parallel()
			srv := nodepeer.Start(t, c.major, "secret")
			w := watchWith(t, Config{URL: srv.URL, Login: "demo", Password: password("secret"), Protocol: c.protocol}, 0)
			w.until("live ("+c.protocol+")", isLive(c.protocol))
			w.until("an update", isEvent)
			w.batched = nil // what the watcher has not looked at yet is of before the burst
			const n = 3000
			srv.Control(t, fmt.Sprintf("burst?n=%d", n))
			sends, updates := 0, 0
			var last int64
			deadline := time.After(testkit.Patience)
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
					t.Fatalf("%d updates of the burst of %d in %v", updates, n, testkit.Patience)
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
