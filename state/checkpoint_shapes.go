package state

import (
	"bytes"
	"encoding/gob"
	"io"
	"unsafe"
)

// encoding/gob sizes a slice from the length its stream says, and makes
// each entry of it from as little as a byte (an entry whose fields are all
// zero): a hostile gob message of a megabyte can ask for hundreds of
// megabytes (a million agents of 400 bytes each) before the checks of the
// decoded value get to see it. So each gob message of a checkpoint is
// decoded first into its shapes (ckBoardShape and ckBoardEntriesShape,
// ckChunkShape): the same
// fields whose entries are structs without fields, which take no memory
// whatever their count, or hold only the slices of their entries; the
// counts of each shape checked before the next, and the message decoded
// into the value it is only once they hold.

// shapedDecoder decodes the gob messages read from r: every message by
// each of its decoders in turn, the shapes' first, each passing on the
// bytes it read to the next.
type shapedDecoder struct {
	decoders []*gob.Decoder
}

func newShapedDecoder(r byteReader, shapes int) *shapedDecoder {
	d := &shapedDecoder{}
	for range shapes {
		passed := &passingReader{r: r}
		d.decoders = append(d.decoders, gob.NewDecoder(passed))
		r = &passed.read
	}
	d.decoders = append(d.decoders, gob.NewDecoder(r))
	return d
}

// decode decodes the next message into each of shapes, checked by check,
// then into v; shapes are as many as d's decoders of shapes.
func (d *shapedDecoder) decode(v any, check func(shape any) error, shapes ...any) error {
	for i, shape := range shapes {
		if err := d.decoders[i].Decode(shape); err != nil {
			return err
		}
		if err := check(shape); err != nil {
			return err
		}
	}
	return d.decoders[len(shapes)].Decode(v)
}

// byteReader is what gob reads its messages from alone (it reads a byte
// at a time from a reader that can, the count of a message, then the
// message).
type byteReader interface {
	io.Reader
	io.ByteReader
}

// passingReader reads from r what its gob decoder asks, keeping what it
// read for the next decoder.
type passingReader struct {
	r    byteReader
	read bytes.Buffer
}

func (p *passingReader) ReadByte() (byte, error) {
	c, err := p.r.ReadByte()
	if err == nil {
		p.read.WriteByte(c)
	}
	return c, err
}

func (p *passingReader) Read(buf []byte) (int, error) {
	n, err := p.r.Read(buf)
	p.read.Write(buf[:n])
	return n, err
}

// none is an entry of a shape, in place of a T: a struct without fields,
// which gob decodes from any struct, reading it, keeping nothing. A type
// of its own for each T, shared where the value shares T: gob decodes the
// fields of a message that are of the same local type with the engine it
// made for the first of them, so that a stream whose types of two such
// fields differ is read by the shape as by the value (and two types of a
// stream decoded into one struct without fields read the second wrong).
type none[T any] struct{}

// ckBoardShape is the first shape of a checkpoint's head: the counts of
// its tables.
type ckBoardShape struct {
	Pauses     []none[ckPair]
	Agents     []none[ckAgent]
	Queues     []none[ckQueue]
	Trunks     []none[ckTrunk]
	Intervals  []none[ckInterval]
	Lost       []none[ckAbandoned]
	ToCallBack []none[ckCallBack]
	Gone       []none[ckCall]
	GoneTrunk  []none[ckTrunkCall]
	Outages    []none[ckSpan]
	Acks       []none[ckAck]
	LogEntries []none[ckLogEntry]
	WaitLogs   []none[ckMinuteLog]
	Feed       ckFeedShape
	DayFeed    ckFeedShape
	Alerts     ckAlertsShape
}

type ckFeedShape struct {
	RejectedBy, UnknownBy []none[ckCount]
}

// ckBoardEntriesShape is its second: the counts of its tables' entries'
// own tables.
type ckBoardEntriesShape struct {
	Agents []struct {
		Groups   []string
		PausedBy []none[ckDuration]
	}
	Queues    []struct{ Calls []none[ckCall] }
	Trunks    []struct{ Calls []none[ckTrunkCall] }
	Intervals []struct {
		Queues []none[ckCounts]
		Groups []none[ckGroupTime]
	}
	ToCallBack []struct{ Calls []int }
	WaitLogs   []struct {
		Counts []none[ckCount]
		Ends   []int32
	}
}

// ckChunkShape is the shape of a chunk.
type ckChunkShape struct{ Lost []none[ckAbandoned] }

// maxCkTable bounds the memory a table of a checkpoint's gob messages
// takes once decoded (the entries of a head's table, or those of all the
// tables its entries hold), in bytes: eight times the agents at their cap
// (20,000 of 400 bytes), more than the counts of 2,000 queues in each of a
// day's 288 intervals of 5 minutes (41 MB).
const maxCkTable = 64 << 20

// checkTable refuses a table of n entries of size bytes each beyond
// maxCkTable, or beyond max entries.
func checkTable(what string, n int, size uintptr, max int) error {
	if n > max || uint64(n)*uint64(size) > maxCkTable {
		return refused("%d %s, beyond %d (%d bytes)", n, what, min(max, maxCkTable/int(size)), maxCkTable)
	}
	return nil
}

// checkHeadShape checks the counts of a head's shapes (ckBoardShape, then
// ckBoardEntriesShape) against opts' caps and maxCkTable.
func checkHeadShape(opts Options) func(shape any) error {
	return func(shape any) error {
		type table struct {
			what string
			n    int
			size uintptr
			max  int
		}
		var tables []table
		switch s := shape.(type) {
		case *ckBoardShape:
			tables = []table{
				{"pauses", len(s.Pauses), unsafe.Sizeof(ckPair{}), maxCheckpointEntries},
				{"agents", len(s.Agents), unsafe.Sizeof(ckAgent{}), opts.MaxAgents},
				{"queues", len(s.Queues), unsafe.Sizeof(ckQueue{}), opts.MaxQueues},
				{"trunks", len(s.Trunks), unsafe.Sizeof(ckTrunk{}), opts.MaxTrunks},
				{"intervals", len(s.Intervals), unsafe.Sizeof(ckInterval{}), maxCheckpointEntries},
				{"abandoned calls in its head", len(s.Lost), unsafe.Sizeof(ckAbandoned{}), maxCheckpointEntries},
				{"callers to call back", len(s.ToCallBack), unsafe.Sizeof(ckCallBack{}), maxCheckpointEntries},
				{"calls gone", len(s.Gone), unsafe.Sizeof(ckCall{}), maxCheckpointEntries},
				{"trunk calls gone", len(s.GoneTrunk), unsafe.Sizeof(ckTrunkCall{}), maxCheckpointEntries},
				{"outages", len(s.Outages), unsafe.Sizeof(ckSpan{}), maxCheckpointEntries},
				{"log entries", len(s.LogEntries), unsafe.Sizeof(ckLogEntry{}), opts.EventLogSize},
				{"minutes logged", len(s.WaitLogs), unsafe.Sizeof(ckMinuteLog{}), HistoryMinutes},
				{"alerts", len(s.Alerts.Active), unsafe.Sizeof(ckAlert{}), 5*opts.MaxQueues + opts.MaxAgents},
				{"alert changes", len(s.Alerts.Changes), unsafe.Sizeof(ckAlertChange{}), MaxAlertChanges},
			}
			tables = append(tables, table{"acknowledgements", len(s.Acks), unsafe.Sizeof(ckAck{}), maxAcks(opts)})
			for _, f := range []*ckFeedShape{&s.Feed, &s.DayFeed} {
				tables = append(tables, table{"counts of the feed", len(f.RejectedBy) + len(f.UnknownBy), unsafe.Sizeof(ckCount{}), maxCheckpointEntries})
			}
		case *ckBoardEntriesShape:
			var groups, pausedBy, calls, trunkCalls, counts, groupTimes, callBacks, samples int
			for _, a := range s.Agents {
				groups, pausedBy = groups+len(a.Groups), pausedBy+len(a.PausedBy)
			}
			for _, q := range s.Queues {
				calls += len(q.Calls)
			}
			for _, t := range s.Trunks {
				trunkCalls += len(t.Calls)
			}
			for _, in := range s.Intervals {
				counts += len(in.Queues)
				groupTimes += len(in.Groups)
			}
			for _, l := range s.WaitLogs {
				samples += len(l.Counts) + len(l.Ends)
			}
			for _, cb := range s.ToCallBack {
				callBacks += len(cb.Calls)
			}
			tables = []table{
				{"agents' groups", groups, unsafe.Sizeof(""), maxCheckpointEntries},
				{"agents' pauses", pausedBy, unsafe.Sizeof(ckDuration{}), maxCheckpointEntries},
				{"calls waiting", calls, unsafe.Sizeof(ckCall{}), maxCheckpointEntries},
				{"trunk calls", trunkCalls, unsafe.Sizeof(ckTrunkCall{}), maxCheckpointEntries},
				{"intervals' queues", counts, unsafe.Sizeof(ckCounts{}), maxCheckpointEntries},
				{"intervals' agent groups", groupTimes, unsafe.Sizeof(ckGroupTime{}), maxCheckpointEntries},
				{"calls to call back", callBacks, unsafe.Sizeof(0), maxCheckpointEntries},
				{"minutes' samples", samples, unsafe.Sizeof(ckCount{}), maxCheckpointEntries},
			}
		}
		for _, t := range tables {
			if err := checkTable(t.what, t.n, t.size, t.max); err != nil {
				return err
			}
		}
		return nil
	}
}
