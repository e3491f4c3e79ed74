// Package metrics exposes the board in the Prometheus text format, for the
// tools an ops team already watches. It is a step of its own because it is
// a second output beside the screen: it reads state's views, never the feed.
//
// The metric names are a public interface (README, "Metrics").
package metrics

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"

	"callboard/state"
)

// MaxScrapes is how many scrapes are served at once; more are answered 503
// at once rather than queued, so a storm of scrapers cannot grow the heap.
const MaxScrapes = 16

// maxLabel is the longest label value, in characters: names come from the
// service, and a megabyte of name must not make a megabyte of page per
// metric.
const maxLabel = 128

// Exporter holds the last view of a board and serves it. Update and the
// HTTP handler may run on different goroutines. The page is rendered once
// per change (an Update, a SetViewers), by the first scrape after it, and
// every scrape until the next change is served from that copy: scrapes that
// come while it renders wait for it rather than render their own.
type Exporter struct {
	mu        sync.Mutex
	view      *state.View // nil before the first Update
	viewers   int         // boards watched over ssh (callboard serve); -1: not served, not shown
	scope     string      // the scope label's value on every series (NewScoped); "" none
	ssh       sshFigures  // connections to callboard serve's ssh server
	changes   int         // bumped by each change of what the page shows
	page      []byte      // rendered for changes; nil when it changed since
	rendering *rendering  // the render under way for changes, nil when none
	renders   int         // pages rendered, for the tests
	onRender  func()      // for the tests: called as a render begins

	scrapes chan struct{} // a place per scrape being served
}

// rendering is a page being rendered, shared by every scrape that asks for
// it meanwhile: done is closed once page is set.
type rendering struct {
	done chan struct{}
	page []byte
}

// New returns an exporter with nothing to show yet.
func New() *Exporter {
	return &Exporter{scrapes: make(chan struct{}, MaxScrapes), viewers: -1, ssh: sshFigures{unauthenticated: -1}}
}

// Update takes a view of the board: the same as every other reader of that
// view shows. Views are immutable: it is kept as it is, and read only when
// a scrape renders the page.
func (e *Exporter) Update(v *state.View) {
	e.mu.Lock()
	e.view = v
	e.changed()
	e.mu.Unlock()
}

// changed drops the page rendered: the next scrape renders a new one.
// Called with mu held.
func (e *Exporter) changed() {
	e.changes++
	e.page, e.rendering = nil, nil
}

// SetViewers shows callboard_viewers, the boards being watched over ssh
// (callboard serve only: absent until set).
func (e *Exporter) SetViewers(n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.viewers != n {
		e.viewers = n
		e.changed()
	}
}

// SetSSHConnections shows callboard_ssh_unauthenticated, the ssh
// connections without a board (not authenticated yet, or showing none), and
// callboard_ssh_refused_total, those closed without a board, by reason
// (callboard serve only: absent until set).
func (e *Exporter) SetSSHConnections(unauthenticated int, refused map[string]uint64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ssh.unauthenticated == unauthenticated && maps.Equal(e.ssh.refused, refused) {
		return
	}
	e.ssh = sshFigures{unauthenticated: unauthenticated, refused: maps.Clone(refused)}
	e.changed()
}

// Handler serves /metrics in the Prometheus text format.
func (e *Exporter) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case e.scrapes <- struct{}{}:
			defer func() { <-e.scrapes }()
		default:
			http.Error(w, "too many scrapes at once", http.StatusServiceUnavailable)
			return
		}
		page := e.render()
		w.Header().Set("Content-Type", string(expfmt.NewFormat(expfmt.TypeTextPlain)))
		w.Write(page)
	})
}

// render returns the page of the current figures: the one rendered since
// the last change, the one being rendered (waiting for it), or a new one.
func (e *Exporter) render() []byte {
	e.mu.Lock()
	if page := e.page; page != nil {
		e.mu.Unlock()
		return page
	}
	if r := e.rendering; r != nil {
		e.mu.Unlock()
		<-r.done
		return r.page
	}
	r := &rendering{done: make(chan struct{})}
	e.rendering = r
	fig := figures{view: e.view, viewers: e.viewers, ssh: e.ssh, scope: e.scope}
	changes := e.changes
	e.renders++
	onRender := e.onRender
	e.mu.Unlock()

	if onRender != nil {
		onRender()
	}
	r.page = fig.page()
	close(r.done)
	e.mu.Lock()
	if e.changes == changes { // else a newer page is due: this one is only for the scrapes that waited for it
		e.page, e.rendering = r.page, nil
	}
	e.mu.Unlock()
	return r.page
}

// page renders the figures in the Prometheus text format. Collection
// cannot fail (labels are valid UTF-8 and unique, see labeller), but
// should it, the families gathered are served all the same: one bad series
// never takes the page, callboard_feed_up included, down with it.
func (f figures) page() []byte {
	registry := prometheus.NewRegistry()
	var on prometheus.Registerer = registry
	if f.scope != "" {
		on = prometheus.WrapRegistererWith(prometheus.Labels{scopeLabel: f.scope}, registry)
	}
	on.MustRegister(collector{f})
	families, _ := registry.Gather()
	var buf bytes.Buffer
	enc := expfmt.NewEncoder(&buf, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, f := range families {
		if err := enc.Encode(f); err != nil {
			break // only a family without samples fails: none is collected
		}
	}
	if buf.Len() == 0 {
		return []byte{} // never nil: nil is "not rendered"
	}
	return buf.Bytes()
}

var (
	descQueueWaiting    = prometheus.NewDesc("callboard_queue_calls_waiting", "Calls waiting in the queue now.", []string{"queue_id", "queue"}, nil)
	descQueueLongest    = prometheus.NewDesc("callboard_queue_longest_wait_seconds", "How long the longest-waiting call of the queue has waited.", []string{"queue_id", "queue"}, nil)
	descQueueInProgress = prometheus.NewDesc("callboard_queue_calls_in_progress", "Answered calls of the queue not ended yet.", []string{"queue_id", "queue"}, nil)
	descQueueAnswered   = prometheus.NewDesc("callboard_queue_answered_today", "Calls of the queue answered today.", []string{"queue_id", "queue"}, nil)
	descQueueAbandoned  = prometheus.NewDesc("callboard_queue_abandoned_today", "Calls of the queue abandoned today.", []string{"queue_id", "queue"}, nil)
	descQueueSL         = prometheus.NewDesc("callboard_queue_service_level_ratio", "Service level of the queue today, 0 to 1; absent while undefined.", []string{"queue_id", "queue"}, nil)
	descQueueSLTarget   = prometheus.NewDesc("callboard_queue_service_level_target", "The queue's service level target, 0 to 1 as the ratio; formula is what the ratio divides by (answered, offered, answered_only); absent when the queue has no target.", []string{"queue_id", "queue", "formula"}, nil)
	descQueueASA        = prometheus.NewDesc("callboard_queue_asa_seconds", "Average speed of answer of the queue today; absent before the first answer.", []string{"queue_id", "queue"}, nil)
	descAgents          = prometheus.NewDesc("callboard_agents", "Agents by displayed state.", []string{"state"}, nil)
	descAgentsStale     = prometheus.NewDesc("callboard_agents_stale", "Agents whose state predates an outage of the day, not refreshed since.", nil, nil)
	descFeedNotLive     = prometheus.NewDesc("callboard_feed_not_live_today", "Stretches of today without a live feed once it had been live: outages, and the time callboard was not running.", nil, nil)
	descTrunkCalls      = prometheus.NewDesc("callboard_trunk_calls", "Calls on the trunk now, by state (ringing, connected).", []string{"trunk_id", "trunk", "state"}, nil)
	descFeedUp          = prometheus.NewDesc("callboard_feed_up", "1 while the feed is live, else 0.", nil, nil)
	descFeedEvents      = prometheus.NewDesc("callboard_feed_events_total", "Updates received.", nil, nil)
	descFeedRejected    = prometheus.NewDesc("callboard_feed_rejected_total", "Updates that could not be used, by reason.", []string{"reason"}, nil)
	descFeedGaps        = prometheus.NewDesc("callboard_feed_gaps_total", "Breaks in the server's sequence numbers.", nil, nil)
	descFeedReconnects  = prometheus.NewDesc("callboard_feed_reconnects_total", "Times the feed went live again after an outage.", nil, nil)
	descFeedLastEvent   = prometheus.NewDesc("callboard_feed_last_event_age_seconds", "Seconds since the last update; absent before the first.", nil, nil)
	descTokenExpiry     = prometheus.NewDesc("callboard_token_expiry_timestamp_seconds", "When the session token expires, in Unix seconds; absent before the first login.", nil, nil)
	descViewers         = prometheus.NewDesc("callboard_viewers", "Boards being watched over ssh (callboard serve).", nil, nil)
	descJournalWriting  = prometheus.NewDesc("callboard_journal_writing", "1 while this process writes the day's journal, 0 when it cannot (another process writes it, the disk); absent without a journal.", nil, nil)
	descJournalDropped  = prometheus.NewDesc("callboard_journal_dropped_lines_total", "Journal lines lost while it could not be written.", nil, nil)
	descLabelCollisions = prometheus.NewDesc("callboard_metrics_label_collisions", "Ids on this page whose sanitised text or label value another id already had: each is told apart by its suffix.", nil, nil)

	descSSHUnauthenticated = prometheus.NewDesc("callboard_ssh_unauthenticated", "ssh connections without a board: not authenticated yet, or showing no board (callboard serve).", nil, nil)
	descSSHRefused         = prometheus.NewDesc("callboard_ssh_refused_total", "ssh connections closed without a board, by reason: max_startups (one more came while there were as many as [serve] max_startups), login_grace (no board within [serve] login_grace).", []string{"reason"}, nil)
)

// figures are what a page shows: a view, the viewers and the ssh
// connections.
type figures struct {
	view    *state.View // nil before the first Update
	viewers int
	ssh     sshFigures
	scope   string // the scope label of every series; "" none
}

// sshFigures are callboard serve's connections that have not logged in.
type sshFigures struct {
	unauthenticated int               // now; -1: not served, not shown
	refused         map[string]uint64 // closed before they authenticated, by reason; replaced, never changed
}

type collector struct{ f figures }

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range notifyDescs {
		ch <- d
	}
	for _, d := range []*prometheus.Desc{descQueueWaiting, descQueueLongest, descQueueInProgress, descQueueAnswered, descQueueAbandoned, descQueueSL, descQueueSLTarget, descQueueASA, descAgents, descAgentsStale, descFeedNotLive, descTrunkCalls, descFeedUp, descFeedEvents, descFeedRejected, descFeedGaps, descFeedReconnects, descFeedLastEvent, descTokenExpiry, descViewers, descJournalWriting, descJournalDropped, descLabelCollisions, descSSHUnauthenticated, descSSHRefused, descAlertActive, descAlertsActive, descScope} {
		ch <- d
	}
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	v, viewers := c.f.view, c.f.viewers
	// A sample that cannot be made (none can: labels are valid UTF-8, and
	// as many as their description says) is left out of the page, never a
	// panic in the collecting goroutine.
	sample := func(d *prometheus.Desc, t prometheus.ValueType, v float64, labels ...string) {
		m, err := prometheus.NewConstMetric(d, t, v, labels...)
		if err != nil {
			m = prometheus.NewInvalidMetric(d, err)
		}
		ch <- m
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) { sample(d, prometheus.GaugeValue, v, labels...) }
	counter := func(d *prometheus.Desc, v float64, labels ...string) {
		sample(d, prometheus.CounterValue, v, labels...)
	}
	if viewers >= 0 {
		gauge(descViewers, float64(viewers))
	}
	if ssh := c.f.ssh; ssh.unauthenticated >= 0 {
		gauge(descSSHUnauthenticated, float64(ssh.unauthenticated))
		for reason, n := range ssh.refused {
			counter(descSSHRefused, float64(n), reason)
		}
	}
	if v == nil {
		gauge(descFeedUp, 0)
		return
	}
	health := v.Feed
	up := 0.0
	if health.Live() {
		up = 1
	}
	gauge(descFeedUp, up)
	collectScope(v.Scope, gauge)
	collectNotify(v.Notify, counter)
	var queueIDs, trunkIDs, reasons, agentIDs labeller
	queueLabel := make(map[string]string, len(v.Queues))
	for _, r := range v.Queues {
		q := r.Snap()
		id, name := queueIDs.labels(q.ID, q.Name)
		queueLabel[q.ID] = id
		gauge(descQueueWaiting, float64(q.Waiting), id, name)
		gauge(descQueueLongest, float64(q.LongestWaitS), id, name)
		gauge(descQueueInProgress, float64(q.InProgress), id, name)
		gauge(descQueueAnswered, float64(q.Answered), id, name)
		gauge(descQueueAbandoned, float64(q.Abandoned), id, name)
		if q.ServiceLevelPct != nil {
			gauge(descQueueSL, *q.ServiceLevelPct/100, id, name)
		}
		if q.SLTargetPct != nil {
			gauge(descQueueSLTarget, *q.SLTargetPct/100, id, name, q.SLFormula)
		}
		if q.ASAS != nil {
			gauge(descQueueASA, *q.ASAS, id, name)
		}
	}
	t := v.Totals.Snap()
	for s, n := range map[state.AgentState]int{
		state.Available: t.AgentsAvailable, state.Ringing: t.AgentsRinging, state.Calling: t.AgentsCalling,
		state.OnCall: t.AgentsOnCall, state.Paused: t.AgentsPaused, state.Unavailable: t.AgentsUnavailable,
		state.LoggedOut: t.AgentsLoggedOut, state.Unknown: t.AgentsUnknown, state.Other: t.AgentsOther,
	} {
		gauge(descAgents, float64(n), string(s))
	}
	stale := 0
	for _, a := range v.Agents {
		if a.Stale {
			stale++
		}
	}
	gauge(descAgentsStale, float64(stale))
	gauge(descFeedNotLive, float64(len(v.Day.NotLive)))
	for _, r := range v.Trunks {
		tr := r.Snap()
		id, name := trunkIDs.labels(tr.ID, tr.Name)
		gauge(descTrunkCalls, float64(tr.Ringing), id, name, "ringing")
		gauge(descTrunkCalls, float64(tr.Connected), id, name, "connected")
	}
	counter(descFeedEvents, float64(health.Events))
	for _, reason := range slices.Sorted(maps.Keys(health.RejectedBy)) {
		counter(descFeedRejected, float64(health.RejectedBy[reason]), reasons.label(reason))
	}
	counter(descFeedGaps, float64(health.Gaps))
	counter(descFeedReconnects, float64(health.Reconnects))
	if !health.LastEventAt.IsZero() {
		gauge(descFeedLastEvent, v.Now.Sub(health.LastEventAt).Seconds())
	}
	if !health.TokenExpiry.IsZero() {
		gauge(descTokenExpiry, float64(health.TokenExpiry.Unix()))
	}
	if j := v.Journal; j.On {
		writing := 0.0
		if j.Writing {
			writing = 1
		}
		gauge(descJournalWriting, writing)
		counter(descJournalDropped, float64(j.Dropped))
	}
	collectAlerts(v, gauge, queueLabel, &agentIDs)
	gauge(descLabelCollisions, float64(queueIDs.collisions+trunkIDs.collisions+reasons.collisions+agentIDs.collisions))
}

// label is outside text as a label value: sanitised and cut to maxLabel
// characters.
func label(text string) string {
	text = strings.TrimSpace(state.Sanitize(text))
	if utf8.RuneCountInString(text) > maxLabel {
		text = string([]rune(text)[:maxLabel-1]) + "…"
	}
	return text
}

// labeller gives the ids of one kind (queues, trunks, reasons) label values
// that are unique within a page, and the same from one page to the next
// whatever other ids there are. An id that is its own label value (nothing
// to sanitise, not too long) is kept as it is; any other gets, after its
// sanitised and cut text, "~" and 8 hex digits of a hash of the id itself,
// so that two ids that sanitise alike ("Q" and "Q" with a bidi override,
// two long ids alike in their first characters) are two series, each
// recognisable. A label value another id of the page already has (a hash
// that collides, an id made to look like another's label) takes a further
// "~2", "~3"… in the page's order. Each id whose sanitised text
// another id already had is a collision, counted on the page.
type labeller struct {
	used       map[string]bool // label values given
	texts      map[string]bool // sanitised texts met
	collisions int
}

// labels are the label values of a row's id (label) and name: its name
// sanitised and cut, else (a placeholder, a name of nothing printable)
// "#" and the id's label value.
func (l *labeller) labels(id, name string) (string, string) {
	idLabel, nameLabel := l.label(id), label(name)
	if nameLabel == "" {
		nameLabel = "#" + idLabel
	}
	return idLabel, nameLabel
}

// hashDigits is how many hex digits of the id's hash tell ids apart.
const hashDigits = 8

func (l *labeller) label(id string) string {
	if l.used == nil {
		l.used, l.texts = map[string]bool{}, map[string]bool{}
	}
	text := label(id)
	collided := l.texts[text]
	l.texts[text] = true
	value := text
	if text != id {
		if utf8.RuneCountInString(text) > maxLabel-1-hashDigits {
			text = string([]rune(text)[:maxLabel-2-hashDigits]) + "…"
		}
		sum := sha256.Sum256([]byte(id))
		value = fmt.Sprintf("%s~%x", text, sum[:hashDigits/2])
	}
	collided = collided || l.used[value]
	for n, base := 2, value; l.used[value]; n++ {
		value = fmt.Sprintf("%s~%d", base, n)
	}
	if collided {
		l.collisions++
	}
	l.used[value] = true
	return value
}
