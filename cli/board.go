package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/charmbracelet/x/term"

	"callboard/app"
	"callboard/config"
	"callboard/tui"
)

// usage heads the board's --help: what the command does and its
// subcommands, each of which has a --help of its own.
const usage = `callboard: a terminal wallboard for call centers on Axialys Voice Management.

Usage:
  callboard [--config FILE] [--wall] [--record FILE] [--metrics-listen ADDR] [--queues LIST] [--groups LIST]
                                the board, on the configured service (--queues, --groups: a team's only)
  callboard --demo [--config FILE]
                                the board, on a built-in simulator (the file's rules, not its connection)
  callboard snapshot            print the board once as JSON, for scripts
  callboard metrics             serve Prometheus metrics, no screen
  callboard serve               serve a board to each viewer over ssh (public keys only), no screen
  callboard doctor              check the configuration and the connection step by step
  callboard replay FILE         replay a recording on the board (or --snapshot)
  callboard report --csv WHAT   a day of the journal as CSV: calls, intervals or agents
  callboard simulate            run the simulator alone, for another client
  callboard version             print the version (also --version)

Each subcommand takes --help. Flags of the board:
`

// boardCommand is the board on the terminal, on the configured service or
// the demo simulator.
func boardCommand(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	fs := newFlags("callboard", "")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		printFlags(fs)
	}
	showVersion := fs.Bool("version", false, "print the version and exit")
	demo := fs.Bool("demo", false, "run on a built-in simulator instead of the configured service, with the configuration's rules (thresholds, alerts, display) but not its connection")
	wall := fs.Bool("wall", false, "start in wall mode: the key figures in big digits (w toggles)")
	metricsListen := fs.String("metrics-listen", "", "also serve Prometheus metrics at this address, e.g. 127.0.0.1:9464")
	session := newSessionFlags(fs, app.WriteJournal, true)
	scope := newScopeFlags(fs, "the board (and its metrics)")
	if err := parseArgs(fs, args, false, stdout, stderr); err != nil {
		return err
	}
	if *showVersion {
		fmt.Fprintln(stdout, version())
		return nil
	}

	o := session.options(stderr)
	if o.Scope, err = scope.scope(); err != nil {
		return err
	}
	lines := &heldLines{w: stderr}
	o.Say = lines.say
	o.Demo, o.MetricsListen = *demo, *metricsListen
	var wallCfg config.Wall
	checkWall(&o, &wallCfg)
	s, err := openSession(ctx, o)
	if err != nil {
		return err
	}
	defer s.Close()

	var bell io.Writer
	if s.Bell {
		bell = stdout // the terminal the board is drawn on
	}
	views := s.Subscribe()
	defer views.Close()
	pages, closePages := boardPages(s, wallCfg, nil)
	defer closePages()
	lines.hold() // from here on, what is said waits for the board's end
	settings, saveSettings, settingsSaved := boardSettings("", localSettingsWho(o.Scope), lines.say)
	defer settingsSaved()
	board := tui.New(tui.Config{Title: s.Title, Account: s.Account, Views: views.C, View: s.Latest(), Bell: bell, Wall: *wall,
		Acknowledge: s.Acknowledger(app.LocalUser()),
		Settings:    settings, SaveSettings: saveSettings,
		Pages: pages, RotateEvery: wallCfg.RotateEvery.Duration})
	stalled, err := runBoard(s.Context(), board, os.Stdin, stdout)
	if stalled { // the terminal does not read: what is said after gives up on it too
		stderr = writerWithin{stderr, stalledWriteWait}
		defer func() {
			if err != nil { // said here, within the wait: Run would say it on the terminal as is
				err = &exitError{Code: exit(stderr, "callboard:", err)}
			}
		}()
	}
	lines.release(stderr)
	s.Stop()
	if s.Metrics != nil {
		if err := s.Metrics.Err(); err != nil { // the board went on without them: said once the screen is back
			complain(stderr, "callboard:", err)
		}
	}
	if crash := s.Err(); crash != nil {
		return crash
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	if why, never := s.NeverLive(); never {
		// Never live this run, whatever the journal showed: the header
		// may have cut the reason; here it is whole.
		complain(stderr, "callboard: never live this run:", why)
	}
	return nil
}

// The waits of a board whose terminal does not read (a frozen tmux server,
// a suspended terminal emulator, an ssh client whose window is full): its
// drawing blocks in a write, holding the screen's end with it.
const (
	// stalledTerminalWait is how long the board's screen has to end once
	// its session ended (tui.Run quits, then kills, within two seconds)
	// before the program ends without it.
	stalledTerminalWait = 5 * time.Second
	// stalledWriteWait bounds each of the writes that follow.
	stalledWriteWait = time.Second
)

// runBoard runs the board on the terminal of in and out until the user
// quits or ctx ends. The feed, the hub and the journal never wait on the
// terminal; the screen's end does, and when it has not come
// stalledTerminalWait after ctx ended, runBoard gives up on it (stalled):
// it restores in's modes itself (an ioctl, which a terminal that does not
// read does not hold), gives tui.LeaveScreen stalledWriteWait, and returns;
// the screen's goroutine stays blocked until the process ends.
func runBoard(ctx context.Context, board tui.Model, in *os.File, out io.Writer) (stalled bool, err error) {
	modes, _ := term.GetState(in.Fd()) // nil when in is no terminal
	ended := make(chan error, 1)
	go func() { ended <- tui.Run(ctx, board) }()
	select {
	case err := <-ended:
		return false, err
	case <-ctx.Done():
	}
	wait := time.NewTimer(stalledTerminalWait)
	defer wait.Stop()
	select {
	case err := <-ended:
		return false, err
	case <-wait.C:
	}
	if modes != nil {
		_ = term.Restore(in.Fd(), modes)
	}
	writerWithin{out, stalledWriteWait}.Write([]byte(tui.LeaveScreen))
	return true, nil
}

// writerWithin writes to w from a goroutine of its own, and stops waiting
// for it after wait: what it could not write by then is lost.
type writerWithin struct {
	w    io.Writer
	wait time.Duration
}

func (ww writerWithin) Write(p []byte) (int, error) {
	p = append([]byte(nil), p...) // the caller may reuse p once we return
	wrote := make(chan struct{})
	go func() {
		defer close(wrote)
		ww.w.Write(p)
	}()
	t := time.NewTimer(ww.wait)
	defer t.Stop()
	select {
	case <-wrote:
	case <-t.C:
	}
	return len(p), nil
}
