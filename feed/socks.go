package feed

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// A SOCKS5 proxy answers a client's greeting at once, on its own (no
// upstream is involved in choosing the authentication method). A peer that
// answers something else (an HTTP proxy's 400, another protocol's words)
// is no SOCKS5 proxy; one that says nothing (an HTTP proxy waiting for the
// end of a request line, which a SOCKS greeting never sends) is not either,
// most likely. Both are named, the proxy with them, instead of the login
// waiting for its timeout and the board saying "authenticating".

// socksGreetingWait is how long a SOCKS5 proxy is given to answer the
// greeting: far more than one needs.
const socksGreetingWait = 3 * time.Second

// errNoSOCKSAnswer is the error of a SOCKS5 greeting left unanswered.
var errNoSOCKSAnswer = errors.New("no answer to the SOCKS5 greeting")

// isSOCKS tells whether u is a SOCKS5 proxy's URL.
func isSOCKS(u *url.URL) bool { return u != nil && (u.Scheme == "socks5" || u.Scheme == "socks5h") }

// socksGreetingConn is the connection to a SOCKS5 proxy at addr, whose
// first answer is awaited no longer than the greeting wait and must be a
// SOCKS5 one (version 5): else its reads fail with a *NetError naming the
// proxy (FaultNotSOCKS, or FaultTimeout saying errNoSOCKSAnswer).
type socksGreetingConn struct {
	net.Conn
	addr     string
	wait     time.Duration
	answered bool // the first byte came (reads are sequential)
	timedOut atomic.Bool
	timer    *time.Timer
}

// watchSOCKSGreeting wraps conn, just opened to the SOCKS5 proxy at addr,
// that the greeting's answer be awaited at most wait.
func watchSOCKSGreeting(conn net.Conn, addr string, wait time.Duration) net.Conn {
	c := &socksGreetingConn{Conn: conn, addr: addr, wait: wait}
	c.timer = time.AfterFunc(wait, func() {
		c.timedOut.Store(true)
		conn.SetReadDeadline(time.Unix(1, 0)) // wakes the read that waits
	})
	return c
}

func (c *socksGreetingConn) Read(p []byte) (int, error) {
	if c.answered {
		return c.Conn.Read(p)
	}
	if c.timedOut.Load() {
		return 0, c.noAnswer()
	}
	n, err := c.Conn.Read(p)
	if n == 0 {
		if err != nil && c.timedOut.Load() {
			return 0, c.noAnswer()
		}
		return n, err
	}
	c.answered = true
	if !c.timer.Stop() { // the wait ended as the answer came: the read deadline is the caller's again
		c.Conn.SetReadDeadline(time.Time{})
	}
	if p[0] != 5 {
		return 0, &NetError{Fault: FaultNotSOCKS, Addr: c.addr, Proxy: true, Err: fmt.Errorf("it answered %q", p[:min(n, 16)])}
	}
	return n, err
}

func (c *socksGreetingConn) noAnswer() error {
	return &NetError{Fault: FaultTimeout, Addr: c.addr, Proxy: true, Within: c.wait, Err: errNoSOCKSAnswer}
}

func (c *socksGreetingConn) Close() error {
	c.timer.Stop()
	return c.Conn.Close()
}

// socksAddrs is the set of the host:port of the SOCKS5 proxies a client's
// choice of proxy named: net/http dials them with its transport's
// DialContext, which watches their greeting.
type socksAddrs struct{ m sync.Map }

// choosing is choose, noting the SOCKS5 proxies it picks.
func (s *socksAddrs) choosing(choose ProxyFunc) ProxyFunc {
	return func(req *http.Request) (*url.URL, error) {
		u, err := choose(req)
		if err == nil && isSOCKS(u) {
			s.m.Store(ProxyAddr(u), true)
		}
		return u, err
	}
}

// dialing is dial, the connections to a SOCKS5 proxy watched for their
// greeting (watchSOCKSGreeting) for wait.
func (s *socksAddrs) dialing(dial DialFunc, wait time.Duration) DialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if _, socks := s.m.Load(addr); err == nil && socks {
			conn = watchSOCKSGreeting(conn, addr, wait)
		}
		return conn, err
	}
}
