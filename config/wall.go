package config

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
