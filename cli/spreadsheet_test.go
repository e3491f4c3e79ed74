package cli

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// spreadsheetCSV is `report` with args as a spreadsheet reads it: the
// byte-order mark said (and taken off) when there is one, the fields cut
// at comma.
func spreadsheetCSV(t *testing.T, fx reportFixture, comma rune, bom bool, args ...string) csvTable {
	t.Helper()
	code, out, errs := runCommand(append([]string{"report", "--config", fx.config, "--day", "2025-03-10"}, args...)...)
	if code != exitOK {
		t.Fatalf("report %v: exit %d: %s", args, code, errs)
	}
	marked := strings.HasPrefix(out, byteOrderMark)
	if marked != bom || strings.Count(out, byteOrderMark) > 1 {
		t.Errorf("report %v: byte-order mark first %v, %d in all; want first %v, once at most", args, marked, strings.Count(out, byteOrderMark), bom)
	}
	return readCSV(t, strings.TrimPrefix(out, byteOrderMark), comma)
}

// decimalColumns are the columns with decimal figures: those of
// intervals.
var decimalColumns = []string{"service_level_pct", "asa_s", "agents_logged_in", "agents_reachable", "agents_paused"}

// TestReportForASpreadsheet: --excel writes the byte-order mark, ';' and
// decimal commas, read back by a CSV reader as a French spreadsheet reads
// it: accents of a pause reason's column kept, every decimal figure with
// a comma that parses to the default report's, everything else as in the
// default report; the calls' reached column is the snapshot's for the
// same calls. --sep tab and --bom alone likewise.
func TestReportForASpreadsheet(t *testing.T) {
	fx := newReportFixture(t)
	start := time.Date(2025, 3, 10, 9, 50, 0, 0, fx.loc)
	calledBack := step{17*time.Minute + 30*time.Second, "operator", "status", `{"id_operator":2,"status":"calling","id_call":-8,"id_queue":0,"caller_id_num":"33622222222"}`}
	dayFile := fx.writeJournal(t, start, start.Add(18*time.Minute), append(connected(start), events(t, start, append(slices.Clone(aMorning), calledBack))...))
	snap := replaySnapshotOf(t, dayFile, fx.config)

	for _, c := range []struct {
		args  []string
		comma rune
		bom   bool
		mark  string // the decimal mark
	}{
		{[]string{"--excel"}, ';', true, ","},
		{[]string{"--excel", "--sep", "tab"}, '\t', true, ","},
		{[]string{"--excel", "--sep", `\t`}, '\t', true, ","},
		{[]string{"--bom"}, ',', true, "."},
		{[]string{"--sep", ";", "--decimal", ","}, ';', false, ","},
		{[]string{"--excel", "--sep", ",", "--decimal", "."}, ',', true, "."},
		{[]string{"--excel", "--bom=false"}, ';', false, ","},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			table := func(what string) csvTable {
				return spreadsheetCSV(t, fx, c.comma, c.bom, append([]string{"--csv", what}, c.args...)...)
			}

			agents, plainAgents := table("agents"), fx.report(t, "--day", "2025-03-10", "--csv", "agents")
			if !slices.Contains(agents.header, "paused_Déjeuner_s") || !slices.Equal(agents.header, plainAgents.header) {
				t.Errorf("agents header %q, want the default's %q, paused_Déjeuner_s in it", agents.header, plainAgents.header)
			}
			sameRows(t, "agents", agents, plainAgents, nil)

			intervals, plainIntervals := table("intervals"), fx.report(t, "--day", "2025-03-10", "--csv", "intervals")
			sameRows(t, "intervals", intervals, plainIntervals, decimalColumns)
			marked := 0
			for i, row := range intervals.rows {
				for _, col := range decimalColumns {
					got, plain := row[col], plainIntervals.rows[i][col]
					if got == "" && plain == "" {
						continue
					}
					other := map[string]string{",": ".", ".": ","}[c.mark]
					if strings.Contains(got, other) || !strings.Contains(got, c.mark) {
						t.Errorf("intervals row %d: %s %q, want a decimal %q", i+1, col, got, c.mark)
						continue
					}
					marked++
					x, err := strconv.ParseFloat(strings.Replace(got, c.mark, ".", 1), 64)
					if want, _ := strconv.ParseFloat(plain, 64); err != nil || x != want {
						t.Errorf("intervals row %d: %s %q reads %v (%v), the default report %q", i+1, col, got, x, err, plain)
					}
				}
			}
			if marked == 0 {
				t.Error("no decimal figure in the intervals: the decimal mark is not checked")
			}

			calls, plainCalls := table("calls"), fx.report(t, "--day", "2025-03-10", "--csv", "calls")
			sameRows(t, "calls", calls, plainCalls, nil)
			reached := map[string]string{}
			for _, row := range calls.rows {
				reached[row["queue_id"]+"/"+row["id"]] = row["reached"]
			}
			some := false
			for _, a := range snap.Calls.Abandoned {
				want := ""
				if a.Reached != nil {
					want, some = string(*a.Reached), true
				}
				if got, ok := reached[a.QueueID+"/"+a.ID]; !ok || got != want {
					t.Errorf("abandoned call %s: reached %q, the snapshot %q", a.ID, got, want)
				}
			}
			if !some || len(snap.Calls.Abandoned) < 2 {
				t.Errorf("%d abandoned calls, reached ones among them %v: the reached column is not checked", len(snap.Calls.Abandoned), some)
			}
		})
	}
}

// sameRows checks that got has the rows of want, column for column, but
// for the columns skipped.
func sameRows(t *testing.T, what string, got, want csvTable, skip []string) {
	t.Helper()
	if len(got.rows) != len(want.rows) || len(got.rows) == 0 {
		t.Fatalf("%s: %d rows, the default report %d", what, len(got.rows), len(want.rows))
	}
	for i := range got.rows {
		for _, col := range want.header {
			if !slices.Contains(skip, col) && got.rows[i][col] != want.rows[i][col] {
				t.Errorf("%s row %d: %s %q, the default report %q", what, i+1, col, got.rows[i][col], want.rows[i][col])
			}
		}
	}
}

// TestReportRefusesADecimalCommaBesideCommas: a decimal comma with the
// comma as separator is refused (exit 2), said for what was given: both
// flags, or --excel beside --sep ,; an unknown decimal mark too.
func TestReportRefusesADecimalCommaBesideCommas(t *testing.T) {
	fx := newReportFixture(t)
	fx.aMorningJournal(t)
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"--decimal", ","}, "--decimal , with --sep ,: the comma cannot be both the decimal mark and the separator"},
		{[]string{"--decimal", ",", "--sep", ","}, "--decimal , with --sep ,"},
		{[]string{"--excel", "--sep", ","}, "--excel writes decimal commas, and --sep , makes the comma the separator: add --decimal ."},
		{[]string{"--decimal", ";"}, `--decimal ";": want . or ,`},
		{[]string{"--excel", "--sep", "x"}, `--sep "x": refused, a letter`},
	} {
		code, out, errs := runCommand(append([]string{"report", "--config", fx.config, "--day", "2025-03-10", "--csv", "intervals"}, c.args...)...)
		if code != exitConfig || out != "" || !strings.Contains(errs, c.says) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 saying %q", c.args, code, out, errs, c.says)
		}
	}
}

// TestCSVTextWithADecimalComma: with a decimal comma, a number is one
// written with it; one written with a point is text, kept from being a
// formula.
func TestCSVTextWithADecimalComma(t *testing.T) {
	comma := csvStyle{comma: ';', decimal: ','}
	for in, want := range map[string]string{"-1,5": "-1,5", "-1.5": "'-1.5", "-17137": "-17137", "+33*******78": "'+33*******78", "Zoé": "Zoé"} {
		if got := comma.text(in); got != want {
			t.Errorf("text(%q) = %q, want %q", in, got, want)
		}
	}
	if got := comma.float(2.8, 2); got != "2,80" {
		t.Errorf("float(2.8, 2) = %q, want 2,80", got)
	}
}
