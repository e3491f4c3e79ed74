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
	"cmp"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"callboard/config"
	"callboard/feed"
	"callboard/state"
)

// Options are what a Sender is handed. Zero fields take their defaults.
type Options struct {
	Config   config.Notify
	Location *time.Location // the display timezone: quiet hours, the times of the text; nil = time.Local
	Board    string         // the board's title, in every message
	Account  string         // the login the board reads as; "" for none
	// Client posts to the webhook; nil = the service's kind of client
	// (feed.NewHTTPClient: the environment's proxy) with the webhook's
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
	// Now is the time a delivery failed, for the Events tab; nil =
	// time.Now. Tests pass their own.
	Now func() time.Time
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
	held    map[state.AlertKey]hold      // raised and not sent (yet): its clear is not sent either

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
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Sender{o: o, queue: make(chan Message, o.QueueSize), done: make(chan struct{}),
		sent: map[state.AlertKey]time.Time{}, held: map[state.AlertKey]hold{}}
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
			// through the proxy the environment names, as the service's
			// requests go; each attempt has its own deadline (Timeout)
			s.o.Client = feed.NewHTTPClient(tlsConfig, feed.ProxyFromEnvironment())
			s.o.Client.Timeout = 0
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
//     first view after it sends nothing: the changes it holds were
//     replayed, made by an earlier run that sent them. They are chosen
//     again (choose, release) to rebuild what that run sent and held, up
//     to the view's time.
//   - While this process does not write the journal (Journal.Writing
//     unset: another process does, and sends) its changes are passed over
//     too; should it take the journal over, it sends from there, its
//     first view as writing rebuilding the records as after a replay.
//   - The raises held by the cooldown or the quiet hours whose time came
//     are sent (release), at each change's time and at the view's (AsOf:
//     the board's time), while their alert is still raised.
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
	if !v.Journal.Writing {
		s.started, s.seq = false, newest
		return
	}
	send := s.started
	if !send {
		// the first view after the replay, or taking the journal over:
		// its changes were the writer's, who sent what was to be sent.
		// They are chosen again, sending nothing, so that the records
		// (what was sent, what held) are the writer's: a clear of a raise
		// held is not sent, the cooldown goes on.
		s.started, s.seq = true, 0
		s.sent, s.held = map[state.AlertKey]time.Time{}, map[state.AlertKey]hold{}
	}
	for _, c := range v.AlertChanges {
		if c.Seq <= s.seq {
			continue
		}
		lost := c.Seq - s.seq - 1
		s.seq = c.Seq
		s.release(c.At, nil, send)
		ok := s.choose(c, send)
		if !send {
			continue
		}
		s.mu.Lock()
		s.health.Dropped += int(lost)
		if !ok {
			s.health.Held++
		} else if !s.enqueue(s.message(c)) {
			s.health.Dropped++
		}
		s.mu.Unlock()
	}
	s.release(v.AsOf, v.Alerts, send)
	s.prune(v.AsOf, v.Alerts)
}

// enqueue puts m in the queue unless it is full or the
// sender closed; mu is held.
func (s *Sender) enqueue(m Message) bool {
	if s.closed {
		return false
	}
	select {
	case s.queue <- m:
		return true
	default:
		return false
	}
}

// hold is a raise held: its change, and when it is to be sent if its
// alert is still raised then (zero: never, its rule is not sent).
// counted says it is counted in the health's Held (not when the records
// were rebuilt).
type hold struct {
	raise   state.AlertChange
	release time.Time
	counted bool
}

// choose reports whether c is to be sent now by [notify]'s rules:
//
//   - a raise of a rule not chosen (rules) is held: neither it nor its
//     clear is sent, nor later;
//   - a raise in the quiet hours, or less than cooldown after the last
//     raise of the same rule and subject sent, is held until the cooldown
//     and the quiet hours end: should the alert still be raised then, the
//     raise is sent then (release), and its clear when it comes; should it
//     clear before, neither is sent;
//   - a clear is sent unless its raise is held, or it comes in the quiet
//     hours (an alert raised before them that clears during them is not
//     said cleared). A clear whose raise this process did not see (raised
//     before it started) is sent: the process that wrote the journal then
//     sent the raise.
//
// Times are the board's (the change's At), the quiet hours in the display
// timezone.
func (s *Sender) choose(c state.AlertChange, counted bool) bool {
	cfg, key := s.o.Config, c.Alert.AlertKey
	quiet := cfg.Quiet.Contains(c.At, s.o.Location)
	if !c.Raised {
		if _, held := s.held[key]; held {
			delete(s.held, key)
			return false
		}
		return cfg.SendsRule(key.Rule) && !quiet
	}
	if !cfg.SendsRule(key.Rule) {
		s.held[key] = hold{raise: c, counted: counted}
		return false
	}
	when := c.At
	if last, ok := s.sent[key]; ok && cfg.Cooldown.Duration > 0 && when.Sub(last) < cfg.Cooldown.Duration {
		when = last.Add(cfg.Cooldown.Duration)
	}
	if cfg.Quiet.Contains(when, s.o.Location) {
		when = quietEnd(cfg.Quiet, when, s.o.Location)
	}
	if when.After(c.At) {
		s.held[key] = hold{raise: c, release: when, counted: counted}
		return false
	}
	delete(s.held, key)
	s.sent[key] = c.At
	return true
}

// quietEnd is the end of the quiet hours q that t falls in.
func quietEnd(q *config.QuietHours, t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	y, m, d := t.Date()
	end := time.Date(y, m, d, q.End/60, q.End%60, 0, 0, loc)
	if !end.After(t) {
		end = time.Date(y, m, d+1, q.End/60, q.End%60, 0, 0, loc)
	}
	return end
}

// release sends the raises held whose time came by now, their alerts
// still raised (their clears not seen yet; active, when not nil, the
// alerts raised now, with their figures now), in the order they come due;
// sent is then their time due, so that a replay that rebuilds the records
// (send false) finds the same. A raise sent this way says its figure now.
func (s *Sender) release(now time.Time, active []state.Alert, send bool) {
	var due []hold
	for _, h := range s.held {
		if !h.release.IsZero() && !h.release.After(now) {
			due = append(due, h)
		}
	}
	slices.SortFunc(due, func(a, b hold) int {
		if c := a.release.Compare(b.release); c != 0 {
			return c
		}
		return cmp.Compare(a.raise.Seq, b.raise.Seq)
	})
	for _, h := range due {
		key := h.raise.Alert.AlertKey
		c := h.raise
		if active != nil {
			a, ok := find(active, key, c.Alert.Since)
			if !ok {
				continue // cleared, its clear lost: prune drops it
			}
			c.Alert = a
		}
		delete(s.held, key)
		s.sent[key] = h.release
		if !send {
			continue
		}
		m := s.message(c)
		m.Text += ", still at " + h.release.In(s.o.Location).Format("15:04:05")
		s.mu.Lock()
		if h.counted {
			s.health.Held--
		}
		if !s.enqueue(m) {
			s.health.Dropped++
		}
		s.mu.Unlock()
	}
}

// find is key's alert raised at since among active.
func find(active []state.Alert, key state.AlertKey, since time.Time) (state.Alert, bool) {
	for _, a := range active {
		if a.AlertKey == key && a.Since.Equal(since) {
			return a, true
		}
	}
	return state.Alert{}, false
}

// prune forgets what no longer counts at now: the raises sent more than a
// cooldown ago, the raises held whose alert is no longer raised (active:
// the alerts raised now; their clear came or the ring let it go).
func (s *Sender) prune(now time.Time, active []state.Alert) {
	cooldown := s.o.Config.Cooldown.Duration
	for key, at := range s.sent {
		if now.Sub(at) >= cooldown {
			delete(s.sent, key)
		}
	}
	for key, h := range s.held {
		if _, ok := find(active, key, h.raise.Alert.Since); !ok {
			delete(s.held, key)
		}
	}
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
	s.health.LastFailure, s.health.LastFailureAt = what, s.o.Now() // when it failed, not when the alert changed
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
