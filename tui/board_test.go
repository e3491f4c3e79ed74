package tui

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/charmbracelet/x/exp/teatest"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// feedScript is a small morning: four agents in four states, one unknown
// agent in a status the board does not know, a queued call, trunk calls
// and one payload that cannot be used.
var feedScript = []string{
	`{"ts":1547651821,"elapse":300,"cpt":1,"event":{"type_notification":"UI","event":"login","msg":{"supp":"","id_operator":1,"id_client":1}}}`,
	`{"ts":1547651821,"elapse":247,"cpt":2,"event":{"type_notification":"operator","event":"status","msg":{"status":"available","id_operator":1,"id_client":1}}}`,
	`{"ts":1547651821,"elapse":900,"cpt":3,"event":{"type_notification":"UI","event":"login","msg":{"supp":"","id_operator":"2","id_client":"164645"}}}`,
	`{"ts":1547651821,"elapse":65,"cpt":4,"event":{"type_notification":"operator","event":"status","msg":{"status":"connected","id_operator":2,"id_call":"26903925","id_queue":10,"caller_id_num":"0612345678","id_client":1}}}`,
	`{"ts":1547651821,"elapse":3723,"cpt":5,"event":{"type_notification":"UI","event":"login","msg":{"supp":"","id_operator":3,"id_client":1}}}`,
	`{"ts":1547651821,"elapse":600,"cpt":6,"event":{"type_notification":"UI","event":"pause","msg":{"supp":"2","id_operator":3,"id_client":1}}}`,
	`{"ts":1547651821,"elapse":30,"cpt":7,"event":{"type_notification":"UI","event":"logout","msg":{"supp":"","id_operator":4,"id_client":1}}}`,
	`{"ts":1547651821,"elapse":12,"cpt":8,"event":{"type_notification":"operator","event":"status","msg":{"status":"transfert_start","stype":"x","id_operator":5,"id_call":-17137,"id_client":1}}}`,
	`{"ts":1547651821,"elapse":40,"cpt":9,"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":10,"id_call":"555","caller_id_num":"0140000000","duration_in_queue":5,"id_client":1}}}`,
	`{"ts":1547651821,"elapse":3,"cpt":10,"event":{"type_notification":"trunk","event":"insert_call","msg":{"id_trunk":"345940","id_call":"777","caller_id_num":"0140000000","status":"ringing"}}}`,
	`{"ts":1547651821,"elapse":2,"cpt":11,"event":{"type_notification":"trunk","event":"insert_call","msg":{"id_trunk":346223,"id_call":"778"}}}`,
	`{"ts":1547651821,"elapse":1,"cpt":12,"event":{"type_notification":"trunk","event":"connect_call","msg":{"id_trunk":346223,"id_call":"778"}}}`,
	`{"ts":1547651821,"elapse":0,"cpt":13,"event":"not an object"}`,
}

// scriptedMessages is the morning as the feed delivers it.
func scriptedMessages(t testing.TB) []feed.Message {
	msgs := []feed.Message{&feed.StatusMsg{State: feed.Live, Protocol: "v4", At: start}, directory()}
	for _, raw := range feedScript {
		msgs = append(msgs, feedtest.Event(start, raw))
	}
	return msgs
}

// scriptedFeed is the morning on a channel of views, as a hub publishes it.
func scriptedFeed(t testing.TB) chan *state.View {
	tb := newTestBoard(t, state.Options{})
	for _, msg := range scriptedMessages(t) {
		tb.board.Handle(msg, feed.MessageTime(msg))
	}
	ch := make(chan *state.View, 1)
	ch <- tb.board.View(start)
	return ch
}

func TestBoard(t *testing.T) {
	m := New(Config{
		Title: "callboard — demo",
		Views: scriptedFeed(t),
	})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 30))
	tm.Type("2") // the agents

	teatest.WaitFor(t, tm.Output(), func(out []byte) bool {
		return bytes.Contains(out, []byte("Alice Martin")) && bytes.Contains(out, []byte("rejected 1"))
	}, teatest.WithDuration(5*time.Second))
	tm.Type("q")

	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	view := final.View()
	teatest.RequireEqualOutput(t, []byte(view))

	for _, want := range []string{
		"Agents", "Queues", "Trunks", "● live", "last event 0:00:00 ago", "15:17:01",
		"Alice Martin", "available", "5:00",
		"Bob Durand", "on call", "1:05", "061*****78", "Support",
		"Chloé Petit", "paused", "Lunch",
		"David Roux", "logged out",
		"#5", "transfert_start",
		"5 agents", "rejected 1",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("the board does not show %q", want)
		}
	}
	if strings.ContainsAny(view, "\x1b\a") {
		t.Errorf("outside text reached the screen unsanitised: %q", view)
	}
	if lines := strings.Split(view, "\n"); len(lines) != 30 {
		t.Errorf("the board is %d lines high, want 30", len(lines))
	}

	for _, k := range []string{"1", "3", "4", "5", "6"} {
		next, _ := final.Update(keyRunes(k))
		final = next.(Model)
		t.Run(final.tab.String(), func(t *testing.T) {
			teatest.RequireEqualOutput(t, []byte(final.View()))
		})
		if final.tab == tabEvents {
			events := final.View()
			for _, want := range []string{"rejected: event is no", "unknown", "connect_call", `{"ts":1547651821,"elapse":0,"cpt":13`} {
				if !strings.Contains(events, want) {
					t.Errorf("the event log does not show %q:\n%s", want, events)
				}
			}
			if strings.ContainsAny(events, "\x1b\a") {
				t.Errorf("raw events reached the screen unsanitised")
			}
		}
	}
}

// TestTabsAtStandardSizes keeps a golden file of every tab at the two sizes
// the board must look right in: a bare 80x24 terminal and a 160x45 pane.
func TestTabsAtStandardSizes(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 45}} {
		m, _ := scripted(t, state.Options{}, size[0], size[1])
		for k := range tabCount {
			m, _ = update(t, m, keyRunes(strconv.Itoa(int(k)+1)))
			t.Run(fmt.Sprintf("%dx%d/%s", size[0], size[1], k), func(t *testing.T) {
				view := m.View()
				lines := strings.Split(view, "\n")
				if len(lines) != size[1] {
					t.Errorf("%d lines", len(lines))
				}
				for i, l := range lines {
					if w := lipgloss.Width(l); w > size[0] {
						t.Errorf("line %d is %d wide", i, w)
					}
				}
				teatest.RequireEqualOutput(t, []byte(view))
			})
		}
	}
}
