package feed

import (
	"bytes"
	"encoding/json"
	"errors"
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
// `update` events of the default namespace go straight to onUpdate, on the
// transport's reading goroutine: the client library dispatches every
// decoded packet on a goroutine of its own, which would deliver updates out
// of order. For the same reason onDisconnect (when set) hears at once that
// the server disconnected the default namespace: the library may report
// the transport's close, which follows, before it.
type rawParser struct {
	onUpdate     func(payload json.RawMessage)
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
	onUpdate     func(json.RawMessage)
	onDisconnect func()
}

func newRawDecoder(onUpdate func(json.RawMessage)) *rawDecoder {
	d := &rawDecoder{EventEmitter: events.New(), stock: parser.NewDecoder(), onUpdate: onUpdate}
	d.stock.On("decoded", func(packets ...any) { d.Emit("decoded", packets...) })
	return d
}

func (d *rawDecoder) Add(data any) error {
	var text string
	switch v := data.(type) {
	case string:
		text = v
	case *types.StringBuffer:
		if d.onUpdate != nil {
			// the common case, `2["update",{…}]`: one copy, of the payload
			if b := v.Bytes(); len(b) > 0 && b[0] == byte(parser.EVENT) {
				if payload, ok := updatePayload(b[1:]); ok {
					d.onUpdate(bytes.Clone(payload))
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
	if len(text) == 0 || parser.PacketType(text[0]) != parser.EVENT {
		return d.stock.Add(text)
	}
	packet, err := decodeEventPacket(text)
	if err != nil {
		return err
	}
	if args := packet.Data.([]any); d.onUpdate != nil && packet.Nsp == "/" && packet.Id == nil && args[0] == "update" {
		var payload json.RawMessage
		if len(args) > 1 {
			payload = args[1].(json.RawMessage)
		}
		d.onUpdate(payload)
		return nil
	}
	d.Emit("decoded", packet)
	return nil
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
