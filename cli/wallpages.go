package cli

import (
	"fmt"
	"slices"
	"strings"

	"callboard/app"
	"callboard/config"
	"callboard/hub"
	"callboard/state"
	"callboard/tui"
)

// checkWall has the session's configuration check also check [wall]'s
// tabs (the board's, which the configuration cannot name) and keep
// [wall] in into, after whatever o checked before.
func checkWall(o *app.Options, into *config.Wall) {
	before := o.Check
	o.Check = func(cfg *config.Config) error {
		if before != nil {
			if err := before(cfg); err != nil {
				return err
			}
		}
		if err := checkWallTabs(cfg.Wall); err != nil {
			return err
		}
		*into = cfg.Wall
		return nil
	}
}

// checkWallTabs says which page of w names no tab of the board.
func checkWallTabs(w config.Wall) error {
	for i, p := range w.Pages {
		if p.Tab != "" && !tui.IsTab(p.Tab) {
			return fmt.Errorf("wall.pages[%d].tab: %q is not a tab: want one of %s (or none for the wall's figures)",
				i, p.Tab, strings.ToLower(strings.Join(tui.TabNames(), ", ")))
		}
	}
	return nil
}

// viewSource is where pages subscribe: the hub, or what subscribes to
// it within a scope of its own (a pane's), each audience cutting the view
// the one before made (hub.Subscribe).
type viewSource interface {
	Subscribe(audiences ...state.Audience) *hub.Subscription
	Latest(audiences ...state.Audience) *state.View
}

// wallPages subscribes to h for each page of w, within the viewer's
// audiences (none: all h gives): the page's views are the
// viewer's cut again to the page's scope. It returns the pages for the
// board and their subscriptions, to be closed when the board ends.
func wallPages(h viewSource, w config.Wall, viewer []state.Audience) ([]tui.Page, []*hub.Subscription) {
	pages := make([]tui.Page, 0, len(w.Pages))
	subs := make([]*hub.Subscription, 0, len(w.Pages))
	for _, p := range w.Pages {
		name := pageName(p)
		page := state.Audience{Scope: state.Scope{Name: p.Name, Queues: p.Queues, Groups: p.Groups}}
		audiences := append(slices.Clip(viewer), page)
		sub := h.Subscribe(audiences...)
		subs = append(subs, sub)
		pages = append(pages, tui.Page{Name: name, Tab: p.Tab, Views: sub.C, View: h.Latest(audiences...)})
	}
	return pages, subs
}

// boardPages are the local board's pages (wallPages) and what closes
// their subscriptions.
func boardPages(h viewSource, w config.Wall, viewer []state.Audience) ([]tui.Page, func()) {
	pages, subs := wallPages(h, w, viewer)
	return pages, func() {
		for _, s := range subs {
			s.Close()
		}
	}
}

// viewerPages are an ssh viewer's pages (wallPages within the viewer's
// audience), each relayed as the viewer's own views are, until done
// closes; then their subscriptions close.
func (s *sshServer) viewerPages(viewer []state.Audience, done <-chan struct{}) []tui.Page {
	w := s.wall
	if len(viewer) > 0 {
		w = pagesWithin(w, s.hub.Latest(), s.hub.Latest(viewer...), viewer)
	}
	pages, subs := wallPages(s.hub, w, viewer)
	for i, sub := range subs {
		out := make(chan *state.View, 1)
		go relay(sub, out, done, realPacing(viewerPace))
		pages[i].Views = out
	}
	return pages
}

// pageName is what heads a page on the wall: its name, else its tab's,
// else the queues and groups it names, else "whole center".
func pageName(p config.WallPage) string {
	if p.Name != "" {
		return p.Name
	}
	scope := strings.Join(append(append([]string(nil), p.Queues...), p.Groups...), ", ")
	for _, t := range tui.TabNames() {
		if strings.EqualFold(t, strings.TrimSpace(p.Tab)) {
			if scope != "" {
				return t + " · " + scope
			}
			return t
		}
	}
	if scope != "" {
		return scope
	}
	return "whole center"
}

// pagesWithin are w's pages as a scoped viewer, whose view is within, may
// see them: an entry of a page that names a queue or group of the center
// (whole) outside the viewer's scope is left out, with the page's name
// (the page is then named by the entries it keeps), and a page left with
// none is left out: neither its name nor its entries would say what the
// viewer may not see. An entry the center does not know is kept, as
// unmatched; while the center knows nothing yet (serve just started, the
// directory not come), only the entries the viewer's own scope names so
// are kept (pageNamedByViewer). Pages of no entry (the whole center's) are
// kept: they show the viewer's scope.
func pagesWithin(w config.Wall, whole, within *state.View, viewer []state.Audience) config.Wall {
	pages := make([]config.WallPage, 0, len(w.Pages))
	known := len(whole.Queues) > 0 || len(whole.Agents) > 0
	for _, p := range w.Pages {
		if len(p.Queues)+len(p.Groups) == 0 {
			pages = append(pages, p)
			continue
		}
		if !known {
			// the center is not known yet (no directory): an entry is
			// kept only when the viewer's own scope names it so
			if p, ok := pageNamedByViewer(p, viewer); ok {
				pages = append(pages, p)
			}
			continue
		}
		scope := state.Audience{Scope: state.Scope{Queues: p.Queues, Groups: p.Groups}}
		unknown := map[string]bool{} // to the whole center
		for _, e := range whole.For(scope).Scope.Unmatched {
			unknown[e] = true
		}
		outside := map[string]bool{} // unmatched within the viewer's scope, known to the center
		cut := within.For(scope).Scope
		before := 0
		if within.Scope != nil {
			before = len(within.Scope.Unmatched) // the viewer's own, said first
		}
		for _, e := range cut.Unmatched[min(before, len(cut.Unmatched)):] {
			outside[e] = !unknown[e]
		}
		if p, ok := pageKeeping(p, func(e string) bool { return !outside[state.Sanitize(e)] }); ok {
			pages = append(pages, p)
		}
	}
	w.Pages = pages
	return w
}

// pageNamedByViewer is p with only the entries every audience of the
// viewer names as well (the same text), its name dropped when it lost
// one; false when none is left.
func pageNamedByViewer(p config.WallPage, viewer []state.Audience) (config.WallPage, bool) {
	named := func(e string) bool {
		for _, a := range viewer {
			if a.Scope.Whole() {
				continue
			}
			if !slices.Contains(a.Scope.Queues, e) && !slices.Contains(a.Scope.Groups, e) {
				return false
			}
		}
		return true
	}
	return pageKeeping(p, named)
}

// pageKeeping is p with only the entries (queues, groups) kept says to
// keep, its name dropped when it lost one (the name may say what is left
// out); false when none is left.
func pageKeeping(p config.WallPage, kept func(entry string) bool) (config.WallPage, bool) {
	keep := func(entries []string) []string {
		return slices.DeleteFunc(slices.Clone(entries), func(e string) bool { return !kept(e) })
	}
	q, g := keep(p.Queues), keep(p.Groups)
	if len(q)+len(g) == 0 {
		return p, false
	}
	if len(q)+len(g) < len(p.Queues)+len(p.Groups) {
		p.Name = ""
	}
	p.Queues, p.Groups = q, g
	return p, true
}
