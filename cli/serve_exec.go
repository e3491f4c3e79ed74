package cli

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/ssh"

	"callboard/app"
	"callboard/state"
)

// A session with a command gets the one line of notABoard, unless its
// command is one of readOnlyCommands: `ssh host snapshot` and `ssh host
// report --csv calls` print what `callboard snapshot` and `callboard report
// --csv calls` print, for the key's viewer (its scope and caller_id), from
// serve's own board and journal, and end. No shell runs them: the command
// line, at most maxCommandLine bytes, is split at its spaces and must be
// one of them word for word. Such a session shows no board: its connection
// stays among the startups (login_grace, max_startups), so that it ends
// within login_grace of the login however slowly its output is read.

// maxCommandLine is the most bytes of a command line looked at: longer,
// it is refused unread.
const maxCommandLine = 64

// readOnlyCommands are the commands a session may run, by their words
// joined by one space: each writes to w what its key's audiences see.
var readOnlyCommands = map[string]func(s *sshServer, ctx context.Context, w io.Writer, audiences []state.Audience) error{
	"snapshot":           (*sshServer).printSnapshot,
	"report --csv calls": (*sshServer).printCalls,
}

// dayReport is the day so far from a journal, as `callboard report`
// reads it: its view with the report of its calls, and the location of
// its times.
type dayReport func(ctx context.Context) (*state.View, *time.Location, error)

// journalReport is the day so far from s's journal, as runReport reads
// it; without a journal (--no-journal, the demo) there is none.
func journalReport(s *app.Session, journal app.JournalUse, say func(string)) dayReport {
	return func(ctx context.Context) (*state.View, *time.Location, error) {
		if journal != app.WriteJournal || s.JournalDir == "" {
			return nil, nil, errors.New("no journal: serve runs without one (--no-journal)")
		}
		loc := s.Board.Location
		if loc == nil {
			loc = time.Local
		}
		y, m, d := app.WallClock().In(loc).Date()
		v, skipped, err := s.ReportDay(ctx, time.Date(y, m, d, 12, 0, 0, 0, time.UTC), app.WallClock)
		if skipped != "" {
			say(s.JournalDir + ": " + skipped)
		}
		return v, loc, err
	}
}

// command runs sess's command if it is one of readOnlyCommands, and says
// whether it was; who names the session in the log.
func (s *sshServer) command(sess ssh.Session, who []any) bool {
	raw := sess.RawCommand()
	if len(raw) > maxCommandLine {
		return false
	}
	line := strings.Join(strings.Fields(raw), " ")
	run, ok := readOnlyCommands[line]
	if !ok {
		return false
	}
	start := time.Now()
	out := &countingWriter{w: sess}
	err := run(s, sess.Context(), out, s.viewerKeys.of(sess.PublicKey()).audiences())
	attrs := append(who, "remote", sess.RemoteAddr().String(), "command", line, "bytes", out.n, "duration", time.Since(start).Round(time.Millisecond).String())
	if err != nil {
		s.log.Info("command failed", append(attrs, "err", state.Sanitize(err.Error()))...)
		complain(sess.Stderr(), "callboard "+line+":", err)
		_ = sess.Exit(1)
		return true
	}
	s.log.Info("command", attrs...)
	_ = sess.Exit(0)
	return true
}

// printSnapshot writes the board's latest view as the audiences see it,
// as `callboard snapshot` does.
func (s *sshServer) printSnapshot(_ context.Context, w io.Writer, audiences []state.Audience) error {
	return printJSON(w, s.hub.Latest(audiences...).Snapshot())
}

// printCalls writes the day's calls so far, from the journal, as the
// audiences see them, as `callboard report --csv calls` does. One report
// is read at a time (each replays the day): the others wait their turn.
func (s *sshServer) printCalls(ctx context.Context, w io.Writer, audiences []state.Audience) error {
	if s.report == nil {
		return errors.New("no journal to read")
	}
	select {
	case s.reporting <- struct{}{}:
		defer func() { <-s.reporting }()
	case <-ctx.Done():
		return ctx.Err()
	}
	v, loc, err := s.report(ctx)
	if err != nil {
		return err
	}
	if len(audiences) > 0 && v.Report != nil {
		r := v.Report.Held() // the scope cuts the calls themselves
		v.Report = &r
	}
	for _, a := range audiences {
		v = v.For(a)
	}
	if v.Report == nil {
		v.Report = &state.Report{} // a view cut to nothing of the day
	}
	cw := csv.NewWriter(w)
	if err := callRows(v, loc, pointStyle, cw.Write); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
