package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// rulesBoard is a morning under per-queue rules: Support "80 % within
// 20 s" (20 of its 27 calls answered within, 74 %), Ventes "90 % within
// 10 s, ÷ offered" (10 answered within, 1 abandoned: 91 %), Test hidden
// with a caller waiting; it returns the board's view as of its last event.
func rulesBoard(t testing.TB) *state.View {
	b := state.New(state.Options{Location: time.UTC, QueueRules: map[string]state.QueueRule{
		"Support": {Threshold: 20 * time.Second, Target: 80},
		"392":     {Threshold: 10 * time.Second, Target: 90, Formula: state.FormulaOffered},
		"Test":    {Hide: true},
	}}, start)
	b.SetStatus(&feed.StatusMsg{State: feed.Live, Protocol: "v4", At: start})
	b.SetDirectory(feed.Directory{
		Agents: []feed.Agent{{ID: "1", Name: "Alice Martin", Groups: []feed.Text{"391", "392"}}},
		Groups: []feed.Named{{ID: "391", Name: "Support"}, {ID: "392", Name: "Ventes"}, {ID: "393", Name: "Test"}},
	}, start)
	at, cpt := start, 0
	event := func(d time.Duration, name, msg string) {
		at, cpt = at.Add(d), cpt+1
		b.Apply(feedtest.Update(at, cpt, "queue", name, msg), at)
	}
	call := 0
	answer := func(queue int, wait time.Duration) {
		call++
		event(time.Minute, "insert_call", fmt.Sprintf(`{"id_call":%d,"id_queue":%d,"duration_in_queue":0}`, call, queue))
		event(wait, "connect_call", fmt.Sprintf(`{"id_call":%d,"id_queue":%d}`, call, queue))
	}
	for i := range 27 {
		wait := 10 * time.Second
		if i >= 20 {
			wait = 40 * time.Second
		}
		answer(391, wait)
	}
	for range 10 {
		answer(392, 5*time.Second)
	}
	call++
	event(time.Minute, "insert_call", fmt.Sprintf(`{"id_call":%d,"id_queue":392,"duration_in_queue":0}`, call))
	event(30*time.Second, "delete_call", fmt.Sprintf(`{"id_call":%d,"id_queue":392}`, call))
	event(time.Second, "insert_call", `{"id_call":999,"id_queue":393,"duration_in_queue":0}`)
	return b.View(at.Add(5 * time.Second))
}

func rulesModel(t testing.TB) func(*lipgloss.Renderer) tea.Model {
	v := rulesBoard(t)
	return func(r *lipgloss.Renderer) tea.Model {
		return New(Config{Title: "callboard — demo", View: v, Renderer: r})
	}
}

// TestQueuesShowTheirServiceLevelBesideTheirTarget: the Queues tab and
// the Overview show each queue's service level beside its own target
// ("74 % / 80", below it: warn), the hidden queue left off and said in
// the footer, counted in the totals.
func TestQueuesShowTheirServiceLevelBesideTheirTarget(t *testing.T) {
	newModel := rulesModel(t)
	end := playBoard(t, newModel(renderer(termenv.Ascii)), 80, 24, "3")
	for _, want := range []string{"SL / target", "74 % / 80", "91 % / 90", "2 queues", "1 hidden, in the totals"} {
		if !strings.Contains(end.screen, want) {
			t.Errorf("the Queues tab says no %q:\n%s", want, end.screen)
		}
	}
	if strings.Contains(end.screen, "Test") {
		t.Errorf("the hidden queue is shown:\n%s", end.screen)
	}
	narrow := playBoard(t, newModel(renderer(termenv.Ascii)), 40, 12, "3")
	if !strings.Contains(narrow.screen, "1 hidden") {
		t.Errorf("at 40 columns the footer does not say the hidden queue:\n%s", narrow.screen)
	}
	t.Run("Queues", func(t *testing.T) { playGoldens(t, newModel, "3") })
	t.Run("Overview", func(t *testing.T) { playGoldens(t, newModel, "1") })
	t.Run("DayPerQueue", func(t *testing.T) { playGoldens(t, newModel, "7", "e") })
}

// TestTheTotalSaysHowItIsCombined: the Overview's service level of all
// queues, under rules that differ, is their terms summed (30 ÷ 38, the
// hidden queue's waiting caller within its threshold), said "by queue",
// without a target (they have none in common); the level of a queue's
// service level is against its target.
func TestTheTotalSaysHowItIsCombined(t *testing.T) {
	v := rulesBoard(t)
	tot := v.Totals
	if tot.AnsweredInSL != 30 || tot.SLCalls != 38 || !tot.MixedRules || tot.SLTarget != 0 || tot.HiddenQueues != 1 {
		t.Fatalf("totals %d ÷ %d, mixed %v, target %v, hidden %d", tot.AnsweredInSL, tot.SLCalls, tot.MixedRules, tot.SLTarget, tot.HiddenQueues)
	}
	sl := serviceLevelTile(&tot)
	if sl.value != "79 %" || sl.note != "by queue" {
		t.Errorf("the tile %q (%q), want 79 %% by queue", sl.value, sl.note)
	}
	m, _ := update(t, New(Config{View: v}), sizeMsg(160, 45))
	var wallSL string
	for _, f := range m.wallFigures() {
		if strings.Contains(f.label, "SERVICE LEVEL") {
			wallSL = f.label
		}
	}
	if !strings.Contains(wallSL, "SERVICE LEVEL (by queue)") {
		t.Errorf("the wall's service level is labelled %q, want it to say by queue", wallSL)
	}
	for _, q := range v.Queues {
		want := map[string]state.Level{"391": state.LevelWarn, "392": state.LevelOK}[q.ID]
		if q.Levels.ServiceLevel != want {
			t.Errorf("queue %s at %v against %v: %v, want %v", q.ID, q.ServiceLevel, q.Rule.Target, q.Levels.ServiceLevel, want)
		}
	}
	if got := slText(74.07, true, 80); got != "74 % / 80" {
		t.Errorf("slText %q", got)
	}
	if got := slText(0, false, 82.5); got != noValue+" / 82.5" {
		t.Errorf("slText undefined %q", got)
	}
	if got := slText(74.07, true, 0); got != "74 %" { // one form, target or not
		t.Errorf("slText without a target %q", got)
	}
	if compareCells("74 % / 80", "100 % / 80") >= 0 || compareCells("9 % / 80", "74 % / 80") >= 0 {
		t.Error("service levels beside targets do not sort by value")
	}
}

// TestTheQueuesTabSaysTheRulesItIgnored: a [queues."…"] key naming two
// queues is said under the Queues tab's table, the table above it whole.
func TestTheQueuesTabSaysTheRulesItIgnored(t *testing.T) {
	b := state.New(state.Options{Location: time.UTC, QueueRules: map[string]state.QueueRule{"Support": {Target: 80}}}, start)
	b.SetStatus(&feed.StatusMsg{State: feed.Live, Protocol: "v4", At: start})
	b.SetDirectory(feed.Directory{Groups: []feed.Named{{ID: "391", Name: "Support"}, {ID: "392", Name: "Support"}}}, start)
	b.Apply(feedtest.Update(start, 1, "queue", "insert_call", `{"id_call":1,"id_queue":391,"duration_in_queue":0}`), start)
	v := b.View(start)
	end := playBoard(t, New(Config{View: v, Renderer: renderer(termenv.Ascii)}), 100, 24, "3")
	if !strings.Contains(end.screen, `queues."Support": 2 queues bear that name (ids 391, 392): ignored, key it by id`) {
		t.Errorf("the note is not said:\n%s", end.screen)
	}
	if strings.Contains(end.screen, "/ 80") || strings.Count(end.screen, "Support") != 3 {
		t.Errorf("want both queues, without the ignored target:\n%s", end.screen)
	}
}
