package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"callboard/feed"
	"callboard/state"
)

// printJSON writes v to w as indented JSON whose invisible and control
// characters are escaped (feed.EscapeInvisible): the data of a snapshot is
// kept, but reading it in a terminal cannot be turned against the reader.
func printJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(feed.EscapeInvisible(buf.Bytes()))
	return err
}

// complain writes one line to w: prefix, then what follows it, each through
// state.Sanitize. Errors carry the server's words (a refused login's body,
// a proxy's page): escape sequences, C1 controls, bidi overrides and line
// breaks that would forge a line of our own must not reach the terminal.
func complain(w io.Writer, prefix string, what ...any) {
	parts := make([]string, 0, len(what))
	for _, v := range what {
		parts = append(parts, strings.TrimSpace(state.Sanitize(fmt.Sprint(v))))
	}
	fmt.Fprintln(w, prefix, strings.Join(parts, " "))
}
