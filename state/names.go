package state

import (
	"bytes"
	"cmp"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Names are ordered as people read them: by the Unicode collation of
// French (the root collation), where accents, then case, only break ties
// between names that are otherwise the same ("alice" < "Bob" < "Céline" <
// "Clara" < "Élodie" < "émile" < "Zoé"; "celine" < "Celine" < "CELINE" <
// "Céline"). Names that collate the same are ordered by their bytes, then
// rows by id, so that the order is total and the same from one view to the
// next. Each Board keeps the collation key of every name, computed when the
// name is set, so that sorting compares bytes.

// newCollator returns the collator of names. A Collator is not safe for
// concurrent use: each Board has its own, CompareNames one behind a lock.
func newCollator() *collate.Collator { return collate.New(language.French) }

// nameCollator computes the sort keys of names for one Board.
type nameCollator struct {
	c   *collate.Collator
	buf collate.Buffer
}

// key returns name's collation key, comparable with bytes.Compare; the
// result is the caller's (it does not point into the collator's buffer).
func (n *nameCollator) key(name string) []byte {
	if n.c == nil {
		n.c = newCollator()
	}
	n.buf.Reset()
	return bytes.Clone(n.c.KeyFromString(&n.buf, name))
}

// compareKeyed orders two rows by name key, then name (as CompareNames
// does), then id (as snapshots do).
func compareKeyed(xKey, yKey []byte, xName, yName, xID, yID string) int {
	if c := bytes.Compare(xKey, yKey); c != 0 {
		return c
	}
	if c := strings.Compare(xName, yName); c != 0 {
		return c
	}
	return compareIDs(xID, yID)
}

// sharedKeys holds the keys CompareNames has computed, for the names the
// TUI sorts again and again; it forgets them all past maxSharedKeys.
var sharedKeys struct {
	sync.Mutex
	names nameCollator
	keys  map[string][]byte
}

const maxSharedKeys = 1 << 14

// CompareNames orders two names as the board orders agents, queues and
// trunks (Agents, Queues and Trunks return their rows in this order, ties
// broken by id): as people read them, case- and accent-insensitive, with
// accents then case breaking ties, then the bytes. It returns -1, 0 or +1,
// and 0 only when a == b. It is safe for concurrent use, and cheap enough to
// sort thousands of names each second: plain ASCII names are compared
// directly, the others by collation keys it keeps.
func CompareNames(a, b string) int {
	if a == b {
		return 0
	}
	if c, ok := compareSimple(a, b); ok {
		return c
	}
	sharedKeys.Lock()
	ka, kb := sharedKey(a), sharedKey(b)
	sharedKeys.Unlock()
	return cmp.Or(bytes.Compare(ka, kb), strings.Compare(a, b))
}

// sharedKey returns name's key from sharedKeys; the lock is held.
func sharedKey(name string) []byte {
	k, ok := sharedKeys.keys[name]
	if !ok {
		if sharedKeys.keys == nil || len(sharedKeys.keys) >= maxSharedKeys {
			sharedKeys.keys = make(map[string][]byte)
		}
		k = sharedKeys.names.key(name)
		sharedKeys.keys[name] = k
	}
	return k
}

// compareSimple compares two distinct names made of ASCII letters, digits
// and spaces only, as the collation does (ok is false for other names). For
// these the collation is: spaces, then digits, then letters whatever their
// case (the order of the lower-cased bytes); then, between names equal but
// for case, the first difference in case decides, lower case first.
func compareSimple(a, b string) (c int, ok bool) {
	tie := 0
	for i := 0; ; i++ {
		if i == len(a) || i == len(b) {
			if !simpleName(a[i:]) || !simpleName(b[i:]) {
				return 0, false
			}
			return cmp.Or(cmp.Compare(len(a), len(b)), tie), true
		}
		x, y := a[i], b[i]
		if !simpleByte(x) || !simpleByte(y) {
			return 0, false
		}
		lx, ly := x|0x20, y|0x20 // lower case for letters; digits and space have the bit already
		if lx != ly {
			if !simpleName(a[i+1:]) || !simpleName(b[i+1:]) {
				return 0, false
			}
			return cmp.Compare(lx, ly), true
		}
		if tie == 0 && x != y { // the same letter in another case
			tie = 1
			if x == lx {
				tie = -1
			}
		}
	}
}

func simpleByte(c byte) bool {
	return c == ' ' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func simpleName(s string) bool {
	for i := 0; i < len(s); i++ {
		if !simpleByte(s[i]) {
			return false
		}
	}
	return true
}
