package cli

import (
	"os"
	"strings"
	"testing"
)

// TestTheReportCountsEachQueueUnderItsRule: with Support "80 % within
// 90 s, ÷ offered" (by name) and queue 20 "90 %, short abandon 1 s" (by
// id), the morning's intervals say each queue's target and formula and
// count its calls under its own threshold and short abandon; the total is
// the queues' terms summed (by_queue); the calls' outcomes follow.
func TestTheReportCountsEachQueueUnderItsRule(t *testing.T) {
	fx := newReportFixture(t)
	f, err := os.OpenFile(fx.config, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.WriteString("[queues.\"Support\"]\nsl_threshold = \"90s\"\nsl_target = 80\nsl_formula = \"offered\"\n[queues.\"20\"]\nshort_abandon = \"1s\"\nsl_target = 90\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	fx.aMorningJournal(t)
	day := []string{"--day", "2025-03-10"}

	intervals := fx.report(t, append(day, "--csv", "intervals")...)
	lines := intervals.lines("interval_start", "queue_id", "short_abandoned", "answered_within_sl", "sl_calls", "service_level_pct", "sl_target_pct", "sl_formula")
	// 09:45: Sales 2 abandoned, none short under 1 s: 0 ÷ 2; Support 1
	// answered in 8 s: 1 ÷ 1; in total 1 ÷ 3. 10:00: Support's call
	// answered in 70 s is within its 90 s: 1 ÷ 1.
	want := strings.Join([]string{
		"2025-03-10T09:45:00+01:00,20,0,0,2,0.0,90.0,answered",
		"2025-03-10T09:45:00+01:00,10,0,1,1,100.0,80.0,offered",
		"2025-03-10T09:45:00+01:00,total,0,1,3,33.3,,by_queue",
		"2025-03-10T10:00:00+01:00,20,0,0,0,,90.0,answered",
		"2025-03-10T10:00:00+01:00,10,0,1,1,100.0,80.0,offered",
		"2025-03-10T10:00:00+01:00,total,0,1,1,100.0,,by_queue",
	}, "\n")
	if got := strings.Join(lines, "\n"); got != want {
		t.Errorf("intervals:\n%s\nwant\n%s", got, want)
	}
	calls := fx.report(t, append(day, "--csv", "calls")...)
	for _, row := range calls.rows {
		if row["id"] == "3" && row["outcome"] != "abandoned" {
			t.Errorf("call 3, left after 2 s with a short abandon of 1 s: %s", row["outcome"])
		}
	}
}

// lines are the table's rows, each its cols' values joined by commas.
func (c csvTable) lines(cols ...string) []string {
	lines := make([]string, 0, len(c.rows))
	for _, row := range c.rows {
		got := make([]string, len(cols))
		for i, col := range cols {
			got[i] = row[col]
		}
		lines = append(lines, strings.Join(got, ","))
	}
	return lines
}
