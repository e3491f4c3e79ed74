// Package app is one run of callboard, below the commands: a Session opens
// the configuration, the password, a source (the Axialys service, the demo
// simulator, a recording played back), the account's journal of the day
// and the hub that owns the board, in that order, and closes them in
// order with one timeout. Every command of cli is a consumer of a session:
// it reads the hub's views (a screen, ssh viewers, a snapshot, metrics).
//
// It exists so that what every command shares is written once: the
// default configuration path, the feed's configuration, the board's rules,
// the loopback rule of listen addresses, the road from a source to the
// hub, the recording of what is received, the metrics server, and the
// reading of a recording or of the journal's days. It never prints nor
// decides an exit code: errors are returned (ConfigError for what the
// user set), and warnings are told to Options.Say.
package app
