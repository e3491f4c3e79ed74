package tui

import (
	"strings"
	"testing"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
	"callboard/state"
)

// TestInvisibleCharactersNeverReachTheScreen: an agent's name, a group's
// and a pause label carrying RLM, ALM, BOM, line and paragraph
// separators, zero-width characters, a tag and a variation selector show
// without them on the Agents, Queues and Events tabs (the separators as
// spaces, as other line breaks).
func TestInvisibleCharactersNeverReachTheScreen(t *testing.T) {
	const hidden = "\u200f\u061c\ufeff\u2028\u2029\u200b\u200d\U000e0041\ufe0f"
	tb := newTestBoard(t, state.Options{})
	m, _ := update(t, New(Config{}), sizeMsg(160, 30))
	d := directory()
	d.Directory.Agents = append(d.Directory.Agents, feed.Agent{ID: "5", Name: "Eve" + hidden + "Mallory", Groups: []feed.Text{"12"}})
	d.Directory.Groups = append(d.Directory.Groups, feed.Named{ID: "12", Name: "Back" + hidden + "office"})
	d.Directory.Pauses = append(d.Directory.Pauses, feed.Named{ID: "7", Name: "Cof" + hidden + "fee"})
	m = tb.send(m, d, &feed.StatusMsg{State: feed.Live, At: start},
		feedtest.Event(start, `{"cpt":1,"event":{"type_notification":"UI","event":"login","msg":{"id_operator":5}}}`),
		feedtest.Event(start, `{"cpt":2,"n":"x`+hidden+`y","event":{"type_notification":"UI","event":"pause","msg":{"id_operator":5,"supp":"7"}}}`),
	)
	for _, tab := range []string{"2", "3", "6"} {
		m, _ = update(t, m, keyRunes(tab))
		screen := m.View()
		for _, r := range hidden {
			if strings.ContainsRune(screen, r) {
				t.Errorf("tab %s shows %U:\n%s", tab, r, screen)
			}
		}
		// the line and paragraph separators are line breaks: each a space
		want := map[string]string{"2": "Eve  Mallory", "3": "Back  office", "6": `"n":"x  y"`}[tab]
		if !strings.Contains(screen, want) {
			t.Errorf("tab %s lacks %q:\n%s", tab, want, screen)
		}
	}
	m, _ = update(t, m, keyRunes("2"))
	if screen := m.View(); !strings.Contains(screen, "Cof  fee") {
		t.Errorf("the pause label is not shown whole:\n%s", screen)
	}
}
