package feed

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"callboard/internal/testkit"
	"callboard/internal/testkit/simtest"
	"callboard/sim"
)

func password(p string) func(context.Context) (string, error) {
	return func(context.Context) (string, error) { return p, nil }
}

// next returns the next message of type T, failing when none comes within
// testkit.Patience.
func next[T Message](t *testing.T, ch <-chan Message) T {
	t.Helper()
	var zero T
	for {
		if v, ok := testkit.Receive(t, fmt.Sprintf("a %T", zero), ch).(T); ok {
			return v
		}
	}
}

func TestRoundTripWithSimulator(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t, sim.Options{Seed: 7})
	f := New(Config{URL: s.URL(), Login: sim.DefaultLogin, Password: password(sim.DefaultPassword), Timeout: 2 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan Message, 1024)
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx, out) }()

	dir := next[*DirectoryMsg](t, out).Directory
	if len(dir.Agents) < 30 || len(dir.Groups) < 4 || len(dir.Trunks) < 3 || len(dir.Pauses) == 0 || dir.Target == "" || dir.Token == "" {
		t.Errorf("directory: %d agents, %d groups, %d trunks, %d pauses, target %q", len(dir.Agents), len(dir.Groups), len(dir.Trunks), len(dir.Pauses), dir.Target)
	}
	if dir.ExpiresGuessed || dir.Expires.Before(time.Now().Add(time.Hour)) {
		t.Errorf("expiry %v (guessed %v), want the simulator's two hours", dir.Expires, dir.ExpiresGuessed)
	}
	for {
		st := next[*StatusMsg](t, out)
		if st.State == Live {
			if st.Protocol != "v4" {
				t.Errorf("protocol %q", st.Protocol)
			}
			break
		}
	}
	kinds := map[Kind]int{}
	for len(kinds) < 2 {
		ev := next[*Event](t, out)
		if ev.Err != nil {
			t.Fatalf("simulator event rejected: %v: %s", ev.Err, ev.Raw)
		}
		if !ev.Update.HasSeq || ev.Received.IsZero() || len(ev.Raw) == 0 {
			t.Errorf("event %+v", ev)
		}
		kinds[ev.Update.Kind]++
	}
	cancel()
	if err := testkit.Receive(t, "Run's end after cancel", done); !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v", err)
	}
}

func TestWrongPasswordIsRefusedWithTheServersWords(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t, sim.Options{Seed: 1, NoTraffic: true})
	_, err := Authenticate(context.Background(), http.DefaultClient, s.URL(), sim.DefaultLogin, "wrong", time.Now())
	var refused *AuthError
	if !errors.As(err, &refused) {
		t.Fatalf("err = %v, want an *AuthError", err)
	}
	if !strings.HasPrefix(err.Error(), "authentication refused: ") || refused.Message == "" {
		t.Errorf("err = %q", err)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("the error shows the password: %q", err)
	}

	f := New(Config{URL: s.URL(), Login: sim.DefaultLogin, Password: password("wrong")})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan Message, 16)
	go f.Run(ctx, out)
	for {
		st := next[*StatusMsg](t, out)
		if st.State != Disconnected {
			continue
		}
		if !strings.Contains(st.Reason, "authentication refused") {
			t.Errorf("reason %q", st.Reason)
		}
		if wait := st.NextRetry.Sub(st.At); wait < time.Minute {
			t.Errorf("next retry in %v: a refused login must wait at least a minute", wait)
		}
		break
	}
}

func TestWrongTokenIsRefused(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t, sim.Options{Seed: 1})
	dir, err := Authenticate(context.Background(), http.DefaultClient, s.URL(), sim.DefaultLogin, sim.DefaultPassword, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	f := New(Config{URL: s.URL(), Login: sim.DefaultLogin, Password: password(sim.DefaultPassword), Timeout: 2 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	forged := dir
	forged.Token = "forged-token"
	var mu sync.Mutex
	var got []Message
	var end sessionEnd
	for range 3 { // the client library may lose the packet that opens the namespace: try again
		end = f.streamV4(ctx, forged, func(m Message) { mu.Lock(); got = append(got, m); mu.Unlock() })
		if !strings.Contains(end.reason, "no answer within") {
			break
		}
	}
	if end.healthy || !end.refused || end.reason != ReasonInitRefused {
		t.Errorf("stream with a forged token ended %+v", end)
	}
	if st := s.Stats(); st.InitsRefused == 0 || st.InitsAccepted != 0 {
		t.Errorf("simulator stats %+v", st)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, m := range got {
		if ev, ok := m.(*Event); ok {
			t.Fatalf("an event reached a refused client: %s", ev.Raw)
		}
	}
}

// TestUpdatesArriveInOrder: the client library dispatches decoded packets on
// goroutines of their own; updates must still reach the board in the order
// the server sent them.
func TestUpdatesArriveInOrder(t *testing.T) {
	t.Parallel()
	for _, protocol := range []string{ProtocolV4, ProtocolV2} {
		t.Run(protocol, func(t *testing.T) {
			s := simtest.Start(t, sim.Options{Seed: 1, NoTraffic: true, AllowEIO3: true})
			w := watch(t, Config{URL: s.URL(), Protocol: protocol, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword)})
			w.until("connected", isAwaitingUpdate) // live comes with the first update
			simtest.WaitStreaming(t, s, 1)
			const n = 3000
			go func() {
				for i := range n {
					s.Push(sim.Event{Type: "UI", Name: "login", Msg: map[string]any{"id_operator": i}})
				}
			}()
			var last int64
			for i := range n {
				ev := w.until("an update", isEvent).(*Event)
				if ev.Update.Seq != last+1 && i > 0 {
					t.Fatalf("update %d: cpt %d after %d", i, ev.Update.Seq, last)
				}
				last = ev.Update.Seq
			}
		})
	}
}
