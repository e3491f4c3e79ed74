// Package tui is callboard's terminal board: a Bubble Tea program that shows
// the agents, queues, calls (waiting now, lost today), trunks and the day by
// interval of a board, and the health of the feed that fills it.
//
// It renders the immutable views (state.View) the hub publishes and keeps
// only what is one viewer's: the tab, filters, sort, scroll and size. It
// never decodes JSON, never touches the network and never changes a board
// (feed is imported for its connection states only). One program runs per
// viewer: the local terminal, or each ssh session of callboard serve, with
// its own renderer and keys read whole (KeyReader).
//
// Everything the board shows that came from outside (names, labels, caller
// numbers, disconnection reasons) is sanitised before it reaches the
// terminal.
package tui
