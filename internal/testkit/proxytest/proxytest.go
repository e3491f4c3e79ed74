// Package proxytest is a forward proxy for tests, as a corporate network
// has: it tunnels CONNECT and forwards requests in absolute form (a plain
// http:// URL through an HTTP proxy), spoken to in plain HTTP or in TLS
// with a self-signed certificate of its own, asking for credentials when
// told to. Every host it is asked for is the loopback address: a service
// named callboard.test (which no DNS resolves) is reached through it or
// not at all. It counts what it was asked, so a test can tell that the
// traffic went through it.
package proxytest

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Host is the name of the service behind the proxy: only the proxy
// resolves it (to the loopback address).
const Host = "callboard.test"

// Options says how the proxy is spoken to.
type Options struct {
	TLS            bool   // https://, with a certificate of its own (CertPEM)
	User, Password string // the credentials it asks for (407 without them); none when empty
}

// Proxy is a running proxy.
type Proxy struct {
	// URL is the proxy's, with its credentials when it asks for some.
	URL     *url.URL
	CertPEM []byte // its certificate, with TLS: the authority ca_file must hold

	opts     Options
	mu       sync.Mutex
	connects map[string]int // CONNECTs granted, by target host:port
	forwards map[string]int // requests forwarded, by host:port
	refused  int            // requests refused for want of credentials
}

// Start starts a proxy; the test's cleanup stops it.
func Start(t testing.TB, opts Options) *Proxy {
	t.Helper()
	p := &Proxy{opts: opts, connects: map[string]int{}, forwards: map[string]int{}}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(p.serve))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are part of the tests
	if opts.TLS {
		cert, certPEM := Certificate(t, "127.0.0.1", "localhost")
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
		p.CertPEM = certPEM
		// it offers HTTP/2, as a TLS proxy may: a client must not take
		// it (CONNECT and forwarding are spoken in HTTP/1.1 here)
		srv.EnableHTTP2 = true
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if opts.User != "" {
		u.User = url.UserPassword(opts.User, opts.Password)
	}
	p.URL = u
	return p
}

// Connects is how many tunnels to target (host:port) it granted.
func (p *Proxy) Connects(target string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.connects[target]
}

// Forwards is how many requests to host (host:port) it forwarded.
func (p *Proxy) Forwards(host string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.forwards[host]
}

// Refused is how many requests it refused for want of credentials.
func (p *Proxy) Refused() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refused
}

// loopback is addr (host:port) with its host the loopback address.
func loopback(addr string) string {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		port = "80"
	}
	return net.JoinHostPort("127.0.0.1", port)
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	if p.opts.User != "" && r.Header.Get("Proxy-Authorization") != "Basic "+base64.StdEncoding.EncodeToString([]byte(p.opts.User+":"+p.opts.Password)) {
		p.mu.Lock()
		p.refused++
		p.mu.Unlock()
		w.Header().Set("Proxy-Authenticate", `Basic realm="proxytest"`)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusProxyAuthRequired)
		io.WriteString(w, "<html><head><title>407 Proxy Authentication Required</title></head><body><h1>Who are you?</h1></body></html>")
		return
	}
	if r.Method == http.MethodConnect {
		p.tunnel(w, r)
		return
	}
	if !r.URL.IsAbs() {
		http.Error(w, "a proxy is asked for absolute URLs", http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	p.forwards[r.URL.Host]++
	p.mu.Unlock()
	r.Header.Del("Proxy-Authorization")
	forward := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) { pr.Out.URL = r.URL },
		Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, loopback(addr))
		}},
		ErrorLog: log.New(io.Discard, "", 0),
	}
	forward.ServeHTTP(w, r)
}

// tunnel grants a CONNECT: the target's port on the loopback address.
func (p *Proxy) tunnel(w http.ResponseWriter, r *http.Request) {
	up, err := net.Dial("tcp", loopback(r.Host))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		up.Close()
		return
	}
	io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
	p.pipe(r.Host, conn, buf.Reader, up) // what the client sent after its CONNECT, then the rest
}

// pipe counts a tunnel to target and carries it: what the client sends
// (read from in, conn's reader) to up, what up sends to conn.
func (p *Proxy) pipe(target string, conn net.Conn, in io.Reader, up net.Conn) {
	p.mu.Lock()
	p.connects[target]++
	p.mu.Unlock()
	go func() {
		defer up.Close()
		defer conn.Close()
		io.Copy(conn, up)
	}()
	go func() {
		defer up.Close()
		defer conn.Close()
		io.Copy(up, in)
	}()
}

// Certificate makes a self-signed certificate for names (host names or
// IP addresses), and returns it with its PEM.
func Certificate(t testing.TB, names ...string) (tls.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: names[0]},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// ServeTLS serves handler in TLS as Host, with a certificate of its own,
// and returns the service's URL (https://callboard.test:port, reached
// through a proxy only) and its certificate's PEM. The test's cleanup
// stops it.
func ServeTLS(t testing.TB, handler http.Handler) (string, []byte) {
	t.Helper()
	cert, certPEM := Certificate(t, Host)
	srv := httptest.NewUnstartedServer(handler)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return "https://" + Behind(srv.Listener.Addr().String()), certPEM
}

// Behind is addr (host:port) as named behind the proxy: Host and its port.
func Behind(addr string) string {
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(strings.TrimPrefix(addr, "http://"), "https://"))
	return net.JoinHostPort(Host, port)
}

// CAFile writes the PEM certificates to a file of the test's (a ca_file)
// and returns its path.
func CAFile(t testing.TB, pems ...[]byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	var all []byte
	for _, p := range pems {
		all = append(all, p...)
	}
	if err := os.WriteFile(path, all, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// StartSOCKS5 starts a SOCKS5 proxy (RFC 1928; the user and password of
// RFC 1929 when opts names them; TLS is not spoken): its tunnels are
// counted as Connects. The test's cleanup stops it.
func StartSOCKS5(t testing.TB, opts Options) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	p := &Proxy{opts: opts, connects: map[string]int{}, forwards: map[string]int{}, URL: &url.URL{Scheme: "socks5", Host: ln.Addr().String()}}
	if opts.User != "" {
		p.URL.User = url.UserPassword(opts.User, opts.Password)
	}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go p.socks(conn)
		}
	}()
	return p
}

// socks serves one SOCKS5 client: its greeting, its credentials when
// asked for, one CONNECT, then the tunnel.
func (p *Proxy) socks(conn net.Conn) {
	fail := func() { conn.Close() }
	r := bufio.NewReader(conn)
	read := func(n int) []byte {
		b := make([]byte, n)
		if _, err := io.ReadFull(r, b); err != nil {
			return nil
		}
		return b
	}
	head := read(2)
	if head == nil || head[0] != 5 || read(int(head[1])) == nil {
		fail()
		return
	}
	if p.opts.User == "" {
		conn.Write([]byte{5, 0})
	} else {
		conn.Write([]byte{5, 2})
		v := read(2)
		if v == nil {
			fail()
			return
		}
		user := read(int(v[1]))
		pl := read(1)
		if user == nil || pl == nil {
			fail()
			return
		}
		pass := read(int(pl[0]))
		if string(user) != p.opts.User || string(pass) != p.opts.Password {
			p.mu.Lock()
			p.refused++
			p.mu.Unlock()
			conn.Write([]byte{1, 1})
			fail()
			return
		}
		conn.Write([]byte{1, 0})
	}
	req := read(4)
	if req == nil || req[1] != 1 {
		fail()
		return
	}
	var host string
	switch req[3] {
	case 1:
		host = net.IP(read(4)).String()
	case 3:
		n := read(1)
		if n == nil {
			fail()
			return
		}
		host = string(read(int(n[0])))
	case 4:
		host = net.IP(read(16)).String()
	}
	port := read(2)
	if port == nil {
		fail()
		return
	}
	target := net.JoinHostPort(host, fmt.Sprint(int(port[0])<<8|int(port[1])))
	up, err := net.Dial("tcp", loopback(target))
	if err != nil {
		conn.Write([]byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0})
		fail()
		return
	}
	conn.Write([]byte{5, 0, 0, 1, 0, 0, 0, 0, 0, 0})
	p.pipe(target, conn, r, up)
}

// StartNotSOCKS starts a peer that answers whatever it is sent with answer
// (an HTTP server's 400, say) and closes (see Answering): given as a
// socks5:// proxy, it is no SOCKS5 proxy. Its socks5:// URL is returned.
func StartNotSOCKS(t testing.TB, answer string) *url.URL {
	t.Helper()
	return &url.URL{Scheme: "socks5", Host: Answering(t, answer)}
}

// Answering starts a peer that says answer to each connection, whatever it
// is sent, and closes it: another protocol's greeting, a server that is not
// the one expected. Its host:port is returned; the test's cleanup stops it.
func Answering(t testing.TB, answer string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			conn.Write([]byte(answer))
			conn.Close()
		}
	}()
	return ln.Addr().String()
}
