package notify

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"callboard/config"
	"callboard/internal/testkit"
	"callboard/state"
)

var paris = mustLocation("Europe/Paris")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is 7 December 2026 at hh:mm:ss in Paris.
func at(hms string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", "2026-12-07 "+hms, paris)
	if err != nil {
		panic(err)
	}
	return t
}

// recorder is a real command in a temporary directory that appends each
// JSON document it is given on its standard input, a line each, to a file.
func recorder(t *testing.T) (argv []string, received func() []Message) {
	dir := t.TempDir()
	script, out := filepath.Join(dir, "notify.sh"), filepath.Join(dir, "received")
	if err := os.WriteFile(script, []byte("#!/bin/sh\n{ cat; echo; } >>\"$1\"\necho \"sent to chat\" >&2\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return []string{script, out}, func() []Message {
		f, err := os.Open(out)
		if os.IsNotExist(err) {
			return nil
		}
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var got []Message
		for sc := bufio.NewScanner(f); sc.Scan(); {
			var m Message
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				t.Fatalf("the command got %q: %v", sc.Text(), err)
			}
			got = append(got, m)
		}
		return got
	}
}

// board makes the views a board writing its journal would: each holds
// the ring of the changes made so far, the alerts raised and the board's
// time (now, else the last change's).
type board struct {
	changes []state.AlertChange
	active  []state.Alert
	writing bool
	now     time.Time
}

func (b *board) change(raised bool, hms string, key state.AlertKey, subject string, value, limit float64) {
	c := state.AlertChange{Seq: uint64(len(b.changes) + 1), At: at(hms), Raised: raised,
		Alert: state.Alert{AlertKey: key, Subject: subject, Value: value, Limit: limit, Since: at(hms)}}
	if !raised { // the clear of the last raise of key
		for _, p := range slices.Backward(b.changes) {
			if p.Alert.AlertKey == key && p.Raised {
				c.Alert.Since = p.Alert.Since
				break
			}
		}
	}
	b.active = slices.DeleteFunc(b.active, func(a state.Alert) bool { return a.AlertKey == key })
	if raised {
		b.active = append([]state.Alert{c.Alert}, b.active...)
	}
	b.changes = append(b.changes, c)
	b.now = c.At
}

// at sets the board's time, as a tick does.
func (b *board) at(hms string) *board { b.now = at(hms); return b }

func (b *board) view() *state.View {
	return &state.View{Journal: state.JournalHealth{On: true, Writing: b.writing}, AsOf: b.now, Now: b.now,
		AlertChanges: slices.Clone(b.changes), Alerts: slices.Clone(b.active)}
}

var support = state.AlertKey{Rule: state.RuleAvailableMin, QueueID: "10"}

// logger keeps the log's lines.
type logger struct {
	mu    sync.Mutex
	lines []string
}

func (l *logger) log(s string) { l.mu.Lock(); l.lines = append(l.lines, s); l.mu.Unlock() }
func (l *logger) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func newSender(t *testing.T, o Options) *Sender {
	t.Helper()
	if o.Location == nil {
		o.Location = paris
	}
	if o.Config.Timeout.Duration == 0 {
		o.Config.Timeout.Duration = time.Minute
	}
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(time.Now()) })
	return s
}

// drain ends s once it has delivered all it queued.
func drain(s *Sender) { s.Close(time.Now().Add(testkit.Patience)) }

func events(ms []Message) []string {
	var got []string
	for _, m := range ms {
		got = append(got, m.Event+" "+m.Rule+" "+m.Subject+" "+m.At.Format("15:04:05"))
	}
	return got
}

func TestTheCommandReceivesTheRaiseAndTheClearOnceEach(t *testing.T) {
	argv, received := recorder(t)
	var log logger
	s := newSender(t, Options{Config: config.Notify{Command: argv}, Board: "callboard", Account: "sup", Log: log.log})
	b := &board{writing: true}
	s.Observe(b.view()) // after the replay: nothing yet
	b.change(true, "10:02:03", support, "Support", 0, 1)
	v := b.view()
	s.Observe(v)
	s.Observe(v) // the same view again: views come every second
	b.change(false, "10:05:00", support, "Support", 1, 1)
	s.Observe(b.view())
	s.Observe(b.view())
	drain(s)
	got := received()
	if want := []string{"raised available_min Support 10:02:03", "cleared available_min Support 10:05:00"}; !slices.Equal(events(got), want) {
		t.Fatalf("the command received %q, want %q", events(got), want)
	}
	raise := got[0]
	if raise.Seq != 1 || raise.QueueID != "10" || raise.AgentID != "" || raise.Value != 0 || raise.Limit != 1 ||
		!raise.Since.Equal(at("10:02:03")) || raise.Acknowledged != nil || raise.Board != "callboard" || raise.Account != "sup" {
		t.Errorf("raise = %+v", raise)
	}
	if want := "[callboard] Support: available_min 0 (limit 1), raised at 10:02:03"; raise.Text != want {
		t.Errorf("text = %q, want %q", raise.Text, want)
	}
	if clear := got[1]; !clear.Since.Equal(at("10:02:03")) || clear.Seq != 2 {
		t.Errorf("clear = %+v", clear)
	}
	if h := s.Health(); !h.On || !h.Sending || h.Sent != 2 || h.CommandFailures != 0 || h.Dropped != 0 || h.Held != 0 {
		t.Errorf("health = %+v", h)
	}
	if !strings.Contains(log.text(), "notify command: sent to chat") {
		t.Errorf("the command's stderr is not in the log: %q", log.text())
	}
}

func TestCooldownQuietHoursAndRulesHoldARaiseAndItsClear(t *testing.T) {
	argv, received := recorder(t)
	quiet := &config.QuietHours{Start: 22 * 60, End: 7 * 60}
	cfg := config.Notify{Command: argv, Cooldown: config.Duration{Duration: 10 * time.Minute}, Quiet: quiet,
		Rules: []string{state.RuleAvailableMin, state.RulePauseMax}}
	s := newSender(t, Options{Config: cfg})
	b := &board{writing: true}
	s.Observe(b.view())
	ventes := state.AlertKey{Rule: state.RuleAvailableMin, QueueID: "20"}
	pause := state.AlertKey{Rule: state.RulePauseMax, AgentID: "7"}
	waiting := state.AlertKey{Rule: state.RuleWaitingMax, QueueID: "10"}
	b.change(true, "06:50:00", support, "Support", 0, 1)  // quiet hours: held
	b.change(false, "06:58:00", support, "Support", 1, 1) // its clear, before they end: held
	b.change(true, "09:00:00", support, "Support", 0, 1)  // sent
	b.change(false, "09:02:00", support, "Support", 2, 1) // sent
	b.change(true, "09:05:00", support, "Support", 0, 1)  // 5 min after the last sent: held
	b.change(true, "09:06:00", ventes, "Ventes", 0, 1)    // another subject: sent
	b.change(false, "09:07:00", support, "Support", 1, 1) // held with its raise
	b.change(true, "09:08:00", waiting, "Support", 9, 5)  // a rule not chosen: held
	b.change(false, "09:09:00", waiting, "Support", 2, 5) // held
	b.change(true, "09:12:00", support, "Support", 0, 1)  // 12 min after the last sent: sent
	b.change(true, "21:00:00", pause, "Alice", 900, 600)  // sent
	b.change(false, "22:30:00", pause, "Alice", 0, 600)   // cleared in the quiet hours: not sent
	s.Observe(b.view())
	drain(s)
	want := []string{
		"raised available_min Support 09:00:00",
		"cleared available_min Support 09:02:00",
		"raised available_min Ventes 09:06:00",
		"raised available_min Support 09:12:00",
		"raised pause_max Alice 21:00:00",
	}
	if got := events(received()); !slices.Equal(got, want) {
		t.Errorf("sent:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if h := s.Health(); h.Sent != 5 || h.Held != 7 {
		t.Errorf("health = %+v: want 5 sent, 7 held", h)
	}
	if got := received()[4].Text; !strings.Contains(got, "pause_max 15m0s (limit 10m0s)") {
		t.Errorf("text = %q", got)
	}
}

// TestNothingIsSentAgainAfterARestart: a sender whose first view after the
// journal's replay holds changes (made by the run before, which sent
// them) sends none of them, only what comes after; a view made before the
// replay ended (the hub's first, Journal unset) does not count.
func TestNothingIsSentAgainAfterARestart(t *testing.T) {
	argv, received := recorder(t)
	s := newSender(t, Options{Config: config.Notify{Command: argv}})
	s.Observe(&state.View{}) // the hub's first view, before the replay
	b := &board{writing: true}
	b.change(true, "09:00:00", support, "Support", 0, 1)
	b.change(false, "09:02:00", support, "Support", 2, 1)
	b.change(true, "09:30:00", support, "Support", 0, 1)
	s.Observe(b.view()) // the replay's: sent by the run before
	s.Observe(b.view())
	b.change(false, "09:40:00", support, "Support", 1, 1)
	s.Observe(b.view())
	drain(s)
	if got, want := events(received()), []string{"cleared available_min Support 09:40:00"}; !slices.Equal(got, want) {
		t.Errorf("sent %q, want %q", got, want)
	}
}

// TestOnlyTheJournalsWriterSends: beside another process that writes the
// journal (and sends) nothing is sent; once this one takes it over it
// sends what comes from then on.
func TestOnlyTheJournalsWriterSends(t *testing.T) {
	argv, received := recorder(t)
	s := newSender(t, Options{Config: config.Notify{Command: argv}})
	b := &board{}
	s.Observe(b.view())
	b.change(true, "09:00:00", support, "Support", 0, 1)
	s.Observe(b.view())
	if h := s.Health(); h.Sending {
		t.Errorf("health = %+v: not the writer", h)
	}
	b.writing = true // took the journal over
	s.Observe(b.view())
	b.change(false, "09:10:00", support, "Support", 1, 1)
	s.Observe(b.view())
	drain(s)
	if got, want := events(received()), []string{"cleared available_min Support 09:10:00"}; !slices.Equal(got, want) {
		t.Errorf("sent %q, want %q", got, want)
	}
}

// TestChangesLostAreCountedDropped: changes the ring let go before a view
// was read (a gap in Seq), and changes that find the queue full, are
// counted dropped; the board is never waited for.
func TestChangesLostAreCountedDropped(t *testing.T) {
	dir := t.TempDir()
	release := filepath.Join(dir, "release")
	script := filepath.Join(dir, "slow.sh")
	// the command waits until the test lets it go
	os.WriteFile(script, []byte("#!/bin/sh\ncat >/dev/null\nwhile [ ! -e \""+release+"\" ]; do sleep 0.01; done\n"), 0o755)
	s := newSender(t, Options{Config: config.Notify{Command: []string{script}, Cooldown: config.Duration{}}, QueueSize: 1})
	b := &board{writing: true}
	s.Observe(b.view())
	b.change(true, "09:00:00", support, "Support", 0, 1) // 1: delivered, the command waits
	s.Observe(b.view())
	testkit.Eventually(t, "the first change taken off the queue", func() bool { return len(s.queue) == 0 })
	for _, hms := range []string{"09:01:00", "09:02:00", "09:03:00", "09:04:00", "09:05:00"} {
		b.change(false, hms, support, "Support", 1, 1)
		b.change(true, hms, support, "Support", 0, 1)
	}
	ring := &board{writing: true, changes: b.changes[8:]} // 9 to 11: 2 to 8 were let go
	s.Observe(ring.view())
	// 2..8 lost (7), 9 queued, 10 and 11 dropped (the queue holds one)
	if h := s.Health(); h.Dropped != 9 {
		t.Errorf("health = %+v: want 9 dropped", h)
	}
	os.WriteFile(release, nil, 0o600)
	drain(s)
	if h := s.Health(); h.Sent != 2 || h.Dropped != 9 {
		t.Errorf("health = %+v: want 2 sent, 9 dropped", h)
	}
}

func TestAFailingCommandIsCountedAndSaid(t *testing.T) {
	var log logger
	failedAt := at("09:00:10") // the delivery's end, after the change (09:00:00)
	s := newSender(t, Options{Config: config.Notify{Command: []string{"sh", "-c", "cat >/dev/null; printf 'chat: \\033[31mdown\\n' >&2; exit 3"}}, Log: log.log,
		Now: func() time.Time { return failedAt }})
	b := &board{writing: true}
	s.Observe(b.view())
	b.change(true, "09:00:00", support, "Support", 0, 1)
	s.Observe(b.view())
	drain(s)
	h := s.Health()
	if h.Sent != 0 || h.CommandFailures != 1 || h.LastFailure != "command: exit status 3" || !h.LastFailureAt.Equal(failedAt) {
		t.Errorf("health = %+v", h)
	}
	if got := log.text(); !strings.Contains(got, `notify command: chat: \x1b[31mdown`) || strings.Contains(got, "\x1b") ||
		!strings.Contains(got, "notify: raised of available_min (Support) not delivered: command: exit status 3") {
		t.Errorf("log = %q", got)
	}
	if line := h.Line(paris); line != "notify: 0 sent · 1 failed · last failure 09:00:10: command: exit status 3" {
		t.Errorf("line = %q", line)
	}
}

// TestTheRulesTheFileNamesAreTheBoards: [notify] rules is checked against
// config's list, which must be the board's rules.
func TestTheRulesTheFileNamesAreTheBoards(t *testing.T) {
	board := []string{state.RuleWaitingMax, state.RuleLongestWaitMax, state.RuleAvailableMin, state.RuleLoggedInMin,
		state.RuleAbandonRateMax, state.RulePauseMax, state.RuleCallMax, state.RuleRingingMax, state.RuleUnavailableMax}
	if !slices.Equal(config.NotifyRules, board) {
		t.Errorf("config.NotifyRules = %q, the board's = %q", config.NotifyRules, board)
	}
}
