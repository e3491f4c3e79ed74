package feed

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"callboard/sim"
)

func TestHTMLPagesAreSummarised(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("très long ", 20)
	for _, c := range []struct {
		name, body, want string
	}{
		{"title", "<!DOCTYPE html>\n<html><head><title>501 Not Implemented</title></head><body><h1>Not Implemented</h1><p>GET not supported</p></body></html>", "501 Not Implemented (an HTML page)"},
		{"entities and white space", "<html><head><title>\n  Erreur &eacute;tendue &amp;\tservice\n</title></head></html>", "Erreur étendue & service (an HTML page)"},
		{"hostile title", "<html><title>\x1b[2J\u202eevil\u200b\x07 page\x1b]0;owned\x07</title></html>", "[2Jevil page]0;owned (an HTML page)"},
		{"long title", "<html><title>" + long + "</title></html>", ""}, // checked below
		{"heading", "<html><body><script>var x = '<title>no</title>';</script><h2>Bad Gateway</h2></body></html>", "Bad Gateway (an HTML page)"},
		{"first text", "<html>Bad Gateway</html>", "Bad Gateway (an HTML page)"},
		{"nothing", "<html><body><style>p{}</style></body></html>", "an HTML page without a title"},
		{"upper case", "<HTML><HEAD><TITLE>403 Forbidden</TITLE></HEAD></HTML>", "403 Forbidden (an HTML page)"},
		{"byte-order mark", "\ufeff<!doctype html><title>Maintenance</title>", "Maintenance (an HTML page)"},
	} {
		got, ok := pageWords([]byte(c.body))
		if c.name == "long title" {
			// 80 characters and the mark of the cut
			if !ok || !strings.HasSuffix(got, "… (an HTML page)") || len([]rune(strings.TrimSuffix(got, "… (an HTML page)"))) > maxPageWords {
				t.Errorf("%s: %q", c.name, got)
			}
			continue
		}
		if !ok || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, got, ok, c.want)
		}
	}
	for _, notHTML := range []string{`{"error":"<b>no</b>"}`, "Too Many Requests", "<3 is not a page", ""} {
		if got, ok := pageWords([]byte(notHTML)); ok {
			t.Errorf("%q taken for a page: %q", notHTML, got)
		}
	}
	if got := serverWords([]byte(`{"error":"<html><title>x</title></html>"}`)); got != "<html><title>x</title></html>" {
		t.Errorf("the JSON's words come first: %q", got)
	}
}

// notImplementedPage is a web server's 501 page, with what a page may
// hold besides its title.
const notImplementedPage = `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>501 Not Implemented</title>
<style>body { font: 12px sans-serif }</style>
<script>document.write("<h1>x</h1>")</script>
</head><body>
<h1>Not Implemented</h1>
<p>POST to /ws/ not supported.<br />
</p>
<hr>
<address>Apache/2.4.41 (Ubuntu) Server at axialys.example Port 443</address>
</body></html>
`

// TestHTMLErrorPagesAreSummarisedOnTheWay: a server (or a proxy) that
// answers 501 with an HTML page at the login, the probe and the WebSocket
// of each generation is named by its status and its page's title, never
// its markup.
func TestHTMLErrorPagesAreSummarisedOnTheWay(t *testing.T) {
	t.Parallel()
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		w.WriteHeader(http.StatusNotImplemented)
		w.Write([]byte(notImplementedPage))
	}))
	t.Cleanup(page.Close)
	const words = "HTTP 501: 501 Not Implemented (an HTML page)"
	check := func(step string, err error, want string) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), want) || strings.ContainsAny(err.Error(), "<>") {
			t.Errorf("%s: %v, want %q and no markup", step, err, want)
		}
	}
	_, err := Authenticate(context.Background(), page.Client(), page.URL, "x", "y", time.Now())
	check("login", err, "authentication: server error "+words)
	_, err = Probe(context.Background(), page.Client(), page.URL, "/socket.io/")
	check("probe", err, "probe: HTTP 501 from /socket.io/: 501 Not Implemented (an HTML page)")
	_, err = dialEIO3(context.Background(), newDialer(page.Client(), page.URL, time.Hour, 0), page.URL, "/socket.io/", time.Hour)
	check("2.x WebSocket", err, "websocket refused: "+words)

	f := New(Config{URL: page.URL, Protocol: ProtocolV4, Login: sim.DefaultLogin, Password: password(sim.DefaultPassword), Timeout: time.Hour})
	end := oneSession(t, f, ProtocolV4, Directory{Token: "t"})
	if want := "connection failed: websocket refused: " + words; end.reason != want {
		t.Errorf("4.x WebSocket: %q, want %q", end.reason, want)
	}

	// a 4xx page is no login endpoint: its words are the page's title too
	_, err = Authenticate(context.Background(), http.DefaultClient, loginServer(t, 400, "<html><head><title>400 Bad Request</title></head><body>…</body></html>"), "x", "y", time.Now())
	var nowhere *EndpointError
	if !errors.As(err, &nowhere) || nowhere.Message != "400 Bad Request (an HTML page)" {
		t.Errorf("400 page: %v (%+v)", err, nowhere)
	}
}
