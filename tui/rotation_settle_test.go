package tui

import (
	"testing"
	"time"

	"callboard/state"
)

// acknowledgedAll is v with each of its alerts acknowledged.
func acknowledgedAll(v *state.View) *state.View {
	w := *v
	w.Alerts = append([]state.Alert(nil), v.Alerts...)
	for i := range w.Alerts {
		a := &w.Alerts[i]
		a.Acknowledged = &state.Acknowledgement{AlertKey: a.AlertKey, Since: a.Since, By: "léa", At: start}
	}
	return &w
}

// pinnedOnSales is the wall of the center, Support and Sales on the quiet
// morning's pages, then Chloé's lunch past its limit: on the center's
// page and Sales', which it pins.
func pinnedOnSales(t *testing.T, quiet, lunch []*state.View) Model {
	t.Helper()
	m := New(Config{Title: "callboard — demo", View: quiet[0], Wall: true, RotateEvery: rotateEvery, Pages: []Page{
		{Name: "Center", View: quiet[0]}, {Name: "Support", View: quiet[1]}, {Name: "Sales", View: quiet[2]},
	}})
	m.rot.tick = nil
	m, _ = update(t, m, sizeMsg(80, 24), rotateTick{at: start})
	m = pageViewOf(t, m, 0, lunch[0])
	m = pageViewOf(t, m, 2, lunch[2])
	onPage(t, m, 3, "pinned: paused on Chloé Petit")
	return m
}

// TestAPinnedPageReleasedStaysWhateverOrderThePagesLearnIt: the pages'
// views of one publish come one by one (a channel each), in any order.
// Chloé's lunch pins Sales (the whole center's page holds it too); once
// acknowledged, or cleared, the wall goes on from Sales whichever page
// hears it first: the center's page, a view behind, does not take the
// wall for an alert already settled.
func TestAPinnedPageReleasedStaysWhateverOrderThePagesLearnIt(t *testing.T) {
	quiet := scopedPages(t, state.Options{})
	lunch := scopedPages(t, state.Options{Limits: state.Limits{Pause: map[string]time.Duration{"Lunch": 5 * time.Minute}}, AlertSettle: -1})
	for _, c := range []struct {
		name          string
		center, sales *state.View
	}{
		{"acknowledged", acknowledgedAll(lunch[0]), acknowledgedAll(lunch[2])},
		{"cleared", quiet[0], quiet[2]},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := pinnedOnSales(t, quiet, lunch)
			// Sales hears it first: the center's page still holds the alert
			m = pageViewOf(t, m, 2, c.sales)
			onPage(t, m, 3, "rotating")
			m = pageViewOf(t, m, 0, c.center)
			onPage(t, m, 3, "rotating")
			m = tick(t, m, rotateEvery-time.Second)
			onPage(t, m, 3, "rotating")
			m = tick(t, m, rotateEvery)
			onPage(t, m, 1, "Center · 1/3")
		})
	}
}

// TestASettledAlertStillHeldByANewerViewPins: what one page said settled
// does not hide the alert from a page whose view is newer and still holds
// it (the page heard it first, the agent then came back to it: it is
// pinned again).
func TestASettledAlertStillHeldByANewerViewPins(t *testing.T) {
	quiet := scopedPages(t, state.Options{})
	lunch := scopedPages(t, state.Options{Limits: state.Limits{Pause: map[string]time.Duration{"Lunch": 5 * time.Minute}}, AlertSettle: -1})
	m := pinnedOnSales(t, quiet, lunch)
	m = pageViewOf(t, m, 2, quiet[2])
	onPage(t, m, 3, "rotating")
	later := *lunch[0]
	later.Now = later.Now.Add(time.Second)
	m = pageViewOf(t, m, 0, &later)
	onPage(t, m, 1, "pinned: paused on Chloé Petit")
	for i, v := range []*state.View{quiet[1], lunch[2]} {
		w := *v
		w.Now = later.Now
		m = pageViewOf(t, m, i+1, &w)
	}
	onPage(t, m, 3, "pinned: paused on Chloé Petit") // back in Sales: its page first
	if len(m.rot.settled) != 0 {
		t.Errorf("settled alerts kept once every page's view is newer: %v", m.rot.settled)
	}
}

// TestOffTheWallTheRotationKeepsItsPlace: leaving the wall (w) the
// rotation keeps its place however long the board is looked at; coming
// back, the page gets a whole turn.
func TestOffTheWallTheRotationKeepsItsPlace(t *testing.T) {
	m := rotatingWall(t, morning(t), 80, 24)
	m = tick(t, m, rotateEvery)
	onPage(t, m, 2, "Support · 2/4")
	m = keys(t, m, "w")
	for i := 2; i <= 9; i++ {
		m = tick(t, m, time.Duration(i)*rotateEvery)
	}
	if m.wall || m.rot.shown != 0 {
		t.Fatal("w did not leave the wall")
	}
	m = keys(t, m, "w")
	onPage(t, m, 2, "Support · 2/4")
	m = tick(t, m, 10*rotateEvery-time.Second)
	onPage(t, m, 2, "Support · 2/4")
	m = tick(t, m, 10*rotateEvery)
	onPage(t, m, 3, "Sales · 3/4")
}
