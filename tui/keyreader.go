package tui

import (
	"bytes"
	"io"
	"unicode/utf8"
)

// KeyReader hands a viewer's keys to Bubble Tea (tea.WithInput) in reads it
// parses in linear time and bounded memory, whatever the viewer sends.
//
// Bubble Tea reads 256 bytes at a time; a read that fills them may end in
// the middle of a key, so it keeps what it could not parse and parses it
// again, from its start, with the next read. A run of letters with no end
// (a megabyte typed after /), or a bracketed paste whose end never comes,
// grows that remainder without bound and costs its whole length at each
// read. KeyReader never hands out more than 255 bytes at once, each read
// made of whole keys (a character, an escape sequence, a paste), so that
// Bubble Tea takes each as complete and keeps nothing. A paste keeps its
// first MaxFilter characters, as bracketed pieces that fit a read, and the
// rest up to its end is dropped: the board takes no more text than that.
// The terminal's answers to queries (OSC replies, device attributes) are
// not keys: they are dropped, whenever they come. A mouse report is handed
// on whole, as a key: SGR's "\x1b[<b;x;yM" (or m) as a sequence, X10's
// "\x1b[M" with its three bytes, whatever they are; one that is not well
// made (an SGR report without its three numbers, one cut short where the
// input ended) is dropped, never handed on in pieces that Bubble Tea would
// take for keys (its SGR parser looks for the numbers further on, across
// the keys that follow).
//
// Where a read ends says nothing of where the viewer's write ended: a
// pipe, a pseudo-terminal, an ssh channel each cut a burst where they
// will (a pseudo-terminal's reads of a 4,100-byte write of the wheel's
// reports end within a report). So the start of a sequence (a report, a
// key's escape sequence, a character's first bytes) is kept for the
// read that brings its end, at most maxSequence bytes of it; only the end
// of the input hands it on as it is. An escape alone at the end of a read
// is the Esc key, handed on at once (nothing else tells it from the start
// of a sequence, and a person pressing Esc waits for the board), unless
// a sequence came just before it in the same read: then it is the start
// of the next in a burst (the wheel's reports, an arrow held down), kept.
// After an Esc so handed on, a read that begins with the rest of a
// sequence ("[<65;3;7M") takes it as that sequence's, never as keys.
type KeyReader struct {
	src     io.Reader
	scratch []byte
	raw     []byte   // read from src and not yet cut into keys: at most a key's beginning
	chunks  [][]byte // ready to hand out, each at most maxChunk bytes of whole keys
	err     error    // src's, handed on once the chunks are out

	inPaste   bool
	pasteKept int  // characters of the current paste handed on
	overlong  bool // the rest of an overlong mouse report is being dropped
	escEnded  bool // the last read ended in an escape handed on alone, as Esc
	// PasteDropped counts the bytes of pastes dropped beyond MaxFilter
	// characters.
	PasteDropped int
}

const (
	// maxChunk is the most KeyReader hands out at once: less than Bubble
	// Tea's 256, so that no read looks cut short.
	maxChunk = 255
	// maxSequence is the longest escape sequence taken as one: longer, its
	// escape is a key of its own.
	maxSequence = 64
	readSize    = 4096
)

const (
	pasteStart = "\x1b[200~"
	pasteEnd   = "\x1b[201~"
)

// NewKeyReader reads keys from src.
func NewKeyReader(src io.Reader) *KeyReader {
	return &KeyReader{src: src, scratch: make([]byte, readSize)}
}

// Read hands out the next whole keys, at most 255 bytes of them.
func (k *KeyReader) Read(p []byte) (int, error) {
	for len(k.chunks) == 0 {
		if k.err != nil {
			return 0, k.err
		}
		n, err := k.src.Read(k.scratch)
		if k.escEnded && n > 0 && k.scratch[0] == '[' && len(k.raw) == 0 {
			// the rest of the sequence whose escape was taken for Esc
			if m, _ := keyAt(append([]byte{0x1b}, k.scratch[:n]...)); m != 1 {
				k.raw = append(k.raw, 0x1b)
			}
		}
		if n > 0 || err != nil {
			k.escEnded = false
		}
		k.raw = append(k.raw, k.scratch[:n]...)
		k.err = err
		k.cut(err != nil)
	}
	c := k.chunks[0]
	n := copy(p, c)
	if n < len(c) {
		k.chunks[0] = c[n:]
	} else {
		k.chunks[0] = nil
		k.chunks = k.chunks[1:]
	}
	return n, nil
}

// cut turns what was read into chunks of whole keys, keeping in raw only
// the beginning of a key still to come (unless ended, the input's end:
// then it goes as it is), or an escape alone at the end of a burst.
func (k *KeyReader) cut(ended bool) {
	raw, i := k.raw, 0
	afterSequence := false // the key just before was an escape sequence
	for i < len(raw) {
		if k.overlong {
			i += k.skipOverlong(raw[i:])
			continue
		}
		if k.inPaste {
			n, done := k.paste(raw[i:])
			i += n
			if !done {
				break
			}
			continue
		}
		n, kind := keyAt(raw[i:])
		if n == 0 {
			switch {
			case ended:
				n, kind = len(raw)-i, keyPlain
				if isMouse(raw[i:]) {
					kind = keyDropped // a mouse report cut short
				}
			case len(raw)-i == 1 && raw[i] == 0x1b && !afterSequence:
				n, kind = 1, keyPlain // Esc, pressed
				k.escEnded = true
			}
		}
		if n == 0 {
			break
		}
		afterSequence = n > 1 && raw[i] == 0x1b
		switch kind {
		case keyOverlong:
			k.overlong = true
		case keyReply, keyDropped: // not a key
		case keyPasteStart:
			k.inPaste, k.pasteKept = true, 0
		default:
			k.emit(raw[i : i+n])
		}
		i += n
	}
	k.raw = append(k.raw[:0], raw[i:]...)
}

// skipOverlong drops the rest of a mouse report longer than maxSequence:
// its parameters, then its final byte. It returns the bytes dropped.
func (k *KeyReader) skipOverlong(b []byte) int {
	for i, c := range b {
		switch {
		case c >= 0x30 && c <= 0x3f: // a parameter
		case c >= 0x40 && c <= 0x7e: // the final byte
			k.overlong = false
			return i + 1
		default: // not the report's: a key
			k.overlong = false
			return i
		}
	}
	return len(b)
}

// paste takes the paste's text from b: up to its end, or as much as is
// sure not to be the end's beginning. It returns the bytes taken and
// whether the paste ended.
func (k *KeyReader) paste(b []byte) (int, bool) {
	var text []byte
	taken, done := 0, false
	if j := bytes.Index(b, []byte(pasteEnd)); j >= 0 {
		text, taken, done = b[:j], j+len(pasteEnd), true
	} else {
		cut := max(len(b)-(len(pasteEnd)-1), 0)
		for cut > 0 && cut < len(b) && !utf8.RuneStart(b[cut]) {
			cut--
		}
		text, taken = b[:cut], cut
	}
	for len(text) > 0 {
		if k.pasteKept >= MaxFilter {
			k.PasteDropped += len(text)
			break
		}
		piece, runes := 0, 0
		for piece < len(text) && k.pasteKept+runes < MaxFilter {
			_, w := utf8.DecodeRune(text[piece:])
			if piece+w > maxChunk-len(pasteStart)-len(pasteEnd) {
				break
			}
			piece += w
			runes++
		}
		k.emit(append(append([]byte(pasteStart), text[:piece]...), pasteEnd...))
		k.pasteKept += runes
		text = text[piece:]
	}
	if done {
		k.inPaste = false
	}
	return taken, done
}

// emit adds a whole key to the chunks.
func (k *KeyReader) emit(key []byte) {
	if len(key) > maxChunk { // a key cut at a boundary: in pieces, as they came
		for len(key) > 0 {
			n := min(len(key), maxChunk)
			k.emit(key[:n])
			key = key[n:]
		}
		return
	}
	if last := len(k.chunks) - 1; last >= 0 && len(k.chunks[last])+len(key) <= maxChunk {
		k.chunks[last] = append(k.chunks[last], key...)
		return
	}
	k.chunks = append(k.chunks, append(make([]byte, 0, maxChunk), key...))
}

// What a key read is.
type keyKind int

const (
	keyPlain      keyKind = iota
	keyReply              // a terminal's answer to a query: dropped
	keyDropped            // a mouse report not well made: dropped
	keyOverlong           // a mouse report longer than any: dropped to its end
	keyPasteStart         // a bracketed paste begins
)

// x10MouseLen is the length of an X10 mouse report: "\x1b[M" and a byte
// each for the button, the column and the row.
const x10MouseLen = 6

// isMouse reports whether b begins as a mouse report does.
func isMouse(b []byte) bool {
	return len(b) >= 3 && b[0] == 0x1b && b[1] == '[' && (b[2] == 'M' || b[2] == '<')
}

// sgrMouse reports whether seq, a whole CSI sequence beginning "\x1b[<",
// is an SGR mouse report: three numbers, then M (a press, a wheel) or m (a
// release).
func sgrMouse(seq []byte) bool {
	body := seq[3 : len(seq)-1]
	if final := seq[len(seq)-1]; final != 'M' && final != 'm' {
		return false
	}
	numbers := bytes.Split(body, []byte(";"))
	if len(numbers) != 3 {
		return false
	}
	for _, n := range numbers {
		if len(n) == 0 || len(n) > 4 {
			return false
		}
		for _, c := range n {
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return true
}

// keyAt is the length of the key b begins with, and its kind; 0 when b
// holds only its beginning.
func keyAt(b []byte) (int, keyKind) {
	if b[0] != 0x1b {
		if b[0] < utf8.RuneSelf {
			return 1, keyPlain
		}
		if !utf8.FullRune(b) {
			return 0, keyPlain
		}
		_, w := utf8.DecodeRune(b)
		return w, keyPlain
	}
	if len(b) == 1 {
		return 0, keyPlain
	}
	switch b[1] {
	case '[':
		if bytes.HasPrefix(b, []byte(pasteStart)) {
			return len(pasteStart), keyPasteStart
		}
		if len(b) > 2 && b[2] == 'M' { // X10's mouse report: its bytes are any
			if len(b) < x10MouseLen {
				return 0, keyPlain
			}
			return x10MouseLen, keyPlain
		}
		for j := 2; j < len(b) && j < maxSequence; j++ {
			switch c := b[j]; {
			case c >= 0x40 && c <= 0x7e: // the final byte
				switch {
				case b[2] == '?' && c == 'c':
					return j + 1, keyReply // device attributes
				case b[2] == '<' && !sgrMouse(b[:j+1]):
					return j + 1, keyDropped
				}
				return j + 1, keyPlain
			case c < 0x20 || c > 0x7e:
				if b[2] == '<' {
					return j, keyDropped // a mouse report cut by a key
				}
				return 1, keyPlain // not a sequence: an escape alone
			}
		}
	case ']':
		for j := 2; j < len(b) && j < maxSequence; j++ {
			switch {
			case b[j] == 0x07:
				return j + 1, keyReply
			case b[j] == 0x1b && j+1 < len(b) && b[j+1] == '\\':
				return j + 2, keyReply
			case b[j] == 0x1b && j+1 == len(b):
				return 0, keyPlain
			}
		}
	case 'O':
		if len(b) < 3 {
			return 0, keyPlain
		}
		return 3, keyPlain
	case 0x1b:
		return 1, keyPlain
	default: // alt and a character
		if b[1] >= utf8.RuneSelf && !utf8.FullRune(b[1:]) {
			return 0, keyPlain
		}
		_, w := utf8.DecodeRune(b[1:])
		return 1 + w, keyPlain
	}
	if len(b) < maxSequence {
		return 0, keyPlain
	}
	if b[1] == '[' && b[2] == '<' {
		return maxSequence, keyOverlong
	}
	return 1, keyPlain
}
