// Package notify sends the board's alerts out of it: each alert raised and
// each alert cleared (state.AlertChange) to a command and/or a webhook, as
// [notify] says, with its cooldown, quiet hours and rules.
//
// It is a step of its own, after the board, because an alert on the board
// tells only whoever watches a screen, and a call center's screen is often
// watched by nobody: this is the one place where an alert leaves callboard
// for a chat, a pager or a mail. It reads the hub's views like every other
// reader and never holds the board back: the changes are taken from the
// views (latest wins) into a bounded queue that one goroutine delivers, and
// a change that finds the queue full is dropped and counted, never waited
// for (a hanging command or webhook delays only the alerts behind it).
//
// One process sends per journal: the one that writes it (a board, a
// `callboard metrics` or `serve`; JournalHealth.Writing), from the first
// view after the journal's replay, so that a restart sends nothing again.
package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"callboard/config"
	"callboard/state"
)

// Options are what a Sender is handed. Zero fields take their defaults.
type Options struct {
	Config   config.Notify
	Location *time.Location // the display timezone: quiet hours, the times of the text; nil = time.Local
	Board    string         // the board's title, in every message
	Account  string         // the login the board reads as; "" for none
	// Client posts to the webhook; nil = a client with the webhook's
	// ca_file (Config.WebhookTLS). Its own timeout, if any, must not be
	// shorter than Config.Timeout: each attempt has Config.Timeout.
	Client *http.Client
	// Log takes a line for the process's log: a failed delivery, what the
	// command wrote on its standard error. nil = nowhere.
	Log func(string)
	// QueueSize is how many changes may wait for delivery (default
	// DefaultQueueSize); past it they are dropped and counted.
	QueueSize int
	// Deadline gives a delivery (a run of the command, an attempt of the
	// webhook) its deadline; nil = context.WithTimeout. Tests pass their
	// own, which they make pass.
	Deadline func(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc)
	// Wait waits d between two attempts of the webhook, or until ctx ends
	// (then it returns ctx's error); nil = a timer. Tests pass their own.
	Wait func(ctx context.Context, d time.Duration) error
}

// DefaultQueueSize is Options.QueueSize's default: more alerts waiting than
// a chat would show anyway.
const DefaultQueueSize = 64

// Attempts is how many times the webhook is tried for one change, Backoff
// apart (doubling after each).
const Attempts = 4

// Backoff is the wait before the webhook's second attempt; it doubles
// before each next one (1 s, 2 s, 4 s).
const Backoff = time.Second

// The channels a change is sent on, as callboard_notify_failures_total's
// label says them.
const (
	ChannelCommand = "command"
	ChannelWebhook = "webhook"
)

// Sender sends the alerts of the views it observes. New makes it, with
// its delivering goroutine; Run (or Observe) feeds it views; Close ends it.
type Sender struct {
	o      Options
	url    string // the webhook's; "" = none
	where  string // the webhook as the log may say it (no path, no query)
	queue  chan Message
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}

	// What Observe keeps, on its caller's goroutine only.
	started bool
	seq     uint64                       // the last change handled
	sent    map[state.AlertKey]time.Time // when a raise of the key was last sent (cooldown)
	held    map[state.AlertKey]bool      // raised and not sent: its clear is not sent either

	mu     sync.Mutex
	closed bool
	health state.NotifyHealth
}

// New returns a sender of o.Config's channels, delivering until Close.
func New(o Options) (*Sender, error) {
	if o.Location == nil {
		o.Location = time.Local
	}
	if o.Log == nil {
		o.Log = func(string) {}
	}
	if o.QueueSize <= 0 {
		o.QueueSize = DefaultQueueSize
	}
	if o.Deadline == nil {
		o.Deadline = context.WithTimeout
	}
	if o.Wait == nil {
		o.Wait = wait
	}
	s := &Sender{o: o, queue: make(chan Message, o.QueueSize), done: make(chan struct{}),
		sent: map[state.AlertKey]time.Time{}, held: map[state.AlertKey]bool{}}
	s.health.On = o.Config.On()
	if hook := string(o.Config.Webhook); hook != "" {
		u, err := url.Parse(hook)
		if err != nil {
			return nil, errors.New("notify.webhook: not a URL")
		}
		s.url, s.where = hook, Redacted(u)
		if s.o.Client == nil {
			tlsConfig, err := o.Config.WebhookTLS()
			if err != nil {
				return nil, fmt.Errorf("notify.ca_file: %v", err)
			}
			transport := http.DefaultTransport.(*http.Transport).Clone()
			if tlsConfig != nil {
				transport.TLSClientConfig = tlsConfig
			}
			s.o.Client = &http.Client{Transport: transport}
		}
		client := *s.o.Client
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		s.o.Client = &client
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	go s.deliver()
	return s, nil
}

// Redacted is a webhook's URL as a log or an error may say it: its scheme
// and host, never its user, path or query (a chat's incoming webhook holds
// its token there).
func Redacted(u *url.URL) string {
	s := u.Scheme + "://" + u.Host
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		s += "/…"
	}
	return s
}

// Health is how the sending goes, for the views (hub.Config.Notify).
func (s *Sender) Health() state.NotifyHealth {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.health
}

// Run observes the views of views until ctx ends.
func (s *Sender) Run(ctx context.Context, views <-chan *state.View) {
	for {
		select {
		case <-ctx.Done():
			return
		case v := <-views:
			s.Observe(v)
		}
	}
}

// Observe takes the alerts changed in v since the last view observed into
// the queue, and never waits. It must be called from one goroutine at a
// time, with views in the order the hub made them.
//
//   - A view made before the journal's replay ended (Journal.On unset:
//     the hub's first view, made before it replayed) is passed over; the
//     first view after it only sets where the sending starts: the changes
//     it holds were replayed, made by an earlier run that sent them.
//   - While this process does not write the journal (Journal.Writing
//     unset: another process does, and sends) its changes are passed over
//     too; should it take the journal over, it sends from there.
//   - A change whose Seq is past the next one expected says that the
//     board's ring let some go before they were read: they are counted
//     dropped. A queue that is full drops the change, counted.
func (s *Sender) Observe(v *state.View) {
	if !v.Journal.On {
		return
	}
	newest := s.seq
	if n := len(v.AlertChanges); n > 0 {
		newest = v.AlertChanges[n-1].Seq
		if newest < s.seq { // numbered again from 1: another day's board
			s.seq = 0
		}
	}
	s.mu.Lock()
	s.health.Sending = v.Journal.Writing
	s.mu.Unlock()
	if !s.started || !v.Journal.Writing {
		s.started, s.seq = true, newest
		return
	}
	for _, c := range v.AlertChanges {
		if c.Seq <= s.seq {
			continue
		}
		lost := c.Seq - s.seq - 1
		s.seq = c.Seq
		send := s.choose(c)
		s.mu.Lock()
		s.health.Dropped += int(lost)
		if !send {
			s.health.Held++
		} else if !s.enqueue(c) {
			s.health.Dropped++
		}
		s.mu.Unlock()
	}
}

// enqueue puts the message of c in the queue unless it is full or the
// sender closed; mu is held.
func (s *Sender) enqueue(c state.AlertChange) bool {
	if s.closed {
		return false
	}
	select {
	case s.queue <- s.message(c):
		return true
	default:
		return false
	}
}

// choose reports whether c is to be sent by [notify]'s rules:
//
//   - a raise of a rule not chosen (rules), in the quiet hours, or less than
//     cooldown after the last raise of the same rule and subject sent, is
//     held: neither it nor its clear is sent, nor later;
//   - a clear is sent unless its raise was held, or it comes in the quiet
//     hours (an alert raised before them that clears during them is not
//     said cleared). A clear whose raise this process did not see (raised
//     before it started) is sent: the process that wrote the journal then
//     sent the raise.
//
// Times are the board's (the change's At), the quiet hours in the display
// timezone.
func (s *Sender) choose(c state.AlertChange) bool {
	cfg, key := s.o.Config, c.Alert.AlertKey
	quiet := cfg.Quiet.Contains(c.At, s.o.Location)
	if !c.Raised {
		if s.held[key] {
			delete(s.held, key)
			return false
		}
		return cfg.SendsRule(key.Rule) && !quiet
	}
	last, ok := s.sent[key]
	cooling := ok && cfg.Cooldown.Duration > 0 && c.At.Sub(last) < cfg.Cooldown.Duration
	if !cfg.SendsRule(key.Rule) || quiet || cooling {
		s.held[key] = true
		return false
	}
	delete(s.held, key)
	s.sent[key] = c.At
	return true
}

// Close stops taking views, lets the deliveries queued go on until
// deadline, then stops the one under way (a command is killed with its
// children) and drops the rest, said in the log. It returns once the
// delivering goroutine has ended.
func (s *Sender) Close(deadline time.Time) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		<-s.done
		return
	}
	s.closed = true
	close(s.queue)
	s.mu.Unlock()
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case <-s.done:
	case <-t.C:
		s.cancel()
		<-s.done
	}
	s.cancel()
}

// deliver sends each message queued, until the queue is closed and
// empty.
func (s *Sender) deliver() {
	defer close(s.done)
	for m := range s.queue {
		if s.ctx.Err() != nil {
			s.o.Log(fmt.Sprintf("notify: %s of %s not sent: callboard ended", m.Event, m.Rule))
			continue
		}
		body, err := json.Marshal(m)
		if err != nil { // cannot happen: the message is plain data
			continue
		}
		ok := true
		if len(s.o.Config.Command) > 0 {
			if err := s.runCommand(body); err != nil {
				ok = false
				s.failed(ChannelCommand, m, err)
			}
		}
		if s.url != "" {
			if err := s.post(body); err != nil {
				ok = false
				s.failed(ChannelWebhook, m, err)
			}
		}
		if ok {
			s.mu.Lock()
			s.health.Sent++
			s.mu.Unlock()
		}
	}
}

// failed counts and says a failed delivery of m on channel.
func (s *Sender) failed(channel string, m Message, err error) {
	what := fmt.Sprintf("%s: %v", channel, err)
	s.mu.Lock()
	switch channel {
	case ChannelCommand:
		s.health.CommandFailures++
	case ChannelWebhook:
		s.health.WebhookFailures++
	}
	s.health.LastFailure, s.health.LastFailureAt = what, m.At
	s.mu.Unlock()
	s.o.Log(fmt.Sprintf("notify: %s of %s (%s) not delivered: %s", m.Event, m.Rule, state.Sanitize(m.Subject), what))
}

// runCommand runs the command with body on its standard input, within
// the timeout (config.RunCommand: its own process group, killed whole).
func (s *Sender) runCommand(body []byte) error {
	timeout := s.o.Config.Timeout.Duration
	ctx, cancel := s.o.Deadline(s.ctx, timeout)
	defer cancel()
	messages, err := config.RunCommand(ctx, s.o.Config.Command, body)
	if messages != "" {
		s.o.Log("notify command: " + messages)
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("did not finish within %v: killed", timeout)
	case s.ctx.Err() != nil:
		return errors.New("stopped: callboard ended")
	}
	return err
}

// post posts body to the webhook, each attempt within the timeout, up to
// Attempts times, Backoff apart and doubling, while it fails for what may
// pass (no answer, a 5xx, 408, 429); a 2xx is delivered, another answer
// fails at once. Its errors never hold the URL.
func (s *Sender) post(body []byte) error {
	delay := Backoff
	var err error
	for attempt := 1; ; attempt++ {
		var again bool
		again, err = s.attempt(body)
		if err == nil {
			return nil
		}
		if !again || attempt == Attempts {
			if attempt > 1 {
				err = fmt.Errorf("%v (%d attempts)", err, attempt)
			}
			return fmt.Errorf("%s: %w", s.where, err)
		}
		if werr := s.o.Wait(s.ctx, delay); werr != nil {
			return fmt.Errorf("%s: %v (stopped: callboard ended)", s.where, err)
		}
		delay *= 2
	}
}

// attempt posts body once; again says a failure may pass.
func (s *Sender) attempt(body []byte) (again bool, err error) {
	ctx, cancel := s.o.Deadline(s.ctx, s.o.Config.Timeout.Duration)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return false, errors.New("not a URL")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "callboard")
	resp, err := s.o.Client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) { // its text holds the URL
			err = ue.Err
		}
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
			err = fmt.Errorf("no answer within %v", s.o.Config.Timeout.Duration)
		}
		var certificate *tls.CertificateVerificationError
		return !errors.As(err, &certificate), err // a certificate refused stays refused
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		return false, nil
	case code >= 500 || code == http.StatusRequestTimeout || code == http.StatusTooManyRequests:
		return true, fmt.Errorf("HTTP %d", code)
	default:
		return false, fmt.Errorf("HTTP %d", code)
	}
}

// wait is Options.Wait's default.
func wait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
