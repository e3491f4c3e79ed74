package cli

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"callboard/internal/testkit"
)

// TestAScopedSnapshotHoldsItsScopeOnly: `snapshot --demo --queues Ventes`
// holds Ventes (392) and its agents only, and `--groups 391` Support and
// its agents, where the whole demo has more of both.
func TestAScopedSnapshotHoldsItsScopeOnly(t *testing.T) {
	whole := demoSnapshot(t)
	for _, c := range []struct {
		args  []string
		queue string
	}{{[]string{"--queues", "Ventes"}, "392"}, {[]string{"--groups", "391"}, "391"}} {
		snap := demoSnapshot(t, c.args...)
		if len(snap.Queues) != 1 || snap.Queues[0].ID != c.queue {
			t.Errorf("%v: queues %+v, want %s only", c.args, snap.Queues, c.queue)
		}
		if len(snap.Agents) == 0 {
			t.Errorf("%v: no agent", c.args)
		}
		for _, a := range snap.Agents {
			if !slices.Contains(a.Groups, c.queue) {
				t.Errorf("%v: agent %s of groups %v", c.args, a.ID, a.Groups)
			}
		}
		for _, w := range snap.Calls.Waiting {
			if w.QueueID != c.queue {
				t.Errorf("%v: a call waiting in queue %s", c.args, w.QueueID)
			}
		}
		for _, a := range snap.Alerts {
			if a.QueueID != "" && a.QueueID != c.queue {
				t.Errorf("%v: an alert on queue %s", c.args, a.QueueID)
			}
		}
	}
	outside := 0
	for _, a := range whole.Agents {
		if !slices.Contains(a.Groups, "392") {
			outside++
		}
	}
	if len(whole.Queues) < 2 || outside == 0 {
		t.Errorf("the whole demo has %d queues and %d agents outside Ventes: the scope cuts nothing", len(whole.Queues), outside)
	}
}

// TestAScopedReportHoldsItsScopeOnly: `report --groups Support` (10) of
// the morning's journal has Support's calls, agents and intervals only,
// its totals Support's.
func TestAScopedReportHoldsItsScopeOnly(t *testing.T) {
	fx := newReportFixture(t)
	fx.aMorningJournal(t)
	day := []string{"--day", "2025-03-10", "--groups", "Support"}
	var ids []string
	for _, row := range fx.report(t, append(day, "--csv", "calls")...).rows {
		if row["queue_id"] == "20" {
			t.Errorf("Sales' call %s in Support's report", row["id"])
		}
		ids = append(ids, row["id"])
	}
	for _, id := range []string{"1", "4", "6"} {
		if !slices.Contains(ids, id) {
			t.Errorf("Support's call %s missing from its report (calls %v)", id, ids)
		}
	}
	var agents []string
	for _, row := range fx.report(t, append(day, "--csv", "agents")...).rows {
		agents = append(agents, row["agent_id"])
	}
	if !slices.Equal(agents, []string{"1", "2"}) {
		t.Errorf("Support's report has agents %v, want Alice (1) and Bob (2)", agents)
	}
	offered := map[string]string{} // interval → Support's offered
	for _, row := range fx.report(t, append(day, "--csv", "intervals")...).rows {
		switch row["queue_id"] {
		case "10":
			offered[row["interval_start"]] = row["offered"]
		case "total":
			if row["offered"] != offered[row["interval_start"]] && !(offered[row["interval_start"]] == "" && row["offered"] == "0") {
				t.Errorf("interval %s: total offered %s, Support's %q", row["interval_start"], row["offered"], offered[row["interval_start"]])
			}
		default:
			t.Errorf("queue %s in Support's intervals", row["queue_id"])
		}
	}
	if len(offered) == 0 {
		t.Error("no Support row in its intervals")
	}
}

// TestScopedMetricsNameTheirScope: `callboard metrics --demo --queues
// Ventes` serves, as Prometheus reads it, Ventes' queue only, every series
// labelled scope="queues=Ventes", and callboard_scope_info saying it
// matched 392.
func TestScopedMetricsNameTheirScope(t *testing.T) {
	bin := testkit.Binary(t)
	cfg := filepath.Join(t.TempDir(), "rules.toml")
	if err := os.WriteFile(cfg, []byte("[axialys]\nurl = \"https://callboard.invalid\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := startMetrics(t, bin, cfg, "--demo", "--no-journal", "--queues", "Ventes")
	var page string
	testkit.Eventually(t, "the page of the demo's Ventes", func() bool {
		page = p.page(t)
		return strings.Contains(page, "callboard_queue_calls_waiting{")
	}, func() string { return page + p.stderr.String() })
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(page))
	if err != nil {
		t.Fatalf("the page does not parse: %v\n%s", err, page)
	}
	info := false
	for name, f := range families {
		for _, m := range f.Metric {
			labels := map[string]string{}
			for _, l := range m.Label {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["scope"] != "queues=Ventes" {
				t.Errorf("%s%v: not scope=\"queues=Ventes\"", name, labels)
			}
			if id, ok := labels["queue_id"]; ok && id != "392" && id != "" {
				t.Errorf("%s%v: a queue outside Ventes", name, labels)
			}
			if name == "callboard_scope_info" {
				info = labels["queue_ids"] == "392" && labels["unmatched"] == "" && m.GetGauge().GetValue() == 1
			}
		}
	}
	if !info {
		t.Errorf("no callboard_scope_info{queue_ids=\"392\"} 1 on the page:\n%s", page)
	}
}

// TestAScopedBoardWritesNothingOutsideItsScope: the board of `--demo
// --queues Ventes`, every tab shown in a wide terminal and the wall, says
// its scope in the header and never writes the name of another queue (or
// a trunk, which no scope holds) to its terminal.
func TestAScopedBoardWritesNothingOutsideItsScope(t *testing.T) {
	bin := testkit.Binary(t)
	term := startInTerminal(t, 160, 45, bin, "--demo", "--no-journal", "--queues", "Ventes")
	term.screen.waitFor(t, "scope: Ventes")
	term.screen.waitFor(t, "live")
	for _, k := range []struct{ key, drawn string }{
		{"2", "[Agents]"}, {"3", "[Queues]"}, {"4", "[Calls]"}, {"5", "[Trunks]"}, {"6", "[Events]"},
		{"8", "[Alerts]"}, {"7", "[Day]"}, {"w", "WAITING"}, {"w", "[Day]"},
	} {
		offset := len(term.screen.String())
		io.WriteString(term.ptmx, k.key)
		term.screen.waitSince(t, offset, k.drawn)
	}
	io.WriteString(term.ptmx, "q")
	if err := testkit.Receive(t, "the board's end", waitFor(term.cmd)); err != nil {
		t.Errorf("the board ended with %v", err)
	}
	term.tty.Close()
	<-term.copied
	out := strings.ReplaceAll(term.screen.String(), "VIP rate", "") // the Calls tab's column
	for _, outside := range []string{"Support", "Facturation", "VIP", "Standard Paris", "Accueil Lyon", "Astreinte"} {
		if i := strings.Index(out, outside); i >= 0 {
			t.Errorf("Ventes' board wrote %q: …%q…", outside, out[max(i-200, 0):min(i+100, len(out))])
		}
	}
}

// waitFor is cmd's end, on a channel.
func waitFor(cmd interface{ Wait() error }) <-chan error {
	ended := make(chan error, 1)
	go func() { ended <- cmd.Wait() }()
	return ended
}
