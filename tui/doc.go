// Package tui is callboard's terminal board: a Bubble Tea program that shows
// the agents, queues, calls (waiting now, lost today), trunks and the day by
// interval of a board, and the health of the feed that fills it.
//
// It renders the immutable views (state.View) the hub publishes and keeps
// only what is one viewer's: the tab, filters, sort, scroll and size. It
// never decodes JSON, never touches the network and never changes a board
// (feed is imported for its connection states only). One program runs per
// viewer: the local terminal, or each ssh session of callboard serve, with
// its own renderer and keys read whole (KeyReader). Its frames are drawn
// by its own writer (frames.go), which writes only when a frame changed,
// and Program (run.go) takes the terminal and gives it back.
//
// Each tab is a component in a file of its own (overview.go, agents.go,
// queues.go, calls.go, trunks.go, events.go, day.go; the interface in
// component.go): it keeps its filters, sort and scroll, draws its part of
// the screen, answers its own keys and gives its help. The root model
// (model.go, view.go, input.go) draws the header, the tab bar and the
// footer, handles the board's keys and the wall (wall.go), dispatches to
// the tab shown, and passes the tabs the context they share (shared.go): the view, the window's
// size, the styles built from the viewer's renderer and the keys.
//
// Everything the board shows that came from outside (names, labels, caller
// numbers, disconnection reasons) is sanitised before it reaches the
// terminal.
package tui
