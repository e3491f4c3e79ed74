package config

import (
	"strings"
	"testing"
	"time"
)

func TestNotifyIsReadWithItsDefaults(t *testing.T) {
	cfg, _, err := Load(write(t, minimal, 0o600))
	if err != nil {
		t.Fatal(err)
	}
	n := cfg.Notify
	if n.On() || n.Timeout.Duration != DefaultNotifyTimeout || n.Cooldown.Duration != DefaultNotifyCooldown || n.Quiet != nil || !n.SendsRule("pause_max") {
		t.Errorf("defaults = %+v", n)
	}
	cfg, _, err = Load(write(t, minimal+`
[notify]
command = ["sh", "-c", "cat >/dev/null", "notify"]
webhook = "https://chat.example/hooks/T0/B0/s3cret?token=abc"
timeout = "5s"
cooldown = "0s"
quiet_hours = "22:00-07:00"
rules = ["available_min", "waiting_max"]
`, 0o600))
	if err != nil {
		t.Fatal(err)
	}
	n = cfg.Notify
	if !n.On() || len(n.Command) != 4 || n.Timeout.Duration != 5*time.Second || n.Cooldown.Duration != 0 || !n.SendsRule("available_min") || n.SendsRule("pause_max") {
		t.Errorf("notify = %+v", n)
	}
	if *n.Quiet != (QuietHours{Start: 22 * 60, End: 7 * 60}) {
		t.Errorf("quiet hours = %+v", *n.Quiet)
	}
	if s := strings.Join([]string{n.Webhook.String(), (&n.Webhook).GoString()}, " "); strings.Contains(s, "s3cret") {
		t.Errorf("the webhook printed: %s", s)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	for at, quiet := range map[string]bool{"21:59": false, "22:00": true, "23:30": true, "00:10": true, "06:59": true, "07:00": false, "12:00": false} {
		h, _ := time.ParseInLocation("2006-01-02 15:04", "2026-12-07 "+at, paris)
		if got := n.Quiet.Contains(h.UTC(), paris); got != quiet {
			t.Errorf("%s quiet = %v, want %v", at, got, quiet)
		}
	}
	day := QuietHours{Start: 12 * 60, End: 14 * 60}
	if h := time.Date(2026, 12, 7, 13, 0, 0, 0, paris); !day.Contains(h, paris) || day.Contains(h.Add(time.Hour), paris) {
		t.Error("a stretch within the day")
	}
}

func TestNotifyIsChecked(t *testing.T) {
	cases := []struct{ body, want string }{
		{"command = \"notify.sh --to ops\"\n", "notify.command"},
		{"command = [\"\"]\n", "notify.command: its first item, the program, is empty"},
		{"command = [\"/nonexistent/notify-chat\"]\n", `notify.command: program "/nonexistent/notify-chat" not found`},
		{"webhook = \"http://chat.example/hook?token=s3cret\"\n", "notify.webhook: http:// to chat.example: want https://"},
		{"webhook = \"ftp://chat.example/s3cret\"\n", `notify.webhook: scheme "ftp": want https://`},
		{"webhook = \"https:///s3cret\"\n", "notify.webhook: no host"},
		{"ca_file = \"/etc/hosts\"\n", "notify.ca_file: set without notify.webhook"},
		{"webhook = \"https://chat.example/s3cret\"\nca_file = \"/nonexistent.pem\"\n", "notify.ca_file: open /nonexistent.pem"},
		{"timeout = \"0s\"\n", "notify.timeout: 0s: want a positive duration"},
		{"quiet_hours = \"22h-7h\"\n", `notify.quiet_hours: "22h-7h": "22h" is not a time of day`},
		{"quiet_hours = \"22:00\"\n", `notify.quiet_hours: "22:00": want HH:MM-HH:MM`},
		{"quiet_hours = \"07:00-07:00\"\n", "starts and ends at the same time"},
		{"rules = [\"available_max\"]\n", `notify.rules: "available_max" is no rule: want some of waiting_max`},
		{"cooldwn = \"5m\"\n", `did you mean "notify.cooldown"`},
	}
	for _, c := range cases {
		_, _, err := Load(write(t, minimal+"[notify]\n"+c.body, 0o600))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want it to say %s", c.body, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%q: the error says the webhook's secret: %v", c.body, err)
		}
	}
	// report and replay, which send nothing, do not look for the program
	if _, _, err := LoadOffline(write(t, minimal+"[notify]\ncommand = [\"/nonexistent/notify-chat\"]\n", 0o600)); err != nil {
		t.Errorf("offline: %v", err)
	}
	// http to this machine is allowed: a relay beside callboard
	if _, _, err := Load(write(t, minimal+"[notify]\nwebhook = \"http://127.0.0.1:8080/hook\"\n", 0o600)); err != nil {
		t.Errorf("loopback http: %v", err)
	}
}
