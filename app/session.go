package app

import (
	"context"
	"fmt"
	"sync"
	"time"

	"callboard/config"
	"callboard/feed"
	"callboard/hub"
	"callboard/journal"
	"callboard/state"
)

// ConfigError is a session that could not open for what its user set: the
// configuration, the password source, a file or an address a flag names.
// The command says so as a usage error; any other error of Open is a
// failure of the machine (the demo simulator that cannot listen).
type ConfigError struct{ Err error }

func (e ConfigError) Error() string { return e.Err.Error() }
func (e ConfigError) Unwrap() error { return e.Err }

// JournalUse is what a session does with the account's journal of the day.
type JournalUse int

const (
	// NoJournal neither replays nor writes the journal (--no-journal,
	// the demo, a replay).
	NoJournal JournalUse = iota
	// ReadJournal replays the day so far into the board, and never
	// writes (snapshot: a short run beside the process that writes).
	ReadJournal
	// WriteJournal replays the day, then writes what comes while the
	// session lasts (or keeps it while another process writes).
	WriteJournal
)

// Replay is a recording, or a journal's day file, as a session's source.
type Replay struct {
	Path string
	// Speed is how fast the recorded time runs: 1, 10, or 0 for as fast
	// as it goes, the board's clock following the messages.
	Speed float64
	// ToEnd plays the recording for its last view (replay --snapshot):
	// as fast as it goes, a view a recorded second, as the live board
	// takes one a second when idle.
	ToEnd bool
}

// Options say what a session opens. The source is the configured service
// (the file at ConfigPath), or the demo simulator (Demo, following the
// rules of the file at ConfigPath, or of the default one when it exists,
// but not its connection), or a feed given
// whole (Feed), or a recording (Replay); Offline opens the configuration
// alone, with no source.
type Options struct {
	ConfigPath string // "": the default path; for a Replay, no configuration
	Demo       bool
	Feed       *feed.Config  // the service given whole: no configuration read
	Board      state.Options // the board's rules with Feed
	Replay     *Replay
	// Offline reads the configuration without asking for a password and
	// starts no source: the journal is read (with ReadJournal, the board
	// is the day the journal kept, as a restart replays it) or not at
	// all (report reads the days itself).
	Offline bool
	// Check, when set, is run on the configuration read before anything
	// starts (serve resolves its [serve] there).
	Check func(*config.Config) error

	Journal       JournalUse
	Record        string // write a recording of the live feed into this new file
	MetricsListen string // serve the metrics at this address too (see serveMetrics)
	MaxEvents     int    // the source ends after this many events (0: no limit)
	// Scope is what the session's commands see of the board (Subscribe,
	// Latest, the metrics, ReportDay): the zero Scope is the whole center.
	// The journal, the notifier and the hub keep the whole board.
	Scope state.Scope

	Now func() time.Time // the board's clock; nil: the wall clock, and the hub's own ticking
	Say func(string)     // told warnings and the journal's troubles, a line at a time; nil: nobody
}

// EndWait bounds how long a session takes to end, from the moment it
// starts ending (Ending: Stop, Close, or a command's own first step, as
// serve's viewers told to go): the road, then the recording's and the
// journal's end lines, each given what is left of it. A disk that does not
// answer by then loses what it did not take, counted and said, but the
// process ends.
const EndWait = 10 * time.Second

// Session is one run of the application: the configuration, the password,
// a source, the journal keeper and the hub that owns the board, opened
// together in that order by Open and ended together by Close. Every
// command reads the views of its Hub.
type Session struct {
	Board      state.Options  // the board's rules
	Title      string         // what the board's header calls it
	Account    string         // the login the feed reads as, for the board's header; "" for a replay or the demo
	Bell       bool           // ring when a queue turns critical or an agent passes a limit
	JournalDir string         // the account's journal directory, kept or not (--no-journal); "" when it has none (the demo)
	Hub        *hub.Hub       // nil when Offline without a journal
	Metrics    *MetricsServer // nil without Options.MetricsListen

	ctx     context.Context
	cancel  context.CancelFunc
	say     func(string)
	now     func() time.Time
	src     *source
	road    *road
	journal *journal.Keeper
	rec     *recording
	run     *liveRun  // what the session's own feed said this run; nil without one
	notify  *notifier // sends the alerts out; nil unless [notify] is set and the session writes the journal
	replay  *replayFile
	// audience is what the session's commands see (Options.Scope).
	audience state.Audience
	stop     sync.Once
	ending   sync.Once
	endBy    time.Time
}

// Open builds the session o describes: the configuration, the password,
// the source, the journal keeper, then the hub, whose road runs until
// ctx ends, its source ends or Close.
func Open(ctx context.Context, o Options) (s *Session, err error) {
	s = &Session{say: o.Say, now: o.Now, audience: state.Audience{Scope: o.Scope}}
	if s.say == nil {
		s.say = func(string) {}
	}
	if s.now == nil {
		s.now = WallClock
	}
	s.ctx, s.cancel = context.WithCancel(ctx)
	defer func() {
		if err != nil {
			s.Close()
			s = nil
		}
	}()
	if o.Replay != nil {
		return s, s.openReplay(o)
	}
	switch {
	case o.Feed != nil:
		s.src = &source{feed: *o.Feed, board: o.Board, title: "callboard", close: func() {}}
	case o.Demo:
		cfg, err := demoConfig(o.ConfigPath, s.say)
		if err != nil {
			return s, err
		}
		if cfg != nil && o.Check != nil { // the file's rules, checked as the command checks them
			if err := o.Check(cfg); err != nil {
				return s, ConfigError{err}
			}
		}
		if s.src, err = demoSource(cfg); err != nil {
			return s, err
		}
	default:
		cfg, err := loadConfig(o.ConfigPath, !o.Offline, s.say)
		if err != nil {
			return s, err
		}
		if o.Check != nil {
			if err := o.Check(cfg); err != nil {
				return s, ConfigError{err}
			}
		}
		if s.src, err = configSource(ctx, cfg, !o.Offline, s.say); err != nil {
			return s, err
		}
	}
	src := s.src
	start := s.now() // the board's counters start now
	s.Board, s.Title, s.Bell, s.JournalDir = src.board, src.title, src.bell, src.journal
	if !o.Demo { // the demo's title says it
		s.Account = src.feed.Login
	}
	if o.Journal == NoJournal {
		src.journal = ""
	}
	if o.MetricsListen != "" { // before the road: a refused address has nothing to undo
		if s.Metrics, err = serveMetrics(o.MetricsListen, src.metricsListen, o.Scope); err != nil {
			return s, ConfigError{err}
		}
	}
	if o.Record != "" && !o.Offline {
		if s.rec, err = startRecording(&src.feed, o.Record, start); err != nil {
			return s, err
		}
	}
	hcfg := hub.Config{Options: src.board, Start: start, Now: o.Now, MaxEvents: o.MaxEvents}
	if src.journal != "" {
		s.journal = journal.OpenKeeper(journal.KeeperConfig{
			Dir: src.journal, Location: src.board.Location, KeepDays: src.keepDays,
			Write: o.Journal == WriteJournal && !o.Offline, Now: s.now, Say: s.say,
		})
		s.journal.Attach(&hcfg)
	}
	// One sender per journal: the process that writes it (the notifier
	// sends only while it does, from the first view after the replay).
	if src.notify.On() && s.journal != nil && o.Journal == WriteJournal && !o.Offline {
		if s.notify, err = newNotifier(src.notify, src, s.Title, s.say); err != nil {
			return s, ConfigError{err}
		}
		hcfg.Notify = s.notify.sender.Health
	}
	var from messageSource
	switch {
	case !o.Offline:
		src.feed.Now = o.Now
		s.run = watchRun(&src.feed)
		from = fromFeed(src.feed)
	case s.journal != nil: // the day as the journal kept it, nothing after
		from = func(context.Context, chan<- feed.Message) {}
	default:
		return s, nil
	}
	s.road = startRoad(s.ctx, s.cancel, from, hcfg)
	s.Hub = s.road.hub
	if s.Metrics != nil {
		go exportViews(s.ctx, s.Subscribe(), s.Metrics.Exporter)
	}
	if s.notify != nil {
		s.startNotify()
	}
	return s, nil
}

// openReplay opens the recording of o.Replay, read with the rules of the
// configuration o names if any, and starts its road.
func (s *Session) openReplay(o Options) error {
	if o.ConfigPath != "" {
		cfg, err := loadConfig(o.ConfigPath, false, s.say)
		if err != nil {
			return err
		}
		s.Board = BoardOptions(cfg)
	}
	rec, err := openReplay(o.Replay.Path, s.Board.Location, o.Replay.ToEnd, s.Board)
	if err != nil {
		return ConfigError{fmt.Errorf("%s: %v", o.Replay.Path, err)}
	}
	s.replay = rec
	s.Title = "callboard — REPLAY of " + rec.r.Start().Local().Format("2006-01-02 15:04")
	s.road = startReplay(s.ctx, s.cancel, rec, s.Board, o.Replay.Speed, o.Replay.ToEnd)
	s.Hub = s.road.hub
	return nil
}

// Context ends when the session does: at Close, or when its road crashed.
func (s *Session) Context() context.Context { return s.ctx }

// Done is closed once the road has ended: its source had no more (a
// replay's end, MaxEvents), or it was stopped; at once for a session
// without one (Offline, without a journal).
func (s *Session) Done() <-chan struct{} {
	if s.road == nil {
		done := make(chan struct{})
		close(done)
		return done
	}
	return s.road.done
}

// Err is what ended the session before its time: the crash of its source
// or of its board, or the reading of its recording that failed.
func (s *Session) Err() error {
	if s.road != nil {
		if err := s.road.Err(); err != nil {
			return err
		}
	}
	if s.replay != nil {
		return s.replay.err
	}
	return nil
}

// Played waits for the session's recording to be played to its end, and
// returns the board's last view, or what stopped it before.
func (s *Session) Played() (*state.View, error) {
	return played(s.ctx, s.road, s.replay)
}

// Skipped says what the reading of the session's recording skipped, for
// stderr; "" when nothing, or when it has no recording.
func (s *Session) Skipped() string {
	if s.replay == nil {
		return ""
	}
	return ignoredCheckpoints(skippedLines(s.replay.r), s.replay.ignored, "the file read from its start")
}

// WaitMetrics waits until the session ends or its metrics server stops
// by itself, and returns why: the session's crash, or the metrics
// server's failure (nil when the session ended on purpose). For a process
// whose purpose is the metrics (callboard metrics). The road is stopped
// before it returns.
func (s *Session) WaitMetrics() error {
	var stopped <-chan struct{}
	if s.Metrics != nil {
		stopped = s.Metrics.Stopped()
	}
	select {
	case <-s.ctx.Done():
	case <-stopped:
	}
	s.Stop() // the recording is closed after the feed's last message
	if crash := s.Err(); crash != nil {
		return crash
	}
	if s.Metrics == nil {
		return nil
	}
	return s.Metrics.Err()
}

// WatchJournal tells say, until the session ends, each time the journal
// this session writes stops or starts writing again: what a process
// without a screen logs. Nothing when it writes none.
func (s *Session) WatchJournal(say func(problem string)) {
	if s.journal != nil {
		go journal.SayChanges(s.ctx, s.Hub, say)
	}
}

// Ending starts the session's end, if it has not started, and returns
// the deadline by which it ends (EndWait after it started).
func (s *Session) Ending() time.Time {
	s.ending.Do(func() { s.endBy = time.Now().Add(EndWait) })
	return s.endBy
}

// Stop stops the road and waits for it to end, at most until the
// session's end deadline (Ending). The session's views stay readable until
// Close.
func (s *Session) Stop() {
	deadline := s.Ending()
	s.stop.Do(func() {
		s.cancel()
		if s.road == nil {
			return
		}
		t := time.NewTimer(time.Until(deadline))
		defer t.Stop()
		select {
		case <-s.road.done:
		case <-t.C:
		}
	})
}

// EndRecording stops the road and ends the recording, if one is written,
// with its end line at end (the time of the board's last view).
func (s *Session) EndRecording(end time.Time) error {
	s.Stop()
	if s.rec == nil {
		return nil
	}
	rec := s.rec
	s.rec = nil
	if err := rec.end(end, s.Ending()); err != nil {
		return fmt.Errorf("recording: %w", err)
	}
	return nil
}

// Close ends the session in order, all within one deadline (EndWait from
// when it started ending): the road, the recording and the journal (their
// end lines), the metrics server, the source (the demo simulator). What
// goes wrong is said, not returned: the command has ended by then.
func (s *Session) Close() {
	if err := s.EndRecording(s.now()); err != nil {
		s.say(err.Error())
	}
	if s.journal != nil {
		s.journal.CloseBy(s.Ending())
		s.journal = nil
	}
	s.closeNotify() // after the journal's end line: a webhook that hangs takes only what is left
	if s.Metrics != nil {
		s.Metrics.Close()
	}
	if s.replay != nil {
		s.replay.close()
		s.replay = nil
	}
	if s.src != nil {
		s.src.close()
		s.src = nil
	}
}
