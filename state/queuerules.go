package state

import (
	"cmp"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The service level's formulas (QueueRule.Formula): what the calls
// answered within the threshold are divided by. See the package's doc,
// "Service level".
const (
	// FormulaAnswered: answered + abandoned − short abandoned (the default).
	FormulaAnswered = "answered"
	// FormulaOffered: answered + abandoned (short ones too) + the calls
	// waiting now longer than the threshold.
	FormulaOffered = "offered"
	// FormulaAnsweredOnly: answered.
	FormulaAnsweredOnly = "answered_only"
)

// QueueRule is a queue's service rule and how it is shown. In
// Options.QueueRules a zero field takes the default: Options'
// ServiceLevelThreshold, ShortAbandon, ServiceLevelTarget and
// ServiceLevelFormula; the directory's name; shown.
type QueueRule struct {
	Threshold    time.Duration // answered within it counts in the service level
	ShortAbandon time.Duration // abandoned sooner is a short abandon
	Target       float64       // percent the service level should reach; 0 is none
	Formula      string        // FormulaAnswered, FormulaOffered or FormulaAnsweredOnly
	Name         string        // shown in place of the directory's name
	Hide         bool          // left off the rows (the totals count it)
}

// counting is the part of the rule the board's counts follow (what a
// checkpoint's counts were made under): the threshold and the short
// abandon. The rest is how the counts are shown.
func (r QueueRule) counting() QueueRule {
	return QueueRule{Threshold: r.Threshold, ShortAbandon: r.ShortAbandon}
}

// defaultRule is the rule of a queue Options.QueueRules does not name.
func (o *Options) defaultRule() QueueRule {
	return QueueRule{Threshold: o.ServiceLevelThreshold, ShortAbandon: o.ShortAbandon,
		Target: o.ServiceLevelTarget, Formula: o.ServiceLevelFormula}
}

// withDefaults is r, its zero fields from the default rule d.
func (r QueueRule) withDefaults(d QueueRule) QueueRule {
	r.Threshold = cmp.Or(r.Threshold, d.Threshold)
	r.ShortAbandon = cmp.Or(r.ShortAbandon, d.ShortAbandon)
	r.Target = cmp.Or(r.Target, d.Target)
	r.Formula = cmp.Or(r.Formula, d.Formula)
	return r
}

// fullRule is rule r with the defaults taken, its name made safe to show
// (the file's text, shown on terminals).
func (b *Board) fullRule(r QueueRule) QueueRule {
	r = r.withDefaults(b.opts.defaultRule())
	r.Name = strings.TrimSpace(Sanitize(r.Name))
	return r
}

// ruleOf is the rule of queue id (the default for a queue the board does
// not keep).
func (b *Board) ruleOf(id string) QueueRule {
	if q := b.queues[id]; q != nil {
		return q.rule
	}
	return b.opts.defaultRule()
}

// shownName is the queue's name as shown: the rule's, else the directory's.
func (q *queue) shownName() string {
	if q.rule.Name != "" {
		return q.rule.Name
	}
	return q.name
}

// resolveRules gives every queue its rule (queue.rule) from
// Options.QueueRules, whose keys are queue ids or names: a key that is a
// queue's id is that queue's (an id wins over a name); else the queue of
// the directory (not a placeholder) that bears the key as its name, when
// it is the only one; a name two queues bear names neither, and is said
// in Board.RuleNotes, as is a key that names no queue once a directory
// has come, and a name whose queue is keyed by its id too (the id's table
// wins, for the limits too: queueLimits). A queue's shown name (and its place in the orders) follows
// its rule's Name. Called whenever the queues or their names change.
func (b *Board) resolveRules() {
	if len(b.opts.QueueRules) == 0 {
		def := b.opts.defaultRule()
		for _, q := range b.queues {
			q.rule = def
		}
		return
	}
	var notes []string
	matched := map[*queue]QueueRule{}
	keys := slices.Sorted(maps.Keys(b.opts.QueueRules))
	named, shared := namedQueues(b.queues, b.opts.QueueRules)
	for _, k := range keys {
		if _, ok := b.queues[k]; ok {
			continue // an id: below
		}
		switch q, ok := named[k]; {
		case ok:
			if _, byID := b.opts.QueueRules[q.id]; !byID {
				matched[q] = b.opts.QueueRules[k]
			} else {
				notes = append(notes, fmt.Sprintf("queues.%s: the name of queue %s, keyed by its id too: ignored (the id wins, rule and limits alike)", noteKey(k), Sanitize(q.id)))
			}
		case len(shared[k]) > 0:
			ids := shared[k]
			notes = append(notes, fmt.Sprintf("queues.%s: %d queues bear that name (ids %s): ignored, key it by id", noteKey(k), len(ids), Sanitize(strings.Join(ids, ", "))))
		case !b.feed.Directory.IsZero():
			notes = append(notes, fmt.Sprintf("queues.%s: no queue has that id or name", noteKey(k)))
		}
	}
	for id, q := range b.queues {
		r, ok := b.opts.QueueRules[id]
		if !ok {
			r = matched[q]
		}
		was := q.shownName()
		q.rule = b.fullRule(r)
		if q.shownName() != was || q.rule.Name != "" { // a name SetDirectory set may have reset its key
			q.sortKey = b.names.key(q.shownName())
		}
		if q.shownName() != was {
			b.namesVersion++
		}
	}
	b.ruleNotes = notes
}

// maxNoteKey is how many characters of a key a note quotes.
const maxNoteKey = 64

// noteKey is key k as a note says it: quoted with Go's escapes, so that
// control, bidi and invisible characters show as escapes, not as what
// they do, and cut to maxNoteKey characters (then …).
func noteKey(k string) string {
	if r := []rune(k); len(r) > maxNoteKey {
		k = string(r[:maxNoteKey]) + "…"
	}
	return strconv.Quote(k)
}

// namedQueues resolves the keys of keyed that are queues' names (no
// queue's id: an id wins over a name) to the one queue of the directory
// (not a placeholder) that bears it; a name two queues or more bear is
// none's, and is in shared with their ids, sorted. The service rules'
// keys (resolveRules) and the queues' limits' (queueLimits) are resolved
// so, as are a scope's names (View.For).
func namedQueues[T any](queues map[string]*queue, keyed map[string]T) (named map[string]*queue, shared map[string][]string) {
	ids, shared := uniqueNames(func(yield func(namedRow) bool) {
		for _, q := range queues {
			if !yield(namedRow{q.id, q.name, q.placeholder}) {
				return
			}
		}
	}, func(s string) bool { _, ok := queues[s]; return ok }, func(s string) bool { _, ok := keyed[s]; return ok })
	named = make(map[string]*queue, len(ids))
	for name, id := range ids {
		named[name] = queues[id]
	}
	return named, shared
}

// namedRow is a row uniqueNames looks at.
type namedRow struct {
	id, name    string
	placeholder bool
}

// uniqueNames resolves the names wanted among the rows each yields to the id of the one row, not a placeholder, that
// bears it, a name that is some row's id (isID) being none's (an id wins
// over a name); a name two rows or more bear is none's, and is in shared
// with their ids, sorted. Names are compared as the board compares them:
// equal when the same text.
func uniqueNames(each iter.Seq[namedRow], isID, wanted func(string) bool) (named map[string]string, shared map[string][]string) {
	named = map[string]string{}
	for r := range each {
		id, name := r.id, r.name
		if r.placeholder || !wanted(name) || isID(name) {
			continue
		}
		if other, twice := named[name]; twice || shared[name] != nil {
			if shared == nil {
				shared = map[string][]string{}
			}
			if twice {
				shared[name] = append(shared[name], other)
				delete(named, name)
			}
			shared[name] = append(shared[name], id)
			continue
		}
		named[name] = id
	}
	for _, ids := range shared {
		slices.Sort(ids)
	}
	return named, shared
}

// RuleNotes are what the board says of Options.QueueRules: the keys it
// ignored (a name two queues bear) or that name no queue the directory
// lists, sorted by key.
func (b *Board) RuleNotes() []string { return b.ruleNotes }

// slCalls is what formula divides the calls answered within the
// threshold by: of answered, abandoned (short of them short abandoned)
// and late, the calls waiting now longer than the threshold.
func slCalls(formula string, answered, abandoned, short, late int) int {
	switch formula {
	case FormulaOffered:
		return answered + abandoned + late
	case FormulaAnsweredOnly:
		return answered
	}
	return answered + abandoned - short
}

// ruleLevel is the level of service level sl against target (percent;
// none when 0) and the queue's thresholds t: at or above the target ok,
// below it warn, at or below t's ServiceLevelCritical critical. Without a
// target, t's warn and critical levels alone, as before targets.
func ruleLevel(sl, target float64, t Thresholds) Level {
	if target <= 0 {
		return below(sl, t.ServiceLevelWarn, t.ServiceLevelCritical)
	}
	switch {
	case t.ServiceLevelCritical > 0 && sl <= t.ServiceLevelCritical:
		return LevelCritical
	case sl < target:
		return LevelWarn
	}
	return LevelOK
}

// slLevel is the level of figures f of queue id, of rule, against its
// target (ruleLevel); ok while its service level is undefined.
func (o *Options) slLevel(id string, rule QueueRule, f IntervalFigures) Level {
	if !f.HasServiceLevel {
		return LevelOK
	}
	return ruleLevel(f.ServiceLevel, rule.Target, o.thresholdsFor(id))
}
