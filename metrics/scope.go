package metrics

import (
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"callboard/state"
)

// scopeLabel names a scoped page's series: the label every series of the
// page carries, so that two pages of one center (the whole, Support's)
// are never mistaken for each other in a query or a sum.
const scopeLabel = "scope"

// descScope says what a scoped page's scope matched on the board: its
// name as the board shows it, the queue and group ids it matched, and its
// entries that matched nothing (each list comma-separated, sorted).
var descScope = prometheus.NewDesc("callboard_scope_info", "1 on a scoped page (callboard metrics --queues/--groups): name is the scope as the board names it, queue_ids and group_ids what it matched, unmatched its entries that matched no queue or group (each comma-separated).", []string{"name", "queue_ids", "group_ids", "unmatched"}, nil)

// NewScoped returns an exporter of the views of scope: every series of
// its page carries scope="<ScopeName(scope)>", and callboard_scope_info
// says what the scope matched. The whole center's page (the zero Scope)
// is New's: no scope label.
func NewScoped(scope state.Scope) *Exporter {
	e := New()
	e.scope = ScopeName(scope)
	return e
}

// ScopeName is the value of a scoped page's scope label: the scope's name
// when it has one, else its entries as given, deduplicated and sorted,
// "queues=391,Ventes groups=12": the same from one scrape and one run to
// the next, whatever the board matched meanwhile. "" for the whole center.
func ScopeName(s state.Scope) string {
	if s.Whole() {
		return ""
	}
	if name := label(s.Name); name != "" {
		return name
	}
	var parts []string
	for _, l := range []struct {
		key     string
		entries []string
	}{{"queues", s.Queues}, {"groups", s.Groups}} {
		if len(l.entries) > 0 {
			entries := slices.Compact(slices.Sorted(slices.Values(l.entries)))
			parts = append(parts, l.key+"="+strings.Join(entries, ","))
		}
	}
	return label(strings.Join(parts, " "))
}

// collectScope gives callboard_scope_info of a scoped view; nothing for
// the whole center's.
func collectScope(shown *state.ScopeShown, gauge func(*prometheus.Desc, float64, ...string)) {
	if shown == nil {
		return
	}
	list := func(ids []string) string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = label(id)
		}
		slices.Sort(out)
		return label(strings.Join(slices.Compact(out), ","))
	}
	gauge(descScope, 1, label(shown.Name), list(shown.QueueIDs), list(shown.GroupIDs), list(shown.Unmatched))
}
