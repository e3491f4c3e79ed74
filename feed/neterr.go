package feed

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"
)

// NetFault is the kind of a failure on the way to the server, as a person
// would check it.
type NetFault int

// Network faults. A stopped server refuses (or resets) the connection; a
// timeout is a server, or something in front of it, that accepts and stays
// silent, or packets dropped on the way.
const (
	FaultOther          NetFault = iota
	FaultDNS                     // the host name does not resolve
	FaultRefused                 // nothing listens there: the server is down, or the port is wrong
	FaultReset                   // the server (or a proxy) cut the connection
	FaultClosed                  // the server (or a proxy) closed the connection without an answer
	FaultTimeout                 // no answer in time
	FaultTLSCertificate          // the certificate is not accepted
	FaultTLSHandshake            // no TLS there: the peer answered in plain HTTP, or another protocol
	FaultTLSExpired              // the certificate has expired (or this machine's clock is wrong)
	FaultNotSOCKS                // the socks5:// proxy answered in another protocol (an HTTP proxy?)
)

// NetError is a failure on the way to the server, named: what it is, and
// whom it concerns (host:port). It wraps the error it describes.
type NetError struct {
	Fault  NetFault
	Addr   string        // host:port of the peer, "the server" when unknown
	Within time.Duration // FaultTimeout: how long the answer was awaited; 0 when unknown
	Err    error         // what the network said
	// Proxy: the peer is the proxy on the way to the server (Addr is the
	// proxy's host:port, never its credentials), not the server
	Proxy bool
}

// peer names the peer: its host:port, said to be the proxy when it is.
func (e *NetError) peer() string {
	if e.Proxy {
		return strings.TrimSpace("the proxy " + e.Addr)
	}
	return e.Addr
}

func (e *NetError) Error() string {
	switch e.Fault {
	case FaultDNS:
		var dnsErr *net.DNSError
		if errors.As(e.Err, &dnsErr) {
			if e.Proxy {
				return fmt.Sprintf("cannot resolve the proxy %s (DNS): %v", dnsErr.Name, dnsErr.Err)
			}
			return fmt.Sprintf("cannot resolve %s (DNS): %v", dnsErr.Name, dnsErr.Err)
		}
		return fmt.Sprintf("cannot resolve %s (DNS): %v", e.peer(), e.Err)
	case FaultRefused:
		return "connection refused by " + e.peer()
	case FaultReset:
		return "connection reset by " + e.peer()
	case FaultClosed:
		return "connection closed by " + e.peer() + " without an answer"
	case FaultNotSOCKS:
		return fmt.Sprintf("%s does not speak SOCKS5 (%v): is it an HTTP proxy, whose URL is http://?", e.peer(), e.Err)
	case FaultTimeout:
		if errors.Is(e.Err, errNoSOCKSAnswer) {
			return fmt.Sprintf("%s did not answer the SOCKS5 greeting within %v: is it a SOCKS5 proxy? (an HTTP proxy's URL is http://)", e.peer(), e.Within)
		}
		if e.Within > 0 {
			return fmt.Sprintf("no answer from %s within %v (timeout)", e.peer(), e.Within)
		}
		return fmt.Sprintf("no answer from %s in time (timeout)", e.peer())
	case FaultTLSCertificate:
		if e.Proxy {
			return fmt.Sprintf("TLS certificate of %s not accepted: %v", e.peer(), e.Err)
		}
		return fmt.Sprintf("TLS certificate not accepted: %v", e.Err)
	case FaultTLSExpired:
		var invalid x509.CertificateInvalidError
		if errors.As(e.Err, &invalid) && invalid.Cert != nil {
			return fmt.Sprintf("the TLS certificate of %s expired on %s", e.peer(), invalid.Cert.NotAfter.UTC().Format("2006-01-02 15:04 MST"))
		}
		return fmt.Sprintf("the TLS certificate of %s has expired: %v", e.peer(), e.Err)
	case FaultTLSHandshake:
		if e.Proxy {
			return fmt.Sprintf("%s does not speak TLS (is the proxy's URL http://?)", e.peer())
		}
		return fmt.Sprintf("the server at %s does not speak TLS (is the URL http://?)", e.Addr)
	}
	if e.Proxy {
		return fmt.Sprintf("%s: network error: %v", e.peer(), e.Err)
	}
	return fmt.Sprintf("network error: %v", e.Err)
}

func (e *NetError) Unwrap() error { return e.Err }

// describeNetError names what went wrong on the way to the server in the
// words a person checks things with: DNS, refused connection, TLS, timeout.
func describeNetError(err error) error { return describeNetErrorWithin(err, 0) }

// describeNetErrorWithin is describeNetError for a request that waited at
// most within (0: unknown) for its answer: a timeout says how long.
func describeNetErrorWithin(err error, within time.Duration) error {
	if ne := DescribeNetError(err, within); ne != nil {
		return ne
	}
	return err
}

// describeDialError is describeNetErrorWithin for the dial of addr (a
// URL): a failure that does not say its peer (a TLS handshake's) is
// said to be addr's host:port.
func describeDialError(err error, addr string, within time.Duration) error {
	if u, perr := url.Parse(addr); perr == nil {
		return DescribeNetErrorAt(err, hostPort(u), within)
	}
	return describeNetErrorWithin(err, within)
}

// DescribeNetErrorAt is DescribeNetError for a failure talking to the
// server at hostPort (a TLS handshake on a connection already made, which
// names no peer): what it cannot name stays err; what names no peer is
// said to be hostPort's.
func DescribeNetErrorAt(err error, hostPort string, within time.Duration) error {
	ne := DescribeNetError(err, within)
	if ne == nil {
		return err
	}
	if ne.Addr == "the server" && !ne.Proxy {
		named := *ne
		named.Addr = hostPort
		return &named
	}
	return ne
}

// DescribeNetError classifies err, an error of a dial or of an HTTP
// request that waited at most within (0: unknown), as a *NetError; nil
// when err is not a network failure it can name. A refused or reset
// connection is never called a timeout, whatever deadline was also near.
func DescribeNetError(err error, within time.Duration) *NetError {
	if err == nil {
		return nil
	}
	if ne := (*NetError)(nil); errors.As(err, &ne) {
		return ne
	}
	var ue *url.Error
	addr := "the server"
	inRequest := errors.As(err, &ue)
	if inRequest {
		if u, perr := url.Parse(ue.URL); perr == nil {
			addr = hostPort(u)
		}
		err = ue.Err
	}
	var opErr *net.OpError
	proxy := false
	if errors.As(err, &opErr) && opErr.Op == "proxyconnect" {
		// net/http's client on its way to the proxy: the peer is the
		// proxy, named by the address it dialled when it says it
		proxy, addr = true, ""
		var inner *net.OpError
		if errors.As(opErr.Err, &inner) {
			opErr = inner
		}
	}
	if opErr != nil && opErr.Op == "socks connect" && opErr.Source != nil {
		// net/http's (and x/net/proxy's) SOCKS5 client: the proxy is the
		// source, the tunnel's target the address
		proxy, addr = true, opErr.Source.String()
	} else if opErr != nil && opErr.Addr != nil {
		addr = opErr.Addr.String()
	}
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var recordErr tls.RecordHeaderError
	named := func(f NetFault) *NetError { return &NetError{Fault: f, Addr: addr, Err: err, Proxy: proxy} }
	switch {
	case errors.As(err, &dnsErr):
		return named(FaultDNS)
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return named(FaultTLSExpired)
	case errors.As(err, &unknownAuthority), errors.As(err, &hostErr), errors.As(err, &invalid), errors.As(err, &certErr):
		return named(FaultTLSCertificate)
	case errors.As(err, &recordErr), errors.Is(err, http.ErrSchemeMismatch):
		// the peer answered the TLS client hello in something else: a
		// plain HTTP server's 400 (which net/http's client turns into
		// ErrSchemeMismatch), or another protocol's words. Said at once:
		// waiting for the timeout would not mend it (Lasting).
		return named(FaultTLSHandshake)
	case errors.Is(err, syscall.ECONNREFUSED):
		return named(FaultRefused)
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNABORTED):
		return named(FaultReset)
	case inRequest && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)):
		// the HTTP client's word for a connection closed before the answer
		return named(FaultClosed)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded), isTimeout(err):
		ne := named(FaultTimeout)
		ne.Within = within
		return ne
	case opErr != nil:
		return named(FaultOther)
	}
	return nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// hostPort is u's host:port, the port defaulting to the scheme's.
func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch u.Scheme {
		case "https", "wss":
			port = "443"
		default:
			port = "80"
		}
	}
	return net.JoinHostPort(u.Hostname(), port)
}
