package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"callboard/app"
	"callboard/config"
	"callboard/feed"
	"callboard/state"
)

// doctorStep is one verdict of `callboard doctor`.
type doctorStep struct {
	Step   string `json:"step"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
	Next   string `json:"next,omitempty"` // what to check, when it failed
}

type doctor struct {
	steps   []doctorStep
	out     io.Writer
	json    bool
	timeout time.Duration // each step's wait for an answer
}

func (d *doctor) pass(step, detail string) {
	d.steps = append(d.steps, doctorStep{Step: step, OK: true, Detail: state.Sanitize(detail)})
	if !d.json {
		fmt.Fprintf(d.out, "ok    %-14s %s\n", step, state.Sanitize(detail))
	}
}

func (d *doctor) fail(step, detail, next string) {
	detail, next = state.Sanitize(detail), state.Sanitize(next) // next may name an address or a variable
	d.steps = append(d.steps, doctorStep{Step: step, Detail: detail, Next: next})
	if !d.json {
		fmt.Fprintf(d.out, "FAIL  %-14s %s\n      next: %s\n", step, detail, next)
	}
}

// doctorCommand walks the road from the configuration to the first events,
// one step at a time, and stops at the first that fails.
func doctorCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("callboard doctor", "")
	configPath := configFlag(fs)
	asJSON := fs.Bool("json", false, "print the steps as JSON")
	listen := fs.Duration("listen", 10*time.Second, "how long to wait for the first events")
	timeout := fs.Duration("timeout", 10*time.Second, "how long each step waits for an answer")
	if err := parseArgs(fs, args, false, stdout, stderr); err != nil {
		return err
	}
	d := &doctor{out: stdout, json: *asJSON, timeout: *timeout}
	err := d.run(ctx, *configPath, *listen)
	if d.json {
		if err := printJSON(stdout, d.steps); err != nil {
			return err
		}
	}
	return err
}

// stepFailed ends doctor with code after a step that failed: the step
// has said why.
func stepFailed(code int) error { return &exitError{Code: code} }

func (d *doctor) run(ctx context.Context, configPath string, listen time.Duration) error {
	path, err := app.ConfigPath(configPath)
	if err != nil {
		d.fail("config", err.Error(), "pass --config FILE")
		return stepFailed(exitConfig)
	}
	cfg, warnings, err := config.Load(path)
	if err != nil {
		d.fail("config", err.Error(), "fix the key it names; config.example.toml documents every key")
		return stepFailed(exitConfig)
	}
	d.pass("config", path+" is valid"+strings.Join(append([]string{""}, warnings...), "; warning: "))

	a := cfg.Axialys
	source := map[bool]string{true: "environment variable " + a.PasswordEnv}[a.PasswordEnv != ""]
	switch {
	case a.PasswordCommand != "":
		source = "password_command"
	case a.Password != "":
		source = "the configuration file"
	}
	password, err := a.PasswordFunc()(ctx)
	if err != nil {
		next := "set the password source named in axialys"
		if a.PasswordEnv != "" {
			next = "export " + a.PasswordEnv + " holding the password (axialys.password_env names it), or use password_command"
		}
		d.fail("password", err.Error(), next)
		return stepFailed(exitConfig)
	}
	d.pass("password", "found in "+source)

	u, _ := url.Parse(a.URL)
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = map[string]string{"https": "443", "http": "80"}[u.Scheme]
	}
	target := net.JoinHostPort(host, port)
	// The same road as the feed: through the proxy the environment names
	// for this URL (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), when it names one,
	// dialled as the feed's WebSocket dials it (feed.DialProxy); then the
	// proxy resolves the name.
	proxy, err := feed.ProxyFromEnvironment()(&http.Request{URL: u})
	if err != nil {
		d.fail("dns", err.Error(), "fix HTTPS_PROXY / HTTP_PROXY")
		return stepFailed(exitConfig)
	}
	if proxy != nil {
		d.pass("dns", host+" is resolved by the proxy "+feed.ProxyAddr(proxy))
	} else {
		addrs, err := net.DefaultResolver.LookupHost(ctx, host)
		if err != nil {
			d.fail("dns", err.Error(), "check the host name in axialys.url and this machine's DNS")
			return stepFailed(exitNeverLive)
		}
		d.pass("dns", host+" → "+strings.Join(addrs, ", "))
	}
	var conn net.Conn
	if proxy != nil {
		tlsConfig, _ := a.TLSConfig() // with the authorities of axialys.ca_file, for a proxy spoken to in TLS too
		dctx, cancel := context.WithTimeout(ctx, d.timeout)
		conn, err = feed.DialProxy(dctx, nil, proxy, tlsConfig, target)
		cancel()
		if err != nil {
			d.fail("tcp", netDetail(err, d.timeout), proxyAdvice(err, target))
			return stepFailed(exitNeverLive)
		}
		d.pass("tcp", target+" reached through the proxy "+feed.ProxyAddr(proxy))
	} else {
		if conn, err = net.DialTimeout("tcp", target, d.timeout); err != nil {
			d.fail("tcp", netDetail(err, d.timeout), netAdvice(err, "check that this machine may reach "+target+" (firewall, proxy)"))
			return stepFailed(exitNeverLive)
		}
		d.pass("tcp", target+" accepts connections")
	}

	if u.Scheme == "https" {
		tlsConfig, _ := a.TLSConfig()
		if tlsConfig == nil {
			tlsConfig = &tls.Config{}
		}
		tlsConfig.ServerName = host
		tc := tls.Client(conn, tlsConfig)
		tc.SetDeadline(time.Now().Add(d.timeout))
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			err = feed.DescribeNetErrorAt(err, target, d.timeout) // the handshake's error names no peer
			d.fail("tls", netDetail(err, d.timeout), netAdvice(err, "a proxy inspecting TLS needs its authority in axialys.ca_file"))
			return stepFailed(exitNeverLive)
		}
		cert := tc.ConnectionState().PeerCertificates[0]
		tc.Close()
		d.pass("tls", fmt.Sprintf("certificate %s, valid until %s", cert.Subject.CommonName, cert.NotAfter.Format("2006-01-02")))
	} else {
		conn.Close()
		d.pass("tls", "not used (plain http)")
	}

	client, err := app.HTTPClient(a)
	if err != nil {
		d.fail("auth", err.Error(), "check axialys.ca_file")
		return stepFailed(exitConfig)
	}
	client.Timeout = d.timeout
	started := time.Now()
	dir, err := feed.Authenticate(ctx, client, a.URL, a.Login, password, time.Now())
	if err != nil {
		var refused *feed.AuthError
		var nowhere *feed.EndpointError
		switch {
		case errors.As(err, &refused):
			d.fail("auth", err.Error(), "check axialys.login and the password; only supervisor accounts work")
			return stepFailed(exitAuthRefused)
		case errors.As(err, &nowhere):
			d.fail("auth", err.Error(), "axialys.url must be the service's base address (callboard logs in at its /ws/): check its host, port, scheme and path, and any proxy answering in its place")
			return stepFailed(exitNeverLive)
		}
		d.fail("auth", err.Error(), netAdvice(err, "check the URL and that the service answers at /ws/"))
		return stepFailed(exitNeverLive)
	}
	expiry := dir.Expires.UTC().Format(time.RFC3339)
	if dir.ExpiresGuessed {
		expiry += " (guessed: no usable expire)"
	}
	d.pass("auth", fmt.Sprintf("HTTP 200 in %v: %d agents, %d groups, %d trunks, %d pause types; token expires %s",
		time.Since(started).Round(time.Millisecond), len(dir.Agents), len(dir.Groups), len(dir.Trunks), len(dir.Pauses), expiry))

	h, err := feed.Probe(ctx, client, a.URL, a.SocketIOPath)
	if err != nil {
		d.fail("probe", err.Error(), netAdvice(err, "check axialys.socketio_path; a proxy may block /socket.io/"))
		return stepFailed(exitNeverLive)
	}
	d.pass("probe", fmt.Sprintf("Socket.IO %s (Engine.IO %s): pingInterval %s, pingTimeout %s, transports polling+%s",
		h.Protocol, map[string]string{feed.ProtocolV2: "3", feed.ProtocolV4: "4"}[h.Protocol], setting(h.PingInterval), setting(h.PingTimeout), strings.Join(h.Upgrades, "+")))

	return d.stream(ctx, cfg, password, h.Protocol, listen)
}

// proxyAdvice says what to check after a failure on the way through the
// proxy to target.
func proxyAdvice(err error, target string) string {
	var refusal *feed.ProxyError
	if errors.As(err, &refusal) {
		if refusal.Status == http.StatusProxyAuthRequired {
			return "check the user and password in the proxy's URL (HTTPS_PROXY / HTTP_PROXY: http://user:password@host:port)"
		}
		return "check that the proxy allows tunnels (CONNECT) to " + target
	}
	if ne := feed.DescribeNetError(err, 0); ne != nil && ne.Proxy {
		switch ne.Fault {
		case feed.FaultTLSCertificate, feed.FaultTLSExpired:
			return "the proxy's certificate authority must be in axialys.ca_file"
		case feed.FaultTLSHandshake:
			return "the proxy speaks plain HTTP: write its URL http:// (HTTPS_PROXY / HTTP_PROXY)"
		case feed.FaultNotSOCKS:
			return "the proxy does not speak SOCKS5: an HTTP proxy's URL is http:// (HTTPS_PROXY / HTTP_PROXY)"
		}
	}
	return "check the proxy's address (HTTPS_PROXY / HTTP_PROXY) and that this machine may reach it"
}

// netDetail names a failure of a dial that waited at most within.
func netDetail(err error, within time.Duration) string {
	if ne := feed.DescribeNetError(err, within); ne != nil {
		return ne.Error()
	}
	return err.Error()
}

// netAdvice says what to check after a failure on the way to the server,
// by its kind (see feed.NetError); fallback when no kind fits.
func netAdvice(err error, fallback string) string {
	ne := feed.DescribeNetError(err, 0)
	if ne == nil {
		return fallback
	}
	switch ne.Fault {
	case feed.FaultDNS:
		return "check the host name in axialys.url and this machine's DNS"
	case feed.FaultRefused:
		return "nothing accepts connections at " + ne.Addr + ": is the server up, and is the port in axialys.url right?"
	case feed.FaultReset, feed.FaultClosed:
		return ne.Addr + " dropped the connection: check the scheme (http or https) and the port of axialys.url, and any proxy (HTTPS_PROXY) or firewall in between"
	case feed.FaultTimeout:
		return "nothing answered from " + ne.Addr + ": a firewall may drop the packets, or what listens there is not the service (or a stuck proxy)"
	case feed.FaultTLSCertificate:
		return "a proxy inspecting TLS needs its authority in axialys.ca_file"
	case feed.FaultTLSExpired:
		return "the service must renew its certificate; if it looks valid elsewhere, check this machine's clock"
	case feed.FaultTLSHandshake:
		return "no TLS at " + ne.Addr + ": check the scheme (http or https) and the port of axialys.url"
	}
	return fallback
}

// stream connects, inits and listens for the first events.
func (d *doctor) stream(ctx context.Context, cfg *config.Config, password, protocol string, listen time.Duration) error {
	fc, err := app.FeedConfig(cfg, func(context.Context) (string, error) { return password, nil })
	if err != nil {
		d.fail("connect", err.Error(), "check axialys.ca_file")
		return stepFailed(exitConfig)
	}
	fc.Protocol, fc.Timeout = protocol, d.timeout
	// The road every command takes: the board's own health says what came
	// and what it did not know.
	s, err := app.Open(ctx, app.Options{Feed: &fc, Board: app.BoardOptions(cfg)})
	if err != nil {
		d.fail("connect", err.Error(), "a bug in callboard: please report it with this line")
		return stepFailed(exitFail)
	}
	defer s.Close()
	ctx = s.Context()
	views := s.Hub.Subscribe()
	defer views.Close()
	// the opening may need a second try (see feed.Config.Timeout)
	const connectWithin = 30 * time.Second
	deadline := time.After(listen + connectWithin)
	var listening <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			if crash := s.Err(); crash != nil {
				d.fail("connect", crash.Error(), "a bug in callboard: please report it with this line")
			}
			return stepFailed(exitFail)
		case <-deadline:
			if listening == nil {
				why := "no Socket.IO connection within " + setting(connectWithin)
				if last := s.Hub.Latest().Feed.LastError; last != "" {
					why += ": " + last
				}
				d.fail("connect", why, "check that WebSockets pass the network (proxy)")
				return stepFailed(exitNeverLive)
			}
		case <-listening:
			v := s.Hub.Latest()
			events := v.Feed.Events
			if events == 0 {
				d.fail("events", "no update within "+setting(listen)+" (--listen) after init", "the service sent nothing: the token may be refused silently, or nothing happens at this hour")
				return stepFailed(exitNeverLive)
			}
			d.pass("events", fmt.Sprintf("%d in %s: %s", events, setting(listen), countsText(eventCounts(v.Events))))
			unknown := maps.Clone(v.Feed.UnknownBy)
			for reason, n := range v.Feed.RejectedBy {
				unknown["rejected: "+reason] += n
			}
			if len(unknown) > 0 {
				d.pass("unknown", "not known to callboard yet, please report: "+countsText(unknown))
			}
			return nil
		case v := <-views.C:
			if v.Feed.Live() && listening == nil {
				d.pass("connect", "Socket.IO "+v.Feed.Protocol+" connected, init accepted")
				listening = time.After(listen)
			}
			if v.Feed.State == feed.Disconnected && v.Feed.Reason == feed.ReasonInitRefused {
				d.fail("init", v.Feed.Reason, "the token was refused: check that this machine's address is the one that logged in (no NAT change between the two)")
				return stepFailed(exitNeverLive)
			}
		}
	}
}

// eventCounts counts the events of the log by kind and name.
func eventCounts(log []state.LogEntry) map[string]int {
	counts := map[string]int{}
	for _, e := range log {
		if e.Rejected == "" {
			counts[e.Kind+"/"+e.Name]++
		}
	}
	return counts
}

func countsText(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, counts[k])
	}
	return strings.Join(parts, ", ")
}
