package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// eventsBoard is a model on the Events tab at width×height, its log
// holding logSize events, given the directory and the updates numbered 1
// to n (eventUpdate).
func eventsBoard(t *testing.T, logSize, n, width, height int) (Model, *testBoard) {
	t.Helper()
	tb := newTestBoard(t, state.Options{EventLogSize: logSize})
	m := New(Config{Renderer: renderer(termenv.Ascii)})
	m, _ = update(t, m, sizeMsg(width, height), keyRunes("6"))
	m = tb.send(m, directory())
	return sendUpdates(t, tb, m, 1, n), tb
}

// eventUpdate is the update numbered cpt: agent 1 logs in (cpt even) or
// out (cpt odd), a second after the one before.
func eventUpdate(cpt int) *feed.Event {
	name := "login"
	if cpt%2 == 1 {
		name = "logout"
	}
	return feedtest.Update(start.Add(time.Duration(cpt)*time.Second), cpt, "UI", name, `{"supp":"","id_operator":1}`)
}

// sendUpdates gives m the updates numbered from to to, in one view.
func sendUpdates(t *testing.T, tb *testBoard, m Model, from, to int) Model {
	t.Helper()
	var msgs []feed.Message
	for cpt := from; cpt <= to; cpt++ {
		msgs = append(msgs, eventUpdate(cpt))
	}
	tb.clock = start.Add(time.Duration(to) * time.Second)
	return tb.send(m, msgs...)
}

func (m *Model) eventsTab() *eventsTab { return m.tabs[tabEvents].(*eventsTab) }

// cursorCpt is the cpt of the event under the Events tab's cursor, as the
// detail it opens says it; the detail is closed again (the copies of a
// model share their tabs).
func cursorCpt(t *testing.T, m Model) string {
	t.Helper()
	m, _ = update(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	d := m.eventsTab().detail
	if d == nil {
		t.Fatalf("enter opened no detail:\n%s", m.View())
	}
	press(t, m, "esc")
	return detailCpt(t, d)
}

// detailCpt is the cpt detail d names in its fields.
func detailCpt(t *testing.T, d *eventDetail) string {
	t.Helper()
	for _, l := range d.lines {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "cpt" {
			return f[1]
		}
	}
	t.Fatalf("the detail names no cpt:\n%s", strings.Join(d.lines, "\n"))
	return ""
}

func footer(m Model) string {
	lines := strings.Split(m.View(), "\n")
	return lines[len(lines)-1]
}

// press types keys on m: those keys (narrow_test.go) types, and home,
// end and pgdown.
func press(t *testing.T, m Model, ks ...string) Model {
	t.Helper()
	special := map[string]tea.KeyType{"home": tea.KeyHome, "end": tea.KeyEnd, "pgdown": tea.KeyPgDown}
	for _, k := range ks {
		if typ, ok := special[k]; ok {
			m, _ = update(t, m, tea.KeyMsg{Type: typ})
			continue
		}
		m = keys(t, m, k)
	}
	return m
}

// wantCursor checks that the cursor is on cpt want and that the footer
// says paused (say, "" for no such word).
func wantCursor(t *testing.T, m Model, want, paused, when string) {
	t.Helper()
	if got := cursorCpt(t, m); got != want {
		t.Errorf("%s the cursor is on cpt %s, want %s", when, got, want)
	}
	if f := footer(m); paused != "" && !strings.Contains(f, paused) {
		t.Errorf("%s the footer says %q, want %q", when, f, paused)
	}
}

func TestEventsCursorStaysOnItsEvent(t *testing.T) {
	m, tb := eventsBoard(t, 500, 250, 80, 24)
	m = press(t, m, strings.Repeat("j", 10))
	if got := cursorCpt(t, m); got != "240" {
		t.Fatalf("10 rows down from cpt 250 the cursor is on cpt %s, want 240", got)
	}
	m = sendUpdates(t, tb, m, 251, 258)
	wantCursor(t, m, "240", "paused: 18 newer", "after 8 more events")

	// narrowed to the logouts (odd cpt), cpt 240 is not shown: the cursor
	// goes to the nearest one, and comes back when the filter goes
	m = press(t, m, "/", "logout", "enter")
	if got := cursorCpt(t, m); got != "241" && got != "239" {
		t.Errorf("filtered to the logouts, the cursor is on cpt %s, want 239 or 241", got)
	}
	m = sendUpdates(t, tb, m, 259, 262)
	before := cursorCpt(t, m)
	if before != "241" && before != "239" {
		t.Errorf("filtered, after more events, the cursor is on cpt %s, want 239 or 241", before)
	}
	m = press(t, m, "/", "esc")
	if got := cursorCpt(t, m); got != "240" {
		t.Errorf("the filter cleared, the cursor is on cpt %s, want 240 again", got)
	}
}

func TestEventsCursorWhenItsEventLeavesTheLog(t *testing.T) {
	m, tb := eventsBoard(t, 20, 20, 80, 24)
	m = press(t, m, "end")
	if got := cursorCpt(t, m); got != "1" {
		t.Fatalf("at the end the cursor is on cpt %s, want 1", got)
	}
	m = sendUpdates(t, tb, m, 21, 25)
	wantCursor(t, m, "6", "paused: 19 newer", "cpt 1 to 5 gone from the log, on the oldest left,")
	// a detail open on an event that leaves the log stays, and says so
	m = press(t, m, "enter")
	if strings.Contains(m.View(), "no longer in the log") {
		t.Errorf("the detail of an event in the log says it is gone:\n%s", m.View())
	}
	m = sendUpdates(t, tb, m, 26, 60)
	if view := m.View(); detailCpt(t, m.eventsTab().detail) != "6" ||
		!strings.Contains(view, "no longer in the log, which keeps the newest 20 events") {
		t.Errorf("the detail of an event gone from the log says\n%s", view)
	}
	m = press(t, m, "esc")
	// the log went round whole between two views
	if got := cursorCpt(t, m); got != "41" {
		t.Errorf("the log gone round, the cursor is on cpt %s, want the oldest, 41", got)
	}
}

func TestEventsFollowTheNewest(t *testing.T) {
	m, tb := eventsBoard(t, 500, 5, 80, 24)
	follows := func(t *testing.T, m Model, newest string) {
		t.Helper()
		if got := cursorCpt(t, m); got != newest {
			t.Errorf("the cursor is on cpt %s, want the newest, %s", got, newest)
		}
		if strings.Contains(footer(m), "paused") || !strings.Contains(m.View(), "following newest") {
			t.Errorf("following, the board says\n%s", m.View())
		}
	}
	follows(t, m, "5")
	m = sendUpdates(t, tb, m, 6, 8)
	follows(t, m, "8")

	m = press(t, m, "j")
	m = sendUpdates(t, tb, m, 9, 10)
	wantCursor(t, m, "7", "paused: 3 newer", "moved down, after more events,")
	m = press(t, m, "kkk") // back to the top
	m = sendUpdates(t, tb, m, 11, 11)
	follows(t, m, "11")

	// home, or esc (it clears the tab's filters), resumes following
	cpt := 11
	for _, resume := range []string{"home", "esc"} {
		m = press(t, m, "jj")
		m = sendUpdates(t, tb, m, cpt+1, cpt+1)
		if got, want := cursorCpt(t, m), fmt.Sprint(cpt-2); got != want {
			t.Errorf("paused, the cursor is on cpt %s, want %s", got, want)
		}
		m = press(t, m, resume)
		m = sendUpdates(t, tb, m, cpt+2, cpt+2)
		cpt += 2
		follows(t, m, fmt.Sprint(cpt))
	}
}

func TestEventDetailShowsTheWholeReason(t *testing.T) {
	tb := newTestBoard(t, state.Options{})
	m := New(Config{Renderer: renderer(termenv.Ascii)})
	m, _ = update(t, m, sizeMsg(80, 24), keyRunes("6"))
	reason := "bad duration: duration_in_queue: 1e+15 s is beyond 24 h"
	m = tb.send(m, directory(), feedtest.Update(start, 1, "queue", "insert_call",
		`{"id_queue":10,"id_call":"555","duration_in_queue":1e15}`))
	if list := m.View(); strings.Contains(list, reason) || !strings.Contains(list, "rejected: bad") {
		t.Fatalf("at 80 columns the list shows the reason whole, or not at all:\n%s", list)
	}
	for _, size := range [][2]int{{80, 24}, {40, 12}} {
		m, _ := update(t, m, sizeMsg(size[0], size[1]), tea.KeyMsg{Type: tea.KeyEnter})
		view := m.View()
		var said []string
		in := false
		for _, l := range strings.Split(view, "\n") {
			switch {
			case strings.HasPrefix(l, "status"):
				in = true
			case in && !strings.HasPrefix(l, "          "):
				in = false
			}
			if in {
				said = append(said, strings.TrimSpace(l[len("status    "):]))
			}
		}
		if got := strings.Join(said, " "); got != "rejected: "+reason {
			t.Errorf("at %dx%d the detail says %q, want the whole reason:\n%s", size[0], size[1], got, view)
		}
		m = press(t, m, "esc")
		if m.eventsTab().detail != nil || !strings.Contains(m.View(), "Received") {
			t.Errorf("esc did not go back to the list:\n%s", m.View())
		}
	}
}

func TestEventDetailSanitisesThePayload(t *testing.T) {
	tb := newTestBoard(t, state.Options{})
	m := New(Config{Renderer: renderer(termenv.Ascii)})
	m, _ = update(t, m, sizeMsg(80, 40), keyRunes("6"))
	m = tb.send(m, directory(),
		feedtest.Event(start, "not JSON \x1b[31mred\x1b[0m \u202eevil\u200b \x1b]0;pwn\a end"),
		feedtest.Event(start, `{"ts":1547651821,"elapse":0,"event":{"type_notification":"queue\u001b[2J","event":"x\u202eevil\u200b",`+
			`"msg":{"id_queue":"\u001b]0;pwn\u0007Q1","note":"a\nb\\u001b"}},"cpt":7}`))
	hostile := []string{"\x1b", "\a", "\u202e", "\u200b", `\u001b[2J`, `\u202e`, `\u0007`, "pwn"}
	for _, row := range []struct {
		keys []string
		want []string
	}{
		{[]string{"enter"}, []string{`"type_notification": "queue"`, `"event": "xevil"`, `"id_queue": "Q1"`, `"note": "a b\u001b"`, "event.msg.id_queue"}},
		{[]string{"j", "enter"}, []string{"not JSON red evil  end", "Payload (not JSON"}},
	} {
		m := press(t, m, row.keys...)
		view := m.View()
		press(t, m, "esc")
		for _, bad := range hostile {
			if strings.Contains(view, bad) {
				t.Errorf("the detail shows %q:\n%s", bad, view)
			}
		}
		for _, want := range row.want {
			if !strings.Contains(view, want) {
				t.Errorf("the detail does not show %q:\n%s", want, view)
			}
		}
	}
}

func TestEventDetailScrolls(t *testing.T) {
	m, _ := eventsBoard(t, 500, 3, 40, 12)
	m = press(t, m, "enter")
	d := m.eventsTab().detail
	if len(d.lines) <= 8 {
		t.Fatalf("the detail has %d lines, too few to scroll in 40x12", len(d.lines))
	}
	m = press(t, m, "G")
	view := strings.Split(m.View(), "\n")
	if last := strings.TrimSpace(view[len(view)-2]); last != "}" {
		t.Errorf("at the end the detail's last line is %q, want the payload's }:\n%s", last, strings.Join(view, "\n"))
	}
	m = press(t, m, "home")
	if !strings.Contains(m.View(), "received  ") {
		t.Errorf("home did not go back to the top:\n%s", m.View())
	}
	m = press(t, m, "pgdown")
	if d.offset != 8 {
		t.Errorf("a page down is at line %d, want 8", d.offset)
	}
	// the list's keys do not reach the list under the detail
	m = press(t, m, "s", "S", "a", "x")
	if nw := m.eventsTab().narrowing; nw.sortCol != -1 || nw.desc || m.eventsTab().detail != d {
		t.Errorf("keys in the detail sorted the list or closed the detail")
	}
	// q quits from the detail; enter while the filter is typed keeps it
	if _, cmd := update(t, m, keyRunes("q")); cmd == nil || fmt.Sprint(cmd()) != fmt.Sprint(tea.Quit()) {
		t.Errorf("q in the detail did not quit")
	}
	m = press(t, m, "esc", "/", "log", "enter")
	if m.eventsTab().detail != nil || m.editing || m.eventsTab().narrowing.query != "log" {
		t.Errorf("enter while the filter was typed did not keep it, or opened the detail")
	}
}

// TestEventsGoldens plays the Events tab through a real program: the
// detail of the newest event (rejected), and the cursor moved off the top
// (paused, said in the footer and above the list).
func TestEventsGoldens(t *testing.T) {
	newModel := scriptedBoard(t)
	t.Run("Detail", func(t *testing.T) { playGoldens(t, newModel, "6", "\r") })
	t.Run("DetailScrolled", func(t *testing.T) { playGoldens(t, newModel, "6", "jjjj", "\r", "jjjj") })
	t.Run("Paused", func(t *testing.T) { playGoldens(t, newModel, "6", "jj") })
	t.Run("Back", func(t *testing.T) { playGoldens(t, newModel, "6", "jj", "\r", "\x1b") })
}

func TestEventsTabSaysTheFeedsWholeReason(t *testing.T) {
	tb := newTestBoard(t, state.Options{})
	m := New(Config{Renderer: renderer(termenv.Ascii)})
	m, _ = update(t, m, sizeMsg(80, 24), keyRunes("6"))
	reason := strings.TrimSpace(strings.Repeat("the server said something long about why it refused us ", 7)) + " END"
	m = tb.send(m, &feed.StatusMsg{State: feed.Disconnected, Reason: reason, At: start})
	var said []string
	for _, l := range strings.Split(m.View(), "\n")[2:] {
		if strings.Contains(l, " events · ") {
			break
		}
		said = append(said, strings.TrimSpace(l))
	}
	if got := strings.Join(said, " "); !strings.Contains(got, reason) {
		t.Errorf("the Events tab says %q, want the whole reason %q", got, reason)
	}
}

func TestEventDetailOfAHugePayloadIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"ts":1547651821,"elapse":0,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":1,"id_call":"5"},"junk":[`)
	for i := range 100000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"n":%d}`, i)
	}
	b.WriteString(`]},"cpt":1}`)
	for _, raw := range []string{b.String(), strings.Repeat("not JSON ", 200000)} {
		tb := newTestBoard(t, state.Options{})
		m := New(Config{Renderer: renderer(termenv.Ascii)})
		m, _ = update(t, m, sizeMsg(80, 24), keyRunes("6"))
		m = tb.send(m, feedtest.Event(start, raw))
		m = press(t, m, "enter", "end")
		d := m.eventsTab().detail
		if n := len(d.lines); n > maxDetailLines+2 {
			t.Errorf("the detail of a %d-byte payload has %d lines, want at most %d", len(raw), n, maxDetailLines+2)
		}
		want := fmt.Sprintf("… cut here: the payload (%d bytes) does not show whole", len(raw))
		if view := m.View(); !strings.Contains(view, want) {
			t.Errorf("at its end the detail of a %d-byte payload does not say %q:\n%s", len(raw), want, view)
		}
	}
}
