package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"callboard/feed"
	"callboard/internal/testkit/busyday"
	"callboard/internal/testkit/feedtest"
	"callboard/journal"
	"callboard/record"
	"callboard/state"
)

// reportFixture is an account whose journal lives in a test's directory,
// and a configuration that points report (and replay) at it.
type reportFixture struct {
	config string
	dir    string // the account's journal directory, where report looks
	loc    *time.Location
}

func newReportFixture(t *testing.T) reportFixture {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	const url, login = "https://callboard.test", "supervisor"
	config := filepath.Join(base, "config.toml")
	// the password's variable is never set: a report must not ask for it
	body := fmt.Sprintf("[axialys]\nurl = %q\nlogin = %q\npassword_env = \"CALLBOARD_REPORT_TEST_UNSET\"\n"+
		"[display]\ntimezone = \"Europe/Paris\"\n[report]\ninterval = \"15m\"\n[journal]\ndir = %q\n", url, login, filepath.Join(base, "journal"))
	if err := os.WriteFile(config, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return reportFixture{config: config, dir: journal.AccountDir(filepath.Join(base, "journal"), url, login), loc: loc}
}

// step is a vendor-shaped update at an offset from the day's start.
type step struct {
	at              time.Duration
	kind, name, msg string
}

// events are the steps as the feed delivers them, decoded from the
// vendor's payloads.
func events(t *testing.T, start time.Time, steps []step) []feed.Message {
	t.Helper()
	var out []feed.Message
	for i, s := range steps {
		ev := feedtest.Update(start.Add(s.at), i+1, s.kind, s.name, s.msg)
		if ev.Err != nil {
			t.Fatalf("%s: %v", ev.Raw, ev.Err)
		}
		out = append(out, ev)
	}
	return out
}

// connected is a process going live at start with the service's directory:
// Alice (Support), Bob (Support, Sales), and an agent whose name is a
// formula; Sales' name carries an escape sequence.
func connected(start time.Time) []feed.Message {
	return []feed.Message{
		&feed.DirectoryMsg{At: start, Directory: feed.Directory{
			Agents: []feed.Agent{
				{ID: "1", Name: "Alice", Groups: []feed.Text{"10"}},
				{ID: "2", Name: "Bob", Groups: []feed.Text{"10", "20"}},
				{ID: "3", Name: `=HYPERLINK("http://evil.test","x")`, Groups: []feed.Text{"20"}},
			},
			Groups: []feed.Named{{ID: "10", Name: "Support"}, {ID: "20", Name: "Sales\x1b[31m"}},
			Pauses: []feed.Named{{ID: "4", Name: "Déjeuner"}, {ID: "5", Name: "Formation"}},
		}},
		&feed.StatusMsg{State: feed.Live, Protocol: feed.ProtocolV4, At: start},
	}
}

// aMorning is 18 minutes from 09:50, across the 10:00 interval boundary:
// a call on the line before the board started, an outbound call, calls
// answered, abandoned (one short) and waiting in two queues, an answered
// call still in progress, pauses of two reasons, one ongoing.
var aMorning = []step{
	{0, "UI", "login", `{"id_operator":1,"supp":""}`},
	{0, "UI", "login", `{"id_operator":2,"supp":""}`},
	{0, "UI", "login", `{"id_operator":3,"supp":""}`},
	{30 * time.Second, "queue", "connect_call", `{"id_call":6,"id_queue":10,"id_operator":2,"call_duration":400,"caller_id_num":"33666666666"}`},
	{30 * time.Second, "operator", "status", `{"id_operator":2,"status":"connected","id_call":6,"id_queue":10,"call_duration":400,"caller_id_num":"33666666666"}`},
	{2 * time.Minute, "queue", "delete_call", `{"id_call":6,"id_queue":10}`},
	{2 * time.Minute, "operator", "status", `{"id_operator":2,"status":"available"}`},
	{3 * time.Minute, "operator", "status", `{"id_operator":2,"status":"calling","id_call":-7,"id_queue":0,"caller_id_num":"33677777777"}`},
	{3*time.Minute + 10*time.Second, "operator", "status", `{"id_operator":2,"status":"connected","id_call":-7,"id_queue":0,"caller_id_num":"33677777777"}`},
	{4 * time.Minute, "operator", "status", `{"id_operator":2,"status":"available"}`},
	{5 * time.Minute, "queue", "insert_call", `{"id_call":1,"id_queue":10,"caller_id_num":"33611111111","duration_in_queue":0}`},
	{5*time.Minute + 8*time.Second, "operator", "status", `{"id_operator":1,"status":"connected","id_call":1,"id_queue":10,"caller_id_num":"33611111111"}`},
	{5*time.Minute + 8*time.Second, "queue", "connect_call", `{"id_call":1,"id_queue":10,"id_operator":1}`},
	{6 * time.Minute, "queue", "insert_call", `{"id_call":2,"id_queue":20,"caller_id_num":"33622222222","duration_in_queue":0}`},
	{6*time.Minute + 30*time.Second, "queue", "delete_call", `{"id_call":2,"id_queue":20}`},
	{7 * time.Minute, "queue", "insert_call", `{"id_call":3,"id_queue":20,"caller_id_num":"33633333333","duration_in_queue":0}`},
	{7*time.Minute + 2*time.Second, "queue", "delete_call", `{"id_call":3,"id_queue":20}`},
	{8 * time.Minute, "UI", "pause", `{"id_operator":2,"supp":"4"}`},
	{9*time.Minute + 30*time.Second, "queue", "insert_call", `{"id_call":4,"id_queue":10,"caller_id_num":"33644444444","duration_in_queue":0}`},
	{10*time.Minute + 40*time.Second, "operator", "status", `{"id_operator":3,"status":"connected","id_call":4,"id_queue":10,"caller_id_num":"33644444444"}`},
	{10*time.Minute + 40*time.Second, "queue", "connect_call", `{"id_call":4,"id_queue":10,"id_operator":3}`},
	{11 * time.Minute, "queue", "delete_call", `{"id_call":1,"id_queue":10}`},
	{11 * time.Minute, "operator", "status", `{"id_operator":1,"status":"available"}`},
	{12 * time.Minute, "UI", "pause", `{"id_operator":2,"supp":"5"}`},
	{15 * time.Minute, "UI", "login", `{"id_operator":2,"supp":""}`},
	{16 * time.Minute, "queue", "insert_call", `{"id_call":5,"id_queue":20,"caller_id_num":"+33655555555","duration_in_queue":0}`},
	{17 * time.Minute, "UI", "pause", `{"id_operator":1,"supp":"4"}`},
}

// writeJournal keeps msgs as a live process would, with the journal's
// Writer: started at start, stopped at end. It returns the day file.
func (fx reportFixture) writeJournal(t *testing.T, start, end time.Time, msgs []feed.Message) string {
	t.Helper()
	at := start // the process's own clock moves as the messages' time does
	w, err := journal.Open(journal.Config{Dir: fx.dir, Location: fx.loc, Elapsed: func() time.Duration { return at.Sub(start) }}, start)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		at = feed.MessageTime(m)
		w.Record(m)
	}
	if err := w.Close(end); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(fx.dir, end.In(fx.loc).Format(time.DateOnly)+".jsonl")
}

// aMorningJournal writes the morning's journal on 10 March 2025 and
// returns the day file and when it ends.
func (fx reportFixture) aMorningJournal(t *testing.T) (string, time.Time) {
	t.Helper()
	start := time.Date(2025, 3, 10, 9, 50, 0, 0, fx.loc)
	end := start.Add(18 * time.Minute)
	return fx.writeJournal(t, start, end, append(connected(start), events(t, start, aMorning)...)), end
}

// csvTable is a CSV read back: its header and its rows by column name.
type csvTable struct {
	header []string
	rows   []map[string]string
}

func readCSV(t *testing.T, out string, comma rune) csvTable {
	t.Helper()
	r := csv.NewReader(strings.NewReader(out))
	r.Comma = comma
	records, err := r.ReadAll()
	if err != nil || len(records) == 0 {
		t.Fatalf("not CSV (%v):\n%s", err, out)
	}
	tab := csvTable{header: records[0]}
	for _, rec := range records[1:] {
		row := map[string]string{}
		for i, name := range tab.header {
			row[name] = rec[i]
		}
		tab.rows = append(tab.rows, row)
	}
	return tab
}

func (fx reportFixture) report(t *testing.T, args ...string) csvTable {
	t.Helper()
	code, out, errs := runCommand(append([]string{"report", "--config", fx.config}, args...)...)
	if code != exitOK {
		t.Fatalf("report %v: exit %d: %s", args, code, errs)
	}
	return readCSV(t, out, ',')
}

func replaySnapshotOf(t *testing.T, dayFile, config string) state.Snapshot {
	t.Helper()
	code, out, errs := runCommand("replay", dayFile, "--snapshot", "--config", config)
	if code != exitOK {
		t.Fatalf("replay --snapshot: exit %d: %s", code, errs)
	}
	var snap state.Snapshot
	if err := json.Unmarshal([]byte(out), &snap); err != nil {
		t.Fatal(err)
	}
	return snap
}

// TestTheReportOfAJournalIsTheSnapshotAtItsEnd: the report of a journal's
// day equals, figure for figure, the snapshot that replay --snapshot
// takes at the end of the same file.
func TestTheReportOfAJournalIsTheSnapshotAtItsEnd(t *testing.T) {
	fx := newReportFixture(t)
	dayFile, _ := fx.aMorningJournal(t)
	snap := replaySnapshotOf(t, dayFile, fx.config)
	if snap.Totals.AnsweredBeforeStart == 0 {
		t.Error("no call on the line at start in the morning's journal: the report's before_start rows are not compared")
	}
	day := []string{"--day", "2025-03-10"}
	sameReport(t, snap, fx.report(t, append(day, "--csv", "intervals")...),
		fx.report(t, append(day, "--csv", "calls")...), fx.report(t, append(day, "--csv", "agents")...))
}

// sameReport checks the report's tables against the snapshot.
func sameReport(t *testing.T, snap state.Snapshot, intervals, calls, agents csvTable) {
	t.Helper()
	// intervals: per interval, each queue with calls and the total
	byKey := map[string]map[string]string{}
	for _, row := range intervals.rows {
		start, err := time.Parse(time.RFC3339, row["interval_start"])
		if err != nil {
			t.Fatalf("interval_start %q: %v", row["interval_start"], err)
		}
		byKey[start.UTC().Format(time.RFC3339)+" "+row["queue_id"]] = row
	}
	want := 0
	for _, in := range snap.Intervals {
		key := in.Start.UTC().Format(time.RFC3339) + " "
		for _, q := range in.Queues {
			want++
			sameIntervalRow(t, key+q.QueueID, byKey[key+q.QueueID], q.SnapIntervalCalls, in)
		}
		want++
		sameIntervalRow(t, key+"total", byKey[key+"total"], in.Total, in)
	}
	if len(intervals.rows) != want || len(snap.Intervals) < 2 {
		t.Errorf("%d interval rows, want %d (%d intervals in the snapshot)", len(intervals.rows), want, len(snap.Intervals))
	}

	// calls: outcomes as the snapshot counts them
	outcomes := map[string]int{}
	waited, reached := map[string]string{}, map[string]string{}
	for _, row := range calls.rows {
		outcomes[row["outcome"]]++
		waited[row["queue_id"]+"/"+row["id"]] = row["waited_s"]
		reached[row["queue_id"]+"/"+row["id"]] = row["reached"]
	}
	if got := outcomes[state.OutcomeAnswered] + outcomes[state.OutcomeInProgress]; got != snap.Totals.Answered {
		t.Errorf("%d calls answered, the snapshot %d", got, snap.Totals.Answered)
	}
	if got := outcomes[state.OutcomeAbandoned] + outcomes[state.OutcomeShortAbandoned]; got != snap.Totals.Abandoned {
		t.Errorf("%d calls abandoned, the snapshot %d", got, snap.Totals.Abandoned)
	}
	if got := outcomes[state.OutcomeBeforeStart]; got != snap.Totals.AnsweredBeforeStart {
		t.Errorf("%d calls before start, the snapshot %d", got, snap.Totals.AnsweredBeforeStart)
	}
	if got := outcomes[state.OutcomeWaiting]; got != len(snap.Calls.Waiting) {
		t.Errorf("%d calls waiting, the snapshot %d", got, len(snap.Calls.Waiting))
	}
	for _, c := range snap.Calls.Waiting {
		if w := waited[c.QueueID+"/"+c.ID]; w != strconv.FormatInt(c.WaitedS, 10) {
			t.Errorf("waiting call %s waited %s s, the snapshot %d", c.ID, w, c.WaitedS)
		}
	}
	for _, c := range snap.Calls.Abandoned {
		if w := waited[c.QueueID+"/"+c.ID]; w != strconv.FormatInt(c.WaitedS, 10) {
			t.Errorf("abandoned call %s waited %s s, the snapshot %d", c.ID, w, c.WaitedS)
		}
		want := ""
		if c.Reached != nil {
			want = string(*c.Reached)
		}
		if got := reached[c.QueueID+"/"+c.ID]; got != want {
			t.Errorf("abandoned call %s: reached %q, the snapshot %q", c.ID, got, want)
		}
	}

	// agents: answered, talk, paused (the sum of the reasons)
	byID := map[string]map[string]string{}
	for _, row := range agents.rows {
		byID[row["agent_id"]] = row
	}
	if len(agents.rows) != len(snap.Agents) {
		t.Errorf("%d agents, the snapshot %d", len(agents.rows), len(snap.Agents))
	}
	for _, a := range snap.Agents {
		row := byID[a.ID]
		if row == nil {
			t.Errorf("agent %s missing", a.ID)
			continue
		}
		var reasons int64
		for _, col := range agents.header {
			if strings.HasPrefix(col, "paused_") && col != "paused_s" {
				reasons += atoi(t, row[col])
			}
		}
		if atoi(t, row["answered"]) != int64(a.Today.Answered) || atoi(t, row["outbound"]) != int64(a.Today.Outbound) || atoi(t, row["talk_s"]) != a.Today.OnCallS ||
			atoi(t, row["paused_s"]) != a.Today.PausedS || reasons != a.Today.PausedS {
			t.Errorf("agent %s: %v (reasons %d s), the snapshot %+v", a.ID, row, reasons, a.Today)
		}
	}
}

func sameIntervalRow(t *testing.T, where string, row map[string]string, f state.SnapIntervalCalls, in state.SnapDayInterval) {
	t.Helper()
	if row == nil {
		t.Errorf("%s: no row", where)
		return
	}
	ints := map[string]int64{"offered": int64(f.Offered), "answered": int64(f.Answered), "abandoned": int64(f.Abandoned),
		"short_abandoned": int64(f.ShortAbandoned), "answered_within_sl": int64(f.AnsweredWithinSL), "longest_wait_s": f.LongestWaitS}
	for col, want := range ints {
		if got := atoi(t, row[col]); got != want {
			t.Errorf("%s: %s %d, the snapshot %d", where, col, got, want)
		}
	}
	floats := map[string]*float64{"service_level_pct": f.ServiceLevelPct, "asa_s": f.ASAS,
		"agents_logged_in": &in.AgentsLoggedIn, "agents_reachable": &in.AgentsReachable, "agents_paused": &in.AgentsPaused}
	for col, want := range floats {
		got := row[col]
		if want == nil {
			if got != "" {
				t.Errorf("%s: %s %q, the snapshot null", where, col, got)
			}
			continue
		}
		if x, err := strconv.ParseFloat(got, 64); err != nil || math.Abs(x-*want) > 1e-9 {
			t.Errorf("%s: %s %q, the snapshot %v", where, col, got, *want)
		}
	}
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Errorf("%q is not a whole number", s)
	}
	return n
}

// TestTheReportsRows: the morning's figures themselves, in the day's
// timezone; outside text sanitised and kept from becoming a formula.
func TestTheReportsRows(t *testing.T) {
	fx := newReportFixture(t)
	fx.aMorningJournal(t)
	day := []string{"--day", "2025-03-10"}

	calls := fx.report(t, append(day, "--csv", "calls")...)
	if strings.Join(calls.header, ",") != "id,queue_id,queue,caller,entered,answered,ended,waited_s,talk_s,agent_id,agent,outcome,reached" {
		t.Errorf("calls header %v", calls.header)
	}
	wantCalls := []string{
		"6,10,Support,336******66,,,2025-03-10T09:52:00+01:00,,,2,Bob,before_start,",
		"1,10,Support,336******11,2025-03-10T09:55:00+01:00,2025-03-10T09:55:08+01:00,2025-03-10T10:01:00+01:00,8,352,1,Alice,answered,",
		"2,20,Sales,336******22,2025-03-10T09:56:00+01:00,,2025-03-10T09:56:30+01:00,30,0,,,abandoned,",
		"3,20,Sales,336******33,2025-03-10T09:57:00+01:00,,2025-03-10T09:57:02+01:00,2,0,,,short_abandoned,",
		`4,10,Support,336******44,2025-03-10T09:59:30+01:00,2025-03-10T10:00:40+01:00,,70,440,3,'=HYPERLINK("http://evil.test","x"),in_progress,`,
		"5,20,Sales,'+33*******55,2025-03-10T10:06:00+01:00,,,120,0,,,waiting,",
	}
	if len(calls.rows) != len(wantCalls) {
		t.Fatalf("%d calls, want %d: %v", len(calls.rows), len(wantCalls), calls.rows)
	}
	for i, w := range wantCalls {
		var got []string
		for _, col := range calls.header {
			got = append(got, calls.rows[i][col])
		}
		if strings.Join(got, ",") != w {
			t.Errorf("call %d:\n got %s\nwant %s", i+1, strings.Join(got, ","), w)
		}
	}

	agents := fx.report(t, append(day, "--csv", "agents")...)
	if strings.Join(agents.header, ",") != "agent_id,agent,answered,outbound,talk_s,logged_in_s,paused_s,paused_Déjeuner_s,paused_Formation_s" {
		t.Errorf("agents header %v", agents.header)
	}
	wantAgents := map[string]string{
		"1": "Alice,1,0,352,1080,60,60,0",
		"2": "Bob,0,1,140,1080,420,240,180",
		"3": `'=HYPERLINK("http://evil.test","x"),1,0,440,1080,0,0,0`,
	}
	for _, row := range agents.rows {
		var got []string
		for _, col := range agents.header[1:] {
			got = append(got, row[col])
		}
		if w := wantAgents[row["agent_id"]]; strings.Join(got, ",") != w {
			t.Errorf("agent %s:\n got %s\nwant %s", row["agent_id"], strings.Join(got, ","), w)
		}
	}

	intervals := fx.report(t, append(day, "--csv", "intervals")...)
	if strings.Join(intervals.header, ",") != "interval_start,queue_id,queue,offered,answered,abandoned,short_abandoned,"+
		"answered_within_sl,service_level_pct,asa_s,longest_wait_s,agents_logged_in,agents_reachable,agents_paused,sl_calls,sl_target_pct,sl_formula" {
		t.Errorf("intervals header %v", intervals.header)
	}
	lines := intervals.lines(intervals.header...)
	// 09:45 counts from 09:50, where the file starts: 3 agents logged in over
	// its 10 minutes, Bob paused for 2 of them; 10:00 counts to 10:08, where
	// the file ends: Bob paused for 5 minutes of it, Alice for 1
	want := strings.Join([]string{
		"2025-03-10T09:45:00+01:00,20,Sales,2,0,2,1,0,0.0,,30,3.00,2.80,0.20,1,,answered",
		"2025-03-10T09:45:00+01:00,10,Support,2,1,0,0,1,100.0,8.0,8,3.00,2.80,0.20,1,,answered",
		"2025-03-10T09:45:00+01:00,total,,4,1,2,1,1,50.0,8.0,30,3.00,2.80,0.20,2,,by_queue",
		"2025-03-10T10:00:00+01:00,20,Sales,1,0,0,0,0,,,0,3.00,2.25,0.75,0,,answered",
		"2025-03-10T10:00:00+01:00,10,Support,0,1,0,0,0,0.0,70.0,70,3.00,2.25,0.75,1,,answered",
		"2025-03-10T10:00:00+01:00,total,,1,1,0,0,0,0.0,70.0,70,3.00,2.25,0.75,1,,by_queue",
	}, "\n")
	if got := strings.Join(lines, "\n"); got != want {
		t.Errorf("intervals:\n%s\nwant\n%s", got, want)
	}
}

func TestReportSeparatorAndMistakes(t *testing.T) {
	fx := newReportFixture(t)
	fx.aMorningJournal(t)

	code, out, errs := runCommand("report", "--config", fx.config, "--day", "2025-03-10", "--csv", "agents", "--sep", ";")
	if code != exitOK {
		t.Fatalf("--sep ';': exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(out, "agent_id;agent;answered;outbound;talk_s;logged_in_s;paused_s;") {
		t.Errorf("--sep ';' gave:\n%s", out)
	}
	if tab := readCSV(t, out, ';'); len(tab.rows) != 3 || tab.rows[1]["agent"] != "Alice" || tab.rows[1]["paused_Déjeuner_s"] != "60" {
		t.Errorf("--sep ';' read back: %v", tab.rows)
	}

	for sep, comma := range map[string]rune{"|": '|', "\t": '\t', `\t`: '\t', "tab": '\t'} {
		code, out, errs := runCommand("report", "--config", fx.config, "--day", "2025-03-10", "--csv", "agents", "--sep", sep)
		if tab := readCSV(t, out, comma); code != exitOK || len(tab.rows) != 3 || tab.rows[1]["agent"] != "Alice" {
			t.Errorf("--sep %q: exit %d, %s, read back %v", sep, code, errs, tab.rows)
		}
	}

	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"--csv", "queues"}, `--csv "queues": want calls, intervals or agents`},
		{nil, "report needs --csv calls, intervals or agents"},
		{[]string{"--csv", "calls", "--sep", ";;"}, `--sep ";;": want one character`},
		{[]string{"--csv", "calls", "--sep", ""}, `--sep "": want one character`},
		{[]string{"--csv", "calls", "--sep", `"`}, `--sep "\"": refused, a quote; want , ; | or a tab (\t)`},
		{[]string{"--csv", "calls", "--sep", "'"}, `--sep "'": refused, a quote`},
		{[]string{"--csv", "calls", "--sep", "="}, `--sep "=": refused, a formula's start`},
		{[]string{"--csv", "calls", "--sep", "-"}, `--sep "-": refused, a formula's start`},
		{[]string{"--csv", "calls", "--sep", "."}, `--sep ".": refused, the decimal point`},
		{[]string{"--csv", "calls", "--sep", "0"}, `--sep "0": refused, a digit`},
		{[]string{"--csv", "calls", "--sep", "x"}, `--sep "x": refused, a letter`},
		{[]string{"--csv", "calls", "--sep", ":"}, `--sep ":": refused, part of a time`},
		{[]string{"--csv", "calls", "--sep", " "}, `--sep " ": refused, a space or a line break`},
		{[]string{"--csv", "calls", "--sep", "\n"}, `--sep "\n": refused, a space or a line break`},
		{[]string{"--csv", "calls", "--day", "10/03/2025"}, `--day "10/03/2025": want a date, YYYY-MM-DD`},
		{[]string{"--csv", "calls", "extra"}, `unexpected argument "extra"`},
	} {
		code, out, errs := runCommand(append([]string{"report", "--config", fx.config}, c.args...)...)
		if code != exitConfig || out != "" || !strings.Contains(errs, c.says) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 saying %q", c.args, code, out, errs, c.says)
		}
	}

	code, out, errs = runCommand("report", "--config", fx.config, "--day", "2025-03-11", "--csv", "calls")
	if want := "no journal for 2025-03-11 in " + fx.dir; code != exitFail || out != "" || !strings.Contains(errs, want) {
		t.Errorf("a day without journal: exit %d, stdout %q, stderr %q; want exit 1 saying %q", code, out, errs, want)
	}
	if code, out, _ := runCommand("--help"); code != exitOK || !strings.Contains(out, "callboard report") {
		t.Errorf("--help does not list report:\n%s", out)
	}
}

// TestCSVTextIsNeverAFormula: values a spreadsheet would run stay text;
// numbers, signed ones included, stay numbers; control characters go.
func TestCSVTextIsNeverAFormula(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1":           "'=1+1",
		"+33612345678":   "+33612345678",
		"+33*******78":   "'+33*******78",
		"-17137":         "-17137",
		"-1.5":           "-1.5",
		"-":              "'-",
		"+":              "'+",
		"@SUM(A1:A9)":    "'@SUM(A1:A9)",
		"  =cmd|' /C'!A": "'  =cmd|' /C'!A",
		"\t=1+1":         "' =1+1",
		"Bob":            "Bob",
		"a=b":            "a=b",
		"Zoé\x1b[31m":    "Zoé",
		"":               "",
	} {
		if got := pointStyle.text(in); got != want {
			t.Errorf("text(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTodaysReport: today's report is as of now while the journal is
// being written, and as of its end line once the process that wrote it
// stopped.
func TestTodaysReport(t *testing.T) {
	fx := newReportFixture(t)
	start := time.Date(2025, 3, 10, 9, 50, 0, 0, fx.loc)
	now := func() time.Time { return time.Date(2025, 3, 10, 11, 0, 0, 0, fx.loc) }
	report := func(what string) csvTable {
		t.Helper()
		var out, errs bytes.Buffer
		if err := runReport(context.Background(), []string{"--config", fx.config, "--csv", what}, &out, &errs, now); err != nil {
			t.Fatalf("%v: %s", err, errs.String())
		}
		return readCSV(t, out.String(), ',')
	}

	// still written: a file without an end line
	msgs := append(connected(start), events(t, start, aMorning)...)
	data := record.AppendMark(nil, record.MarkStart, start)
	for _, m := range msgs {
		data = record.Append(data, m)
	}
	if err := os.MkdirAll(fx.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	dayFile := filepath.Join(fx.dir, "2025-03-10.jsonl")
	if err := os.WriteFile(dayFile, data, 0o600); err != nil {
		t.Fatal(err)
	}
	calls := report("calls")
	if last := calls.rows[len(calls.rows)-1]; last["outcome"] != state.OutcomeWaiting || last["waited_s"] != "3240" {
		t.Errorf("a call waiting since 10:06 at 11:00: %v", last)
	}
	intervals := report("intervals")
	if last := intervals.rows[len(intervals.rows)-1]; last["interval_start"] != "2025-03-10T11:00:00+01:00" || last["queue_id"] != "total" {
		t.Errorf("the last interval of today at 11:00: %v", last)
	}

	// stopped at 10:08: as of then, what replay --snapshot says
	os.Remove(dayFile)
	fx.writeJournal(t, start, start.Add(18*time.Minute), msgs)
	snap := replaySnapshotOf(t, dayFile, fx.config)
	sameReport(t, snap, report("intervals"), report("calls"), report("agents"))
	calls = report("calls")
	if last := calls.rows[len(calls.rows)-1]; last["waited_s"] != "120" {
		t.Errorf("a call waiting since 10:06 when the journal stopped at 10:08: %v", last)
	}
}

// TestTheDayBeforeIsReadNotCounted: a day's report reads the day before
// (state that crossed midnight is right) but counts from midnight.
func TestTheDayBeforeIsReadNotCounted(t *testing.T) {
	fx := newReportFixture(t)
	start := time.Date(2025, 3, 9, 23, 40, 0, 0, fx.loc)
	steps := []step{
		{0, "UI", "login", `{"id_operator":1,"supp":""}`},
		{0, "UI", "login", `{"id_operator":2,"supp":""}`},
		{5 * time.Minute, "queue", "insert_call", `{"id_call":1,"id_queue":10,"caller_id_num":"33611111111","duration_in_queue":0}`},
		{5*time.Minute + 10*time.Second, "operator", "status", `{"id_operator":1,"status":"connected","id_call":1,"id_queue":10,"caller_id_num":"33611111111"}`},
		{5*time.Minute + 10*time.Second, "queue", "connect_call", `{"id_call":1,"id_queue":10,"id_operator":1}`},
		{10 * time.Minute, "UI", "pause", `{"id_operator":2,"supp":"4"}`},
		// Alice's call and Bob's pause cross midnight
		{25 * time.Minute, "queue", "delete_call", `{"id_call":1,"id_queue":10}`},
		{25 * time.Minute, "operator", "status", `{"id_operator":1,"status":"available"}`},
		{26 * time.Minute, "queue", "insert_call", `{"id_call":2,"id_queue":20,"caller_id_num":"33622222222","duration_in_queue":0}`},
		{27 * time.Minute, "queue", "delete_call", `{"id_call":2,"id_queue":20}`},
		{30 * time.Minute, "UI", "login", `{"id_operator":2,"supp":""}`},
	}
	fx.writeJournal(t, start, start.Add(40*time.Minute), append(connected(start), events(t, start, steps)...))

	calls := fx.report(t, "--day", "2025-03-10", "--csv", "calls")
	if len(calls.rows) != 1 || calls.rows[0]["id"] != "2" || calls.rows[0]["outcome"] != state.OutcomeAbandoned {
		t.Errorf("10 March's calls: %v, want call 2 abandoned alone", calls.rows)
	}
	agents := fx.report(t, "--day", "2025-03-10", "--csv", "agents")
	for _, row := range agents.rows {
		want := map[string]string{"1": "0 300 1200 0", "2": "0 0 1200 600", "3": "0 0 0 0"}[row["agent_id"]]
		if got := row["answered"] + " " + row["talk_s"] + " " + row["logged_in_s"] + " " + row["paused_s"]; got != want {
			t.Errorf("agent %s on 10 March (answered, talk, logged in, paused): %s, want %s", row["agent_id"], got, want)
		}
	}
	before := fx.report(t, "--day", "2025-03-09", "--csv", "calls")
	if len(before.rows) != 1 || before.rows[0]["id"] != "1" || before.rows[0]["outcome"] != state.OutcomeAnswered ||
		before.rows[0]["ended"] != "2025-03-10T00:05:00+01:00" || before.rows[0]["talk_s"] != "1190" {
		t.Errorf("9 March's calls: %v, want call 1 answered, ended after midnight (followed into 10 March's file)", before.rows)
	}
}

// TestReportAndReplayNeedNoPasswordSource: report and replay never log in,
// so a configuration without password_env, password_command or password
// serves them (snapshot still refuses it).
func TestReportAndReplayNeedNoPasswordSource(t *testing.T) {
	fx := newReportFixture(t)
	fx.aMorningJournal(t)
	body, err := os.ReadFile(fx.config)
	if err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(t.TempDir(), "nopassword.toml")
	if err := os.WriteFile(config, []byte(strings.Replace(string(body), "password_env = \"CALLBOARD_REPORT_TEST_UNSET\"\n", "", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCommand("report", "--config", config, "--day", "2025-03-10", "--csv", "agents")
	if code != exitOK || !strings.HasPrefix(out, "agent_id,agent,") {
		t.Errorf("report: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, out, errs = runCommand("replay", "--snapshot", "--config", config, filepath.Join(fx.dir, "2025-03-10.jsonl"))
	if code != exitOK || !strings.Contains(out, `"agents"`) {
		t.Errorf("replay: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, _, errs = runCommand("snapshot", "--config", config)
	if code != exitConfig || !strings.Contains(errs, "CALLBOARD_PASSWORD") {
		t.Errorf("snapshot: exit %d, stderr %q: want the default source, CALLBOARD_PASSWORD, named", code, errs)
	}
}

// TestTheReportSaysWhetherLostCallersWereReached: the calls' reached column
// is the snapshot's: a withheld caller is withheld, a caller called back in
// another form of its number (read in [display] country) is reached, the
// others are still to call back (empty).
func TestTheReportSaysWhetherLostCallersWereReached(t *testing.T) {
	fx := newReportFixture(t)
	body, err := os.ReadFile(fx.config)
	if err != nil {
		t.Fatal(err)
	}
	body = bytes.Replace(body, []byte("[display]\n"), []byte("[display]\ncountry = \"be\"\n"), 1)
	if err := os.WriteFile(fx.config, body, 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, 3, 10, 9, 50, 0, 0, fx.loc)
	lost := func(at time.Duration, id int, caller string) []step {
		return []step{
			{at, "queue", "insert_call", fmt.Sprintf(`{"id_call":%d,"id_queue":10,"caller_id_num":%q,"duration_in_queue":0}`, id, caller)},
			{at + 30*time.Second, "queue", "delete_call", fmt.Sprintf(`{"id_call":%d,"id_queue":10}`, id)},
		}
	}
	steps := slices.Concat(lost(0, 1, "anonymous"), lost(time.Minute, 2, "0470123456"), lost(2*time.Minute, 3, "0470999999"),
		lost(3*time.Minute, 4, ""), []step{
			{11 * time.Minute, "operator", "status", `{"id_operator":1,"status":"calling","caller_id_num":"32470123456"}`},
		})
	dayFile := fx.writeJournal(t, start, start.Add(12*time.Minute), append(connected(start), events(t, start, steps)...))
	calls := fx.report(t, "--day", "2025-03-10", "--csv", "calls")
	got := map[string]string{}
	for _, row := range calls.rows {
		got[row["id"]] = row["reached"]
	}
	if want := map[string]string{"1": "withheld", "2": "called_back", "3": "", "4": "withheld"}; !maps.Equal(got, want) {
		t.Errorf("reached %v, want %v", got, want)
	}
	snap := replaySnapshotOf(t, dayFile, fx.config)
	sameReport(t, snap, fx.report(t, "--day", "2025-03-10", "--csv", "intervals"), calls, fx.report(t, "--day", "2025-03-10", "--csv", "agents"))
}

// TestReportAgentsBoundsItsPauseColumns: a day whose 150 agents each
// paused once under a reason of their own (the server names reasons as it
// likes; each would be a column of every row) gives the 100 reasons with
// the most time a column each and the rest one column together: each
// row's pauses still add up to its paused_s.
func TestReportAgentsBoundsItsPauseColumns(t *testing.T) {
	fx := newReportFixture(t)
	start := time.Date(2025, 3, 10, 9, 0, 0, 0, fx.loc)
	const agents = 150
	var steps []step
	for i := range agents {
		id := 100 + i
		steps = append(steps,
			step{0, "UI", "login", fmt.Sprintf(`{"id_operator":%d,"supp":""}`, id)},
			step{time.Second, "UI", "pause", fmt.Sprintf(`{"id_operator":%d,"supp":"r%d"}`, id, i)},
			step{time.Duration(2+i) * time.Second, "UI", "login", fmt.Sprintf(`{"id_operator":%d,"supp":""}`, id)}, // agent i paused 1+i s
		)
	}
	slices.SortStableFunc(steps, func(a, b step) int { return int(a.at - b.at) })
	fx.writeDayFile(t, start, start.Add(time.Hour), append(connected(start), events(t, start, steps)...))
	table := fx.report(t, "--day", "2025-03-10", "--csv", "agents")
	if len(table.header) != 7+100+1 || table.header[len(table.header)-1] != "paused_other_reasons_s" {
		t.Fatalf("%d columns, the last %q: want 108, the last paused_other_reasons_s", len(table.header), table.header[len(table.header)-1])
	}
	for _, row := range table.rows {
		i, _ := strconv.Atoi(row["agent_id"])
		if i -= 100; i < 0 {
			continue // the directory's, never paused
		}
		own, hasOwn := row[fmt.Sprintf("paused_r%d_s", i)]
		want := strconv.Itoa(1 + i)
		switch {
		case row["paused_s"] != want:
			t.Errorf("agent %d: paused_s %s, want %s", i, row["paused_s"], want)
		case i >= agents-100 && (!hasOwn || own != want || row["paused_other_reasons_s"] != "0"):
			t.Errorf("agent %d, among the 100 longest: its column %q, other %s", i, own, row["paused_other_reasons_s"])
		case i < agents-100 && (hasOwn || row["paused_other_reasons_s"] != want):
			t.Errorf("agent %d, not among them: its column %v, other %s, want %s", i, hasOwn, row["paused_other_reasons_s"], want)
		}
	}
}

// TestACallCrossingMidnightIsReportedInItsDay: a day's report follows its
// calls still waiting at midnight into the next day's file to their end:
// answered at 00:00:30 or abandoned at 00:01, they are rows of their day
// with their outcome, wait and end, and count in its intervals (where
// they entered) and in their agent's day; the next day's report has
// neither. One still on the line at noon the next day is left there.
func TestACallCrossingMidnightIsReportedInItsDay(t *testing.T) {
	fx := newReportFixture(t)
	start := time.Date(2025, 3, 9, 23, 50, 0, 0, fx.loc)
	steps := []step{
		{0, "UI", "login", `{"id_operator":1,"supp":""}`},
		{8 * time.Minute, "queue", "insert_call", `{"id_call":6,"id_queue":10,"caller_id_num":"33666666666","duration_in_queue":0}`},
		{9 * time.Minute, "queue", "insert_call", `{"id_call":7,"id_queue":10,"caller_id_num":"33677777777","duration_in_queue":0}`},
		{9*time.Minute + 20*time.Second, "queue", "insert_call", `{"id_call":8,"id_queue":20,"caller_id_num":"33688888888","duration_in_queue":0}`},
		{10*time.Minute + 30*time.Second, "operator", "status", `{"id_operator":1,"status":"connected","id_call":7,"id_queue":10,"caller_id_num":"33677777777"}`},
		{10*time.Minute + 30*time.Second, "queue", "connect_call", `{"id_call":7,"id_queue":10,"id_operator":1}`},
		{11 * time.Minute, "queue", "delete_call", `{"id_call":8,"id_queue":20}`},
		{12 * time.Minute, "queue", "insert_call", `{"id_call":9,"id_queue":20,"caller_id_num":"33699999999","duration_in_queue":0}`},
		{13 * time.Minute, "queue", "delete_call", `{"id_call":9,"id_queue":20}`},
		{15 * time.Minute, "queue", "delete_call", `{"id_call":7,"id_queue":10}`},
		{15 * time.Minute, "operator", "status", `{"id_operator":1,"status":"available"}`},
		{70 * time.Minute, "queue", "connect_call", `{"id_call":6,"id_queue":10,"id_operator":2}`},
		{12*time.Hour + 40*time.Minute, "queue", "delete_call", `{"id_call":6,"id_queue":10}`},
	}
	fx.writeJournal(t, start, start.Add(13*time.Hour), append(connected(start), events(t, start, steps)...))

	calls := fx.report(t, "--day", "2025-03-09", "--csv", "calls")
	got := map[string]string{}
	for _, row := range calls.rows {
		got[row["id"]] = strings.Join([]string{row["outcome"], row["answered"], row["ended"], row["waited_s"], row["talk_s"], row["agent_id"]}, " ")
	}
	want := map[string]string{
		"6": "in_progress 2025-03-10T01:00:00+01:00  3720 39600 2", // still on the line when the report stops following it, at noon
		"7": "answered 2025-03-10T00:00:30+01:00 2025-03-10T00:05:00+01:00 90 270 1",
		"8": "abandoned  2025-03-10T00:01:00+01:00 100 0 ",
	}
	if !maps.Equal(got, want) {
		t.Errorf("9 March's calls (outcome answered ended waited talk agent):\n got %q\nwant %q", got, want)
	}
	intervals := fx.report(t, "--day", "2025-03-09", "--csv", "intervals")
	var rows []string
	for _, row := range intervals.rows {
		if row["interval_start"] == "2025-03-09T23:45:00+01:00" {
			rows = append(rows, strings.Join([]string{row["queue_id"], row["offered"], row["answered"], row["abandoned"], row["answered_within_sl"], row["service_level_pct"], row["asa_s"], row["longest_wait_s"]}, " "))
		}
	}
	if want := []string{"20 1 0 1 0 0.0  100", "10 2 2 0 0 0.0 1905.0 3720", "total 3 2 1 0 0.0 1905.0 3720"}; !slices.Equal(rows, want) {
		t.Errorf("9 March, 23:45 (queue offered answered abandoned in_sl sl asa longest):\n got %q\nwant %q", rows, want)
	}
	for _, row := range fx.report(t, "--day", "2025-03-09", "--csv", "agents").rows {
		if want := map[string]string{"1": "1", "2": "1"}[row["agent_id"]]; want != "" && row["answered"] != want {
			t.Errorf("Alice answered call 7 of 9 March, Bob call 6: %v", row)
		}
	}

	next := fx.report(t, "--day", "2025-03-10", "--csv", "calls")
	if len(next.rows) != 1 || next.rows[0]["id"] != "9" {
		t.Errorf("10 March's calls: %v, want call 9 alone", next.rows)
	}
	var answered, abandoned int64
	for _, row := range fx.report(t, "--day", "2025-03-10", "--csv", "intervals").rows {
		if row["queue_id"] == "total" {
			answered += atoi(t, row["answered"])
			abandoned += atoi(t, row["abandoned"])
		}
	}
	if answered != 0 || abandoned != 1 {
		t.Errorf("10 March's intervals count %d answered, %d abandoned; want call 9's abandon alone", answered, abandoned)
	}
	for _, row := range fx.report(t, "--day", "2025-03-10", "--csv", "agents").rows {
		if row["answered"] != "0" {
			t.Errorf("an answer of 10 March: %v", row)
		}
	}
}

// TestTheBusyDaysTablesAreTheSameFromItsCheckpoints: each table of the
// generated busy day (small), and of the day before it (its calls followed
// past midnight), printed as its rows are made, is the same from the
// checkpoints its writer kept as from the journal's first line.
func TestTheBusyDaysTablesAreTheSameFromItsCheckpoints(t *testing.T) {
	o := busyday.Small(7)
	o.Yesterday, o.Checkpoints = true, true
	dir := t.TempDir()
	if _, err := busyday.Write(dir, busyday.Date, busyday.Location, o); err != nil {
		t.Fatal(err)
	}
	configs := map[string]string{"checkpoints": journalConfig(t, dir, "*.jsonl", "*.ckpt"), "whole": journalConfig(t, dir, "*.jsonl")}
	later := func() time.Time { return busyday.Date.AddDate(0, 0, 2) }
	for _, date := range []time.Time{busyday.Date, busyday.Date.AddDate(0, 0, -1)} {
		for _, table := range []string{"calls", "intervals", "agents"} {
			printed := map[string]string{}
			for name, config := range configs {
				var out, errs bytes.Buffer
				if err := runReport(context.Background(), []string{"--config", config, "--day", date.Format(time.DateOnly), "--csv", table}, &out, &errs, later); err != nil || errs.Len() > 0 {
					t.Fatalf("%s %s from %s: %v, said %q", date.Format(time.DateOnly), table, name, err, errs.String())
				}
				printed[name] = out.String()
			}
			if rows := strings.Count(printed["whole"], "\n"); rows < 10 {
				t.Errorf("%s %s: %d rows", date.Format(time.DateOnly), table, rows)
			}
			if printed["checkpoints"] != printed["whole"] {
				t.Errorf("%s %s: the table from the checkpoints is not the table from the day's start", date.Format(time.DateOnly), table)
			}
		}
	}
}
