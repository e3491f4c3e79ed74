package feed

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// maxPageWords bounds, in characters, what an HTML page's summary keeps of
// its title (or heading, or first text).
const maxPageWords = 80

// maxPageRead is how much of a page is read for its words.
const maxPageRead = 64 << 10

// pageWords summarises body when it is an HTML page (a web server's or a
// proxy's error page): its <title>, or its first heading when it has no
// title, or its first text when it has neither, entities decoded, control
// and invisible characters dropped, white space folded, at most
// maxPageWords characters; then "(an HTML page)". Never the markup. ok is
// false when body is no HTML page.
func pageWords(body []byte) (words string, ok bool) {
	if !looksLikeHTML(body) {
		return "", false
	}
	z := html.NewTokenizer(bytes.NewReader(body[:min(len(body), maxPageRead)]))
	var title, heading, first strings.Builder
	var in *strings.Builder // the element whose text is being read
	skip := 0               // inside script or style
	for {
		switch z.Next() {
		case html.ErrorToken:
			return summary(title.String(), heading.String(), first.String()), true
		case html.StartTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "title":
				in = &title
			case "h1", "h2", "h3", "h4", "h5", "h6":
				if heading.Len() == 0 {
					in = &heading
				}
			case "script", "style":
				skip++
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "title":
				if clean(title.String()) != "" { // the page's own words: no need to read on
					return summary(title.String(), "", ""), true
				}
				in = nil
			case "h1", "h2", "h3", "h4", "h5", "h6":
				in = nil
			case "script", "style":
				skip = max(skip-1, 0)
			}
		case html.TextToken:
			if skip > 0 {
				continue
			}
			text := string(z.Text()) // entities decoded
			if in != nil {
				in.WriteString(text + " ")
			}
			if first.Len() < 4*maxPageWords {
				first.WriteString(text + " ")
			}
		}
	}
}

// summary is the first of title, heading and text that says something,
// cleaned and bounded, marked as an HTML page's.
func summary(title, heading, text string) string {
	for _, s := range []string{title, heading, text} {
		if s = clean(s); s != "" {
			return bound(s, maxPageWords) + " (an HTML page)"
		}
	}
	return "an HTML page without a title"
}

// looksLikeHTML reports whether body is an HTML page: it begins (after
// white space and a byte-order mark) with a tag, and has one of a page's.
func looksLikeHTML(body []byte) bool {
	b := bytes.TrimLeft(bytes.TrimPrefix(bytes.TrimSpace(body), []byte("\ufeff")), " \t\r\n")
	if len(b) == 0 || b[0] != '<' {
		return false
	}
	head := bytes.ToLower(b[:min(len(b), 4096)])
	for _, tag := range []string{"<!doctype html", "<html", "<head", "<title", "<body", "<h1", "<h2", "<p>", "<center"} {
		if bytes.Contains(head, []byte(tag)) {
			return true
		}
	}
	return false
}

// clean is s without control or invisible characters (see Invisible),
// its white space folded into single spaces.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == utf8.RuneError:
			return -1
		case unicode.IsSpace(r):
			return ' '
		case unicode.IsControl(r), Invisible(r):
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	return strings.Join(strings.Fields(s), " ")
}

// bound keeps at most n characters of s, "…" marking a cut.
func bound(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := 0
	for i := range s {
		if n == 0 {
			cut = i
			break
		}
		n--
	}
	return strings.TrimSpace(s[:cut]) + "…"
}

// webSocketRefused names an HTTP answer to a WebSocket's opening that is
// no upgrade: its status, and what its body says (an HTML page
// summarised, see serverWords) when it says something. gorilla/websocket
// keeps the body's first kilobyte.
func webSocketRefused(resp *http.Response) error {
	var body []byte
	if resp.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return fmt.Errorf("websocket refused: HTTP %d", resp.StatusCode)
	}
	return fmt.Errorf("websocket refused: HTTP %d: %s", resp.StatusCode, serverWords(body))
}
