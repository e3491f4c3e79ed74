package config

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func write(t *testing.T, body string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	return path
}

const minimal = `
[axialys]
login = "sup"
password_env = "CALLBOARD_TEST_PASSWORD"
`

func TestExampleFileIsValid(t *testing.T) {
	cfg, warnings, err := Load("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings: %v", warnings)
	}
	if cfg.Axialys.URL != "https://voice-management.axialys.com" || cfg.Axialys.SocketIOPath != "/socket.io/" || cfg.Axialys.PasswordEnv != "CALLBOARD_PASSWORD" {
		t.Errorf("axialys = %+v", cfg.Axialys)
	}
}

func TestDefaults(t *testing.T) {
	cfg, _, err := Load(write(t, minimal, 0o600))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ServiceLevel.Threshold.Duration != 20*time.Second || cfg.ServiceLevel.ShortAbandon.Duration != 5*time.Second {
		t.Errorf("service level = %+v", cfg.ServiceLevel)
	}
	if cfg.Display.CallerID != CallerMask || cfg.Display.Location != time.Local || cfg.Display.Country != "FR" {
		t.Errorf("display = %+v", cfg.Display)
	}
	if len(cfg.Pauses.ResumeIDs) != 1 || cfg.Pauses.ResumeIDs[0] != "" {
		t.Errorf("resume ids = %q", cfg.Pauses.ResumeIDs)
	}
	if cfg.Report.Interval.Duration != 30*time.Minute {
		t.Errorf("report interval %v, want 30m", cfg.Report.Interval)
	}
	if cfg.Journal.KeepDays != 14 || cfg.Journal.Dir != "" {
		t.Errorf("journal = %+v, want 14 days kept in the default place", cfg.Journal)
	}
}

func TestErrorsNameFileKeyAndProblem(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"unknown key", minimal + "pasword = \"x\"\n", []string{"unknown key", "axialys.pasword"}},
		{"bad url", strings.Replace(minimal, "[axialys]", "[axialys]\nurl = \"ftp://x\"", 1), []string{"axialys.url", "ftp://x"}},
		{"no login", "[axialys]\npassword_env = \"X\"\n", []string{"axialys.login", "missing"}},
		{"two password sources", minimal + "password_command = \"echo x\"\n", []string{"only one of"}},
		{"bad duration", minimal + "[service_level]\nthreshold = \"twenty\"\n", []string{"service_level.threshold", "not a duration"}},
		{"bad timezone", minimal + "[display]\ntimezone = \"Mars/Olympus\"\n", []string{"display.timezone", "Mars/Olympus"}},
		{"unknown country", minimal + "[display]\ncountry = \"XX\"\n", []string{"display.country", `"XX"`, "not a region"}},
		{"no country", minimal + "[display]\ncountry = \"\"\n", []string{"display.country", `""`, "not a region"}},
		{"bad caller mode", minimal + "[display]\ncaller_id = \"some\"\n", []string{"display.caller_id", "mask, full or hide"}},
		{"wrong type", minimal + "[pauses]\nresume_ids = 3\n", []string{"pauses.resume_ids"}},
		{"syntax", "[axialys\n", []string{"line 2", "table name"}},
		{"no days kept", minimal + "[journal]\nkeep_days = 0\n", []string{"journal.keep_days", "1 or more"}},
		{"odd interval", minimal + "[report]\ninterval = \"20m\"\n", []string{"report.interval", "15m, 30m or 60m"}},
		{"bad limit", minimal + "[alerts]\npause_max = { \"Déjeuner\" = \"an hour\" }\n", []string{"alerts.pause_max", "not a duration"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := write(t, c.body, 0o600)
			_, _, err := Load(path)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range append([]string{path}, c.want...) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestMissingFile(t *testing.T) {
	_, _, err := Load(filepath.Join(t.TempDir(), "nope.toml"))
	if err == nil || !strings.Contains(err.Error(), "nope.toml: no such file") {
		t.Errorf("err = %v", err)
	}
}

func TestPasswordInReadableFileWarns(t *testing.T) {
	body := "[axialys]\nlogin = \"x\"\npassword = \"hunter2\"\n"
	_, warnings, err := Load(write(t, body, 0o644))
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "chmod 600") {
		t.Errorf("warnings = %q", warnings)
	}
	if strings.Contains(strings.Join(warnings, ""), "hunter2") {
		t.Error("the warning shows the password")
	}
	_, warnings, _ = Load(write(t, body, 0o600))
	if len(warnings) != 0 {
		t.Errorf("a private file warns: %q", warnings)
	}
}

func TestPasswordSources(t *testing.T) {
	t.Setenv("CALLBOARD_TEST_PASSWORD", "from-env")
	cases := []struct {
		a       Axialys
		want    string
		wantErr string
	}{
		{Axialys{PasswordEnv: "CALLBOARD_TEST_PASSWORD"}, "from-env", ""},
		{Axialys{PasswordEnv: "CALLBOARD_TEST_UNSET"}, "", "CALLBOARD_TEST_UNSET"},
		{Axialys{PasswordCommand: "printf 'from-cmd\\n'"}, "from-cmd", ""},
		{Axialys{PasswordCommand: "echo secret-out; echo oops >&2; exit 3"}, "", "failed: exit status 3"},
		{Axialys{Password: "in-file"}, "in-file", ""},
	}
	for _, c := range cases {
		got, err := c.a.PasswordFunc()(context.Background())
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%+v: err = %v, want %q", c.a, err, c.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "secret-out") {
				t.Errorf("the command's standard output leaks into the error: %v", err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%+v: got %q, %v; want %q", c.a, got, err, c.want)
		}
	}
}

func TestSecretNeverPrints(t *testing.T) {
	cfg := Axialys{Password: "hunter2"}
	for _, s := range []string{fmtV(cfg), fmtPlusV(cfg), fmtSharpV(cfg)} {
		if strings.Contains(s, "hunter2") {
			t.Errorf("printed: %s", s)
		}
	}
}

func TestProtocolAndCAFile(t *testing.T) {
	cfg, _, err := Load(write(t, minimal, 0o600))
	if err != nil || cfg.Axialys.Protocol != "auto" {
		t.Fatalf("default protocol %q, %v", cfg.Axialys.Protocol, err)
	}
	for _, c := range []struct{ body, want string }{
		{minimal + "protocol = \"v3\"\n", "axialys.protocol"},
		{minimal + "ca_file = \"/nonexistent.pem\"\n", "axialys.ca_file"},
	} {
		if _, _, err := Load(write(t, c.body, 0o600)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err %v, want %q", c.body, err, c.want)
		}
	}
	notPEM := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(notPEM, []byte("hello"), 0o600)
	if _, _, err := Load(write(t, minimal+"ca_file = \""+notPEM+"\"\n", 0o600)); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Errorf("not a PEM file: %v", err)
	}
}

func TestThresholds(t *testing.T) {
	body := minimal + `
[thresholds]
waiting_warn = 3
waiting_critical = 6
longest_wait_warn = "30s"
service_level_warn = 80
service_level_critical = 60
bell = true

[thresholds.queues."391"]
waiting_warn = 1
`
	cfg, _, err := Load(write(t, body, 0o600))
	if err != nil {
		t.Fatal(err)
	}
	th := cfg.Thresholds
	if th.WaitingWarn != 3 || th.WaitingCritical != 6 || th.LongestWaitWarn.Duration != 30*time.Second || th.ServiceLevelCritical != 60 || !th.Bell {
		t.Errorf("thresholds %+v", th)
	}
	if q := th.Queues["391"]; q.WaitingWarn != 1 {
		t.Errorf("queue 391 %+v", q)
	}
	for _, c := range []struct{ body, want string }{
		{minimal + "[thresholds]\nwaiting_warn = 5\nwaiting_critical = 2\n", "thresholds.waiting_critical"},
		{minimal + "[thresholds]\nservice_level_warn = 60\nservice_level_critical = 80\n", "service_level_critical"},
		{minimal + "[thresholds]\nservice_level_warn = 180\n", "from 0 to 100"},
		{minimal + "[thresholds.queues.\"7\"]\nlongest_wait_warn = \"2m\"\nlongest_wait_critical = \"1m\"\n", `thresholds.queues."7".longest_wait_critical`},
	} {
		if _, _, err := Load(write(t, c.body, 0o600)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err %v, want %q", c.body, err, c.want)
		}
	}
}

func TestServe(t *testing.T) {
	cfg, _, err := Load(write(t, minimal, 0o600))
	if err != nil {
		t.Fatal(err)
	}
	if s := cfg.Serve; s.SSHListen != "127.0.0.1:2222" || s.MaxSessions != 50 || s.IdleTimeout.Duration != 0 || s.AuthorizedKeys != "" || s.HostKey != "" ||
		s.LoginGrace.Duration != 30*time.Second || s.MaxStartups != 100 {
		t.Errorf("serve defaults = %+v", s)
	}
	cfg, _, err = Load(write(t, minimal+"[serve]\nssh_listen = \"0.0.0.0:22\"\nauthorized_keys = \"/etc/k\"\nhost_key = \"/var/lib/h\"\nmax_sessions = 3\nidle_timeout = \"1h\"\nlogin_grace = \"10s\"\nmax_startups = 20\n", 0o600))
	if err != nil {
		t.Fatal(err)
	}
	if s := cfg.Serve; s.SSHListen != "0.0.0.0:22" || s.MaxSessions != 3 || s.IdleTimeout.Duration != time.Hour || s.AuthorizedKeys != "/etc/k" || s.HostKey != "/var/lib/h" ||
		s.LoginGrace.Duration != 10*time.Second || s.MaxStartups != 20 {
		t.Errorf("serve = %+v", s)
	}
	for body, want := range map[string]string{
		"[serve]\nssh_listen = \"2222\"\n":  "serve.ssh_listen",
		"[serve]\nmax_sessions = 0\n":       "serve.max_sessions",
		"[serve]\nidle_timeout = \"-1s\"\n": "serve.idle_timeout",
		"[serve]\nlogin_grace = \"0s\"\n":   "serve.login_grace",
		"[serve]\nlogin_grace = \"-5s\"\n":  "serve.login_grace",
		"[serve]\nmax_startups = 0\n":       "serve.max_startups",
		"[serve]\nmax_startups = -3\n":      "serve.max_startups",
	} {
		if _, _, err := Load(write(t, minimal+body, 0o600)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want %s", body, err, want)
		}
	}
	t.Setenv("XDG_STATE_HOME", "/st")
	t.Setenv("XDG_CONFIG_HOME", "/cf")
	if p, _ := DefaultHostKey(); p != "/st/callboard/ssh_host_ed25519_key" {
		t.Errorf("host key %q", p)
	}
	if p, _ := DefaultAuthorizedKeys(); p != "/cf/callboard/authorized_keys" {
		t.Errorf("authorized keys %q", p)
	}
}

// TestPasswordEnvDefaultsToCallboardPassword: a configuration that names
// no password source takes it from CALLBOARD_PASSWORD, as the README says;
// one that names a source keeps it.
func TestPasswordEnvDefaultsToCallboardPassword(t *testing.T) {
	cfg, _, err := Load(write(t, "[axialys]\nlogin = \"x\"\n", 0o600))
	if err != nil {
		t.Fatal(err)
	}
	if a := cfg.Axialys; a.PasswordEnv != "CALLBOARD_PASSWORD" || a.PasswordCommand != "" || a.Password != "" {
		t.Errorf("no source named: %+v, want password_env CALLBOARD_PASSWORD", a)
	}
	cfg, _, err = Load(write(t, "[axialys]\nlogin = \"x\"\npassword_command = \"echo x\"\n", 0o600))
	if err != nil {
		t.Fatal(err)
	}
	if a := cfg.Axialys; a.PasswordEnv != "" || a.PasswordCommand != "echo x" {
		t.Errorf("password_command named: %+v, want it alone", a)
	}
}

// TestUnknownKeysSayTheKeyMeant: a key or a table a letter or two off a
// known one is named with the key meant; one far from any is not.
func TestUnknownKeysSayTheKeyMeant(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{minimal + "pasword = \"x\"\n", `unknown key "axialys.pasword": did you mean "axialys.password"?`},
		{minimal + "[dispaly]\ntimezone = \"UTC\"\n", `unknown key "dispaly": did you mean "display"?`},
		{minimal + "[display]\ntimezon = \"UTC\"\n", `unknown key "display.timezon": did you mean "display.timezone"?`},
		{minimal + "[thresholds.queues.\"391\"]\nwaiting_wran = 3\n", `did you mean "thresholds.queues.391.waiting_warn"?`},
		{minimal + "[display]\ncolour_scheme = \"dark\"\n", `unknown key "display.colour_scheme"`},
	} {
		_, _, err := Load(write(t, c.body, 0o600))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.body, err, c.want)
		}
		if strings.HasSuffix(c.want, `colour_scheme"`) && err != nil && strings.Contains(err.Error(), "did you mean") {
			t.Errorf("%q: %v: a key far from any is given one", c.body, err)
		}
	}
}
