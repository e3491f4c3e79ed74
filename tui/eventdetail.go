package tui

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"callboard/state"
)

// eventDetail is one event of the log shown whole, over the Events tab's
// list: when it came, its kind and name, why it was rejected (wrapped,
// never cut), every field of its payload as decoded, and the payload
// itself, pretty-printed when it is JSON. It keeps its own copy of the
// event: one that leaves the log while it is shown stays, said gone.
//
// Its lines are built once for a width (the payload is bounded by the feed,
// and the lines by maxDetailLines) and only those on screen are drawn.
type eventDetail struct {
	entry  state.LogEntry
	number int64 // its number in eventNumbers
	gone   bool  // it has left the log since it was opened

	lines   []string // built for width; nil until sized
	width   int
	gonePut bool // lines say it is gone
	height  int  // lines for it, its heading included
	offset  int  // the first of lines on screen
}

// maxDetailLines bounds the lines a detail is built with: beyond, the
// payload is cut and the detail says how much of it is not shown.
const maxDetailLines = 5000

func newEventDetail(e state.LogEntry, number int64) *eventDetail {
	return &eventDetail{entry: e, number: number}
}

// setSize builds the detail's lines for width, when they were built for
// another (or before it went), and keeps the scroll within them.
func (d *eventDetail) setSize(sh *shared, width, height int) {
	if d.lines == nil || d.width != width || d.gonePut != d.gone {
		d.lines, d.width, d.gonePut = detailLines(sh, &d.entry, d.gone, width), width, d.gone
	}
	d.height = height
	d.scrollBy(0)
}

// bodyLines is how many of its lines fit under its heading.
func (d *eventDetail) bodyLines() int { return max(d.height-1, 1) }

func (d *eventDetail) scrollBy(n int) {
	d.offset = max(min(d.offset+n, len(d.lines)-d.bodyLines()), 0)
}

// key does what k means in the detail: esc or enter closes it, the table's
// keys scroll it, / closes it for the filter to open. The board's keys
// (tabs, help, wall, quit) are the board's: handled is false for them.
// Every other key does nothing: none reaches the list under the detail.
func (d *eventDetail) key(sh *shared, k tea.KeyMsg) (handled, closed bool) {
	ks := sh.keys
	if k.Paste {
		return false, true // text for the list's filter
	}
	if by, ok := movement(ks, k, d.bodyLines(), len(d.lines)); ok {
		d.scrollBy(by)
		return true, false
	}
	switch {
	case key.Matches(k, ks.Clear, ks.Detail):
		return true, true
	case key.Matches(k, ks.Filter):
		return false, true
	case key.Matches(k, ks.Tabs, ks.Next, ks.Prev, ks.Help, ks.Wall, ks.Quit):
		return false, false
	}
	return true, false
}

// movement is how far a table key moves through n lines shown page at a
// time: up and down one, a page, or to the first or the last; ok is false
// for the other keys.
func movement(ks *keyMap, k tea.KeyMsg, page, n int) (by int, ok bool) {
	for _, m := range []struct {
		b  key.Binding
		by int
	}{{ks.Up, -1}, {ks.Down, 1}, {ks.PageUp, -page}, {ks.PageDown, page}, {ks.Home, -n}, {ks.End, n}} {
		if key.Matches(k, m.b) {
			return m.by, true
		}
	}
	return 0, false
}

// detailKeys are the detail's keys, for the help.
func detailKeys(ks *keyMap) []key.Binding {
	back := ks.Clear
	back.SetHelp("esc/enter", "back to the list")
	return []key.Binding{back}
}

// view writes the detail in height lines: a heading that says which of its
// lines are on screen, then those lines.
func (d *eventDetail) view(sh *shared, b *strings.Builder, height int) {
	st := sh.styles
	body := max(height-1, 0)
	left := st.title.Render("Event") + st.dim.Render("  esc: back")
	right := ""
	if len(d.lines) > body {
		right = st.dim.Render("lines " + strings.TrimPrefix(rowsText(d.offset+1, min(d.offset+body, len(d.lines)), len(d.lines)), "rows "))
	}
	if height > 0 {
		b.WriteString(spread(left, right, sh.width))
		b.WriteByte('\n')
	}
	for i := range body {
		if j := d.offset + i; j < len(d.lines) {
			b.WriteString(d.lines[j])
		}
		b.WriteByte('\n')
	}
}

// detailLines are the lines of e's detail at width, each at most width
// cells: what came, when, and how the board took it; its fields; its
// payload.
func detailLines(sh *shared, e *state.LogEntry, gone bool, width int) []string {
	st := sh.styles
	w := &detailWriter{width: max(width, 1)}
	const labels = 10 // "received  "
	w.labelled("received", e.At.In(sh.location()).Format("Mon 2 Jan 2006 15:04:05 MST"), labels, nil)
	w.labelled("kind", cmp.Or(sanitize(e.Kind), noValue), labels, nil)
	w.labelled("event", cmp.Or(sanitize(e.Name), noValue), labels, nil)
	switch {
	case e.Rejected != "":
		w.labelled("status", "rejected: "+sanitize(e.Rejected), labels, &st.warn)
	case e.Unknown:
		w.labelled("status", "unknown: kept, of a kind, event or status the board does not know", labels, &st.warn)
	default:
		w.labelled("status", "applied", labels, nil)
	}
	if gone {
		w.labelled("", "no longer in the log, which keeps the newest "+strconv.Itoa(len(sh.view.Events))+" events", labels, &st.dim)
	}
	w.blank()

	var invalid error
	if len(e.Raw) > 0 && !json.Valid(e.Raw) {
		invalid = json.Unmarshal(e.Raw, new(json.RawMessage)) // why, which Valid does not say
	}
	switch {
	case len(e.Raw) == 0:
		w.heading(st, "Payload")
		w.wrapped("(none)", "  ", "  ", &st.dim)
		return w.lines
	case invalid != nil:
		w.heading(st, "Payload (not JSON: "+sanitize(invalid.Error())+")")
		// no more than the lines it may be shown on can hold
		text := e.Raw[:min(len(e.Raw), maxDetailLines*w.width*4)]
		w.wrapped(sanitize(string(text)), "  ", "  ", nil)
		return w.cut(len(e.Raw))
	}
	walk := jsonWalk{dec: json.NewDecoder(bytes.NewReader(e.Raw))}
	walk.dec.UseNumber()
	_ = walk.value("", "", 1) // valid JSON: it stops only when cut, and says so
	if len(walk.fields) > 0 {
		w.heading(st, "Fields")
		keyWidth := 0
		for _, f := range walk.fields {
			keyWidth = max(keyWidth, ansi.StringWidth(f.path)+2)
		}
		keyWidth = min(keyWidth, w.width*2/5)
		for _, f := range walk.fields {
			value := f.value
			if f.path == "ts" {
				value += tsTime(f.value, sh.location())
			}
			w.labelledAt("  ", f.path, value, keyWidth)
			if w.full() {
				return w.cut(len(e.Raw))
			}
		}
		w.blank()
	}
	w.heading(st, "Payload")
	for _, l := range walk.lines {
		indent := strings.Repeat("  ", l.depth)
		w.wrapped(l.text, indent, indent+"  ", nil)
		if w.full() {
			break
		}
	}
	return w.cut(len(e.Raw)) // a walk cut short filled the lines
}

// tsTime is the time a payload's ts (Unix seconds) says, in loc: "
// (16:17:01)", or "" when it is not one.
func tsTime(ts string, loc *time.Location) string {
	v, err := strconv.ParseFloat(ts, 64)
	if err != nil || v <= 0 || v > 1e11 {
		return ""
	}
	t := time.Unix(0, int64(v*float64(time.Second))).In(loc)
	return " (" + t.Format("Mon 2 Jan 2006 15:04:05 MST") + ")"
}

// detailWriter gathers a detail's lines, each wrapped to width.
type detailWriter struct {
	lines []string
	width int
}

func (w *detailWriter) full() bool { return len(w.lines) >= maxDetailLines }

// cut ends the lines at maxDetailLines, saying that the payload of size
// bytes does not show whole.
func (w *detailWriter) cut(size int) []string {
	if !w.full() {
		return w.lines
	}
	w.lines = w.lines[:maxDetailLines]
	w.lines = append(w.lines, ansi.Truncate("… cut here: the payload ("+strconv.Itoa(size)+" bytes) does not show whole", w.width, "…"))
	return w.lines
}

func (w *detailWriter) blank() { w.lines = append(w.lines, "") }

func (w *detailWriter) heading(st *styles, title string) {
	w.lines = append(w.lines, st.title.Render(ansi.Truncate(title, w.width, "…")))
}

// labelled writes text after label, in a column at, text wrapped under
// itself.
func (w *detailWriter) labelled(label, text string, at int, style *lipgloss.Style) {
	at = min(at, w.width/3)
	first := ansi.Truncate(label, max(at-1, 0), "…")
	first += strings.Repeat(" ", at-ansi.StringWidth(first))
	w.wrapped(text, first, strings.Repeat(" ", at), style)
}

// labelledAt writes a field: indent, its path in a column keyWidth wide
// (on a line of its own when longer), then its value wrapped under itself.
func (w *detailWriter) labelledAt(indent, path, value string, keyWidth int) {
	at := strings.Repeat(" ", ansi.StringWidth(indent)+keyWidth)
	if pw := ansi.StringWidth(path); pw <= keyWidth-2 {
		w.wrapped(value, indent+path+strings.Repeat(" ", keyWidth-pw), at, nil)
		return
	}
	w.wrapped(path, indent, indent+"  ", nil)
	w.wrapped(value, at, at, nil)
}

// wrapped writes text after first on its first line, after rest on the
// others, wrapped at spaces (and within words longer than a line).
// Prefixes wider than half the width are shortened (rest) or written on
// a line of their own (first).
func (w *detailWriter) wrapped(text, first, rest string, style *lipgloss.Style) {
	if ansi.StringWidth(rest) > w.width/2 {
		rest = rest[:w.width/2] // spaces
	}
	if ansi.StringWidth(first) > w.width/2 {
		w.wrapped(strings.TrimRight(first, " "), "", rest, nil)
		first = rest
	}
	room := max(w.width-max(ansi.StringWidth(first), ansi.StringWidth(rest)), 1)
	parts := strings.Split(ansi.Wrap(text, room, ""), "\n")
	for i, p := range parts {
		prefix := rest
		if i == 0 {
			prefix = first
		}
		if style != nil {
			p = style.Render(p)
		}
		w.lines = append(w.lines, prefix+p)
		if w.full() {
			return
		}
	}
}

// jsonWalk reads a payload known to be JSON, in its own order (an
// object's keys as they came, a key given twice included), into its fields
// and its lines pretty-printed, and stops at maxDetailLines of them: a
// payload is read only as far as it is shown.
type jsonWalk struct {
	dec    *json.Decoder
	fields []jsonField // its leaves: scalars, and empty objects and arrays
	lines  []jsonLine
}

// jsonField is one leaf of a payload: its path (event.msg.id_queue) and its
// value as decoded, sanitised.
type jsonField struct{ path, value string }

// jsonLine is one line of a payload pretty-printed, before it is wrapped.
type jsonLine struct {
	depth int
	text  string
}

// errCut stops a jsonWalk.
var errCut = errors.New("cut")

// value reads one value at path, written after prefix (its key) at depth.
// Strings are written sanitised between quotes: no escape is written back.
func (w *jsonWalk) value(path, prefix string, depth int) error {
	if len(w.lines) >= maxDetailLines {
		return errCut
	}
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	var text string
	switch t := tok.(type) {
	case json.Delim:
		return w.container(t == '{', path, prefix, depth)
	case string:
		text = sanitize(t)
		w.leaf(path, text)
		text = `"` + text + `"`
	case json.Number:
		text = t.String()
		w.leaf(path, text)
	case bool:
		text = strconv.FormatBool(t)
		w.leaf(path, text)
	default:
		text = "null"
		w.leaf(path, text)
	}
	w.lines = append(w.lines, jsonLine{depth, prefix + text})
	return nil
}

// container reads an object or an array whose opening was read.
func (w *jsonWalk) container(object bool, path, prefix string, depth int) error {
	open, end := "[", "]"
	if object {
		open, end = "{", "}"
	}
	if !w.dec.More() {
		w.leaf(path, open+end)
		w.lines = append(w.lines, jsonLine{depth, prefix + open + end})
		_, err := w.dec.Token()
		return err
	}
	w.lines = append(w.lines, jsonLine{depth, prefix + open})
	for i := 0; w.dec.More(); i++ {
		sub, key := path+"["+strconv.Itoa(i)+"]", ""
		if object {
			tok, err := w.dec.Token()
			if err != nil {
				return err
			}
			name, _ := tok.(string)
			name = sanitize(name)
			sub, key = name, `"`+name+`": `
			if path != "" {
				sub = path + "." + name
			}
		}
		if err := w.value(sub, key, depth+1); err != nil {
			return err
		}
		if w.dec.More() {
			w.lines[len(w.lines)-1].text += ","
		}
	}
	w.lines = append(w.lines, jsonLine{depth, end})
	_, err := w.dec.Token()
	return err
}

func (w *jsonWalk) leaf(path, value string) {
	w.fields = append(w.fields, jsonField{cmp.Or(path, "(payload)"), value})
}
