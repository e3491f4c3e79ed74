package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"callboard/config"
	"callboard/feed"
	"callboard/hub"
	"callboard/internal/testkit"
	"callboard/state"
)

// TestWallPagesAreTheViewersViewCutToEachPage: one subscription per page,
// each receiving the view cut to the page's scope within the viewer's;
// the names a page without one takes.
func TestWallPagesAreTheViewersViewCutToEachPage(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	h := hub.New(hub.Config{Start: t0, Now: func() time.Time { return t0 }, TickInterval: time.Hour})
	w := config.Wall{Pages: []config.WallPage{
		{Name: "Support", Groups: []string{"10"}},
		{Tab: "calls"},
		{Queues: []string{"391"}, Groups: []string{"Ventes"}},
		{Tab: "alerts", Queues: []string{"391"}},
		{},
	}}
	pages, closePages := boardPages(h, w, nil)
	defer closePages()
	names := []string{"Support", "Calls", "391, Ventes", "Alerts · 391", "whole center"}
	if len(pages) != len(names) {
		t.Fatalf("%d pages for %d", len(pages), len(names))
	}
	for i, p := range pages {
		if p.Name != names[i] || p.Tab != w.Pages[i].Tab {
			t.Errorf("page %d is %q (tab %q), want %q", i, p.Name, p.Tab, names[i])
		}
		v := testkit.Receive(t, "page "+p.Name+"'s first view", p.Views)
		whole := len(w.Pages[i].Queues)+len(w.Pages[i].Groups) == 0
		if whole != (v.Scope == nil) || whole != (p.View.Scope == nil) {
			t.Errorf("page %q: scoped view %v, want scoped %v", p.Name, v.Scope, !whole)
		}
		// the scope is named as the page is configured, else by what it
		// matches: never by the page's tab (the header says "scope: …")
		if !whole && w.Pages[i].Name != "" && (v.Scope.Name != p.Name || p.View.Scope.Name != p.Name) {
			t.Errorf("page %q's view is of scope %q", p.Name, v.Scope.Name)
		}
		if !whole && w.Pages[i].Name == "" && (strings.Contains(v.Scope.Name, "·") || v.Scope.Name == "") {
			t.Errorf("page %q's view is of scope %q, want it named by what it matches", p.Name, v.Scope.Name)
		}
	}
}

// TestAWallPageNamingNoTabIsRefusedAtStart: a page's tab that is none of
// the board's stops the board and serve before any connection, on the
// configured service and on the demo alike, naming the page and the tabs.
func TestAWallPageNamingNoTabIsRefusedAtStart(t *testing.T) {
	t.Setenv("CALLBOARD_WALL_TEST_PASSWORD", "pw")
	path := filepath.Join(t.TempDir(), "config.toml")
	body := "[axialys]\nurl = \"http://127.0.0.1:9\"\nlogin = \"sup\"\npassword_env = \"CALLBOARD_WALL_TEST_PASSWORD\"\n" +
		"[wall]\npages = [{ name = \"Center\" }, { name = \"Calls\", tab = \"Cals\" }]\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	want := `wall.pages[1].tab: "Cals" is not a tab: want one of overview, agents, queues, calls, trunks, events, day, alerts`
	for _, c := range []struct {
		name string
		run  func(ctx context.Context, args []string, stdout, stderr *bytes.Buffer) error
	}{
		{"board", func(ctx context.Context, args []string, stdout, stderr *bytes.Buffer) error {
			return boardCommand(ctx, args, stdout, stderr)
		}},
		{"demo", func(ctx context.Context, args []string, stdout, stderr *bytes.Buffer) error {
			return boardCommand(ctx, append(args, "--demo"), stdout, stderr)
		}},
		{"serve", func(ctx context.Context, args []string, stdout, stderr *bytes.Buffer) error {
			return serveCommand(ctx, append(args, "--ssh-listen", "127.0.0.1:0"), stdout, stderr)
		}},
	} {
		var stdout, stderr bytes.Buffer
		err := c.run(context.Background(), []string{"--config", path}, &stdout, &stderr)
		if code := exit(&stderr, "callboard:", err); code != exitConfig || !strings.Contains(stderr.String(), want) {
			t.Errorf("%s: exit %d, said %q; want %d and %q", c.name, code, stderr.String(), exitConfig, want)
		}
	}
}

// TestServeViewersWallRotatesItsPages: an ssh viewer's wall shows the
// pages of [wall], and ] steps them, over the real OpenSSH client.
func TestServeViewersWallRotatesItsPages(t *testing.T) {
	t.Parallel()
	fx := newServeFixture(t, "[wall]\nrotate_every = \"1h\"\npages = [{ name = \"Center\" }, { name = \"Lost calls\", tab = \"calls\" }]\n")
	port, _ := fx.start(t)
	v := startViewer(t, fx.key, port)
	v.screen.waitFor(t, "Overview")
	off := len(v.screen.String())
	v.ptmx.WriteString("w")
	v.screen.waitSince(t, off, "Center") // the page's name, then its place
	v.screen.waitSince(t, off, " · 1/2")
	off = len(v.screen.String())
	v.ptmx.WriteString("]")
	v.screen.waitSince(t, off, "Lost calls")
	v.screen.waitSince(t, off, " · 2/2")
	off = len(v.screen.String())
	v.ptmx.WriteString(" ")
	v.screen.waitSince(t, off, "paused")
	v.ptmx.WriteString("q")
	if err := v.wait(t); err != nil {
		t.Errorf("ssh after q: %v", err)
	}
}

// TestTheDemoWallRotatesItsPages: `callboard --demo --wall` with [wall]
// pages in its file, in a terminal: the wall shows the first page, ] the
// next, the Calls tab's.
func TestTheDemoWallRotatesItsPages(t *testing.T) {
	t.Parallel()
	bin := testkit.Binary(t)
	path := filepath.Join(t.TempDir(), "config.toml")
	body := "[wall]\nrotate_every = \"1h\"\npages = [{ name = \"Center\" }, { name = \"Queued\", tab = \"calls\" }]\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	term := startInTerminal(t, 100, 30, bin, "--demo", "--wall", "--config", path)
	term.screen.waitFor(t, "Center")
	term.screen.waitFor(t, " · 1/2")
	off := len(term.screen.String())
	term.ptmx.WriteString("]")
	term.screen.waitSince(t, off, "Queued")
	term.screen.waitSince(t, off, "Waiting now")
	exited := make(chan error, 1)
	go func() { exited <- term.cmd.Wait() }()
	term.ptmx.WriteString("q")
	if err := testkit.Receive(t, "the board's end after q", exited); err != nil {
		t.Errorf("the board ended with %v", err)
	}
}

// TestAScopedViewersPagesNameNothingOutsideItsScope: for an ssh viewer
// of Support, a page of Ventes is left out, a page's entry of Ventes is
// dropped with the name it gave the page, and what the center does not
// know yet stays; the pages then made name nothing of Ventes.
func TestAScopedViewersPagesNameNothingOutsideItsScope(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	h := hub.New(hub.Config{Options: state.Options{Location: time.UTC}, Now: func() time.Time { return t0 }, Start: t0, TickInterval: time.Hour})
	views := h.Subscribe()
	defer views.Close()
	messages := make(chan feed.Message)
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- h.Run(ctx, messages) }()
	defer func() { cancel(); <-ran }()
	messages <- &feed.DirectoryMsg{At: t0, Directory: feed.Directory{
		Groups: []feed.Named{{ID: "391", Name: "Support"}, {ID: "392", Name: "Ventes"}},
		Agents: []feed.Agent{{ID: "1", Name: "Alice", Groups: []feed.Text{"391"}}, {ID: "2", Name: "Bob", Groups: []feed.Text{"392"}}},
	}}
	for len(testkit.Receive(t, "a view of the two queues", views.C).Queues) != 2 {
	}

	w := config.Wall{Pages: []config.WallPage{
		{Name: "Center"},
		{Name: "Ventes", Queues: []string{"Ventes"}},
		{Name: "Front office", Tab: "calls", Queues: []string{"Support", "392"}},
		{Groups: []string{"391", "Ventes"}},
		{Name: "Support team", Groups: []string{"391"}},
		{Name: "Later", Queues: []string{"Nouveau"}},
	}}
	s := &sshServer{hub: h, wall: w}
	done := make(chan struct{})
	defer close(done)
	support := []state.Audience{{Scope: state.Scope{Queues: []string{"Support"}}}}
	var names []string
	for _, p := range s.viewerPages(support, done) {
		names = append(names, p.Name)
		for _, q := range p.View.Queues {
			if q.ID != "391" {
				t.Errorf("page %q shows queue %s", p.Name, q.Name)
			}
		}
	}
	if want := []string{"Center", "Calls · Support", "391", "Support team", "Later"}; !reflect.DeepEqual(names, want) {
		t.Errorf("Support's pages are %q, want %q", names, want)
	}
	if all := s.viewerPages([]state.Audience{{CallerID: state.CallerHide}}, done); len(all) != len(w.Pages) {
		t.Errorf("a viewer of the whole center has %d pages, want all %d", len(all), len(w.Pages))
	}
}

// TestAScopedViewersPagesBeforeTheCenterIsKnown: a viewer who logs in
// before serve knows the center (no directory yet) cannot have its pages
// told apart by what they match: only the entries its own scope names as
// well are kept, so that no page names another team while the center is
// not known.
func TestAScopedViewersPagesBeforeTheCenterIsKnown(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	h := hub.New(hub.Config{Options: state.Options{Location: time.UTC}, Now: func() time.Time { return t0 }, Start: t0, TickInterval: time.Hour})
	w := config.Wall{Pages: []config.WallPage{
		{Name: "Center"},
		{Name: "Ventes", Queues: []string{"Ventes"}},
		{Name: "Front office", Tab: "calls", Queues: []string{"Support", "392"}},
		{Groups: []string{"391", "Ventes"}},
		{Name: "Support team", Queues: []string{"Support"}},
	}}
	s := &sshServer{hub: h, wall: w}
	done := make(chan struct{})
	defer close(done)
	var names []string
	for _, p := range s.viewerPages([]state.Audience{{Scope: state.Scope{Queues: []string{"Support"}}}}, done) {
		names = append(names, p.Name)
	}
	if want := []string{"Center", "Calls · Support", "Support team"}; !reflect.DeepEqual(names, want) {
		t.Errorf("Support's pages before the center is known are %q, want %q", names, want)
	}
}
