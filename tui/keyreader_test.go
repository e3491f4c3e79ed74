package tui

import (
	"bytes"
	"io"
	"runtime"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// runInput runs a board program on input, read through a KeyReader, to
// its end (the input must quit it), without a renderer: it returns the
// final model and the bytes and allocations its run took.
func runInput(t *testing.T, m Model, input io.Reader) (Model, uint64, uint64) {
	t.Helper()
	p := tea.NewProgram(m, tea.WithInput(NewKeyReader(input)), tea.WithOutput(io.Discard), tea.WithoutRenderer(), tea.WithoutSignalHandler())
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	final, err := p.Run()
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	return final.(Model), after.TotalAlloc - before.TotalAlloc, after.Mallocs - before.Mallocs
}

// TestFilterBurstIsBoundedWork types a megabyte after / on a board of 5,000
// agents, as a viewer's terminal sends it over ssh (in reads of whatever
// size), then enter and q: the filter holds MaxFilter characters, and the
// work done is linear in what was typed (bytes and allocations per byte
// typed bounded), not quadratic.
func TestFilterBurstIsBoundedWork(t *testing.T) {
	const typed = 1 << 20
	m := boardModel(bigBoard(t, 5000))
	m, _ = update(t, m, sizeMsg(160, 50))
	for _, c := range []struct {
		name  string
		input func([]byte) io.Reader
	}{
		{"whole", func(b []byte) io.Reader { return bytes.NewReader(b) }},
		{"by 1000", func(b []byte) io.Reader { return &chunkReader{b: b, n: 1000} }},
	} {
		t.Run(c.name, func(t *testing.T) {
			input := "/" + strings.Repeat("a", typed) + "\r" + "q"
			final, allocated, mallocs := runInput(t, m, c.input([]byte(input)))
			t.Logf("%d MB, %d allocations", allocated>>20, mallocs)
			if q := final.tabs[final.tab].base().narrowing.query; q != strings.Repeat("a", MaxFilter) {
				t.Errorf("the filter holds %d characters, want %d", len(q), MaxFilter)
			}
			// Each key is a message of a few allocations; quadratic
			// parsing allocated gigabytes.
			if perByte := allocated / typed; perByte > 1024 {
				t.Errorf("%d bytes allocated per byte typed (%d MB in all), want at most 1 KB", perByte, allocated>>20)
			}
			if perByte := mallocs / typed; perByte > 16 {
				t.Errorf("%d allocations per byte typed, want at most 16", perByte)
			}
		})
	}
}

// chunkReader reads b n bytes at a time.
type chunkReader struct {
	b []byte
	n int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.n)], r.b)
	r.b = r.b[n:]
	return n, nil
}

// TestFilterFullIsShown types past the filter's cap: the rest is refused,
// and the footer says so.
func TestFilterFullIsShown(t *testing.T) {
	m := boardModel(bigBoard(t, 50))
	m, _ = update(t, m, sizeMsg(160, 30), keyRunes("/"), keyRunes(strings.Repeat("é", MaxFilter+10)))
	if q := m.tabs[m.tab].base().narrowing.query; q != strings.Repeat("é", MaxFilter) {
		t.Errorf("filter %q, want %d characters", q, MaxFilter)
	}
	if view := m.View(); !strings.Contains(view, "filter full (64)") {
		t.Errorf("the footer does not say the filter is full:\n%s", view)
	}
	m, _ = update(t, m, tea.KeyMsg{Type: tea.KeyBackspace})
	if view := m.View(); strings.Contains(view, "filter full") {
		t.Errorf("the filter is said full after a backspace:\n%s", view)
	}
}

// readAll reads k to its end, checking that no read is more than 255
// bytes; it returns the reads.
func readAll(t *testing.T, k *KeyReader) []string {
	t.Helper()
	var reads []string
	buf := make([]byte, 256)
	for {
		n, err := k.Read(buf)
		if n > maxChunk {
			t.Fatalf("a read of %d bytes", n)
		}
		if n > 0 {
			reads = append(reads, string(buf[:n]))
		}
		if err == io.EOF {
			return reads
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestKeyReaderKeepsKeysWhole reads arrow keys and two-byte characters in
// reads that cut them: each read handed on holds whole keys only.
func TestKeyReaderKeepsKeysWhole(t *testing.T) {
	for _, key := range []string{"\x1b[A", "é", "\x1b[1;5C", "\x1bOP", "\x1ba"} {
		input := strings.Repeat(key, 3000)
		reads := readAll(t, NewKeyReader(&chunkReader{b: []byte(input), n: readSize}))
		if got := strings.Join(reads, ""); got != input {
			t.Fatalf("%q: %d bytes out of %d in, not the same", key, len(got), len(input))
		}
		for _, r := range reads {
			if strings.Replace(r, key, "", -1) != "" {
				t.Fatalf("%q: a read cuts a key: %q", key, r)
			}
		}
	}
}

// TestKeyReaderDropsTerminalReplies: the answers to the background colour
// and device attributes queries, whenever they come, are not keys.
func TestKeyReaderDropsTerminalReplies(t *testing.T) {
	input := "a\x1b]11;rgb:0000/0000/0000\x1b\\b\x1b[?62;22cc\x1b]11;rgb:ffff/ffff/ffff\ad\x1b[1;5Re"
	got := strings.Join(readAll(t, NewKeyReader(strings.NewReader(input))), "")
	if want := "abcd\x1b[1;5Re"; got != want {
		t.Errorf("read %q, want %q", got, want)
	}
}

// TestKeyReaderBoundsPastes pastes 10 MB with no end, and 300 characters
// with one: MaxFilter characters of each are handed on, in bracketed
// pieces that fit a read, the rest dropped and counted, and what is held
// meanwhile stays small.
func TestKeyReaderBoundsPastes(t *testing.T) {
	const size = 10 << 20
	k := NewKeyReader(&chunkReader{b: []byte(pasteStart + strings.Repeat("x", size)), n: readSize})
	var pasted int
	buf := make([]byte, 256)
	for {
		n, err := k.Read(buf)
		if len(k.raw) > maxSequence || len(k.chunks) > readSize/maxChunk+2 {
			t.Fatalf("the reader holds %d bytes and %d chunks", len(k.raw), len(k.chunks))
		}
		s := string(buf[:n])
		for s != "" {
			piece, ok := strings.CutPrefix(s, pasteStart)
			text, rest, found := strings.Cut(piece, pasteEnd)
			if !ok || !found {
				t.Fatalf("not a bracketed piece: %q", s)
			}
			pasted += len(text)
			s = rest
		}
		if err != nil {
			break
		}
	}
	if pasted != MaxFilter || k.PasteDropped != size-MaxFilter-(len(pasteEnd)-1) {
		t.Errorf("%d bytes pasted, %d dropped; want %d, %d", pasted, k.PasteDropped, MaxFilter, size-MaxFilter-(len(pasteEnd)-1))
	}

	input := pasteStart + strings.Repeat("é", 300) + pasteEnd + "q"
	got := strings.Join(readAll(t, NewKeyReader(strings.NewReader(input))), "")
	want := pasteStart + strings.Repeat("é", MaxFilter) + pasteEnd + "q"
	if got != want {
		t.Errorf("read %q, want %q", got, want)
	}
}
