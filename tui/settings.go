package tui

// Settings are what one viewer changed of the board and finds again at
// the next login: the tab, each tab's sort and filter, the wall. Model
// reports them (Config.SaveSettings) and starts from them (Config.Settings).
type Settings struct {
	Tab  string `json:"tab,omitempty"`
	Wall bool   `json:"wall,omitempty"`
}
