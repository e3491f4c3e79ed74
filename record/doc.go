// Package record is the line format callboard writes what the feed
// delivered in, and reads it back from: the recordings of `--record`, and
// the day files of the journal, one JSON object a line (see Append for the
// lines, Reader for how time is read back). It is a package of its own
// because both sides share it: the session attaches a Recorder to the feed
// (feed.Config.OnMessage) and replay reads a recording back; the journal
// writes and reads its days in it. It takes feed's message types and
// decoder; feed knows nothing of it.
package record
