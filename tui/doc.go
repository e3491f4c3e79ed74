// Package tui is callboard's terminal board: a Bubble Tea program that shows
// the agents, queues, calls (waiting now, lost today), trunks and the day by
// interval of a [state.Board] and the health of the feed that fills it.
//
// The package reads state and nothing else: it never decodes JSON and never
// touches the network. Feed messages arrive on a channel; the program drains
// them in batches into the board, which only Update mutates, and View renders
// rows prepared by Update, drawing only what fits the window.
//
// Everything the board shows that came from outside (names, labels, caller
// numbers, disconnection reasons) is sanitised before it reaches the
// terminal.
package tui
