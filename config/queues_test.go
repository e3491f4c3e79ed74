package config

import (
	"strings"
	"testing"
	"time"
)

func TestQueuesTakeTheirOwnRulesAndLimits(t *testing.T) {
	path := write(t, minimal+`
[service_level]
target = 80
formula = "offered"

[alerts]
available_min = 1

[queues."10"]
name = "Support"
sl_threshold = "20s"
sl_target = 80
sl_formula = "offered"
available_min = 2

[queues.Ventes]
sl_threshold = "10s"
sl_target = 90
hide = false
waiting_max = 5
longest_wait_max = "2m"
abandon_rate_max = 12.5
`, 0o600)
	cfg, _, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ServiceLevel.Target != 80 || cfg.ServiceLevel.Formula != SLOffered || cfg.Alerts.AvailableMin != 1 {
		t.Errorf("defaults = %+v, alerts %+v", cfg.ServiceLevel, cfg.Alerts.QueueLimits)
	}
	support, ventes := cfg.Queues["10"], cfg.Queues["Ventes"]
	if support.Name != "Support" || support.SLThreshold.Duration != 20*time.Second || support.SLFormula != SLOffered || support.AvailableMin != 2 {
		t.Errorf(`queues."10" = %+v`, support)
	}
	if ventes.SLTarget != 90 || ventes.WaitingMax != 5 || ventes.LongestWaitMax.Duration != 2*time.Minute || ventes.AbandonRateMax != 12.5 {
		t.Errorf("queues.Ventes = %+v", ventes)
	}
}

func TestQueueRulesAreChecked(t *testing.T) {
	cases := []struct{ body, want string }{
		{"[service_level]\nformula = \"handled\"\n", `service_level.formula: "handled": want answered, offered or answered_only`},
		{"[service_level]\ntarget = 120\n", "service_level.target: 120: want a percentage"},
		{"[alerts]\nwaiting_max = -1\n", "alerts.waiting_max: -1 cannot be negative"},
		{"[queues.\"10\"]\nsl_formula = \"x\"\n", `queues."10".sl_formula: "x"`},
		{"[queues.\"10\"]\nabandon_rate_max = 101\n", `queues."10".abandon_rate_max: 101`},
		{"[queues.\"10\"]\nname = \" \"\n", `queues."10".name: blank`},
		{"[queues.\"10\"]\nsl_treshold = \"20s\"\n", `did you mean "queues.10.sl_threshold"`},
		{"[thresholds]\nwaiting_wran = 3\n", `did you mean "thresholds.waiting_warn"`},
	}
	for _, c := range cases {
		_, _, err := Load(write(t, minimal+c.body, 0o600))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want it to say %s", c.body, err, c.want)
		}
	}
}
