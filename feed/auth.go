package feed

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// DefaultTokenLifetime is how long a token lives when the answer has no
// usable `expire` (the vendor documents two hours).
const DefaultTokenLifetime = 2 * time.Hour

// Agent is one entry of the directory's `ops`.
type Agent struct {
	ID     Text   `json:"id"`
	Name   string `json:"nom"`
	Groups []Text `json:"groupes"`
}

// Named is an id with a label: a group, a trunk or a pause type.
type Named struct {
	ID   Text
	Name string
}

// Directory is the answer to a successful authentication: who and what the
// events will talk about, and the token that opens the stream.
type Directory struct {
	Agents  []Agent
	Groups  []Named
	Trunks  []Named
	Pauses  []Named
	Target  Text // the supervisor's id
	Token   Token
	Expires time.Time
	// ExpiresGuessed is true when `expire` was absent, unreadable or already
	// past, and Expires was set to DefaultTokenLifetime after authentication.
	ExpiresGuessed bool
}

// Token is the session token. It prints as a placeholder so that it cannot
// leak through logs or errors by accident; use Reveal to send it.
type Token string

func (Token) String() string   { return "[token]" }
func (Token) GoString() string { return "[token]" }

// Reveal returns the token's value.
func (t Token) Reveal() string { return string(t) }

// AuthError is a refusal by the server: it answered, and said no to the
// credentials (HTTP 401, 403 or 429, an answer in the API's JSON that holds
// no token, or another 4xx that says why in JSON). It is retried no faster
// than once a minute: accounts get locked by eager retries.
type AuthError struct {
	Status  int
	Message string // the server's words, as sent
}

func (e *AuthError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("authentication refused: HTTP %d", e.Status)
	}
	return fmt.Sprintf("authentication refused: %s (HTTP %d)", e.Message, e.Status)
}

// EndpointError is an answer at the login URL that is no login at all:
// HTTP 404 or 405, or another 4xx (or an unfollowed 3xx) without the API's
// JSON. Nothing there speaks the Axialys login: axialys.url is wrong, or a
// proxy answers in the service's place. The credentials were not judged.
type EndpointError struct {
	URL     string // the login endpoint asked, without any password of the URL's
	Final   string // where the answer came from after redirects, when elsewhere
	Status  int
	Message string // the server's words; outside text, sanitise before display
}

func (e *EndpointError) Error() string {
	status := fmt.Sprintf("HTTP %d", e.Status)
	if e.Final != "" {
		status += ", after a redirect to " + e.Final
	}
	return fmt.Sprintf("no Axialys login endpoint at %s (%s): check axialys.url", e.URL, status)
}

type authRequest struct {
	Requete string     `json:"requete"`
	Header  authHeader `json:"header"`
	Msg     struct{}   `json:"msg"`
}

type authHeader struct {
	Login       string `json:"login"`
	Password    string `json:"password"`
	AccountType string `json:"account_type"`
}

type wireNamed struct {
	ID    Text `json:"id"`
	Nom   Text `json:"nom"`
	Value Text `json:"value"`
}

type wireDirectory struct {
	Ops       []Agent     `json:"ops"`
	Groupes   []wireNamed `json:"groupes"`
	Trunks    []wireNamed `json:"trunks"`
	Pauses    []wireNamed `json:"pauses"`
	Target    Text        `json:"target"`
	IDSession Text        `json:"id_session"`
	Expire    Text        `json:"expire"`
}

// MaxAuthAnswer is the largest login answer read: a directory of thousands
// of agents is well under a megabyte, and a larger answer is refused
// rather than read in full at every retry.
const MaxAuthAnswer = 8 << 20

// asciiJSON writes the non-ASCII characters of encoded JSON as \uXXXX
// escapes (pairs of them beyond U+FFFF). Header values are read as latin1
// by convention (Node does so): raw UTF-8 in X-JSON would reach the server
// as other characters, and a password with an accent would be refused.
// Outside strings JSON is ASCII, so the rewrite is byte by byte.
func asciiJSON(b []byte) []byte {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for _, r := range string(b) {
		if r < 0x80 {
			out = append(out, byte(r))
			continue
		}
		if r > 0xFFFF {
			hi, lo := utf16.EncodeRune(r)
			out = fmt.Appendf(out, `\u%04x\u%04x`, hi, lo)
			continue
		}
		out = fmt.Appendf(out, `\u%04x`, r)
	}
	return out
}

// Authenticate posts the credentials to baseURL + "/ws/" as the vendor
// documents (an X-JSON header) and returns the directory. A refusal of the
// credentials is an *AuthError; an answer from something that is not the
// Axialys login (HTTP 404 and the like) an *EndpointError; a failure on the
// way (DNS, refused or reset connection, TLS, timeout) wraps a *NetError;
// anything else (HTTP 5xx, a body that is not the expected JSON) is a plain
// error that names the step.
func Authenticate(ctx context.Context, client *http.Client, baseURL, login, password string, now time.Time) (Directory, error) {
	header, err := json.Marshal(authRequest{
		Requete: "init",
		Header:  authHeader{Login: login, Password: password, AccountType: "supervisor"},
	})
	if err != nil {
		return Directory{}, err
	}
	endpoint := strings.TrimRight(baseURL, "/") + "/ws/"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, nil)
	if err != nil {
		return Directory{}, fmt.Errorf("authentication: bad url %q: %v", baseURL, err)
	}
	req.Header.Set("X-JSON", string(asciiJSON(header)))
	resp, err := client.Do(req)
	if err != nil {
		return Directory{}, fmt.Errorf("authentication: %w", describeRequestError(err, client, req))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxAuthAnswer+1))
	if err != nil {
		return Directory{}, fmt.Errorf("authentication: reading the answer: %w", describeNetErrorWithin(err, client.Timeout))
	}
	if len(body) > MaxAuthAnswer {
		return Directory{}, fmt.Errorf("authentication: the answer is larger than %d MB, far beyond a directory: refused (HTTP %d)", MaxAuthAnswer>>20, resp.StatusCode)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return Directory{}, statusError(req, resp, body)
	}
	var w wireDirectory
	if err := json.Unmarshal(body, &w); err != nil {
		return Directory{}, fmt.Errorf("authentication: the answer is not the expected JSON (%v): %s", err, serverWords(body))
	}
	if w.IDSession == "" {
		return Directory{}, &AuthError{Status: resp.StatusCode, Message: serverWords(body)}
	}
	d := Directory{
		Agents: w.Ops,
		Groups: names(w.Groupes),
		Trunks: names(w.Trunks),
		Pauses: names(w.Pauses),
		Target: w.Target,
		Token:  Token(w.IDSession),
	}
	// An expiry that is already past says the clocks disagree: it cannot be
	// used to plan the renewal.
	if t, ok := ParseExpire(string(w.Expire)); ok && t.After(now) {
		d.Expires = t
	} else {
		d.Expires, d.ExpiresGuessed = now.Add(DefaultTokenLifetime), true
	}
	return d, nil
}

// statusError names a non-2xx answer at the login endpoint. The vendor
// does not document its error answer: 401 and 403 are refusals of the
// credentials, and so is 429 (too many attempts: retry slowly); 404, 405
// and 410 say there is no login there; any other 4xx is a refusal when it
// gives its reason in JSON, the API's language, and no login endpoint when
// it does not (a web server's or a proxy's page).
func statusError(req *http.Request, resp *http.Response, body []byte) error {
	status := resp.StatusCode
	switch {
	case status >= 500:
		return fmt.Errorf("authentication: server error HTTP %d: %s", status, serverWords(body))
	case status == http.StatusUnauthorized, status == http.StatusForbidden, status == http.StatusTooManyRequests:
		return &AuthError{Status: status, Message: serverWords(body)}
	case status >= 400 && status != http.StatusNotFound && status != http.StatusMethodNotAllowed && status != http.StatusGone && isJSONObject(body):
		return &AuthError{Status: status, Message: serverWords(body)}
	}
	e := &EndpointError{URL: req.URL.Redacted(), Status: status, Message: serverWords(body)}
	if resp.Request != nil && resp.Request.URL != nil {
		if final := resp.Request.URL.Redacted(); final != e.URL {
			e.Final = final
		}
	}
	return e
}

func isJSONObject(body []byte) bool {
	var obj map[string]json.RawMessage
	return json.Unmarshal(body, &obj) == nil
}

func names(ws []wireNamed) []Named {
	out := make([]Named, 0, len(ws))
	for _, w := range ws {
		name := w.Nom
		if name == "" {
			name = w.Value
		}
		out = append(out, Named{ID: w.ID, Name: string(name)})
	}
	return out
}

// ParseExpire reads the token expiry as the vendor writes it
// (yyyy-mm-ddThh-mm-ss.000000+GMT) and, leniently, RFC 3339 and a few
// neighbours. A time without zone is UTC.
func ParseExpire(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	s = strings.TrimSuffix(strings.TrimSuffix(s, "+GMT"), " GMT")
	s = strings.TrimSuffix(s, "Z")
	for _, layout := range []string{
		"2006-01-02T15-04-05.999999999",
		"2006-01-02T15:04:05.999999999",
		"2006-01-02 15:04:05.999999999",
		"2006-01-02T15:04:05.999999999Z07:00",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// serverWords returns what the server said in a refusal: the value of a
// message-like field when the body is a JSON object, an HTML page's title
// (see pageWords), else the body's text, shortened. It is outside text;
// the screen sanitises it.
func serverWords(body []byte) string {
	var obj map[string]any
	if json.Unmarshal(body, &obj) == nil {
		for _, k := range []string{"error", "message", "msg", "erreur", "status"} {
			if v, ok := obj[k]; ok {
				if s, ok := v.(string); ok && s != "" {
					return shorten(s)
				}
				if b, err := json.Marshal(v); err == nil {
					return shorten(string(b))
				}
			}
		}
	}
	if words, ok := pageWords(body); ok {
		return words
	}
	s := strings.TrimSpace(string(bytes.ToValidUTF8(body, []byte("?"))))
	if s == "" {
		return "(empty answer)"
	}
	return shorten(s)
}

func shorten(s string) string {
	const max = 200
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) { // not within a character
		cut--
	}
	return s[:cut] + "…"
}
