package tui

import (
	"encoding/json"
	"maps"
	"strings"
)

// Settings are what one viewer changed of the board and finds again at
// the next login: the tab, each tab's sort and filter, the wall. Model
// reports them (Config.SaveSettings) and starts from them (Config.Settings).
//
// They are read field by field (UnmarshalJSON): a file written by another
// version, or edited, gives what the board knows of it; a tab, a column or
// a state this board does not have is ignored, not an error. The zero
// Settings remember nothing: the board starts on Config.Start.
type Settings struct {
	Tab  string `json:"tab,omitempty"` // a tab's title
	Wall bool   `json:"wall,omitempty"`
	// Tabs are each tab's sort and filters, by the tab's title; a tab as
	// it starts is left out.
	Tabs map[string]TabSettings `json:"tabs,omitempty"`
}

// TabSettings are one tab's sort and filters as its viewer left them.
type TabSettings struct {
	Sort   string `json:"sort,omitempty"` // the title of the column sorted on; "" the board's order
	Desc   bool   `json:"desc,omitempty"`
	Filter string `json:"filter,omitempty"` // the text filter, as typed
	// The tabs' own filters: Agents' state and group, Calls' callers to
	// call back only, Day's row per queue.
	State    string `json:"state,omitempty"`
	Group    string `json:"group,omitempty"`
	CallBack bool   `json:"call_back,omitempty"`
	PerQueue bool   `json:"per_queue,omitempty"`
}

// equal reports whether s and o remember the same.
func (s Settings) equal(o Settings) bool {
	return s.Tab == o.Tab && s.Wall == o.Wall && maps.Equal(s.Tabs, o.Tabs)
}

// UnmarshalJSON reads a JSON object field by field: a field of another
// type than this board's, or one it does not know, is left out; only what
// is no JSON object at all is an error.
func (s *Settings) UnmarshalJSON(data []byte) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return err
	}
	*s = Settings{}
	field(fields, "tab", &s.Tab)
	field(fields, "wall", &s.Wall)
	var tabs map[string]json.RawMessage
	field(fields, "tabs", &tabs)
	for name, raw := range tabs {
		var tf map[string]json.RawMessage
		if json.Unmarshal(raw, &tf) != nil {
			continue
		}
		var ts TabSettings
		field(tf, "sort", &ts.Sort)
		field(tf, "desc", &ts.Desc)
		field(tf, "filter", &ts.Filter)
		field(tf, "state", &ts.State)
		field(tf, "group", &ts.Group)
		field(tf, "call_back", &ts.CallBack)
		field(tf, "per_queue", &ts.PerQueue)
		if s.Tabs == nil {
			s.Tabs = map[string]TabSettings{}
		}
		s.Tabs[name] = ts
	}
	return nil
}

// field sets *v from fields[name] when it is there and of v's type.
func field[T any](fields map[string]json.RawMessage, name string, v *T) {
	var x T
	if raw, ok := fields[name]; ok && json.Unmarshal(raw, &x) == nil {
		*v = x
	}
}

// ownSettings is a tab with filters of its own (Agents, Calls, Day): it
// says them into, and takes them from, its TabSettings.
type ownSettings interface {
	exportOwn(ts *TabSettings)
	// importOwn takes ts's own filters, those it knows; the zero ts is the
	// tab as it starts.
	importOwn(sh *shared, ts TabSettings)
}

// remembered is what the model keeps of its viewer's settings: where it
// starts, whom it tells, and what it told last.
type remembered struct {
	start Settings       // Config.Start as settings: the reset key's
	save  func(Settings) // Config.SaveSettings; nil tells nobody
	last  Settings       // the settings as last told, or as restored
}

// startSettings are the settings of Config.Start: "wall", or a tab's
// title (any case); anything else is the Overview.
func (m *Model) startSettings(start string) Settings {
	start = strings.TrimSpace(start)
	if strings.EqualFold(start, "wall") {
		return Settings{Tab: m.tabs[0].Title(), Wall: true}
	}
	if t, ok := m.tabNamed(start); ok {
		return Settings{Tab: m.tabs[t].Title()}
	}
	return Settings{Tab: m.tabs[0].Title()}
}

// tabNamed is the tab titled name, in any case.
func (m *Model) tabNamed(name string) (tab, bool) {
	for t, c := range m.tabs {
		if strings.EqualFold(c.Title(), strings.TrimSpace(name)) {
			return tab(t), true
		}
	}
	return 0, false
}

// restoreSettings starts the board where cfg says: its viewer's settings
// when it has some, else Config.Start (Config.Wall besides).
func (m *Model) restoreSettings(cfg Config) {
	m.remember.start = m.startSettings(cfg.Start)
	m.remember.save = cfg.SaveSettings
	s := m.remember.start
	if cfg.Settings != nil && !cfg.Settings.equal(Settings{}) {
		s = *cfg.Settings
		if _, ok := m.tabNamed(s.Tab); !ok {
			s.Tab = m.remember.start.Tab
		}
	}
	m.applySettings(s)
	m.wall = m.wall || cfg.Wall
	m.remember.last = m.settings()
}

// applySettings makes s the board's: its tab, the wall, and each tab's
// sort and filters (a tab s does not name as it starts). What this board
// does not know is ignored, field by field.
func (m *Model) applySettings(s Settings) {
	if t, ok := m.tabNamed(s.Tab); ok {
		m.tab = t
	}
	m.wall = s.Wall
	for _, c := range m.tabs {
		var ts TabSettings
		for name, v := range s.Tabs {
			if strings.EqualFold(name, c.Title()) {
				ts = v
			}
		}
		c.clearFilters()
		if own, ok := c.(ownSettings); ok {
			own.importOwn(&m.shared, ts)
		}
		nw := &c.base().narrowing
		nw.query = filterText(ts.Filter)
		nw.sortCol, nw.desc = -1, false
		for i, title := range sortTitles(c, &m.shared) {
			if ts.Sort != "" && strings.EqualFold(title, ts.Sort) {
				nw.sortCol, nw.desc = i, ts.Desc
			}
		}
		c.base().panes[0].order = nil // narrowed again, as it is now
	}
}

// filterText is a remembered filter as the board may hold it: what a
// terminal could act on taken out, at most MaxFilter characters.
func filterText(s string) string {
	s = strings.ToValidUTF8(sanitize(s), "")
	n := 0
	for i := range s {
		if n == MaxFilter {
			return s[:i]
		}
		n++
	}
	return s
}

// settings are the board's settings now.
func (m *Model) settings() Settings {
	s := Settings{Tab: m.current().Title(), Wall: m.wall}
	for _, c := range m.tabs {
		nw := c.base().narrowing
		ts := TabSettings{Filter: nw.query, Sort: sortTitle(c, &m.shared)}
		if ts.Sort != "" {
			ts.Desc = nw.desc
		}
		if own, ok := c.(ownSettings); ok {
			own.exportOwn(&ts)
		}
		if ts != (TabSettings{}) {
			if s.Tabs == nil {
				s.Tabs = map[string]TabSettings{}
			}
			s.Tabs[c.Title()] = ts
		}
	}
	return s
}

// noteSettings tells the viewer's settings when the keys or the mouse
// changed them since they were last told.
func (m *Model) noteSettings() {
	now := m.settings()
	if now.equal(m.remember.last) {
		return
	}
	m.remember.last = now
	if m.remember.save != nil {
		m.remember.save(now)
	}
}

// resetSettings puts the board back as it starts without settings
// (Config.Start, every tab's sort and filters cleared), and tells the
// viewer's settings that nothing is remembered: the next start is
// Config.Start's, whatever it is then.
func (m *Model) resetSettings() {
	m.applySettings(m.remember.start)
	m.narrowAgain = true
	m.remember.last = m.settings()
	if m.remember.save != nil {
		m.remember.save(Settings{})
	}
}
