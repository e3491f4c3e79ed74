package cli

import (
	"context"
	"fmt"
	"io"

	"callboard/app"
	"callboard/tui"
)

// replayCommand plays a recording (or a journal's day file) on the board,
// or prints the board as of its end.
func replayCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("callboard replay", "FILE")
	speed := fs.String("speed", "1", "1, 10 or max: how fast the recorded time runs")
	snapshot := fs.Bool("snapshot", false, "print the snapshot JSON as of the end of the recording, instead of the board")
	configPath := fs.String("config", "", "configuration file for the board's rules (optional)")
	if err := parseArgs(fs, reorderFlags(args), true, stdout, stderr); err != nil {
		return err
	}
	switch {
	case fs.NArg() == 0:
		return usageError(fmt.Errorf("replay takes one recording file"))
	case fs.NArg() > 1:
		return usageError(fmt.Errorf("unexpected argument %q: replay takes one recording file", fs.Arg(1)))
	}
	factor, ok := map[string]float64{"1": 1, "10": 10, "max": 0}[*speed]
	if !ok {
		return usageError(fmt.Errorf("--speed %q: want 1, 10 or max", *speed))
	}
	s, err := openSession(ctx, app.Options{ConfigPath: *configPath, Replay: &app.Replay{Path: fs.Arg(0), Speed: factor, ToEnd: *snapshot}, Say: sayOn(stderr)})
	if err != nil {
		return err
	}
	defer s.Close()
	defer func() {
		if msg := s.Skipped(); msg != "" {
			complain(stderr, "callboard replay:", fs.Arg(0)+": "+msg)
		}
	}()
	if *snapshot {
		v, err := s.Played()
		if err != nil {
			return err
		}
		return printJSON(stdout, v.Snapshot())
	}
	views := s.Hub.Subscribe()
	defer views.Close()
	err = tui.Run(s.Context(), tui.New(tui.Config{Title: s.Title, Views: views.C, View: s.Hub.Latest()}))
	s.Stop()
	if crash := s.Err(); crash != nil {
		return crash
	}
	return err
}

// reorderFlags moves flags after positional arguments to the front, so
// that `replay FILE --snapshot` works as `replay --snapshot FILE`.
func reorderFlags(args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i+1:]...)
			i = len(args)
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			if a == "--speed" || a == "-speed" || a == "--config" || a == "-config" {
				if i+1 < len(args) {
					flags = append(flags, args[i+1])
					i++
				}
			}
		default:
			rest = append(rest, a)
		}
	}
	return append(flags, rest...)
}
