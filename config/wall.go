package config

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Wall is the wall's rotation ([wall]): its pages, shown in turn, each
// for RotateEvery. No pages: the wall shows one page, the board's.
type Wall struct {
	Pages       []WallPage `toml:"pages"`
	RotateEvery Duration   `toml:"rotate_every"`
}

// WallPage is one page of the rotating wall: a scope (Queues, Groups, ids
// or names; both empty the whole center, within the viewer's scope) shown
// as the wall, or a tab (Tab, a tab's name) of that scope.
type WallPage struct {
	Name   string   `toml:"name"`
	Queues []string `toml:"queues"`
	Groups []string `toml:"groups"`
	Tab    string   `toml:"tab"`
}

// The bounds of [wall].
const (
	// MaxWallPages is the most pages the wall rotates through: each is a
	// view cut for it at every publish, per viewer scope.
	MaxWallPages = 20
	// MaxPageName is the longest page name, in characters: it heads the
	// page on the wall.
	MaxPageName = 40
	// MaxPageEntries is the most queues and groups a page names.
	MaxPageEntries = 100
	// MinRotateEvery and MaxRotateEvery bound rotate_every: a page must be
	// read before it goes, and a rotation slower than an hour is none.
	MinRotateEvery = 5 * time.Second
	MaxRotateEvery = time.Hour
	// DefaultRotateEvery is rotate_every when pages are set and it is not.
	DefaultRotateEvery = 30 * time.Second
)

// validate checks [wall] and sets rotate_every's default. A page's tab is
// checked by the commands that show the wall (the tabs are the board's).
func (w *Wall) validate() error {
	if len(w.Pages) == 0 {
		if w.RotateEvery.Duration != 0 {
			return fmt.Errorf("wall.rotate_every: %v without wall.pages: it is how long each page stays", w.RotateEvery.Duration)
		}
		return nil
	}
	if len(w.Pages) > MaxWallPages {
		return fmt.Errorf("wall.pages: %d pages: want at most %d", len(w.Pages), MaxWallPages)
	}
	switch d := w.RotateEvery.Duration; {
	case d == 0:
		w.RotateEvery.Duration = DefaultRotateEvery
	case d < MinRotateEvery || d > MaxRotateEvery:
		return fmt.Errorf("wall.rotate_every: %v: want %v to %v (default %v)", d, MinRotateEvery, MaxRotateEvery, DefaultRotateEvery)
	}
	for i := range w.Pages {
		p := &w.Pages[i]
		key := fmt.Sprintf("wall.pages[%d]", i)
		p.Name, p.Tab = strings.TrimSpace(p.Name), strings.TrimSpace(p.Tab)
		if n := utf8.RuneCountInString(p.Name); n > MaxPageName {
			return fmt.Errorf("%s.name: %d characters: want at most %d", key, n, MaxPageName)
		}
		if !graphic(p.Name) {
			return fmt.Errorf("%s.name: %q holds a control character", key, p.Name)
		}
		if len(p.Queues)+len(p.Groups) > MaxPageEntries {
			return fmt.Errorf("%s: %d queues and groups: want at most %d", key, len(p.Queues)+len(p.Groups), MaxPageEntries)
		}
		for _, f := range []struct {
			name string
			list []string
		}{{"queues", p.Queues}, {"groups", p.Groups}} {
			for j, e := range f.list {
				switch {
				case strings.TrimSpace(e) == "":
					return fmt.Errorf("%s.%s[%d]: empty: want a queue's or group's id or name", key, f.name, j)
				case utf8.RuneCountInString(e) > maxScopeEntry || !graphic(e): // as a viewer's
					return fmt.Errorf("%s.%s[%d]: %q: want an id or a name (at most %d printable characters)", key, f.name, j, abbreviated(e), maxScopeEntry)
				}
			}
		}
	}
	return nil
}
