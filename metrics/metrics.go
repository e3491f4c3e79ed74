// Package metrics exposes the board in the Prometheus text format, for the
// tools an ops team already watches. It is a step of its own because it is
// a second output beside the screen: it reads state's views, never the feed.
//
// The metric names are a public interface (README, "Metrics").
package metrics

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"time"
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

// Exporter holds the last figures taken from a board and serves them.
// Update and the HTTP handler may run on different goroutines. The page is
// rendered once per Update, by the first scrape after it, and served from
// that copy until the next Update.
type Exporter struct {
	mu      sync.Mutex
	snap    state.Snapshot
	health  state.FeedHealth
	now     time.Time
	taken   bool
	page    []byte // rendered from the figures above; nil when they changed since
	err     error  // rendering page failed
	renders int    // pages rendered, for the tests

	viewers int // boards watched over ssh (callboard serve); -1: not served, not shown

	sshUnauthenticated int               // ssh connections not authenticated yet; -1: not served, not shown
	sshRefused         map[string]uint64 // ssh connections closed before authenticating, by reason

	scrapes  chan struct{} // a place per scrape being served
	registry *prometheus.Registry
}

// New returns an exporter with nothing to show yet.
func New() *Exporter {
	e := &Exporter{registry: prometheus.NewRegistry(), scrapes: make(chan struct{}, MaxScrapes), viewers: -1, sshUnauthenticated: -1}
	e.registry.MustRegister(collector{e})
	return e
}

// Update takes the figures of a view of the board: the same as every
// other reader of that view shows.
func (e *Exporter) Update(v *state.View) {
	snap := v.Snapshot()
	e.mu.Lock()
	e.snap, e.health, e.now, e.taken = snap, v.Feed, v.Now, true
	e.page, e.err = nil, nil
	e.mu.Unlock()
}

// SetViewers shows callboard_viewers, the boards being watched over ssh
// (callboard serve only: absent until set).
func (e *Exporter) SetViewers(n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.viewers != n {
		e.viewers = n
		e.page, e.err = nil, nil
	}
}

// SetSSHConnections shows callboard_ssh_unauthenticated, the ssh
// connections that have not authenticated yet, and
// callboard_ssh_refused_total, those closed before they did, by reason
// (callboard serve only: absent until set).
func (e *Exporter) SetSSHConnections(unauthenticated int, refused map[string]uint64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.sshUnauthenticated = unauthenticated
	e.sshRefused = make(map[string]uint64, len(refused))
	for reason, n := range refused {
		e.sshRefused[reason] = n
	}
	e.page, e.err = nil, nil
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
		page, err := e.render()
		if err != nil {
			http.Error(w, "metrics: "+state.Sanitize(err.Error()), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", string(expfmt.NewFormat(expfmt.TypeTextPlain)))
		w.Write(page)
	})
}

// render returns the page of the current figures, rendering it if they
// changed since the last time.
func (e *Exporter) render() ([]byte, error) {
	e.mu.Lock()
	page, err := e.page, e.err
	e.mu.Unlock()
	if page != nil || err != nil {
		return page, err
	}
	// Collect takes the lock itself: gather outside it. Two scrapes racing
	// here render the same figures twice, harmlessly.
	families, err := e.registry.Gather()
	var buf bytes.Buffer
	if err == nil {
		enc := expfmt.NewEncoder(&buf, expfmt.NewFormat(expfmt.TypeTextPlain))
		for _, f := range families {
			if err = enc.Encode(f); err != nil {
				break
			}
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.renders++
	if e.page == nil && e.err == nil {
		e.page, e.err = buf.Bytes(), err
	}
	return buf.Bytes(), err
}

var (
	descQueueWaiting    = prometheus.NewDesc("callboard_queue_calls_waiting", "Calls waiting in the queue now.", []string{"queue_id", "queue"}, nil)
	descQueueLongest    = prometheus.NewDesc("callboard_queue_longest_wait_seconds", "How long the longest-waiting call of the queue has waited.", []string{"queue_id", "queue"}, nil)
	descQueueInProgress = prometheus.NewDesc("callboard_queue_calls_in_progress", "Answered calls of the queue not ended yet.", []string{"queue_id", "queue"}, nil)
	descQueueAnswered   = prometheus.NewDesc("callboard_queue_answered_today", "Calls of the queue answered today.", []string{"queue_id", "queue"}, nil)
	descQueueAbandoned  = prometheus.NewDesc("callboard_queue_abandoned_today", "Calls of the queue abandoned today.", []string{"queue_id", "queue"}, nil)
	descQueueSL         = prometheus.NewDesc("callboard_queue_service_level_ratio", "Service level of the queue today, 0 to 1; absent while undefined.", []string{"queue_id", "queue"}, nil)
	descQueueASA        = prometheus.NewDesc("callboard_queue_asa_seconds", "Average speed of answer of the queue today; absent before the first answer.", []string{"queue_id", "queue"}, nil)
	descAgents          = prometheus.NewDesc("callboard_agents", "Agents by displayed state.", []string{"state"}, nil)
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
)

var (
	descSSHUnauthenticated = prometheus.NewDesc("callboard_ssh_unauthenticated", "ssh connections that have not authenticated yet (callboard serve).", nil, nil)
	descSSHRefused         = prometheus.NewDesc("callboard_ssh_refused_total", "ssh connections closed before they authenticated, by reason: max_startups (one more came while there were as many as [serve] max_startups), login_grace (not authenticated within [serve] login_grace).", []string{"reason"}, nil)
)

type collector struct{ e *Exporter }

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descQueueWaiting, descQueueLongest, descQueueInProgress, descQueueAnswered, descQueueAbandoned, descQueueSL, descQueueASA, descAgents, descTrunkCalls, descFeedUp, descFeedEvents, descFeedRejected, descFeedGaps, descFeedReconnects, descFeedLastEvent, descTokenExpiry, descViewers, descJournalWriting, descJournalDropped} {
		ch <- d
	}
	ch <- descSSHUnauthenticated
	ch <- descSSHRefused
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	c.e.mu.Lock()
	snap, health, now, taken, viewers := c.e.snap, c.e.health, c.e.now, c.e.taken, c.e.viewers
	c.e.mu.Unlock()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	if viewers >= 0 {
		gauge(descViewers, float64(viewers))
	}
	c.collectSSH(ch)
	counter := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
	}
	up := 0.0
	if health.State.String() == "live" {
		up = 1
	}
	gauge(descFeedUp, up)
	if !taken {
		return
	}
	for _, q := range snap.Queues {
		id, name := label(q.ID, ""), label(q.Name, q.ID)
		gauge(descQueueWaiting, float64(q.Waiting), id, name)
		gauge(descQueueLongest, float64(q.LongestWaitS), id, name)
		gauge(descQueueInProgress, float64(q.InProgress), id, name)
		gauge(descQueueAnswered, float64(q.Answered), id, name)
		gauge(descQueueAbandoned, float64(q.Abandoned), id, name)
		if q.ServiceLevelPct != nil {
			gauge(descQueueSL, *q.ServiceLevelPct/100, id, name)
		}
		if q.ASAS != nil {
			gauge(descQueueASA, *q.ASAS, id, name)
		}
	}
	t := snap.Totals
	for s, n := range map[state.AgentState]int{
		state.Available: t.AgentsAvailable, state.Ringing: t.AgentsRinging, state.Calling: t.AgentsCalling,
		state.OnCall: t.AgentsOnCall, state.Paused: t.AgentsPaused, state.Unavailable: t.AgentsUnavailable,
		state.LoggedOut: t.AgentsLoggedOut, state.Unknown: t.AgentsUnknown, state.Other: t.AgentsOther,
	} {
		gauge(descAgents, float64(n), string(s))
	}
	for _, tr := range snap.Trunks {
		id, name := label(tr.ID, ""), label(tr.Name, tr.ID)
		gauge(descTrunkCalls, float64(tr.Ringing), id, name, "ringing")
		gauge(descTrunkCalls, float64(tr.Connected), id, name, "connected")
	}
	counter(descFeedEvents, float64(health.Events))
	for reason, n := range health.RejectedBy {
		counter(descFeedRejected, float64(n), label(reason, ""))
	}
	counter(descFeedGaps, float64(health.Gaps))
	counter(descFeedReconnects, float64(health.Reconnects))
	if !health.LastEventAt.IsZero() {
		gauge(descFeedLastEvent, now.Sub(health.LastEventAt).Seconds())
	}
	if !health.TokenExpiry.IsZero() {
		gauge(descTokenExpiry, float64(health.TokenExpiry.Unix()))
	}
	if j := snap.Feed.Journal; j.On {
		writing := 0.0
		if j.Writing {
			writing = 1
		}
		gauge(descJournalWriting, writing)
		counter(descJournalDropped, float64(j.Dropped))
	}
}

// collectSSH gives the ssh connections' figures, once set.
func (c collector) collectSSH(ch chan<- prometheus.Metric) {
	c.e.mu.Lock()
	unauthenticated, refused := c.e.sshUnauthenticated, c.e.sshRefused // replaced, never changed, by SetSSHConnections
	c.e.mu.Unlock()
	if unauthenticated < 0 {
		return
	}
	ch <- prometheus.MustNewConstMetric(descSSHUnauthenticated, prometheus.GaugeValue, float64(unauthenticated))
	for reason, n := range refused {
		ch <- prometheus.MustNewConstMetric(descSSHRefused, prometheus.CounterValue, float64(n), reason)
	}
}

// label is outside text as a label value: sanitised, cut to maxLabel
// characters, and "#id" (the id treated alike) when empty.
func label(name, id string) string {
	name = strings.TrimSpace(state.Sanitize(name))
	if name == "" && id != "" {
		name = "#" + label(id, "")
	}
	if utf8.RuneCountInString(name) > maxLabel {
		name = string([]rune(name)[:maxLabel-1]) + "…"
	}
	return name
}
