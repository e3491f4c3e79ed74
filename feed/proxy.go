package feed

// The road through a proxy. The login and the probe go through net/http's
// client, which speaks to http:// and https:// proxies itself; the
// WebSocket of both generations is dialled by gorilla/websocket, whose own
// proxy support knows http:// only ("unknown scheme" for an https://
// proxy). So the WebSocket's dialer is given no proxy, and its TCP dial
// goes through the proxy here: the same proxy the client would choose, the
// same TLS settings (axialys.ca_file's authorities) for a proxy spoken to
// in TLS, then a tunnel asked for with CONNECT. `callboard doctor` dials
// through DialProxy too.

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/http/httpproxy"
	xproxy "golang.org/x/net/proxy"
)

// DialFunc opens a connection, as net.Dialer.DialContext does.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// ProxyFunc chooses the proxy of a request, as http.Transport.Proxy does:
// a nil URL for none.
type ProxyFunc func(*http.Request) (*url.URL, error)

// ProxyFromEnvironment chooses proxies as the environment says now
// (HTTPS_PROXY, HTTP_PROXY, NO_PROXY and their lower-case forms; requests
// to a loopback address go direct), read when it is called: net/http's
// ProxyFromEnvironment reads it once per process. A proxy variable that
// is no URL is an error for the requests it would serve (net/http would
// go direct, as if there were no proxy). Its errors never say the
// proxy's URL, which may hold a password.
func ProxyFromEnvironment() ProxyFunc {
	env := httpproxy.FromEnvironment()
	choose := env.ProxyFunc()
	invalid := map[string]string{} // by scheme, the variable that is no URL
	for scheme, v := range map[string]string{"https": env.HTTPSProxy, "http": env.HTTPProxy} {
		if v != "" && !proxyURLParses(v) {
			invalid[scheme] = strings.ToUpper(scheme) + "_PROXY"
		}
	}
	return func(req *http.Request) (*url.URL, error) {
		if name := invalid[req.URL.Scheme]; name != "" {
			return nil, fmt.Errorf("the proxy in %s (or its lower-case form) is no valid URL", name)
		}
		u, err := choose(req.URL)
		if err != nil {
			return nil, errors.New("the proxy in the environment cannot be used: " + strings.SplitN(err.Error(), ";", 2)[0])
		}
		return u, nil
	}
}

// proxyURLParses reports whether v is a proxy's URL as
// golang.org/x/net/http/httpproxy reads it: a URL, or a host:port that is
// one behind http://.
func proxyURLParses(v string) bool {
	if u, err := url.Parse(v); err == nil && u.Scheme != "" && u.Host != "" {
		return true
	}
	_, err := url.Parse("http://" + v)
	return err == nil
}

// NewHTTPClient is the service's HTTP client (the login's, the probe's):
// a 10-second timeout, the proxies choose picks (ProxyFromEnvironment in
// the program), a proxy's refusal named (ProxyConnectResponse), and
// tlsConfig (nil: the system's authorities) for the service and for a
// proxy spoken to in TLS alike. The feed's WebSocket follows the same
// proxies and TLS settings (see newDialer).
//
// It speaks HTTP/1.1 only. net/http offers HTTP/2 to a proxy spoken to
// in TLS as to the service (one TLS configuration serves both); a proxy
// that takes it then gets its CONNECT and its forwarded requests in
// HTTP/1.1 all the same, and every login failed ("unencrypted HTTP/2 not
// enabled"). The login gains nothing from HTTP/2, and the WebSocket is
// HTTP/1.1 anyway.
//
// A SOCKS5 proxy that does not answer its greeting in SOCKS5 is named at
// once (see socksGreetingConn), not at the end of the timeout.
func NewHTTPClient(tlsConfig *tls.Config, choose ProxyFunc) *http.Client {
	return newHTTPClient(tlsConfig, choose, socksGreetingWait)
}

// newHTTPClient is NewHTTPClient, a SOCKS5 proxy's greeting awaited at
// most greeting.
func newHTTPClient(tlsConfig *tls.Config, choose ProxyFunc, greeting time.Duration) *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.Proxy = choose
	if choose != nil {
		var socks socksAddrs
		transport.Proxy = socks.choosing(choose)
		transport.DialContext = socks.dialing(transport.DialContext, greeting)
	}
	transport.OnProxyConnectResponse = ProxyConnectResponse
	if tlsConfig != nil {
		transport.TLSClientConfig = tlsConfig
	}
	transport.Protocols = new(http.Protocols)
	transport.Protocols.SetHTTP1(true)
	return &http.Client{Timeout: 10 * time.Second, Transport: transport}
}

// ProxyAddr is the host:port of a proxy's URL, its port defaulting to its
// scheme's: never its credentials.
func ProxyAddr(u *url.URL) string {
	if u.Port() != "" {
		return net.JoinHostPort(u.Hostname(), u.Port())
	}
	port := map[string]string{"https": "443", "socks5": "1080", "socks5h": "1080"}[u.Scheme]
	if port == "" {
		port = "80"
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// ProxyError is a proxy's refusal of the tunnel asked for: its answer to
// CONNECT was no 200.
type ProxyError struct {
	Proxy  string // the proxy's host:port
	Target string // host:port the tunnel was asked to
	Status int
	Words  string // what its answer says (an HTML page summarised); outside text
}

func (e *ProxyError) Error() string {
	s := fmt.Sprintf("the proxy %s refused the tunnel to %s: HTTP %d", e.Proxy, e.Target, e.Status)
	if e.Status == http.StatusProxyAuthRequired {
		s += " (it wants credentials: the user and password of the proxy's URL)"
	}
	if e.Words != "" {
		s += ": " + e.Words
	}
	return s
}

// maxConnectAnswer bounds what is read of a refusal's body.
const maxConnectAnswer = 64 << 10

// ProxyConnectResponse is a *ProxyError when resp, a proxy's answer to
// CONNECT, refuses the tunnel, with what its body says when it says how
// long it is (a body without a length would be read until the proxy
// closes); nil when it grants it. It is the http.Transport's
// OnProxyConnectResponse of the service's client (config), so that the
// login names a refusal as the WebSocket does.
func ProxyConnectResponse(_ context.Context, proxyURL *url.URL, req *http.Request, resp *http.Response) error {
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	refusal := &ProxyError{Proxy: ProxyAddr(proxyURL), Target: req.Host, Status: resp.StatusCode}
	if resp.ContentLength > 0 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, min(resp.ContentLength, maxConnectAnswer)))
		if len(body) > 0 {
			refusal.Words = serverWords(body)
		}
	}
	return refusal
}

// DialProxy opens a connection to target (host:port) through the proxy
// of proxyURL: an http:// proxy is spoken to in plain TCP, an https://
// one in TLS, its certificate checked against tlsConfig's authorities
// (nil: the system's); either is asked for a tunnel (CONNECT) with the
// user and password of proxyURL when it has them. socks5:// is spoken
// too. dial opens the TCP connection to the proxy (nil: net.Dialer's). It
// waits no longer than ctx. A failure on the way to the proxy is a
// *NetError with Proxy set, a refusal of the tunnel a *ProxyError; no
// error says the proxy's credentials.
func DialProxy(ctx context.Context, dial DialFunc, proxyURL *url.URL, tlsConfig *tls.Config, target string) (net.Conn, error) {
	if dial == nil {
		var d net.Dialer
		dial = d.DialContext
	}
	addr, within := ProxyAddr(proxyURL), deadlineLeft(ctx)
	atProxy := func(err error) error {
		if errors.Is(ctx.Err(), context.Canceled) {
			return ctx.Err() // given up: no fault of the proxy's
		}
		ne := DescribeNetError(err, within)
		if ne == nil {
			return fmt.Errorf("the proxy %s: %w", addr, err)
		}
		copied := *ne
		copied.Proxy, copied.Addr = true, addr
		return &copied
	}
	switch proxyURL.Scheme {
	case "http", "https":
	case "socks5", "socks5h":
		return dialSOCKS(ctx, dial, proxyURL, addr, target, atProxy)
	default:
		return nil, fmt.Errorf("the proxy %s: scheme %q is not spoken (http://, https:// or socks5://)", addr, proxyURL.Scheme)
	}
	conn, err := dial(ctx, "tcp", addr)
	if err != nil {
		return nil, atProxy(err)
	}
	// every step below waits no longer than ctx
	if deadline, ok := ctx.Deadline(); ok {
		conn.SetDeadline(deadline)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	fail := func(err error) (net.Conn, error) {
		stop()
		conn.Close()
		return nil, err
	}
	if proxyURL.Scheme == "https" {
		c := &tls.Config{MinVersion: tls.VersionTLS12}
		if tlsConfig != nil {
			c = tlsConfig.Clone()
		}
		c.ServerName, c.NextProtos = proxyURL.Hostname(), nil // CONNECT is HTTP/1.1
		tc := tls.Client(conn, c)
		if err := tc.HandshakeContext(ctx); err != nil {
			return fail(atProxy(err))
		}
		conn = tc
	}
	req := &http.Request{Method: http.MethodConnect, URL: &url.URL{Opaque: target}, Host: target, Header: http.Header{}}
	if user := proxyURL.User; user != nil {
		pw, _ := user.Password()
		req.Header.Set("Proxy-Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(user.Username()+":"+pw)))
	}
	if err := req.Write(conn); err != nil {
		return fail(atProxy(err))
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = &url.Error{Op: "CONNECT", URL: "//" + addr, Err: err} // closed without an answer
		}
		return fail(atProxy(err))
	}
	if err := ProxyConnectResponse(ctx, proxyURL, req, resp); err != nil {
		return fail(err)
	}
	if !stop() {
		conn.Close()
		return nil, atProxy(ctx.Err())
	}
	conn.SetDeadline(time.Time{})
	if br.Buffered() > 0 { // the server spoke first: what was read is the tunnel's
		return &bufferedConn{Conn: conn, r: br}, nil
	}
	return conn, nil
}

// deadlineLeft is how long ctx allowed from now, 0 when it has no
// deadline (or it has passed).
func deadlineLeft(ctx context.Context) time.Duration {
	if deadline, ok := ctx.Deadline(); ok {
		return max(time.Until(deadline), 0)
	}
	return 0
}

// bufferedConn is a connection of which r has read ahead.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// dialSOCKS opens the tunnel through a SOCKS5 proxy.
func dialSOCKS(ctx context.Context, dial DialFunc, proxyURL *url.URL, addr, target string, atProxy func(error) error) (net.Conn, error) {
	var auth *xproxy.Auth
	if user := proxyURL.User; user != nil {
		pw, _ := user.Password()
		auth = &xproxy.Auth{User: user.Username(), Password: pw}
	}
	watched := func(ctx context.Context, network, a string) (net.Conn, error) {
		conn, err := dial(ctx, network, a)
		if err != nil {
			return nil, err
		}
		return watchSOCKSGreeting(conn, addr, socksGreetingWait), nil
	}
	d, err := xproxy.SOCKS5("tcp", addr, auth, contextDialer(watched))
	if err != nil {
		return nil, fmt.Errorf("the proxy %s: %v", addr, err)
	}
	conn, err := d.(xproxy.ContextDialer).DialContext(ctx, "tcp", target)
	if err != nil {
		return nil, atProxy(err)
	}
	return conn, nil
}

// contextDialer is a DialFunc as x/net/proxy's forward dialer.
type contextDialer DialFunc

func (d contextDialer) Dial(network, addr string) (net.Conn, error) {
	return d(context.Background(), network, addr)
}

func (d contextDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return d(ctx, network, addr)
}

// proxiedDial is dial through the proxy that choose picks for addr on a
// URL of scheme (the service's: the environment names a proxy per
// scheme), with DialProxy and tlsConfig; dial alone when it picks none.
func proxiedDial(dial DialFunc, choose ProxyFunc, tlsConfig *tls.Config, scheme string) DialFunc {
	if choose == nil {
		return dial
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		proxyURL, err := choose(&http.Request{Method: http.MethodGet, URL: &url.URL{Scheme: scheme, Host: addr}, Header: http.Header{}})
		if err != nil {
			return nil, err
		}
		if proxyURL == nil {
			return dial(ctx, network, addr)
		}
		return DialProxy(ctx, dial, proxyURL, tlsConfig, addr)
	}
}

// describeRequestError is describeNetErrorWithin for the failure of req,
// sent by client: a failure on the way to the proxy that does not say the
// proxy's address (net/http's TLS to the proxy) is told it from the
// client's choice of proxy.
func describeRequestError(err error, client *http.Client, req *http.Request) error {
	ne := DescribeNetError(err, client.Timeout)
	if ne == nil {
		// what is not a network fault says itself without net/http's
		// `Post "https://…/ws/": ` before it (a proxy's refusal, …)
		var ue *url.Error
		if errors.As(err, &ue) && ue.Err != nil {
			return ue.Err
		}
		return err
	}
	if t, ok := client.Transport.(*http.Transport); ok && ne.Proxy && ne.Addr == "" && t.Proxy != nil {
		if u, perr := t.Proxy(req); perr == nil && u != nil {
			ne.Addr = ProxyAddr(u)
		}
	}
	return ne
}
