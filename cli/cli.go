// Package cli is callboard's command line: one file per command (the
// board, snapshot, replay, report, doctor, metrics, serve, simulate), each
// with its flags and usage, and the one place (Run) that maps what a
// command returns to an exit code and says it on stderr.
//
// It exists so that the commands speak alike: every usage has the same
// shape and flag style (--help on stdout, exit 0; an unknown flag or a
// stray argument is a usage error, exit 2), and every command returns an
// error instead of choosing its exit code where it fails. The work below
// the flags is a session of package app.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"runtime/debug"
	"strings"
	"syscall"

	"callboard/app"
)

// Exit codes: 1 a failure, 2 a usage or configuration error; snapshot and
// doctor add 3, the login was refused, and 4, the feed never went live.
const (
	exitOK          = 0
	exitFail        = 1
	exitConfig      = 2
	exitAuthRefused = 3
	exitNeverLive   = 4
)

// exitError ends a command with an exit code of its own: Err is said on
// stderr after Prefix (nothing when Err is nil: it was said, or there is
// nothing to say). Any other error a command returns exits 1.
type exitError struct {
	Code int
	Err  error
	// Prefix heads the line on stderr; "" for the command's own
	// ("callboard snapshot:").
	Prefix string
}

func (e *exitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *exitError) Unwrap() error { return e.Err }

// usageError is err as a usage error: said as the program's, exit 2.
func usageError(err error) error {
	return &exitError{Code: exitConfig, Err: err, Prefix: "callboard:"}
}

// exit is the one place a command's end becomes an exit code: its error,
// if any, said on stderr after prefix (the command's own, unless the error
// names another).
func exit(stderr io.Writer, prefix string, err error) int {
	if err == nil {
		return exitOK
	}
	code := exitFail
	var e *exitError
	if errors.As(err, &e) {
		code, err = e.Code, e.Err
		if e.Prefix != "" {
			prefix = e.Prefix
		}
	}
	if err != nil {
		complain(stderr, prefix, err)
	}
	return code
}

// command is one of callboard's commands, run with its arguments.
type command func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// commands are the subcommands by name; without one, the board.
var commands = map[string]command{
	"simulate": simulateCommand,
	"snapshot": snapshotCommand,
	"replay":   replayCommand,
	"metrics":  metricsCommand,
	"doctor":   doctorCommand,
	"report":   reportCommand,
	"serve":    serveCommand,
	"version":  versionCommand,
}

// versionCommand prints the build's version (see version).
func versionCommand(_ context.Context, args []string, stdout, stderr io.Writer) error {
	if err := parseArgs(newFlags("callboard version", ""), args, false, stdout, stderr); err != nil {
		return err
	}
	fmt.Fprintln(stdout, version())
	return nil
}

// Run runs the command that args name (the board when they name none),
// until it ends or a signal ends it, and returns the exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	// engine.io-client-go swallows the first SIGINT, SIGTERM and SIGQUIT
	// (it installs handlers at import): these signals end the program here.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	defer stop()

	if len(args) > 0 {
		if cmd, ok := commands[args[0]]; ok {
			return exit(stderr, "callboard "+args[0]+":", cmd(ctx, args[1:], stdout, stderr))
		}
	}
	return exit(stderr, "callboard:", boardCommand(ctx, args, stdout, stderr))
}

// OneStream reports whether the command of args is one stream into one
// board and one reader of it: all but serve (its viewers draw their boards
// side by side) and simulate (a server).
func OneStream(args []string) bool {
	return len(args) == 0 || (args[0] != "serve" && args[0] != "simulate")
}

// version names this build: the module version, the commit and its time
// when Go recorded them, and the Go release.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "callboard (no build information)"
	}
	return versionOf(info)
}

// versionOf names the build info says: its commit (12 hex digits, and
// "(modified)" when the tree was) and the commit's time, or that Go
// recorded none (a build outside a git checkout, or with -buildvcs=false).
func versionOf(info *debug.BuildInfo) string {
	v := "callboard " + info.Main.Version
	var revision, when, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = " (modified)"
			}
		}
	}
	if len(revision) > 12 {
		revision = revision[:12]
	}
	switch {
	case revision != "":
		v += " " + revision + modified
	default:
		v += " (no commit recorded: built outside a git checkout or with -buildvcs=false)"
	}
	if when != "" {
		v += " " + when
	}
	return v + " " + info.GoVersion
}

// newFlags is the flag set of the command name, whose usage names its
// operands ("" when it takes none) and lists its flags as every command
// does (printFlags).
func newFlags(name, operands string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		flags := 0
		fs.VisitAll(func(*flag.Flag) { flags++ })
		synopsis := name
		if flags > 0 {
			synopsis += " [flags]"
		}
		if operands != "" {
			synopsis += " " + operands
		}
		fmt.Fprintf(fs.Output(), "Usage: %s\n", synopsis)
		if flags > 0 {
			fmt.Fprintf(fs.Output(), "\nFlags:\n")
			printFlags(fs)
		}
	}
	return fs
}

// printFlags lists the flags of fs on its output as flag.PrintDefaults
// does, spelt as the usage lines and the README spell them: --name.
func printFlags(fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		kind, text := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if kind != "" {
			line += " " + kind
		}
		line += "\n    \t" + strings.ReplaceAll(text, "\n", "\n    \t")
		switch def := f.DefValue; {
		case def == "" || def == "0" || def == "0s" || def == "false":
		case kind == "string":
			line += fmt.Sprintf(" (default %q)", def)
		default:
			line += fmt.Sprintf(" (default %s)", def)
		}
		fmt.Fprintln(fs.Output(), line)
	})
}

// errHelp ends a command whose usage was asked for: exit 0.
var errHelp = &exitError{Code: exitOK}

// parseArgs parses the flags of a command, the one usage scheme of every
// command: --help (or -h) prints the usage on stdout and ends the command
// with exit 0 (errHelp); a flag it does not know, a bad value or, when the
// command takes no operands, a stray argument is a usage error on stderr
// (exit 2) that names it as the usage spells flags (--name). A command
// ends when it returns an error.
func parseArgs(fs *flag.FlagSet, args []string, operands bool, stdout, stderr io.Writer) error {
	usage := fs.Usage
	fs.Usage = func() {} // said below, on the stream that fits
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.Usage = usage
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
		return errHelp
	case err != nil:
		return usageError(fmt.Errorf("%s (%s --help lists the flags)", flagDashes.ReplaceAllString(err.Error(), "${1}--${2}"), fs.Name()))
	case !operands && fs.NArg() > 0:
		return usageError(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	return nil
}

// flagDashes finds the flag names in the flag package's errors ("flag
// provided but not defined: -x", "invalid value \"v\" for flag -x: …"),
// which it spells with one dash.
var flagDashes = regexp.MustCompile(`(: | for (?:flag )?)-([A-Za-z][\w.-]*)`)

// openSession opens the session o describes; what stops it is the
// program's error (exit 2 for what the user set).
func openSession(ctx context.Context, o app.Options) (*app.Session, error) {
	s, err := app.Open(ctx, o)
	if err != nil {
		code := exitFail
		if errors.As(err, new(app.ConfigError)) {
			code = exitConfig
		}
		return nil, &exitError{Code: code, Err: err, Prefix: "callboard:"}
	}
	return s, nil
}

// sayOn is a session's Say that writes each line on stderr as the
// program's.
func sayOn(stderr io.Writer) func(string) {
	return func(s string) { complain(stderr, "callboard:", s) }
}

// configFlag adds --config to fs: the configuration file, "" for the
// default one.
func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", "", "configuration file (default $XDG_CONFIG_HOME/callboard/config.toml)")
}

// sessionFlags are the flags of a command that opens a session on the
// configured service: --config, --no-journal and, when it records,
// --record.
type sessionFlags struct {
	config    *string
	record    *string // nil when the command records nothing
	noJournal *bool
	journal   app.JournalUse // what the session does with the journal without --no-journal
}

// newSessionFlags adds the session's flags to fs; the session uses the
// journal as journal says unless --no-journal.
func newSessionFlags(fs *flag.FlagSet, journal app.JournalUse, record bool) *sessionFlags {
	f := &sessionFlags{config: configFlag(fs), journal: journal}
	if record {
		f.record = fs.String("record", "", "write a recording of what is received to this file (JSON lines; no password, no token)")
	}
	if journal == app.ReadJournal {
		f.noJournal = fs.Bool("no-journal", false, "do not read today's journal: the counters start now")
	} else {
		f.noJournal = fs.Bool("no-journal", false, "neither replay nor write the day's journal")
	}
	return f
}

// options are the session's options as the flags set them, its warnings
// said on stderr.
func (f *sessionFlags) options(stderr io.Writer) app.Options {
	o := app.Options{ConfigPath: *f.config, Journal: f.journal, Say: sayOn(stderr)}
	if *f.noJournal {
		o.Journal = app.NoJournal
	}
	if f.record != nil {
		o.Record = *f.record
	}
	return o
}
