package state

import (
	"fmt"
	"maps"
	"strings"
	"time"

	"callboard/feed"
)

// AgentState is the one state an agent is shown in.
type AgentState string

// The displayed agent states, in precedence order.
const (
	LoggedOut   AgentState = "logged_out"
	Ringing     AgentState = "ringing"
	Calling     AgentState = "calling"
	OnCall      AgentState = "on_call"
	Paused      AgentState = "paused"
	Other       AgentState = "other"
	Unavailable AgentState = "unavailable"
	Available   AgentState = "available"
	Unknown     AgentState = "unknown"
)

// OnACall reports whether an agent in state s is taken by a call: ringing,
// calling or connected. It is what every "on a call" figure counts.
func (s AgentState) OnACall() bool { return s == Ringing || s == Calling || s == OnCall }

// LoggedIn reports whether an agent in state s is logged in (its state is
// known and is not logged_out).
func (s AgentState) LoggedIn() bool { return s != LoggedOut && s != Unknown }

// AllStates lists every AgentState, in precedence order.
var AllStates = []AgentState{LoggedOut, Ringing, Calling, OnCall, Paused, Other, Unavailable, Available, Unknown}

// CallTTL is how long a call may go without an event before it is swept.
const CallTTL = 12 * time.Hour

// Options are the rules a board follows; the zero value takes the defaults.
type Options struct {
	ResumePauseIDs        []string               // default [""]
	PauseLabels           map[string]string      // add to or override the directory's pause labels
	ServiceLevelThreshold time.Duration          // default 20 s
	ShortAbandon          time.Duration          // default 5 s
	ServiceLevelTarget    float64                // percent; 0 is none
	ServiceLevelFormula   string                 // default FormulaAnswered
	QueueRules            map[string]QueueRule   // by queue id, or name (queuerules.go)
	Location              *time.Location         // the day's timezone; default time.Local
	EventLogSize          int                    // default 500
	CallerID              CallerDisplay          // default CallerMask
	Country               string                 // region of caller numbers written nationally (0612…), ISO 3166 (FR); default DefaultCountry
	StaleCallWindow       time.Duration          // after a reconnect, how long calls have to be mentioned again; default 10 s
	StaleCallSweep        time.Duration          // after a reconnect, when calls never mentioned again are dropped; default 10 min
	AlertSettle           time.Duration          // after the feed goes live, how long the queue rules wait for the state at connect; default StaleCallWindow, negative none
	Thresholds            Thresholds             // warn and critical levels of every queue
	QueueThresholds       map[string]Thresholds  // per queue id, replacing Thresholds
	Limits                Limits                 // how long agents may stay in a state before they are flagged
	Interval              time.Duration          // the day by interval; default 30 min
	QueueLimits           QueueLimits            // every queue's alert limits (alerts_engine.go)
	QueueLimitsOf         map[string]QueueLimits // per queue id, or name no other queue bears: zero fields take QueueLimits'
	// MaxAgents, MaxQueues and MaxTrunks cap the distinct ids the board
	// keeps (DefaultMaxAgents…): an event naming a new one beyond them is
	// rejected ("too many queues: limit 2000"). The directory's are always
	// kept, and count.
	MaxAgents, MaxQueues, MaxTrunks int
}

// The default caps on distinct ids (Options.MaxAgents…): four times the
// agents of a 5,000-agent center, ten times its 200 queues.
const (
	DefaultMaxAgents = 20_000
	DefaultMaxQueues = 2_000
	DefaultMaxTrunks = 2_000
)

// PlaceholderTTL is how long a placeholder (an agent, queue or trunk met in
// events but absent from the directory) is kept without being mentioned.
// It goes sooner, at the day's roll or after, when it holds nothing live:
// an agent logged out (or never seen logged in) without a call, a queue or
// trunk without calls.
const PlaceholderTTL = 24 * time.Hour

// placeholderSweep is how often, by the board's time, placeholders are
// looked at (and at each roll of the day).
const placeholderSweep = 10 * time.Minute

// DefaultCountry is Options.Country when not set.
const DefaultCountry = "FR"

// CallerDisplay says how caller numbers are shown.
type CallerDisplay string

// Caller number display modes.
const (
	CallerMask CallerDisplay = "mask" // keep the first 3 and the last 2 digits
	CallerFull CallerDisplay = "full"
	CallerHide CallerDisplay = "hide"
)

func (o Options) withDefaults() Options {
	if o.ResumePauseIDs == nil {
		o.ResumePauseIDs = []string{""}
	}
	if o.ServiceLevelThreshold == 0 {
		o.ServiceLevelThreshold = 20 * time.Second
	}
	if o.ShortAbandon == 0 {
		o.ShortAbandon = 5 * time.Second
	}
	if o.ServiceLevelFormula == "" {
		o.ServiceLevelFormula = FormulaAnswered
	}
	if o.Interval <= 0 {
		o.Interval = 30 * time.Minute
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	if o.CallerID == "" {
		o.CallerID = CallerMask
	}
	if o.Country = strings.ToUpper(o.Country); o.Country == "" {
		o.Country = DefaultCountry
	}
	if o.EventLogSize == 0 {
		o.EventLogSize = 500
	}
	if o.StaleCallWindow == 0 {
		o.StaleCallWindow = 10 * time.Second
	}
	if o.StaleCallSweep == 0 {
		o.StaleCallSweep = 10 * time.Minute
	}
	if o.AlertSettle == 0 {
		o.AlertSettle = o.StaleCallWindow
	}
	if o.MaxAgents <= 0 {
		o.MaxAgents = DefaultMaxAgents
	}
	if o.MaxQueues <= 0 {
		o.MaxQueues = DefaultMaxQueues
	}
	if o.MaxTrunks <= 0 {
		o.MaxTrunks = DefaultMaxTrunks
	}
	return o
}

type presence int

const (
	presenceUnknown presence = iota
	presenceIn
	presenceOut
	presencePaused
)

type agent struct {
	id, name    string
	sortKey     []byte // collation key of name (names.go)
	groups      []string
	placeholder bool

	groupNames   []string // names of groups, as of namesVersion
	groupQueues  []*queue // the groups' queues (nil when unknown), as of namesVersion
	namesVersion int
	// groupsKeyed is groups' key (groupsKey) as of keyedGroups, the
	// groups slice it was made of (a new one each time they change).
	groupsKeyed string
	keyedGroups []string

	presence presence
	pauseID  string
	status   string // raw operator status, "" when none
	call     *agentCall

	state      AgentState
	shownPause string    // the pause id state was computed with
	since      time.Time // when state (or pause reason) last changed: today's totals count from here
	shownSince time.Time // where its time in state counts from: since, unless the state was only described again
	seen       time.Time // last event about this agent
	heard      time.Time // when an update naming it was last received (placeholders go a day after)
	stale      bool      // its state predates an outage and no event has refreshed it
	before     *agentBefore

	answered     int                      // inbound queue calls answered (Board.credit)
	outbound     int                      // calls placed and answered
	lastOutbound string                   // the call last counted in outbound
	pausedBy     map[string]time.Duration // closed paused periods today, per reason
	loggedIn     time.Duration            // closed logged-in periods today
	onCall       time.Duration            // closed on-call periods today
	paused       time.Duration            // closed paused periods today
}

// agentBefore is what an agent was doing when the feed went live again
// after an outage: events that describe the same state again (the burst
// after init) keep its time in state instead of starting it over.
type agentBefore struct {
	state      AgentState
	pause      string
	call       string
	shownSince time.Time
}

type agentCall struct {
	id, caller, queue string
	shownCaller       string // caller after Options.CallerID
	recorded          bool
	placed            bool // the agent placed it (status calling)
}

type call struct {
	id, caller        string
	priority, vipRate string // as insert_call gave them
	shown, shownOf    string // the caller as shown, and the number it was worked out of
	record            *callRecord
	entered           time.Time
	answeredAt        time.Time // zero while waiting
	agent             string
	seen              time.Time
	heard             time.Time // when an update about it was last received
	stale             bool      // not mentioned again after a reconnect: left out of the counts
	// day is the first instant of the day the call counts in (offered,
	// answered, abandoned): the day it entered. Zero when it counts in
	// none (first seen before the day the board counts).
	day         time.Time
	beforeStart bool    // first seen already answered: counts in AnsweredBeforeStart only
	credited    bool    // its answer is counted in an agent's answered
	lostSight   bool    // turned stale after an outage: unanswered, its end says nothing of an answer missed meanwhile
	due         dueCall // its entry in Board.due while in its queue
}

type queue struct {
	id, name    string
	sortKey     []byte // collation key of name (names.go)
	viewIndex   int    // scratch: the queue's row while Queues builds them
	placeholder bool
	heard       time.Time // when an update naming it was last received (placeholders go a day after)
	calls       map[string]*call
	rule        QueueRule // Options.QueueRules' for it, defaults taken (resolveRules)

	answered, answeredInSL int
	abandoned, shortAband  int
	totalWait              time.Duration
	beforeStart            int // today's calls first seen already answered

	waiting, inProgress, staleCalls int // its calls by class (classOf), kept as they change
}

type trunkCall struct {
	connected   bool
	beforeStart bool      // first seen connected: counts in AnsweredBeforeStart only
	day         time.Time // as call.day
	lostSight   bool      // as call.lostSight
	seen        time.Time
	heard       time.Time // when an update about it was last received
	stale       bool      // not mentioned again after a reconnect: left out of the counts
	due         dueCall   // its entry in Board.due while on its trunk
}

type trunk struct {
	id, name    string
	sortKey     []byte // collation key of name (names.go)
	placeholder bool
	heard       time.Time // when an update naming it was last received (placeholders go a day after)
	calls       map[string]*trunkCall

	total, answered, missed int
	beforeStart             int // today's calls first seen connected
}

// Board is the reduced state of the call center. Create it with New; it is
// not safe for concurrent use.
type Board struct {
	opts   Options
	resume map[string]bool
	pauses map[string]string // pause id → label, from the directory

	agents map[string]*agent
	queues map[string]*queue
	trunks map[string]*trunk
	waited minuteHistory // calls waiting, minute by minute, while live
	// waitChanged are the queues whose calls waiting changed since the
	// last sample waited logged (sampleQueues); waitAll says every queue's
	// may have (their counts made again).
	waitChanged map[string]bool
	waitAll     bool

	order             []*agent // agents by sort key, nil when it must be rebuilt
	namesVersion      int      // bumped whenever a group's name changes
	limitsSet         bool     // Options.Limits sets any limit
	queueOrder        []*queue // queuesByName's, as of queueOrderVersion
	queueOrderVersion int
	trunkOrder        []*trunk  // trunksByName's; nil when a trunk came, went or was renamed
	swept             time.Time // when placeholders were last looked at
	refused           string    // why the event being applied was refused by a cap, naming the id: its note
	rebuilt           int       // rows the views built and sorted again (interval queues, queue and trunk orders): none when nothing changed, for the tests
	names             nameCollator
	ruleNotes         []string // RuleNotes

	// the alerts acknowledged (acks.go), and Acks' list of them, nil when
	// it must be made again
	acks    map[AlertKey]*Acknowledgement
	ackList []Acknowledgement

	due       dueHeap // the live calls, by when they are due to be looked at (deadlines.go)
	waiting   int     // calls waiting now (classWaiting), in all queues
	staleWalk bool    // every call is to be looked at once the stale window after liveAt closes
	sweepWalk bool    // and once the sweep after liveAt comes
	looked    int     // calls a tick looked at, for the tests
	// tickWith, set by the tests only, replaces Tick: the reference the
	// board's ticks are compared with.
	tickWith func(now time.Time)

	since        time.Time // start of the counters
	lookedFrom   time.Time // when the board began to look (New, then the feed first live): a call answered before was not seen answered
	liveAt       time.Time // when the feed last went live
	received     time.Time // reception time of the update being applied
	feed         FeedHealth
	wasLive      bool      // the feed has been live before
	dayStart     time.Time // the first instant of the day of since
	nextDay      time.Time // the first instant of the day after since's, worked out for since = nextDayOf
	nextDayOf    time.Time
	callLog      []*callRecord               // today's calls, in the order first seen
	zones        []*time.Location            // the locations of the records' times (recordtimes.go)
	carried      []*callRecord               // the day before's calls still going on at its midnight
	intervals    []*interval                 // today's, by index from the start of the day; nil where nothing happened
	abandoned    []*abandonedCall            // today's, oldest first
	gone         map[string]*call            // today's calls swept, by queue id NUL call id: heard of again, they come back
	goneTrunk    map[string]*trunkCall       // likewise for trunks, by trunk id NUL call id
	toCallBack   map[string][]*abandonedCall // by callerKey: today's abandoned callers not reached yet
	callerKeys   map[string]string           // callerKey's, by number as it came
	outages      []Interval                  // stretches not live after having been live, the last open while it goes on; none ended before today
	agentsBefore bool                        // agents keep what they did before the last outage (agent.before), until the stale window closes
	joining      bool                        // the day goes on in its journal's writer's sight until this process's feed is first live (Join)
	dayFeed      FeedHealth                  // the feed as the day's writer left it, when joining
	log          eventLog
	alerts       alertBook           // the rules raised and their changes (alerts_engine.go)
	views        viewCaches          // what views keep between them; rebuilt from the rest when empty
	groupLists   map[string][]string // the group ids of each groupsKey met (groupsOfKey)
}

// FeedHealth describes the stream as the board has seen it.
type FeedHealth struct {
	State       feed.ConnState
	Protocol    string
	Reason      string
	Refused     bool   // the last disconnection was the server refusing the credentials
	LastError   string // the reason of the last disconnection, kept while connecting again
	Lasting     bool   // LastError will not mend by retrying alone (feed.Lasting)
	StateSince  time.Time
	DownSince   time.Time // when the feed stopped being live; zero if it never was
	NextRetry   time.Time
	Events      int            // updates applied, rejected ones included
	Rejected    int            // updates that could not be used
	RejectedBy  map[string]int // reason → count
	Unknown     int            // updates of a kind or name the board does not know
	UnknownBy   map[string]int // "kind/event" or "operator/status/value" → count, at most 1,000 names (then "(other names)"); keys are outside text
	Gaps        int            // breaks in the cpt sequence (gaps and resets)
	Reconnects  int            // times the feed went live again after being live
	LastEventAt time.Time      // zero before the first event
	LastSeq     int64
	hasSeq      bool
	Directory   time.Time // when the directory was last received
	TokenExpiry time.Time
}

// New returns an empty board whose counters start at now.
func New(opts Options, now time.Time) *Board {
	opts = opts.withDefaults()
	b := &Board{
		opts:       opts,
		resume:     make(map[string]bool, len(opts.ResumePauseIDs)),
		pauses:     map[string]string{},
		agents:     map[string]*agent{},
		queues:     map[string]*queue{},
		trunks:     map[string]*trunk{},
		since:      now,
		lookedFrom: now,
		feed:       FeedHealth{RejectedBy: map[string]int{}, UnknownBy: map[string]int{}, StateSince: now},

		toCallBack: map[string][]*abandonedCall{},
		gone:       map[string]*call{},
		goneTrunk:  map[string]*trunkCall{},
		callerKeys: map[string]string{},
		log:        newEventLog(opts.EventLogSize),
	}
	for _, id := range opts.ResumePauseIDs {
		b.resume[id] = true
	}
	b.dayStart = startOfDay(now, opts.Location)
	b.limitsSet = opts.Limits.set()
	b.initAlerts()
	return b
}

// Handle applies any feed message at time now.
func (b *Board) Handle(m feed.Message, now time.Time) {
	switch m := m.(type) {
	case *feed.Event:
		b.Apply(m, now)
	case *feed.DirectoryMsg:
		b.SetDirectory(m.Directory, now)
	case *feed.StatusMsg:
		b.SetStatus(m)
	case *feed.AckMsg:
		b.Acknowledge(AckOf(m))
	}
}

// SetStatus records a change of connection state.
func (b *Board) SetStatus(s *feed.StatusMsg) {
	if s.State != b.feed.State {
		b.feed.StateSince = s.At
	}
	switch {
	case b.joining:
		// this process's own start-up: the day was seen meanwhile
		b.joining = s.State != feed.Live
	case s.State != feed.Live && b.feed.State == feed.Live:
		b.feed.DownSince = s.At
		b.outages = append(b.outages, Interval{From: s.At})
	case s.State == feed.Live && b.feed.State != feed.Live:
		if n := len(b.outages); n > 0 && b.outages[n-1].To.IsZero() {
			b.outages[n-1].To = s.At
		}
		b.wentLive(s.At)
		if !b.wasLive {
			b.lookedFrom = s.At // a journal replayed says when, as the live run did
		}
		if b.wasLive {
			b.feed.Reconnects++
			for _, a := range b.agents {
				a.stale = true
				a.before = &agentBefore{state: a.state, pause: a.shownPause, call: a.callID(), shownSince: a.shownSince}
			}
			b.agentsBefore = true
		}
		b.wasLive = true
	}
	b.feed.State, b.feed.Reason, b.feed.NextRetry = s.State, s.Reason, s.NextRetry
	b.feed.Refused = s.Refused
	if s.State == feed.Disconnected && s.Reason != "" {
		b.feed.LastError, b.feed.Lasting = s.Reason, s.Lasting
	}
	if s.State == feed.Live {
		b.feed.Lasting = false // mended after all
	}
	if s.Protocol != "" {
		b.feed.Protocol = s.Protocol
	}
	b.evaluateAlerts(s.At)
}

// Join says that the day this board was replayed from goes on, past at
// (its last line), in the sight of the process that writes it: its
// journal's lock is held. This board's own feed, until it is first live,
// is then no stretch of the day without a live feed, and its going live
// makes nothing stale: an agent or a call is stale only after an outage
// the day itself had. Meanwhile the board says its feed is connecting,
// its figures as of at. When the day was not live at its last line, the
// outage it records goes on and Join does nothing: it reports whether it
// joined.
func (b *Board) Join(at time.Time) bool {
	if b.feed.State != feed.Live {
		return false
	}
	b.joining, b.dayFeed = true, b.feed
	b.feed.State, b.feed.Reason, b.feed.NextRetry = feed.Connecting, "", time.Time{}
	b.feed.StateSince, b.feed.DownSince = at, at
	return true
}

// Unjoin takes the board's feed back to the day as its writer left it at
// Join, this process's own start-up aside: what the writer saw since
// (the journal's lines after Join's at) can then be applied as the day's,
// and the board joined again where they end.
func (b *Board) Unjoin() {
	if !b.joining {
		return
	}
	b.joining = false
	d := &b.dayFeed
	b.feed.State, b.feed.Reason, b.feed.NextRetry = d.State, d.Reason, d.NextRetry
	b.feed.StateSince, b.feed.DownSince = d.StateSince, d.DownSince
}

// Leave says that the process whose day the board joined stopped seeing
// it at at (its journal's last line) before this board's feed was live:
// the day is not seen from then, an outage that this board's going live
// ends, making stale what it has not heard of since, as after any outage.
func (b *Board) Leave(at time.Time) {
	if !b.joining {
		return
	}
	b.joining = false
	b.feed.DownSince = at
	b.outages = append(b.outages, Interval{From: at})
}

// SetDirectory names agents, groups, trunks and pause types. Rows created
// as placeholders get their names; live state is kept. Rows of an earlier
// directory that this one no longer lists become placeholders, heard of
// now: they go as placeholders go, so that directories that differ at
// each login do not add up without end beyond the caps.
func (b *Board) SetDirectory(d feed.Directory, now time.Time) {
	b.rollDay(now)
	b.evaluateAlerts(now) // time passing, before the directory
	b.unlist(d, now)
	for _, a := range d.Agents {
		if a.ID == "" {
			continue
		}
		ag := b.agent(string(a.ID), now)
		if ag.name != a.Name {
			ag.name, ag.sortKey = a.Name, b.names.key(a.Name)
		}
		ag.placeholder = false
		ag.groups = make([]string, 0, len(a.Groups)) // a new slice: views already published hold the old one
		for _, g := range a.Groups {
			ag.groups = append(ag.groups, string(g))
		}
		ag.namesVersion = -1
	}
	for _, g := range d.Groups {
		if g.ID == "" {
			continue
		}
		q := b.queue(string(g.ID))
		if q.name != g.Name {
			q.name, q.sortKey = g.Name, b.names.key(g.Name)
		}
		q.placeholder = false
	}
	b.order = nil
	b.namesVersion++
	for _, t := range d.Trunks {
		if t.ID == "" {
			continue
		}
		tr := b.trunk(string(t.ID))
		if tr.name != t.Name {
			tr.name, tr.sortKey = t.Name, b.names.key(t.Name)
			b.trunkOrder = nil
		}
		tr.placeholder = false
	}
	for _, p := range d.Pauses {
		b.pauses[string(p.ID)] = p.Name
	}
	b.feed.Directory, b.feed.TokenExpiry = now, d.Expires
	b.resolveRules()
	b.evaluateAlerts(now)
}

// unlist makes the rows of the directory that d does not list
// placeholders, heard of now.
func (b *Board) unlist(d feed.Directory, now time.Time) {
	listed := make(map[string]bool, len(d.Agents)+len(d.Groups)+len(d.Trunks))
	for _, a := range d.Agents {
		listed["a"+string(a.ID)] = true
	}
	for _, g := range d.Groups {
		listed["q"+string(g.ID)] = true
	}
	for _, t := range d.Trunks {
		listed["t"+string(t.ID)] = true
	}
	unlist := func(key string, placeholder *bool, heard *time.Time) {
		if !*placeholder && !listed[key] {
			*placeholder, *heard = true, now
		}
	}
	for id, a := range b.agents {
		unlist("a"+id, &a.placeholder, &a.heard)
	}
	for id, q := range b.queues {
		unlist("q"+id, &q.placeholder, &q.heard)
	}
	for id, t := range b.trunks {
		unlist("t"+id, &t.placeholder, &t.heard)
	}
}

// Feed returns the stream's health as seen by the board.
func (b *Board) Feed() FeedHealth {
	f := b.feed
	f.RejectedBy = maps.Clone(b.feed.RejectedBy)
	f.UnknownBy = maps.Clone(b.feed.UnknownBy)
	return f
}

// Since is when today's counters started.
func (b *Board) Since() time.Time { return b.since }

func (b *Board) agent(id string, now time.Time) *agent {
	a, ok := b.agents[id]
	if !ok {
		id = strings.Clone(id) // kept: not a slice of the update it came in
		a = &agent{id: id, name: "#" + id, placeholder: true, state: Unknown, since: now, shownSince: now, namesVersion: -1}
		a.sortKey = b.names.key(a.name)
		b.agents[id] = a
		b.order = nil
	}
	return a
}

func (b *Board) queue(id string) *queue {
	q, ok := b.queues[id]
	if !ok {
		id = strings.Clone(id) // kept: not a slice of the update it came in
		q = &queue{id: id, name: "#" + id, placeholder: true, calls: map[string]*call{}}
		q.rule = b.fullRule(b.opts.QueueRules[id])
		q.sortKey = b.names.key(q.shownName())
		b.queues[id] = q
		b.namesVersion++
	}
	return q
}

func (b *Board) trunk(id string) *trunk {
	t, ok := b.trunks[id]
	if !ok {
		id = strings.Clone(id) // kept: not a slice of the update it came in
		t = &trunk{id: id, name: "#" + id, placeholder: true, calls: map[string]*trunkCall{}}
		t.sortKey = b.names.key(t.name)
		b.trunks[id] = t
		b.trunkOrder = nil
	}
	return t
}

// eventAgent is the agent an event names, made a placeholder when new,
// nil (and the event refused) when new beyond Options.MaxAgents.
func (b *Board) eventAgent(id string, at time.Time) *agent {
	if _, ok := b.agents[id]; !ok && !b.admits(len(b.agents), b.opts.MaxAgents, "agents", "id_operator", id) {
		return nil
	}
	a := b.agent(id, at)
	a.heard = b.received
	return a
}

// eventQueue is eventAgent for queues (Options.MaxQueues).
func (b *Board) eventQueue(id string) *queue {
	if _, ok := b.queues[id]; !ok && !b.admits(len(b.queues), b.opts.MaxQueues, "queues", "id_queue", id) {
		return nil
	}
	q := b.queue(id)
	q.heard = b.received
	return q
}

// eventTrunk is eventAgent for trunks (Options.MaxTrunks).
func (b *Board) eventTrunk(id string) *trunk {
	if _, ok := b.trunks[id]; !ok && !b.admits(len(b.trunks), b.opts.MaxTrunks, "trunks", "id_trunk", id) {
		return nil
	}
	t := b.trunk(id)
	t.heard = b.received
	return t
}

// maxRefusedID is how much of a refused id its note quotes, in characters.
const maxRefusedID = 64

// admits reports whether a new id (of field, in the event being applied)
// may be kept beside the kept ids of what, at most limit; if not, the
// event is refused: Board.refused says why and names the id.
func (b *Board) admits(kept, limit int, what, field, id string) bool {
	if kept < limit {
		return true
	}
	shown := []rune(strings.TrimSpace(Sanitize(id)))
	if len(shown) > maxRefusedID {
		shown = append(shown[:maxRefusedID-1], '…')
	}
	b.refused = fmt.Sprintf("too many %s: limit %d\x00%s %q", what, limit, field, string(shown))
	return false
}

// dropPlaceholders drops the placeholders not mentioned for PlaceholderTTL,
// and those not mentioned today that hold nothing live.
func (b *Board) dropPlaceholders(now time.Time) {
	b.swept = now
	gone := func(heard time.Time, live bool) bool {
		return now.Sub(heard) >= PlaceholderTTL || heard.Before(b.dayStart) && !live
	}
	for id, a := range b.agents {
		if a.placeholder && gone(a.heard, a.state.LoggedIn() || a.call != nil) {
			b.closePeriod(a, now) // its time so far stays in the day's figures
			delete(b.agents, id)
			b.order = nil
		}
	}
	for id, q := range b.queues {
		if q.placeholder && gone(q.heard, len(q.calls) > 0) {
			for _, c := range q.calls { // none but a day unheard of: its calls go with it
				b.unschedule(&c.due)
			}
			b.waiting -= q.waiting
			b.waitChangedIn(id)
			delete(b.queues, id)
			b.namesVersion++
		}
	}
	for id, t := range b.trunks {
		if t.placeholder && gone(t.heard, len(t.calls) > 0) {
			for _, c := range t.calls {
				b.unschedule(&c.due)
			}
			delete(b.trunks, id)
			b.trunkOrder = nil
		}
	}
}

func (b *Board) pauseLabel(id string) string {
	if l, ok := b.opts.PauseLabels[id]; ok {
		return l
	}
	if l, ok := b.pauses[id]; ok && l != "" {
		return l
	}
	return id
}
