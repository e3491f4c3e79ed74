package tui

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"callboard/state"
)

// teatest already owns -update.
var updateWall = flag.Bool("update-wall", false, "rewrite the wall's golden files in testdata")

// wallStyles are the board's styles drawn with colour profile p, whatever the
// terminal running the tests.
func wallStyles(p termenv.Profile) *styles {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(p)
	return newStyles(r)
}

// sampleWall is a typical wall: eight figures, two of them worrying.
func sampleWall() []wallFigure {
	return []wallFigure{
		{label: "CALLS WAITING", value: "12", level: state.LevelCritical},
		{label: "LONGEST WAIT", value: "3:07", level: state.LevelWarn},
		{label: "AVAILABLE", value: "5", level: state.LevelOK},
		{label: "ON CALL", value: "14", level: state.LevelOK},
		{label: "PAUSED", value: "2", level: state.LevelOK},
		{label: "ANSWERED", value: "318", level: state.LevelOK},
		{label: "SERVICE LEVEL", value: "87%", level: state.LevelWarn},
		{label: "ASA", value: noValue, level: state.LevelOK},
	}
}

// wallFigures is n figures taken from the sample in turn.
func wallFigures(n int) []wallFigure {
	s := sampleWall()
	f := make([]wallFigure, n)
	for i := range f {
		f[i] = s[i%len(s)]
	}
	return f
}

// checkWallSize fails unless wall is height lines of exactly width cells.
func checkWallSize(t *testing.T, wall string, width, height int) {
	t.Helper()
	if height <= 0 {
		if wall != "" {
			t.Errorf("%dx%d: want nothing, got %q", width, height, wall)
		}
		return
	}
	lines := strings.Split(wall, "\n")
	if len(lines) != height {
		t.Fatalf("%dx%d: %d lines", width, height, len(lines))
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w != width {
			t.Fatalf("%dx%d: line %d is %d wide: %q", width, height, i, w, l)
		}
	}
}

func TestWallFitsEverySize(t *testing.T) {
	st := wallStyles(termenv.ANSI)
	widths := []int{80, 81, 97, 100, 120, 133, 160, 161, 200, 241, 299, 300}
	heights := []int{24, 25, 30, 37, 45, 50, 61, 80, 99, 100}
	for _, n := range []int{1, 2, 3, 4, 5, 6, 7, 8, 10, 16} {
		figures := wallFigures(n)
		for _, w := range widths {
			for _, h := range heights {
				checkWallSize(t, renderWall(figures, w, h, st), w, h)
			}
		}
	}
}

func TestWallFitsTinyAndOddSizes(t *testing.T) {
	st := wallStyles(termenv.ANSI)
	sizes := [][2]int{{0, 0}, {0, 3}, {5, 0}, {1, 1}, {3, 2}, {12, 3}, {20, 1}, {40, 10}, {79, 23}, {301, 101}, {500, 7}, {7, 120}}
	for _, n := range []int{0, 1, 6, 8, 30} {
		for _, sz := range sizes {
			checkWallSize(t, renderWall(wallFigures(n), sz[0], sz[1], st), sz[0], sz[1])
		}
	}
	long := []wallFigure{{label: strings.Repeat("VERY LONG LABEL ", 30), value: "1234567890:12:34", level: state.LevelCritical}}
	for _, sz := range sizes {
		checkWallSize(t, renderWall(long, sz[0], sz[1], st), sz[0], sz[1])
	}
}

// The font's glyphs as a reader sees them, at scale 2 (full blocks) and at
// scale 1 (half blocks).
var wallPictures = []struct {
	value string
	scale int
	want  string
}{
	{"12", 2, `
  ██    ██████
████        ██
  ██    ██████
  ██    ██    
██████  ██████`},
	{"3:07", 2, `
██████      ██████  ██████
    ██  ██  ██  ██      ██
██████      ██  ██      ██
    ██  ██  ██  ██      ██
██████      ██████      ██`},
	{"45", 2, `
██  ██  ██████
██  ██  ██    
██████  ██████
    ██      ██
    ██  ██████`},
	{"6.8", 2, `
██████      ██████
██          ██  ██
██████      ██████
██  ██      ██  ██
██████  ██  ██████`},
	{"9%", 2, `
██████  ██  ██
██  ██      ██
██████    ██  
    ██  ██    
██████  ██  ██`},
	{"—", 2, `
      
      
██████
      
      `},
	{"1 0", 2, `
  ██          ██████
████          ██  ██
  ██          ██  ██
  ██          ██  ██
██████        ██████`},
	{"12", 1, `
▄█  ▀▀█
 █  █▀▀
▀▀▀ ▀▀▀`},
	{"7", 3, `
█████████
▀▀▀▀▀▀███
      ███
      ███
      ███
      ███
      ███
      ▀▀▀`},
}

func TestWallFontPictures(t *testing.T) {
	for _, p := range wallPictures {
		cols, ok := wallPixels(p.value)
		if !ok {
			t.Fatalf("the font cannot draw %q", p.value)
		}
		got := strings.Join(bigText(cols, p.scale), "\n")
		if want := p.want[1:]; got != want {
			t.Errorf("%q at scale %d:\n%s\nwant:\n%s", p.value, p.scale, got, want)
		}
	}
}

func TestWallFontDigitsAreDistinct(t *testing.T) {
	seen := map[string]rune{}
	for r := range wallFont {
		key := string(wallFont[r])
		if r == '-' { // the hyphen is drawn as the dash
			continue
		}
		if other, dup := seen[key]; dup {
			t.Errorf("%q and %q look the same", r, other)
		}
		seen[key] = r
	}
	for _, r := range "0123456789:%—. " {
		if _, ok := wallFont[r]; !ok {
			t.Errorf("no glyph for %q", r)
		}
	}
}

// findPicture reports whether lines hold the lines of pic one under the other,
// starting in the same column.
func findPicture(lines, pic []string) bool {
	for y := 0; y+len(pic) <= len(lines); y++ {
		for from := 0; ; {
			i := strings.Index(lines[y][from:], pic[0])
			if i < 0 {
				break
			}
			col := utf8.RuneCountInString(lines[y][:from+i])
			if pictureAt(lines[y+1:], pic[1:], col) {
				return true
			}
			from += i + 1
		}
	}
	return false
}

func pictureAt(lines, pic []string, col int) bool {
	for k, row := range pic {
		l := []rune(lines[k])
		if col > len(l) || !strings.HasPrefix(string(l[col:]), row) {
			return false
		}
	}
	return true
}

func TestWallDrawsTwelveInBigDigits(t *testing.T) {
	wall := renderWall(sampleWall(), 80, 24, wallStyles(termenv.Ascii))
	lines := strings.Split(wall, "\n")
	if !findPicture(lines, strings.Split(wallPictures[0].want[1:], "\n")) {
		t.Errorf("no big 12 in:\n%s", wall)
	}
	if !findPicture(lines, strings.Split(wallPictures[1].want[1:], "\n")) {
		t.Errorf("no big 3:07 in:\n%s", wall)
	}
}

func TestWallDrawsEveryValueWithItsLabel(t *testing.T) {
	st := wallStyles(termenv.Ascii)
	sizes := [][2]int{{80, 24}, {100, 30}, {120, 40}, {160, 45}, {211, 57}, {300, 100}, {300, 40}, {80, 60}}
	for _, n := range []int{6, 7, 8} {
		figures := wallFigures(n)
		pw, tw := make([]int, n), make([]int, n)
		for i, f := range figures {
			cols, _ := wallPixels(f.value)
			pw[i], tw[i] = len(cols), lipgloss.Width(f.value)
		}
		for _, sz := range sizes {
			_, _, scales := wallLayout(pw, tw, sz[0], sz[1])
			wall := renderWall(figures, sz[0], sz[1], st)
			lines := strings.Split(wall, "\n")
			for i, f := range figures {
				if scales[i] < 1 {
					t.Errorf("%dx%d, %d figures: %q gets no big digits", sz[0], sz[1], n, f.value)
					continue
				}
				cols, _ := wallPixels(f.value)
				pic := bigText(cols, scales[i])
				if !findPicture(lines, append(pic, strings.Repeat(" ", len(cols)*scales[i]))) &&
					!findPicture(lines, pic) {
					t.Errorf("%dx%d: no %q at scale %d in:\n%s", sz[0], sz[1], f.value, scales[i], wall)
				}
				if !strings.Contains(wall, f.label) {
					t.Errorf("%dx%d: no label %q", sz[0], sz[1], f.label)
				}
			}
		}
	}
}

func TestWallGridFollowsTheShape(t *testing.T) {
	figures := sampleWall()
	pw, tw := make([]int, len(figures)), make([]int, len(figures))
	for i, f := range figures {
		cols, _ := wallPixels(f.value)
		pw[i], tw[i] = len(cols), lipgloss.Width(f.value)
	}
	for _, c := range []struct {
		width, height int
		cols, rows    int
	}{
		{300, 40, 4, 2}, // wide
		{80, 60, 2, 4},  // tall
		{80, 24, 2, 4},
		{160, 45, 2, 4},
	} {
		cols, rows, _ := wallLayout(pw, tw, c.width, c.height)
		if cols != c.cols || rows != c.rows {
			t.Errorf("%dx%d: grid %dx%d, want %dx%d", c.width, c.height, cols, rows, c.cols, c.rows)
		}
	}
}

func TestWallBiggerPanesGetBiggerDigits(t *testing.T) {
	figures := sampleWall()
	pw, tw := make([]int, len(figures)), make([]int, len(figures))
	for i, f := range figures {
		cols, _ := wallPixels(f.value)
		pw[i], tw[i] = len(cols), lipgloss.Width(f.value)
	}
	least := func(w, h int) int {
		_, _, scales := wallLayout(pw, tw, w, h)
		return min(scales[0], scales[1], scales[6])
	}
	small, mid, big := least(80, 24), least(160, 45), least(300, 100)
	if !(1 <= small && small < mid && mid < big) {
		t.Errorf("scales %d, %d, %d at 80x24, 160x45, 300x100", small, mid, big)
	}
}

// sgrParams lists the parameters of every SGR sequence of s.
func sgrParams(s string) map[string]bool {
	params := map[string]bool{}
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return params
		}
		s = s[i+2:]
		j := strings.IndexByte(s, 'm')
		if j < 0 {
			return params
		}
		for _, p := range strings.Split(s[:j], ";") {
			params[p] = true
		}
		s = s[j+1:]
	}
}

func TestWallColoursFiguresByLevel(t *testing.T) {
	st := wallStyles(termenv.ANSI)
	const red, yellow, green = "31", "33", "32"
	for _, c := range []struct {
		level      state.Level
		want, none []string
	}{
		{state.LevelCritical, []string{red, "1"}, []string{yellow, green}},
		{state.LevelWarn, []string{yellow}, []string{red, green}},
		{state.LevelOK, []string{"1"}, []string{red, yellow}},
	} {
		for _, sz := range [][2]int{{80, 24}, {160, 45}, {12, 4}} {
			wall := renderWall([]wallFigure{{label: "CALLS WAITING", value: "12", level: c.level}}, sz[0], sz[1], st)
			var digits string // the lines of the value only
			for _, l := range strings.Split(wall, "\n") {
				if !strings.Contains(l, "CALLS") {
					digits += l
				}
			}
			params := sgrParams(digits)
			for _, p := range c.want {
				if !params[p] {
					t.Errorf("level %d at %dx%d: no SGR %s in %q", c.level, sz[0], sz[1], p, digits)
				}
			}
			for _, p := range c.none {
				if params[p] {
					t.Errorf("level %d at %dx%d: SGR %s in %q", c.level, sz[0], sz[1], p, digits)
				}
			}
		}
	}
	// In a full wall, each worrying figure keeps its colour.
	params := sgrParams(renderWall(sampleWall(), 160, 45, st))
	if !params[red] || !params[yellow] {
		t.Errorf("want red and yellow in the sample wall, got %v", params)
	}
}

func TestWallFallsBackToText(t *testing.T) {
	st := wallStyles(termenv.Ascii)
	// A value the font lacks.
	wall := renderWall([]wallFigure{{label: "STATUS", value: "n/a", level: state.LevelOK}, {label: "WAITING", value: "4", level: state.LevelOK}}, 80, 24, st)
	checkWallSize(t, wall, 80, 24)
	if !strings.Contains(wall, "n/a") || !strings.Contains(wall, "STATUS") || !strings.Contains(wall, "██") {
		t.Errorf("want n/a as text, 4 in big digits:\n%s", wall)
	}
	// Cells too small for the compact font.
	wall = renderWall(wallFigures(8), 30, 6, st)
	checkWallSize(t, wall, 30, 6)
	if strings.Contains(wall, "█") {
		t.Errorf("want text only:\n%s", wall)
	}
	for _, v := range []string{"12", "3:07", "318", "87%"} {
		if !strings.Contains(wall, v) {
			t.Errorf("no %q in:\n%s", v, wall)
		}
	}
}

func TestWallSanitizesText(t *testing.T) {
	wall := renderWall([]wallFigure{{label: "EVIL\x1b[2J\a LABEL", value: "1\x1b]0;x\a2", level: state.LevelOK}}, 80, 24, wallStyles(termenv.Ascii))
	checkWallSize(t, wall, 80, 24)
	if strings.ContainsAny(wall, "\x1b\a") {
		t.Errorf("control characters got through: %q", wall)
	}
	if !strings.Contains(wall, "EVIL LABEL") {
		t.Errorf("no label in:\n%s", wall)
	}
}

func TestWallGolden(t *testing.T) {
	st := wallStyles(termenv.Ascii)
	for _, sz := range [][2]int{{80, 24}, {160, 45}} {
		name := strconv.Itoa(sz[0]) + "x" + strconv.Itoa(sz[1])
		t.Run(name, func(t *testing.T) {
			got := []byte(renderWall(sampleWall(), sz[0], sz[1], st) + "\n")
			path := filepath.Join("testdata", strings.ReplaceAll(t.Name(), "/", "_")+".golden")
			if *updateWall {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update-wall to write it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("wall differs from %s (run with -update-wall to accept):\n%s", path, got)
			}
		})
	}
}

func BenchmarkWall300x100(b *testing.B) {
	st := wallStyles(termenv.ANSI)
	figures := sampleWall()
	for b.Loop() {
		renderWall(figures, 300, 100, st)
	}
}

func BenchmarkWall80x24(b *testing.B) {
	st := wallStyles(termenv.ANSI)
	figures := sampleWall()
	for b.Loop() {
		renderWall(figures, 80, 24, st)
	}
}
