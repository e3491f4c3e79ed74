package tui

import (
	"time"

	"callboard/state"
)

// settledAlert is an alert (its raise) a page's view said was
// acknowledged or cleared, and that view's time.
type settledAlert struct {
	since, at time.Time
}

// settle notes the alerts page p's new view next says are settled:
// acknowledged in it, or held by the page's view before and no longer.
// Then it forgets those every page's view is newer than (none is held
// back by them any more).
func (r *rotation) settle(p int, next *state.View) {
	if next == nil {
		return
	}
	before := r.pages[p].view
	note := func(a *state.Alert) {
		if r.settled == nil {
			r.settled = make(map[state.AlertKey]settledAlert)
		}
		if s, ok := r.settled[a.AlertKey]; !ok || !s.since.Equal(a.Since) || next.Now.After(s.at) {
			r.settled[a.AlertKey] = settledAlert{since: a.Since, at: next.Now}
		}
	}
	for i := range next.Alerts {
		if a := &next.Alerts[i]; a.Acknowledged != nil {
			note(a)
		}
	}
	if before != nil && len(before.Alerts) > 0 {
		held := make(map[state.AlertKey]time.Time, len(next.Alerts))
		for i := range next.Alerts {
			held[next.Alerts[i].AlertKey] = next.Alerts[i].Since
		}
		for i := range before.Alerts {
			a := &before.Alerts[i]
			if since, ok := held[a.AlertKey]; !ok || !since.Equal(a.Since) {
				note(a)
			}
		}
	}
	if len(r.settled) == 0 {
		return
	}
	oldest := next.Now
	for i := range r.pages {
		if v := r.pages[i].view; i != p && v != nil && v.Now.Before(oldest) {
			oldest = v.Now
		}
	}
	for k, s := range r.settled {
		if oldest.After(s.at) {
			delete(r.settled, k)
		}
	}
}

// isSettled reports whether a, held by a view taken at now, is settled
// by a view at least as new.
func isSettled(settled map[state.AlertKey]settledAlert, a *state.Alert, now time.Time) bool {
	s, ok := settled[a.AlertKey]
	return ok && s.since.Equal(a.Since) && !now.After(s.at)
}
