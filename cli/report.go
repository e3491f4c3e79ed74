package cli

import (
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"callboard/app"
	"callboard/state"
)

// reportTables are what `report --csv` prints: a day's view as CSV rows,
// the header first, times in loc, each row handed to write as it is made
// (a busy day's calls are too many to hold as text).
var reportTables = map[string]func(v *state.View, loc *time.Location, st csvStyle, write func([]string) error) error{
	"calls":     callRows,
	"intervals": intervalRows,
	"agents":    agentRows,
}

// reportCommand prints a day of the journal as CSV.
func reportCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runReport(ctx, args, stdout, stderr, app.WallClock)
}

// runReport is `callboard report` on the clock now (tests pass their own).
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer, now func() time.Time) error {
	flags := newFlags("callboard report", "")
	configPath := configFlag(flags)
	dayFlag := flags.String("day", "", "the day to report, YYYY-MM-DD in [display] timezone (default today)")
	table := flags.String("csv", "", "what to print: calls, intervals or agents")
	csvFlags := newCSVFlags(flags)
	scopeFlags := newScopeFlags(flags, "the report")
	if err := parseArgs(flags, args, false, stdout, stderr); err != nil {
		return err
	}
	scope, err := scopeFlags.scope()
	if err != nil {
		return err
	}
	rows, ok := reportTables[*table]
	switch {
	case *table == "":
		return usageError(errors.New("report needs --csv calls, intervals or agents"))
	case !ok:
		return usageError(fmt.Errorf("--csv %q: want calls, intervals or agents", *table))
	}
	style, err := csvFlags.style(flags)
	if err != nil {
		return usageError(err)
	}
	var date time.Time // the day asked, as a date: noon UTC of it
	if *dayFlag != "" {
		if date, err = time.Parse(time.DateOnly, *dayFlag); err != nil {
			return usageError(fmt.Errorf("--day %q: want a date, YYYY-MM-DD", *dayFlag))
		}
		date = date.Add(12 * time.Hour)
	}

	s, err := openSession(ctx, app.Options{ConfigPath: *configPath, Offline: true, Scope: scope, Say: sayOn(stderr)}) // the journal only: no password
	if err != nil {
		return err
	}
	defer s.Close()
	loc := s.Board.Location
	if loc == nil {
		loc = time.Local
	}
	if date.IsZero() {
		y, m, d := now().In(loc).Date()
		date = time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	}
	v, skipped, err := s.ReportDay(ctx, date, now)
	if skipped != "" {
		complain(stderr, "callboard report:", s.JournalDir+": "+skipped)
	}
	if err != nil {
		return err
	}
	if style.bom {
		if _, err := io.WriteString(stdout, byteOrderMark); err != nil {
			return err
		}
	}
	w := csv.NewWriter(stdout)
	w.Comma = style.comma
	if err := rows(v, loc, style, w.Write); err != nil {
		return err
	}
	w.Flush()
	return w.Error()
}

// separator is --sep as a CSV field separator: one of the characters CSV
// readers take for one (a tab given as itself, as \t or as "tab"), never
// one that a value may hold (a letter, a digit, a space, the decimal
// point, a time's - + and :), a quote, or a formula's start.
func separator(s string) (rune, error) {
	if r, ok := separators[s]; ok {
		return r, nil
	}
	r, size := utf8.DecodeRuneInString(s)
	var why string
	switch {
	case size == 0 || size != len(s) || r == utf8.RuneError:
		return 0, fmt.Errorf("--sep %q: want one character: , ; | or a tab (\\t)", s)
	case strings.ContainsRune(`"'`+"`", r):
		why = "a quote"
	case strings.ContainsRune("=+-@", r):
		why = "a formula's start"
	case r == '.':
		why = "the decimal point"
	case r == ':':
		why = "part of a time"
	case unicode.IsDigit(r):
		why = "a digit"
	case unicode.IsLetter(r):
		why = "a letter"
	case unicode.IsSpace(r):
		why = "a space or a line break"
	default:
		why = "not a separator CSV readers know"
	}
	return 0, fmt.Errorf("--sep %q: refused, %s; want , ; | or a tab (\\t)", s, why)
}

// separators are the --sep values taken, and the separator each is.
var separators = map[string]rune{",": ',', ";": ';', "|": '|', "\t": '\t', `\t`: '\t', "tab": '\t'}

func callRows(v *state.View, loc *time.Location, st csvStyle, write func([]string) error) error {
	if err := write([]string{"id", "queue_id", "queue", "caller", "entered", "answered", "ended", "waited_s", "talk_s", "agent_id", "agent", "outcome", "reached"}); err != nil {
		return err
	}
	row := make([]string, 13)
	for c := range v.Report.EachCall {
		waited, talk := csvSeconds(c.Waited), csvSeconds(c.Talk)
		if c.Outcome == state.OutcomeBeforeStart {
			waited, talk = "", "" // not known: it was answered before the board saw it
		}
		row = append(row[:0],
			st.text(c.ID), st.text(c.QueueID), st.text(c.QueueName), st.text(c.Caller),
			csvTime(c.Entered, loc), csvTime(c.Answered, loc), csvTime(c.Ended, loc),
			waited, talk, st.text(c.AgentID), st.text(c.AgentName), c.Outcome, string(c.Reached))
		if err := write(row); err != nil {
			return err
		}
	}
	return nil
}

// totalFormula is the sl_formula of an interval's total row: the queues'
// calls within their thresholds summed ÷ their sl_calls summed.
const totalFormula = "by_queue"

func intervalRows(v *state.View, loc *time.Location, st csvStyle, write func([]string) error) error {
	if err := write([]string{"interval_start", "queue_id", "queue", "offered", "answered", "abandoned", "short_abandoned",
		"answered_within_sl", "service_level_pct", "asa_s", "longest_wait_s", "agents_logged_in", "agents_reachable", "agents_paused",
		"sl_calls", "sl_target_pct", "sl_formula"}); err != nil {
		return err
	}
	for _, in := range v.Intervals {
		start := csvTime(in.Start, loc)
		agents := []string{st.float(in.AgentsLoggedIn, 2), st.float(in.AgentsReachable, 2), st.float(in.AgentsPaused, 2)}
		row := func(id, name string, f state.IntervalFigures, target, formula string) []string {
			sl, asa := "", ""
			if f.HasServiceLevel {
				sl = st.float(f.ServiceLevel, 1)
			}
			if f.Answered > 0 {
				asa = st.float(f.ASA.Seconds(), 1)
			}
			return append(append([]string{start, id, name, strconv.Itoa(f.Offered), strconv.Itoa(f.Answered), strconv.Itoa(f.Abandoned),
				strconv.Itoa(f.ShortAbandoned), strconv.Itoa(f.AnsweredInSL), sl, asa, csvSeconds(f.LongestWait)}, agents...),
				strconv.Itoa(f.SLCalls), target, formula)
		}
		for _, q := range in.Queues {
			target := ""
			if q.Rule.Target > 0 {
				target = st.float(q.Rule.Target, 1)
			}
			if err := write(row(st.text(q.QueueID), st.text(q.QueueName), q.IntervalFigures, target, q.Rule.Formula)); err != nil {
				return err
			}
		}
		// the total: its queues' answered_within_sl ÷ their sl_calls, each
		// queue's by its own formula, hidden queues in
		if err := write(row("total", "", in.Total, "", totalFormula)); err != nil {
			return err
		}
	}
	return nil
}

func agentRows(v *state.View, _ *time.Location, st csvStyle, write func([]string) error) error {
	// the pause reasons, as the columns name them: reasons alike once
	// sanitised share a column
	paused := make([]map[string]time.Duration, len(v.Report.Agents))
	seen := map[string]bool{}
	var reasons []string
	for i, a := range v.Report.Agents {
		paused[i] = make(map[string]time.Duration, len(a.PausedBy))
		for reason, d := range a.PausedBy {
			reason = state.Sanitize(reason)
			paused[i][reason] += d
			if !seen[reason] {
				seen[reason] = true
				reasons = append(reasons, reason)
			}
		}
	}
	reasons, other := pauseColumns(reasons, paused)
	header := []string{"agent_id", "agent", "answered", "outbound", "talk_s", "logged_in_s", "paused_s"}
	for _, reason := range reasons {
		header = append(header, "paused_"+reason+"_s")
	}
	if other {
		header = append(header, pausedOtherColumn)
	}
	if err := write(header); err != nil {
		return err
	}
	for i, a := range v.Report.Agents {
		var total time.Duration
		for _, d := range paused[i] {
			total += d
		}
		row := []string{st.text(a.ID), st.text(a.Name), strconv.Itoa(a.Answered), strconv.Itoa(a.Outbound), csvSeconds(a.OnCall), csvSeconds(a.LoggedIn), csvSeconds(total)}
		var shown time.Duration
		for _, reason := range reasons {
			row = append(row, csvSeconds(paused[i][reason]))
			shown += paused[i][reason]
		}
		if other {
			row = append(row, csvSeconds(total-shown))
		}
		if err := write(row); err != nil {
			return err
		}
	}
	return nil
}

// maxPauseColumns bounds the agents report's columns of pause reasons:
// the reasons are the server's, as many as it likes, and each one is a
// column of every agent's row.
const maxPauseColumns = 100

// pausedOtherColumn holds, past maxPauseColumns, the reasons without a
// column of their own.
const pausedOtherColumn = "paused_other_reasons_s"

// pauseColumns is the reasons that get a column, sorted: all of them, or
// past maxPauseColumns those with the most time paused (other then says
// the rest go to pausedOtherColumn).
func pauseColumns(reasons []string, paused []map[string]time.Duration) (columns []string, other bool) {
	byName := func(x, y string) int { return cmp.Or(state.CompareNames(x, y), strings.Compare(x, y)) }
	if len(reasons) > maxPauseColumns {
		total := make(map[string]time.Duration, len(reasons))
		for _, p := range paused {
			for reason, d := range p {
				total[reason] += d
			}
		}
		slices.SortFunc(reasons, func(x, y string) int { return cmp.Or(cmp.Compare(total[y], total[x]), byName(x, y)) })
		reasons, other = reasons[:maxPauseColumns], true
	}
	slices.SortFunc(reasons, byName)
	return reasons, other
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// csvTime is t as RFC 3339 in loc, "" when zero.
func csvTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(time.RFC3339)
}

// csvSeconds is d in whole seconds, as the snapshot counts them.
func csvSeconds(d time.Duration) string {
	return strconv.FormatInt(int64(max(d, 0)/time.Second), 10)
}
