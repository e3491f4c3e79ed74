package metrics

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

func TestLabelsAreSanitisedAndCut(t *testing.T) {
	b := state.New(state.Options{Location: t0.Location()}, t0)
	evil := "\x1b]52;c;cHduZWQ=\a\x1b[2J\u009b31m\u202eevil\r\nfake_metric 1"
	b.SetDirectory(feed.Directory{Groups: []feed.Named{{ID: "10", Name: strings.Repeat("N", 1<<20)}}}, t0)
	b.Apply(feedtest.Event(t0, `{"cpt":1,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":"10","id_call":"1"}}}`), t0)
	b.Apply(feedtest.Event(t0, `{"cpt":2,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":`+jsonString(evil)+`,"id_call":"2"}}}`), t0)
	b.Apply(feedtest.Event(t0, `{"cpt":3,"event":{"type_notification":"trunk","event":"insert_call","msg":{"id_trunk":`+jsonString(evil)+`,"id_call":"3"}}}`), t0)
	e := New()
	e.Update(b.View(t0))
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, bad := range []string{"\x1b", "\a", "\u009b", "\u202e", "\r", "\nfake_metric"} {
		if strings.Contains(string(page), bad) {
			t.Errorf("the page carries %q from the server", bad)
		}
	}
	if len(page) > 64<<10 {
		t.Errorf("a 1 MB name made a %d-byte page", len(page))
	}
	families := scrape(t, e.Handler())
	var ids, names []string
	for _, m := range families["callboard_queue_calls_waiting"].Metric {
		for _, l := range m.Label {
			switch l.GetName() {
			case "queue_id":
				ids = append(ids, l.GetValue())
			case "queue":
				names = append(names, l.GetValue())
			}
		}
	}
	if len(ids) != 2 {
		t.Fatalf("queue ids %q", ids)
	}
	for _, n := range append(ids, names...) {
		if len([]rune(n)) > maxLabel {
			t.Errorf("a label of %d characters", len([]rune(n)))
		}
	}
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteString(`\` + string(r))
		case r < 0x20:
			b.WriteString(`\u00` + string("0123456789abcdef"[r>>4]) + string("0123456789abcdef"[r&15]))
		default:
			b.WriteRune(r)
		}
	}
	return b.String() + `"`
}

func TestThePageIsRenderedOncePerUpdate(t *testing.T) {
	b := state.New(state.Options{Location: t0.Location()}, t0)
	e := New()
	e.Update(b.View(t0))
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	get := func() string {
		resp, err := http.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	first := get()
	for range 20 {
		if get() != first {
			t.Fatal("the page changed without an update")
		}
	}
	if e.renders != 1 {
		t.Errorf("21 scrapes of one update rendered %d pages, want 1", e.renders)
	}
	b.Apply(feedtest.Event(t0, `{"cpt":1,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":"10","id_call":"1"}}}`), t0)
	e.Update(b.View(t0))
	if after := get(); after == first || !strings.Contains(after, `callboard_queue_calls_waiting{queue="#10",queue_id="10"} 1`) {
		t.Errorf("after an update the page did not change:\n%s", after)
	}
	if e.renders != 2 {
		t.Errorf("renders %d, want 2", e.renders)
	}
}

func TestScrapesBeyondTheBoundAreRefused(t *testing.T) {
	e := New()
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	for range MaxScrapes { // every place taken, as by slow scrapers
		e.scrapes <- struct{}{}
	}
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("a scrape beyond the bound: HTTP %d, want 503", resp.StatusCode)
	}
	<-e.scrapes
	resp, err = http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("with a place free: HTTP %d", resp.StatusCode)
	}
}

// TestIDsThatSanitiseAlikeStayApart: ids that are one label value once
// sanitised and cut (a bidi override more, two long ids alike in their
// first 128 characters, a blank id and a control character) are two
// series with labels of their own, the page is served (200, feed_up
// included) and the collision is counted.
func TestIDsThatSanitiseAlikeStayApart(t *testing.T) {
	long := strings.Repeat("x", 150)
	for _, tc := range []struct {
		name, kind, field string
		a, b              string
	}{
		{"bidi override", "queue", "id_queue", "Q", "Q\u202e"},
		{"long ids", "queue", "id_queue", long + strings.Repeat("a", 50), long + strings.Repeat("b", 50)},
		{"blank and control", "trunk", "id_trunk", " ", "\x01"}, // both empty once sanitised
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := state.New(state.Options{Location: t0.Location()}, t0)
			b.SetStatus(&feed.StatusMsg{State: feed.Live, At: t0})
			for i, id := range []string{tc.a, tc.b} {
				raw := `{"cpt":1,"event":{"type_notification":"` + tc.kind + `","event":"insert_call","msg":{"` + tc.field + `":` + jsonString(id) + `,"id_call":"` + string(rune('1'+i)) + `"}}}`
				b.Apply(feedtest.Event(t0, raw), t0)
			}
			e := New()
			e.Update(b.View(t0))
			srv := httptest.NewServer(e.Handler())
			defer srv.Close()
			for scrapeNo := range 2 { // and again: a collision is never fatal for good
				resp, err := http.Get(srv.URL)
				if err != nil {
					t.Fatal(err)
				}
				page, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("scrape %d: HTTP %d: %s", scrapeNo, resp.StatusCode, page)
				}
			}
			got := scrape(t, e.Handler())
			if v, ok := value(got, "callboard_feed_up", nil); !ok || v != 1 {
				t.Errorf("feed_up %v %v", v, ok)
			}
			family, idLabel := "callboard_queue_calls_waiting", "queue_id"
			if tc.kind == "trunk" {
				family, idLabel = "callboard_trunk_calls", "trunk_id"
			}
			ids := map[string]bool{}
			for _, m := range got[family].GetMetric() {
				for _, l := range m.Label {
					if l.GetName() == idLabel {
						ids[l.GetValue()] = true
					}
				}
			}
			if len(ids) != 2 {
				t.Errorf("%s: %d distinct %s, want 2: %v", family, len(ids), idLabel, ids)
			}
			if v, ok := value(got, "callboard_metrics_label_collisions", nil); !ok || v != 1 {
				t.Errorf("callboard_metrics_label_collisions %v (%v), want 1", v, ok)
			}
		})
	}
}

// TestConcurrentScrapesShareOneRender: 16 scrapes at once after a change
// render the page once, all of them served that one page.
func TestConcurrentScrapesShareOneRender(t *testing.T) {
	b := state.New(state.Options{Location: t0.Location()}, t0)
	for i := range 500 {
		b.Apply(feedtest.Event(t0, fmt.Sprintf(`{"cpt":%d,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":"%d","id_call":"%d"}}}`, i+1, i, i)), t0)
	}
	e := New()
	e.Update(b.View(t0))
	var entered sync.WaitGroup
	entered.Add(MaxScrapes)
	release := make(chan struct{})
	e.onRender = func() { <-release } // the first render lasts until every scrape is in
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered.Done()
		e.Handler().ServeHTTP(w, r)
	}))
	defer srv.Close()
	pages := make(chan string, MaxScrapes)
	for range MaxScrapes {
		go func() {
			resp, err := http.Get(srv.URL)
			if err != nil {
				pages <- err.Error()
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			pages <- fmt.Sprint(resp.StatusCode, " ", string(body))
		}()
	}
	entered.Wait()
	close(release)
	first := <-pages
	if !strings.HasPrefix(first, "200 ") || !strings.Contains(first, `queue_id="499"`) {
		t.Fatalf("a scrape got %.200q", first)
	}
	for range MaxScrapes - 1 {
		if p := <-pages; p != first {
			t.Errorf("scrapes of one change got different pages: %.200q", p)
		}
	}
	e.mu.Lock()
	renders := e.renders
	e.mu.Unlock()
	if renders != 1 {
		t.Errorf("%d concurrent scrapes rendered %d pages, want 1", MaxScrapes, renders)
	}
}

// TestLabelValuesAreStableAndDistinct: an id that is its own label value
// keeps it; another gets its sanitised text and a hash of itself, the same
// whatever ids come with it; a label value met twice (an id made to look
// like another's) is told apart all the same, and counted.
func TestLabelValuesAreStableAndDistinct(t *testing.T) {
	var alone labeller
	if got := alone.label("Q\u202e"); got != "Q~fad1a75a" {
		t.Errorf("Q+U+202E alone: %q", got)
	}
	var l labeller
	got := []string{l.label("Q"), l.label("Q\u202e"), l.label("Q~fad1a75a"), l.label(strings.Repeat("é", 300))}
	want := []string{"Q", "Q~fad1a75a", "Q~fad1a75a~2", strings.Repeat("é", maxLabel-2-hashDigits) + "…~"}
	for i := range 3 {
		if got[i] != want[i] {
			t.Errorf("label %d: %q, want %q", i, got[i], want[i])
		}
	}
	if !strings.HasPrefix(got[3], want[3]) || len([]rune(got[3])) != maxLabel {
		t.Errorf("a long id: %q (%d characters)", got[3], len([]rune(got[3])))
	}
	if l.collisions != 2 {
		t.Errorf("%d collisions, want 2 (Q+U+202E is Q once sanitised, Q~fad1a75a was taken)", l.collisions)
	}
}
