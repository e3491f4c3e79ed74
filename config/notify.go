package config

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"os/exec"
	"slices"
	"strings"
	"time"
)

// Notify is [notify]: the alerts sent out of the board, each raise and
// each clear, to a command and/or a webhook (package notify sends them).
type Notify struct {
	// Command is a program and its arguments (a list, never a shell
	// string), run once per raise or clear with the change as one JSON
	// document on its standard input.
	Command []string `toml:"command"`
	// Webhook is an https:// URL the same JSON is POSTed to (http:// to a
	// loopback address only: a relay on the same machine). Its path and
	// query often hold the chat's token: it never prints.
	Webhook Secret `toml:"webhook"`
	// CAFile adds certificate authorities (PEM) for the webhook's server.
	CAFile string `toml:"ca_file"`
	// Timeout bounds one run of the command, and each attempt of the
	// webhook (default DefaultNotifyTimeout).
	Timeout Duration `toml:"timeout"`
	// Cooldown: a raise of the same rule and subject less than Cooldown
	// after the last one sent waits for its end, sent then if still raised
	// (and its clear after), else neither (default DefaultNotifyCooldown;
	// "0s" sends every one).
	Cooldown Duration `toml:"cooldown"`
	// QuietHours is "HH:MM-HH:MM" in the display timezone (it may span
	// midnight): nothing is sent then; a raise then still raised at their
	// end is sent then, a clear then never.
	QuietHours string `toml:"quiet_hours"`
	// Rules are the rules sent (NotifyRules' names); empty: all.
	Rules []string `toml:"rules"`

	// Quiet is QuietHours read; nil when none.
	Quiet *QuietHours `toml:"-"`
}

// [notify]'s defaults.
const (
	DefaultNotifyTimeout  = 10 * time.Second
	DefaultNotifyCooldown = 10 * time.Minute
)

func defaultNotify() Notify {
	return Notify{Timeout: Duration{DefaultNotifyTimeout}, Cooldown: Duration{DefaultNotifyCooldown}}
}

// NotifyRules are the alert rules [notify] rules may name: the keys of the
// limits that raise them ([alerts], [queues."<id>"]).
var NotifyRules = []string{
	"waiting_max", "longest_wait_max", "available_min", "logged_in_min", "abandon_rate_max",
	"pause_max", "call_max", "ringing_max", "unavailable_max",
}

// QuietHours is a stretch of each day, from Start to End minutes after
// midnight (End before Start: it spans midnight).
type QuietHours struct{ Start, End int }

// Contains reports whether t, in loc, falls in the quiet hours (Start
// included, End not).
func (q *QuietHours) Contains(t time.Time, loc *time.Location) bool {
	if q == nil {
		return false
	}
	t = t.In(loc)
	m := t.Hour()*60 + t.Minute()
	if q.Start < q.End {
		return m >= q.Start && m < q.End
	}
	return m >= q.Start || m < q.End
}

// On reports whether anything is to be sent: a command or a webhook.
func (n Notify) On() bool { return len(n.Command) > 0 || n.Webhook != "" }

// WebhookTLS is the webhook's TLS settings: the system's certificate
// authorities, plus those of CAFile. Nil when there is nothing to change.
func (n Notify) WebhookTLS() (*tls.Config, error) { return caTLSConfig(n.CAFile) }

// SendsRule reports whether rule is one Rules chooses (all when empty).
func (n Notify) SendsRule(rule string) bool {
	return len(n.Rules) == 0 || slices.Contains(n.Rules, rule)
}

// validate checks [notify]; live, for a command that runs the board (not
// report, replay or the demo, which send nothing), the command's program
// must be there too.
func (n *Notify) validate(live bool) error {
	if len(n.Command) > 0 {
		if strings.TrimSpace(n.Command[0]) == "" {
			return fmt.Errorf("notify.command: its first item, the program, is empty")
		}
		if _, err := exec.LookPath(n.Command[0]); err != nil && live {
			return fmt.Errorf("notify.command: program %q not found or not executable (give a path, or a name on PATH)", n.Command[0])
		}
	}
	if n.Webhook != "" {
		if err := validWebhook(string(n.Webhook)); err != nil {
			return err
		}
	}
	if n.CAFile != "" {
		if n.Webhook == "" {
			return fmt.Errorf("notify.ca_file: set without notify.webhook (it is the webhook's)")
		}
		if _, err := n.WebhookTLS(); err != nil {
			return fmt.Errorf("notify.ca_file: %v", err)
		}
	}
	if n.Timeout.Duration <= 0 {
		return fmt.Errorf("notify.timeout: %v: want a positive duration (default %v)", n.Timeout.Duration, DefaultNotifyTimeout)
	}
	if n.QuietHours != "" {
		q, err := parseQuietHours(n.QuietHours)
		if err != nil {
			return fmt.Errorf("notify.quiet_hours: %q: %v", n.QuietHours, err)
		}
		n.Quiet = q
	}
	for _, r := range n.Rules {
		if !slices.Contains(NotifyRules, r) {
			return fmt.Errorf("notify.rules: %q is no rule: want some of %s", r, strings.Join(NotifyRules, ", "))
		}
	}
	return nil
}

// validWebhook checks the webhook's URL without ever saying it whole:
// its path and query may hold a token.
func validWebhook(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("notify.webhook: not a URL")
	}
	if u.Host == "" {
		return fmt.Errorf("notify.webhook: no host: want https://host/path")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); (ip != nil && ip.IsLoopback()) || host == "localhost" {
			return nil
		}
		return fmt.Errorf("notify.webhook: http:// to %s: want https:// (plain http only to a loopback address, a relay on this machine)", host)
	}
	return fmt.Errorf("notify.webhook: scheme %q: want https://", u.Scheme)
}

// parseQuietHours reads "HH:MM-HH:MM".
func parseQuietHours(s string) (*QuietHours, error) {
	from, to, ok := strings.Cut(strings.ReplaceAll(s, " ", ""), "-")
	if !ok {
		return nil, fmt.Errorf("want HH:MM-HH:MM in the display timezone, e.g. \"22:00-07:00\"")
	}
	start, err := minuteOfDay(from)
	if err != nil {
		return nil, err
	}
	end, err := minuteOfDay(to)
	if err != nil {
		return nil, err
	}
	if start == end {
		return nil, fmt.Errorf("it starts and ends at the same time: leave it out for none")
	}
	return &QuietHours{Start: start, End: end}, nil
}

func minuteOfDay(hm string) (int, error) {
	t, err := time.Parse("15:04", hm)
	if err != nil {
		return 0, fmt.Errorf("%q is not a time of day: want HH:MM-HH:MM, e.g. \"22:00-07:00\"", hm)
	}
	return t.Hour()*60 + t.Minute(), nil
}
