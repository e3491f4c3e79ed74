package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/zishang520/engine.io/v2/events"
	"github.com/zishang520/engine.io/v2/types"
	"github.com/zishang520/socket.io-go-parser/v2/parser"
)

// rawParser is the Socket.IO parser the client is given. It encodes as the
// stock parser does, and decodes plain EVENT packets itself so that each
// argument is the json.RawMessage that arrived, instead of a tree of maps
// that would be decoded a second time into typed events. Every other packet
// goes to the stock decoder.
//
// `update` events, of any namespace, with an acknowledgement id or not,
// binary or not, go straight to onUpdate, on the transport's reading
// goroutine: the client library dispatches every decoded packet on a
// goroutine of its own, which would deliver updates out of order (and
// drops those it has no listener for). For the same reason onDisconnect
// (when set) hears at once that the server disconnected the default
// namespace: the library may report the transport's close, which follows,
// before it.
type rawParser struct {
	onUpdate     func(update)
	onDisconnect func()
}

func (p rawParser) NewEncoder() parser.Encoder { return parser.NewEncoder() }
func (p rawParser) NewDecoder() parser.Decoder {
	d := newRawDecoder(p.onUpdate)
	d.onDisconnect = p.onDisconnect
	return d
}

type rawDecoder struct {
	events.EventEmitter
	stock        parser.Decoder
	onUpdate     func(update)
	onDisconnect func()
}

func newRawDecoder(onUpdate func(update)) *rawDecoder {
	d := &rawDecoder{EventEmitter: events.New(), stock: parser.NewDecoder(), onUpdate: onUpdate}
	d.stock.On("decoded", func(packets ...any) { d.Emit("decoded", packets...) })
	return d
}

func (d *rawDecoder) Add(data any) error {
	if f, ok := data.(*wsFrame); ok {
		// the common case, `2["update",{…}]`, in a frame of our own
		// transport: the payload is cut out of it, not copied
		if b := f.data; d.onUpdate != nil && len(b) > 0 && b[0] == byte(parser.EVENT) {
			if payload, ok := updatePayload(b[1:]); ok {
				d.onUpdate(update{nsp: "/", payload: payload})
				return nil
			}
		}
		data = f.BufferInterface
	}
	var text string
	switch v := data.(type) {
	case string:
		text = v
	case *types.StringBuffer:
		if d.onUpdate != nil {
			// `2["update",{…}]` in a buffer the library may reuse: one copy,
			// of the payload
			if b := v.Bytes(); len(b) > 0 && b[0] == byte(parser.EVENT) {
				if payload, ok := updatePayload(b[1:]); ok {
					d.onUpdate(update{nsp: "/", payload: bytes.Clone(payload)})
					return nil
				}
			}
		}
		text = v.String()
	case *strings.Reader:
		return d.stock.Add(data)
	default:
		return d.stock.Add(data)
	}
	if len(text) == 1 && parser.PacketType(text[0]) == parser.DISCONNECT && d.onDisconnect != nil {
		d.onDisconnect()
	}
	if len(text) > 0 && parser.PacketType(text[0]) == parser.BINARY_EVENT && d.onUpdate != nil {
		if u, ok := updateIn(text); ok {
			d.onUpdate(u)
		}
		// the stock decoder takes the attachments that follow; the library
		// has no listener for the packet it makes of them
		return d.stock.Add(text)
	}
	if len(text) == 0 || parser.PacketType(text[0]) != parser.EVENT {
		return d.stock.Add(text)
	}
	packet, err := decodeEventPacket(text)
	if err != nil {
		return err
	}
	if u, ok := packetUpdate(packet, 0); ok && d.onUpdate != nil {
		d.onUpdate(u)
		return nil
	}
	d.Emit("decoded", packet)
	return nil
}

// update is an `update` event as either generation's parser found it.
type update struct {
	nsp         string          // "/" is the default namespace, the stream's
	payload     json.RawMessage // nil when the event has no argument
	attachments int             // binary attachments: the payload holds placeholders for them
}

// updateIn reads an event packet of either generation, `2[/nsp,][id][…]`
// or its binary form `5<n>-[/nsp,][id][…]`; ok is false when it is not an
// `update` (or not an event packet at all).
func updateIn(text string) (u update, ok bool) {
	attachments := 0
	if len(text) > 0 && parser.PacketType(text[0]) == parser.BINARY_EVENT {
		n, rest, found := strings.Cut(text[1:], "-")
		count, err := strconv.Atoi(n)
		if !found || err != nil || count < 0 {
			return update{}, false
		}
		text, attachments = string(parser.EVENT)+rest, count
	}
	if len(text) == 0 || parser.PacketType(text[0]) != parser.EVENT {
		return update{}, false
	}
	packet, err := decodeEventPacket(text)
	if err != nil {
		return update{}, false
	}
	return packetUpdate(packet, attachments)
}

// packetUpdate is the update an event packet holds, if it is one. An
// acknowledgement id is ignored: the vendor asks for none, and the update
// is the same.
func packetUpdate(p *parser.Packet, attachments int) (update, bool) {
	args := p.Data.([]any)
	if args[0] != "update" {
		return update{}, false
	}
	u := update{nsp: p.Nsp, attachments: attachments}
	if len(args) > 1 {
		u.payload = args[1].(json.RawMessage)
	}
	return u, true
}

// Reasons of the updates rejected before their payload is decoded.
const (
	ReasonNoPayload      = "update without payload"
	ReasonOtherNamespace = "update on another namespace" // Detail: the namespace
	ReasonBinaryUpdate   = "binary update"               // Detail: how many attachments
)

// onUpdate makes an update of either generation an Event and delivers it
// through the session's tracker. Updates of the default namespace are
// applied where the payload is usable, and rejected with the reason
// otherwise (no payload, binary attachments); they show that the server
// accepted init. Updates of another namespace are never applied: they are
// delivered rejected, so that the board counts them and shows them in its
// log, and say nothing of init.
func (f *Feed) onUpdate(t *initTracker, u update) {
	if u.nsp != "/" {
		t.elsewhere(&Event{Received: f.cfg.Now(), Raw: u.payload, Err: &DecodeError{Reason: ReasonOtherNamespace, Detail: shorten(u.nsp)}})
		return
	}
	if u.attachments > 0 {
		detail := fmt.Sprintf("%d binary attachments in place of JSON", u.attachments)
		if u.attachments == 1 {
			detail = "a binary attachment in place of JSON"
		}
		t.update(&Event{Received: f.cfg.Now(), Raw: u.payload, Err: &DecodeError{Reason: ReasonBinaryUpdate, Detail: detail}})
		return
	}
	t.update(f.event(u.payload))
}

func (d *rawDecoder) Destroy() { d.stock.Destroy() }

var errBadEventPacket = errors.New("invalid event packet")

// decodeEventPacket reads `2[/nsp,][id][ "name", args... ]`.
func decodeEventPacket(text string) (*parser.Packet, error) {
	p := &parser.Packet{Type: parser.EVENT, Nsp: "/"}
	rest := text[1:]
	if strings.HasPrefix(rest, "/") {
		end := strings.IndexByte(rest, ',')
		if end < 0 {
			p.Nsp, rest = rest, ""
		} else {
			p.Nsp, rest = rest[:end], rest[end+1:]
		}
	}
	digits := 0
	for digits < len(rest) && rest[digits] >= '0' && rest[digits] <= '9' {
		digits++
	}
	if digits > 0 {
		id, err := strconv.ParseUint(rest[:digits], 10, 64)
		if err != nil {
			return nil, errBadEventPacket
		}
		p.Id, rest = &id, rest[digits:]
	}
	if payload, ok := updatePayload([]byte(rest)); ok {
		p.Data = []any{"update", payload}
		return p, nil
	}
	var elems []json.RawMessage
	if err := json.Unmarshal([]byte(rest), &elems); err != nil || len(elems) == 0 {
		return nil, errBadEventPacket
	}
	var name string
	if err := json.Unmarshal(elems[0], &name); err != nil {
		return nil, errBadEventPacket
	}
	switch name {
	case "connect", "connect_error", "disconnect", "disconnecting":
		return nil, errBadEventPacket
	}
	args := make([]any, 0, len(elems))
	args = append(args, name)
	for _, e := range elems[1:] {
		args = append(args, json.RawMessage(bytes.Clone(e)))
	}
	p.Data = args
	return p, nil
}

// updatePayload is the fast road for the one event that matters: given
// the array of an event packet, `["update",{…}]`, it cuts the payload out
// without decoding the array. Decode validates the payload
// in full later; extra arguments make it invalid there, so they are
// rejected and shown, never lost silently. ok is false for anything else,
// which takes the general road. The result shares packet's memory.
func updatePayload(array []byte) (json.RawMessage, bool) {
	const head = `["update"`
	if !bytes.HasPrefix(array, []byte(head)) {
		return nil, false
	}
	body := bytes.TrimLeft(array[len(head):], " \t\r\n")
	end := bytes.TrimRight(body, " \t\r\n")
	if len(body) < 2 || body[0] != ',' || !bytes.HasSuffix(end, []byte("]")) {
		return nil, false
	}
	return json.RawMessage(bytes.TrimSpace(end[1 : len(end)-1])), true
}
