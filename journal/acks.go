package journal

import "errors"

// The acknowledgements of alerts are lines of the journal (record's ack
// line), written by its writer alone, replayed at start like every line:
// an acknowledgement survives a restart, a kill -9 included (its line is
// written at once, as any line after a quiet spell). A process that reads
// the journal beside its writer sees those the writer wrote when it reads
// the day (at start, and once its own feed is live: CatchUp), not those
// made later, and makes none itself: kept by it alone, they would be lost
// to the writer and to the day.

// ErrReadOnly is why a process that only reads the journal does not
// acknowledge alerts.
var ErrReadOnly = errors.New("this process only reads the journal: acknowledge on the board that writes it")

// CanAcknowledge says whether this process may acknowledge alerts now:
// nil when it writes the journal, else why not (another process writes
// it, or it cannot be written: an acknowledgement would not be kept). It
// is hub.Config.CanAcknowledge.
func (k *Keeper) CanAcknowledge() error {
	if k.writer.Load() != nil {
		return nil
	}
	if k.stop == nil {
		return ErrReadOnly
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.locked {
		return errors.New("another callboard writes this account's journal: acknowledge on its board or its serve (a headless callboard metrics has none: stop it, or run serve in its place)")
	}
	return errors.New("the journal is not written: " + k.reason)
}
