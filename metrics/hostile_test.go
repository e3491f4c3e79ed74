package metrics

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"callboard/feed"
	"callboard/state"
)

func TestLabelsAreSanitisedAndCut(t *testing.T) {
	b := state.New(state.Options{Location: t0.Location()}, t0)
	evil := "\x1b]52;c;cHduZWQ=\a\x1b[2J\u009b31m\u202eevil\r\nfake_metric 1"
	b.SetDirectory(feed.Directory{Groups: []feed.Named{{ID: "10", Name: strings.Repeat("N", 1<<20)}}}, t0)
	apply(t, b, t0, `{"cpt":1,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":"10","id_call":"1"}}}`)
	apply(t, b, t0, `{"cpt":2,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":`+jsonString(evil)+`,"id_call":"2"}}}`)
	apply(t, b, t0, `{"cpt":3,"event":{"type_notification":"trunk","event":"insert_call","msg":{"id_trunk":`+jsonString(evil)+`,"id_call":"3"}}}`)
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
	apply(t, b, t0, `{"cpt":1,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":"10","id_call":"1"}}}`)
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
