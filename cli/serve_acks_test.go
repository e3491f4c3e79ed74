package cli

import (
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"callboard/feed"
	"callboard/hub"
	"callboard/internal/testkit"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// fakeSSHContext is a connection's ssh context, for authorized alone.
type fakeSSHContext struct {
	context.Context
	sync.Mutex
	values map[any]any
}

func (c *fakeSSHContext) User() string          { return "viewer" }
func (c *fakeSSHContext) SessionID() string     { return "1" }
func (c *fakeSSHContext) ClientVersion() string { return "SSH-2.0-test" }
func (c *fakeSSHContext) ServerVersion() string { return "SSH-2.0-callboard" }
func (c *fakeSSHContext) RemoteAddr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 4242}
}
func (c *fakeSSHContext) LocalAddr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 2222}
}
func (c *fakeSSHContext) Permissions() *ssh.Permissions { return &ssh.Permissions{} }
func (c *fakeSSHContext) SetValue(key, value any)       { c.values[key] = value }
func (c *fakeSSHContext) Value(key any) any             { return c.values[key] }
func newFakeSSHContext() *fakeSSHContext {
	return &fakeSSHContext{Context: context.Background(), values: map[any]any{}}
}

// TestAViewerAcknowledgesInItsKeysName: the key a viewer logs in with is
// named by the comment of its authorized_keys line (sanitised), else by
// its fingerprint; the viewer's acknowledgements go to the hub in that
// name, logged, and every reader of the hub sees it.
func TestAViewerAcknowledgesInItsKeysName(t *testing.T) {
	anne, bare, other := testkit.PublicKey(t), testkit.PublicKey(t), testkit.PublicKey(t)
	path := filepath.Join(t.TempDir(), "authorized_keys")
	line := func(k gossh.PublicKey, comment string) string {
		return string(gossh.MarshalAuthorizedKey(k)[:len(gossh.MarshalAuthorizedKey(k))-1]) + comment + "\n"
	}
	keys := line(other, " someone@else") + line(anne, " anne@desk\x1b[31m") + line(bare, "")
	if err := os.WriteFile(path, []byte(keys), 0o600); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	opts := state.Options{Location: time.UTC, QueueLimits: state.QueueLimits{AvailableMin: 2}} // Support: one agent available of two
	h := hub.New(hub.Config{Options: opts, Now: func() time.Time { return t0 }, Start: t0, TickInterval: time.Hour})
	log := &lockedBuffer{}
	s := &sshServer{log: slog.New(slog.NewTextHandler(log, nil)), hub: h}
	for _, tc := range []struct {
		key  gossh.PublicKey
		want string
	}{{anne, "anne@desk"}, {bare, gossh.FingerprintSHA256(bare)}} {
		ctx := newFakeSSHContext()
		if !s.authorized(path, ctx, tc.key) {
			t.Fatalf("%s refused", tc.want)
		}
		if got := viewerName(ctx, tc.key); got != tc.want {
			t.Errorf("the viewer is named %q, want %q", got, tc.want)
		}
	}

	views := h.Subscribe()
	defer views.Close()
	messages := make(chan feed.Message)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx, messages) }()
	defer func() { cancel(); <-done }()
	messages <- &feed.DirectoryMsg{At: t0, Directory: feed.Directory{
		Agents: []feed.Agent{{ID: "7", Name: "Zoé", Groups: []feed.Text{"10"}}, {ID: "8", Name: "Yann", Groups: []feed.Text{"10"}}},
		Groups: []feed.Named{{ID: "10", Name: "Support"}}}}
	messages <- feedtest.Login(t0, 1, 7)
	ctxAnne := newFakeSSHContext()
	s.authorized(path, ctxAnne, anne)
	key := state.AlertKey{Rule: state.RuleAvailableMin, QueueID: "10"}
	if err := s.acknowledgeAs(viewerName(ctxAnne, anne))(key, t0); err != nil {
		t.Fatal(err)
	}
	for {
		v := testkit.Receive(t, "a view", views.C)
		if len(v.Acks) == 1 {
			if v.Acks[0].By != "anne@desk" {
				t.Errorf("acknowledged by %q", v.Acks[0].By)
			}
			if !strings.Contains(log.String(), "msg=\"acknowledgement asked\" by=anne@desk rule=available_min queue_id=10 agent_id=\"\"") {
				t.Errorf("the log says:\n%s", log)
			}
			break
		}
	}
}
