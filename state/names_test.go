package state

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"callboard/feed"
	"callboard/internal/testkit/feedtest"
)

// readingOrder is how people read these names: case and accents aside.
var readingOrder = []string{"alice", "Bob", "Céline", "Clara", "Élodie", "émile", "Zoé"}

// shuffled returns names in a fixed scrambled order.
func shuffled(names []string) []string {
	out := slices.Clone(names)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	if slices.Equal(out, names) {
		slices.Reverse(out)
	}
	return out
}

func TestNamesInReadingOrder(t *testing.T) {
	names := shuffled(readingOrder)
	var dir feed.Directory
	for i, n := range names {
		id := feed.Text(fmt.Sprint(i + 1))
		dir.Agents = append(dir.Agents, feed.Agent{ID: id, Name: n})
		dir.Groups = append(dir.Groups, feed.Named{ID: id, Name: n})
		dir.Trunks = append(dir.Trunks, feed.Named{ID: id, Name: n})
	}
	b := New(Options{}, t0)
	b.SetDirectory(dir, t0)

	var agents, queues, trunks []string
	for _, r := range b.Agents(t0) {
		agents = append(agents, r.Name)
	}
	for _, r := range b.Queues(t0) {
		queues = append(queues, r.Name)
	}
	for _, r := range b.Trunks() {
		trunks = append(trunks, r.Name)
	}
	sorted := slices.Clone(names)
	slices.SortFunc(sorted, CompareNames)
	for what, got := range map[string][]string{"Agents": agents, "Queues": queues, "Trunks": trunks, "CompareNames": sorted} {
		if !slices.Equal(got, readingOrder) {
			t.Errorf("%s: %q, want %q", what, got, readingOrder)
		}
	}
}

func TestCompareNamesTies(t *testing.T) {
	// case and accents break ties, then the bytes: a total order
	want := []string{"", "#12", "#9", "celine", "Celine", "CELINE", "Céline", "Clara", "eve", "Eve", "Ève", "Jean Luc", "Jean-Luc", "Jeanluc", "Zoé"}
	got := shuffled(want)
	slices.SortFunc(got, CompareNames)
	if !slices.Equal(got, want) {
		t.Errorf("%q\nwant %q", got, want)
	}
	for i, a := range want {
		for j, b := range want {
			if c := CompareNames(a, b); c != cmpInt(i, j) {
				t.Errorf("CompareNames(%q, %q) = %d, want %d", a, b, c, cmpInt(i, j))
			}
		}
	}
}

func cmpInt(i, j int) int {
	switch {
	case i < j:
		return -1
	case i > j:
		return 1
	}
	return 0
}

// TestBoardOrderIsCompareNames checks that the precomputed keys order names
// as CompareNames does, placeholders and renames included, ties by id.
func TestBoardOrderIsCompareNames(t *testing.T) {
	names := []string{"Zoé", "zoe", "Zoe", "Émile", "emile", "Ana", "ana", "Ána", "Ana", "Œdipe", "Oedipe", "Ødegaard", "O'Brien", "Obrien", "李", "Ахмед", "Ærø", "", "#3"}
	b := New(Options{}, t0)
	var dir feed.Directory
	for i, n := range names {
		dir.Agents = append(dir.Agents, feed.Agent{ID: feed.Text(fmt.Sprint(i + 1)), Name: n})
	}
	b.SetDirectory(dir, t0)
	b.Apply(feedtest.Event(t0, `{"event":{"type_notification":"UI","event":"login","msg":{"id_operator":99}}}`), t0) // a placeholder, "#99"
	rows := b.Agents(t0)
	if len(rows) != len(names)+1 {
		t.Fatalf("%d rows", len(rows))
	}
	for i := 1; i < len(rows); i++ {
		x, y := rows[i-1], rows[i]
		c := CompareNames(x.Name, y.Name)
		if c > 0 || c == 0 && compareIDs(x.ID, y.ID) > 0 {
			t.Errorf("%q (%s) before %q (%s)", x.Name, x.ID, y.Name, y.ID)
		}
	}
	// a rename moves the agent
	dir.Agents[0].Name = "aaa"
	b.SetDirectory(dir, t0)
	if first := b.Agents(t0)[0]; first.Name != "" || b.Agents(t0)[3].Name != "aaa" {
		t.Errorf("after renaming Zoé to aaa: %+v", b.Agents(t0)[:4])
	}
}

// TestOrdersAgreeWithTheCollator checks the board's keys and CompareNames
// (its plain ASCII shortcut and its cached keys) against the collator's own
// comparison, over random names and near misses.
func TestOrdersAgreeWithTheCollator(t *testing.T) {
	alphabets := []string{"aAbBzZ 09", "aAàÀbcçCÇeéèêëEÉÈoOôœŒæÆiîïIzZ 0129-'.#ßñÑ李"}
	reference := newCollator()
	rng := rand.New(rand.NewPCG(3, 4))
	var keys nameCollator
	for _, alphabet := range alphabets {
		letters := []rune(alphabet)
		for range 5000 {
			var x []rune
			for range 1 + rng.IntN(6) {
				x = append(x, letters[rng.IntN(len(letters))])
			}
			y := slices.Clone(x)
			switch rng.IntN(3) {
			case 0: // one or two letters changed
				for range 1 + rng.IntN(2) {
					y[rng.IntN(len(y))] = letters[rng.IntN(len(letters))]
				}
			case 1: // longer
				y = append(y, letters[rng.IntN(len(letters))])
			default: // another case
				y = []rune(strings.ToUpper(string(y)))
			}
			a, b := string(x), string(y)
			if _, simple := compareSimple(a, b); alphabet == alphabets[0] && a != b && !simple {
				t.Errorf("%q vs %q: not compared as plain ASCII", a, b)
			}
			want := reference.CompareString(a, b)
			if got := CompareNames(a, b); got != want {
				t.Errorf("CompareNames(%q, %q) = %d, the collator says %d", a, b, got, want)
			}
			if got := compareKeyed(keys.key(a), keys.key(b), a, b, "1", "1"); got != want {
				t.Errorf("%q vs %q: the keys say %d, the collator %d", a, b, got, want)
			}
		}
	}
}

func TestCompareNamesConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				names := shuffled(readingOrder)
				slices.SortFunc(names, CompareNames)
				if !slices.Equal(names, readingOrder) {
					t.Errorf("%q", names)
					return
				}
			}
		})
	}
	wg.Wait()
}

// BenchmarkAgentOrder5000 sorts 5,000 agents by name: the board's order
// after a directory or a new agent, from the precomputed keys.
func BenchmarkAgentOrder5000(b *testing.B) {
	board, now := bigBoard()
	b.ReportAllocs()
	for b.Loop() {
		board.order = nil
		_ = board.Agents(now)
	}
}

// BenchmarkCompareNames5000 sorts 5,000 names with CompareNames, as the
// TUI does for `s` on a Name column: plain ASCII names, and French names
// of which many have accents.
func BenchmarkCompareNames5000(b *testing.B) {
	first := []string{"Céline", "Clara", "Élodie", "émile", "Zoé", "Hélène", "François", "Jérôme", "Ève", "Noël", "Chloé", "Léa", "Raphaël", "Inès", "Maël", "Anaïs", "Thomas", "Lucas", "Marie", "Julie"}
	last := []string{"Lefèvre", "Dupont", "Bénard", "Gérard", "Moreau", "Lemaître", "Faure", "Rousseau", "Mercier", "Girard", "Bonnet", "Fontaine", "Chevalier", "Leroy", "Muller", "Pérez", "Durand", "Lambert", "Lefebvre", "Boyer", "Roux", "Vincent", "Blanc", "Guérin", "Masson"}
	var french []string
	for i := range 5000 {
		french = append(french, fmt.Sprintf("%s %s %d", first[i%len(first)], last[(i/len(first))%len(last)], i/(len(first)*len(last))))
	}
	board, now := bigBoard()
	var ascii []string
	for _, r := range board.Agents(now) {
		ascii = append(ascii, r.Name)
	}
	for _, c := range []struct {
		name  string
		names []string
	}{{"ascii", shuffled(ascii)}, {"french", shuffled(french)}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s := slices.Clone(c.names)
				slices.SortFunc(s, CompareNames)
			}
		})
	}
}
