package state

import (
	"bufio"
	"encoding/binary"
	"io"
	"math"
	"time"
)

// The call records of a checkpoint (the bulk of a busy day's: some 300,000
// of them) are written between its gob messages in a format of their own,
// read straight into the board's records: no message buffer, no copy of
// the records decoded first, one string made for each the record keeps
// (the queues' and agents' ids shared). A record: its id, queue, caller and
// agent (each a uvarint length and the bytes), a byte of flags (ckBefore,
// ckUnsure, and ckHasTime << which for each of its times set), then each
// time set, in order: its zone (ckZone, a byte), its Unix seconds (varint),
// its nanoseconds (uvarint), and, in ckZoneOther, the zone's name (as a
// string) and offset (varint).

// Flags of a call record in a checkpoint.
const (
	ckBefore  = 1 << iota // callRecord.beforeStart
	ckUnsure              // callRecord.unsure
	ckHasTime             // shifted left by recordTime: that time is set
)

// maxCkString bounds a string of a checkpoint's call record, in bytes.
const maxCkString = 4 << 10

// appendRecord appends r, whose times are in zones (of a board in loc), to
// buf.
func appendRecord(buf []byte, r *callRecord, zones []*time.Location, loc *time.Location) []byte {
	for _, s := range [...]string{r.id, r.queue, r.caller, r.agent} {
		buf = appendCkString(buf, s)
	}
	var flags byte
	if r.beforeStart {
		flags |= ckBefore
	}
	if r.unsure {
		flags |= ckUnsure
	}
	var times [recordTimeCount]ckTime
	for which := range times {
		if times[which] = checkpointTime(r.time(recordTime(which), zones), loc); times[which] != (ckTime{}) {
			flags |= ckHasTime << which
		}
	}
	buf = append(buf, flags)
	for which, t := range times {
		if flags&(ckHasTime<<which) == 0 {
			continue
		}
		buf = append(buf, byte(t.Zone))
		buf = binary.AppendVarint(buf, t.Sec)
		buf = binary.AppendUvarint(buf, uint64(t.Nsec))
		if t.Zone == ckZoneOther {
			buf = appendCkString(buf, t.Name)
			buf = binary.AppendVarint(buf, int64(t.Offset))
		}
	}
	return buf
}

func appendCkString(buf []byte, s string) []byte {
	return append(binary.AppendUvarint(buf, uint64(len(s))), s...)
}

// readRecord reads the next call record of the checkpoint from r into
// l's table.
func (l *loader) readRecord(r *bufio.Reader) error {
	rec := new(callRecord)
	var err error
	for i, s := range [...]*string{&rec.id, &rec.queue, &rec.caller, &rec.agent} {
		if *s, err = l.readString(r, i == 1 || i == 3); err != nil {
			return err
		}
	}
	flags, err := r.ReadByte()
	if err != nil {
		return err
	}
	if flags >= ckHasTime<<recordTimeCount {
		return refused("call record %d: flags %#x", len(l.records), flags)
	}
	rec.beforeStart, rec.unsure = flags&ckBefore != 0, flags&ckUnsure != 0
	for which := range recordTimeCount {
		if flags&(ckHasTime<<which) == 0 {
			continue
		}
		var t ckTime
		zone, err := r.ReadByte()
		if err != nil {
			return err
		}
		if t.Zone = ckZone(zone); t.Zone > ckZoneOther {
			return refused("call record %d: zone %d", len(l.records), zone)
		}
		if t.Sec, err = binary.ReadVarint(r); err != nil {
			return err
		}
		nsec, err := binary.ReadUvarint(r)
		if err != nil {
			return err
		}
		if nsec >= 1e9 {
			return refused("call record %d: %d nanoseconds", len(l.records), nsec)
		}
		t.Nsec = int32(nsec)
		if t.Zone == ckZoneOther {
			if t.Name, err = l.readString(r, true); err != nil {
				return err
			}
			offset, err := binary.ReadVarint(r)
			if err != nil {
				return err
			}
			if offset < math.MinInt32 || offset > math.MaxInt32 {
				return refused("call record %d: a zone %d s from UTC", len(l.records), offset)
			}
			t.Offset = int(offset)
		}
		l.b.setTime(rec, which, t.in(l.loc))
	}
	l.records = append(l.records, rec)
	return nil
}

// readString reads a string of a call record from r; shared, one string
// for all the records that hold it (l.names), when asked.
func (l *loader) readString(r *bufio.Reader, shared bool) (string, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return "", err
	}
	if n > maxCkString {
		return "", refused("call record %d: a string of %d bytes", len(l.records), n)
	}
	b, err := r.Peek(int(n))
	if err != nil {
		return "", err
	}
	defer r.Discard(len(b))
	if !shared {
		return string(b), nil
	}
	if s, ok := l.names[string(b)]; ok {
		return s, nil
	}
	s := string(b)
	if len(l.names) < 1<<16 {
		l.names[s] = s
	}
	return s, nil
}

// readerOf is r as the bufio.Reader the records are read from.
func readerOf(r io.Reader) *bufio.Reader {
	if br, ok := r.(*bufio.Reader); ok && br.Size() >= maxCkString {
		return br
	}
	return bufio.NewReaderSize(r, 64<<10)
}
