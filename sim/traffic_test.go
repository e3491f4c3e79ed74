package sim

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

// run advances a new model by step until d has passed.
func run(seed int64, d, step time.Duration, opts TrafficOptions) (*Traffic, []Event, []Event) {
	tr := NewTraffic(seed, t0, opts)
	snap := tr.Snapshot()
	var evs []Event
	for now := t0.Add(step); !now.After(t0.Add(d)); now = now.Add(step) {
		evs = append(evs, tr.Advance(now)...)
	}
	return tr, snap, evs
}

// encode renders events as the server would, dates included.
func encode(t *testing.T, evs []Event) []string {
	t.Helper()
	out := make([]string, len(evs))
	for i, ev := range evs {
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = ev.At.Format(time.RFC3339Nano) + " " + string(b)
	}
	return out
}

func TestTrafficDeterministic(t *testing.T) {
	_, snapA, a := run(42, 5*time.Minute, 250*time.Millisecond, TrafficOptions{})
	_, snapB, b := run(42, 5*time.Minute, 250*time.Millisecond, TrafficOptions{})
	_, _, coarse := run(42, 5*time.Minute, 6*time.Second, TrafficOptions{})
	_, _, other := run(43, 5*time.Minute, 250*time.Millisecond, TrafficOptions{})
	if !slices.Equal(encode(t, snapA), encode(t, snapB)) {
		t.Error("same seed, different snapshots")
	}
	if !slices.Equal(encode(t, a), encode(t, b)) {
		t.Error("same seed, different events")
	}
	if !slices.Equal(encode(t, a), encode(t, coarse)) {
		t.Error("the Advance step changed the events")
	}
	if slices.Equal(encode(t, a), encode(t, other)) {
		t.Error("seeds 42 and 43 gave the same events")
	}
	if len(a) < 200 {
		t.Errorf("%d events in 5 minutes, want a busy call center", len(a))
	}
}

func TestTrafficSnapshotChangesNothing(t *testing.T) {
	plain := NewTraffic(5, t0, TrafficOptions{})
	peeked := NewTraffic(5, t0, TrafficOptions{})
	var a, b []Event
	for i := 1; i <= 120; i++ {
		now := t0.Add(time.Duration(i) * time.Second)
		a = append(a, plain.Advance(now)...)
		peeked.Snapshot()
		b = append(b, peeked.Advance(now)...)
	}
	if !slices.Equal(encode(t, a), encode(t, b)) {
		t.Error("taking snapshots changed the events")
	}
}

func TestTrafficDirectory(t *testing.T) {
	dir := NewTraffic(1, t0, TrafficOptions{}).Directory()
	if len(dir.Ops) != 40 || len(dir.Groupes) != 4 || len(dir.Trunks) != 3 || len(dir.Pauses) != 5 {
		t.Fatalf("directory has %d ops, %d groups, %d trunks, %d pauses",
			len(dir.Ops), len(dir.Groupes), len(dir.Trunks), len(dir.Pauses))
	}
	twoGroups := 0
	for _, op := range dir.Ops {
		if len(op.Groupes) == 2 {
			twoGroups++
		}
		if strings.ContainsAny(op.Nom, "\x1b\a") {
			t.Errorf("agent name %q holds control characters without Surprises", op.Nom)
		}
	}
	if twoGroups == 0 {
		t.Error("no agent is in two groups")
	}
	b, _ := json.Marshal(dir)
	numbers, strs := idSpellings(t, b)
	if numbers == 0 || strs == 0 {
		t.Errorf("directory ids: %d numbers, %d strings, want both", numbers, strs)
	}
}

// idSpellings counts, in a JSON document, the id fields written as numbers
// and as strings.
func idSpellings(t *testing.T, doc []byte) (numbers, strs int) {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				walk(k, x)
			}
		case []any:
			for _, x := range v {
				walk(key, x)
			}
		case float64:
			if key == "id" || strings.HasPrefix(key, "id_") || key == "groupes" || key == "target" {
				numbers++
			}
		case string:
			if key == "id" || strings.HasPrefix(key, "id_") && key != "id_session" || key == "groupes" || key == "target" {
				strs++
			}
		}
	}
	walk("", v)
	return numbers, strs
}

// kind names an event for counting: type/event, with the status if any.
func kind(ev Event) string {
	k := ev.Type + "/" + ev.Name
	if s, ok := ev.Msg["status"].(string); ok && ev.Type == "operator" {
		k += "/" + s
	}
	return k
}

func idText(v any) string {
	if id, ok := v.(ID); ok {
		return id.String()
	}
	return fmt.Sprint(v)
}

func TestTrafficTenMinutes(t *testing.T) {
	_, snap, evs := run(1, 10*time.Minute, 250*time.Millisecond, TrafficOptions{})
	counts := map[string]int{}
	inserted, connected := map[string]bool{}, map[string]bool{}
	abandons, resumes := 0, 0
	for _, ev := range snap {
		if ev.Name == "insert_call" {
			inserted[idText(ev.Msg["id_call"])] = true
		}
	}
	for _, ev := range evs {
		counts[kind(ev)]++
		call := idText(ev.Msg["id_call"])
		switch ev.Type + "/" + ev.Name {
		case "queue/insert_call":
			inserted[call] = true
		case "queue/connect_call":
			connected[call] = true
		case "queue/delete_call":
			if inserted[call] && !connected[call] {
				abandons++
			}
		case "UI/pause":
			if ev.Msg["supp"] == "" {
				resumes++
			}
		}
	}
	for _, k := range []string{
		"queue/insert_call", "queue/connect_call", "queue/delete_call",
		"trunk/insert_call", "trunk/connect_call", "trunk/delete_call",
		"operator/status/ringing", "operator/status/connected", "operator/status/available",
		"operator/status/calling", "UI/pause", "UI/login",
	} {
		if counts[k] == 0 {
			t.Errorf("no %s in 10 minutes: %v", k, counts)
		}
	}
	if abandons == 0 {
		t.Error("no caller gave up in 10 minutes")
	}
	if counts["UI/pause"] <= resumes {
		t.Errorf("%d pauses of which %d resumes: want pauses that start", counts["UI/pause"], resumes)
	}
	if n := counts["queue/insert_call"]; n < 150 || n > 400 {
		t.Errorf("%d calls in 10 minutes, want one every 2 to 4 seconds", n)
	}

	var st Stamper
	var updates []Update
	for _, ev := range evs {
		updates = append(updates, st.Stamp(ev, ev.At))
	}
	b, _ := json.Marshal(updates)
	numbers, strs := idSpellings(t, b)
	if numbers == 0 || strs == 0 {
		t.Errorf("event ids: %d numbers, %d strings, want both", numbers, strs)
	}
	var decoded []map[string]any
	json.Unmarshal(b, &decoded)
	for i, u := range decoded {
		for _, key := range []string{"ts", "elapse", "cpt", "event"} {
			if _, ok := u[key]; !ok {
				t.Fatalf("update %d lacks %q: %v", i, key, u)
			}
		}
		if i > 0 && u["cpt"].(float64) <= decoded[i-1]["cpt"].(float64) {
			t.Fatalf("update %d: cpt does not increase", i)
		}
		if ev := u["event"].(map[string]any); ev["type_notification"] == nil || ev["event"] == nil || ev["msg"] == nil {
			t.Fatalf("update %d: event lacks a field: %v", i, ev)
		}
	}
}

// TestTrafficModelSanity replays the snapshot and the events and checks
// that they tell a consistent story.
func TestTrafficModelSanity(t *testing.T) {
	for seed := int64(1); seed <= 4; seed++ {
		tr, snap, evs := run(seed, 10*time.Minute, time.Second, TrafficOptions{})
		dir := tr.Directory()
		known := map[string]bool{}
		for _, op := range dir.Ops {
			known[op.ID.String()] = true
		}
		pauses := map[string]bool{"": true}
		for _, p := range dir.Pauses {
			pauses[p.ID.String()] = true
		}
		status := map[string]string{}  // agent → operator status
		paused := map[string]bool{}    // agent → paused
		loggedIn := map[string]bool{}  // agent → logged in
		ringing := map[string]string{} // agent → call offered
		calls := map[string]bool{}     // live calls
		for i, ev := range append(snap, evs...) {
			op := idText(ev.Msg["id_operator"])
			call := idText(ev.Msg["id_call"])
			if _, ok := ev.Msg["id_operator"]; ok && !known[op] {
				t.Fatalf("seed %d, event %d: agent %s is not in the directory", seed, i, op)
			}
			switch kind(ev) {
			case "UI/login":
				loggedIn[op], paused[op] = true, false
			case "UI/logout":
				if status[op] != "available" || !loggedIn[op] {
					t.Fatalf("seed %d, event %d: agent %s logs out while %q", seed, i, op, status[op])
				}
				loggedIn[op] = false
			case "UI/pause":
				if !pauses[ev.Msg["supp"].(string)] {
					t.Fatalf("seed %d, event %d: unknown pause %v", seed, i, ev.Msg["supp"])
				}
				paused[op] = ev.Msg["supp"] != ""
			case "operator/status/ringing":
				if i >= len(snap) && (status[op] != "available" || paused[op] || !loggedIn[op]) {
					t.Fatalf("seed %d, event %d: agent %s rings while %q, paused %v, logged in %v",
						seed, i, op, status[op], paused[op], loggedIn[op])
				}
				ringing[op] = call
			case "queue/connect_call":
				if i >= len(snap) && (ringing[op] != call || status[op] != "connected") {
					t.Fatalf("seed %d, event %d: agent %s connected to %s while %q, ringing for %q",
						seed, i, op, call, status[op], ringing[op])
				}
				fallthrough
			case "trunk/connect_call":
				if !calls[call] {
					t.Fatalf("seed %d, event %d: connect of unknown call %s", seed, i, call)
				}
			case "queue/insert_call", "trunk/insert_call":
				calls[call] = true
			case "queue/delete_call", "trunk/delete_call":
				if !calls[call] {
					t.Fatalf("seed %d, event %d: delete of unknown call %s", seed, i, call)
				}
				delete(calls, call)
			}
			if s, ok := ev.Msg["status"].(string); ok && ev.Type == "operator" {
				status[op] = s
			}
		}
	}
}

func TestTrafficSurprises(t *testing.T) {
	tr, snap, evs := run(1, 10*time.Minute, time.Second, TrafficOptions{Surprises: true})
	dir := tr.Directory()
	known := map[string]bool{}
	for _, op := range dir.Ops {
		known[op.ID.String()] = true
	}
	queues := map[string]bool{"0": true}
	for _, g := range dir.Groupes {
		queues[g.ID.String()] = true
	}
	strangers, hiddenQueue := 0, 0
	for _, ev := range append(snap, evs...) {
		if id, ok := ev.Msg["id_operator"]; ok && !known[idText(id)] {
			strangers++
		}
		if id, ok := ev.Msg["id_queue"]; ok && !queues[idText(id)] {
			hiddenQueue++
		}
	}
	if strangers == 0 || hiddenQueue == 0 {
		t.Errorf("%d events name unknown agents, %d unknown queues: want some of each", strangers, hiddenQueue)
	}
	escaped := false
	for _, op := range dir.Ops {
		escaped = escaped || strings.Contains(op.Nom, "\x1b[")
	}
	if !escaped {
		t.Error("no agent name holds an escape sequence")
	}
}

func TestIDMarshal(t *testing.T) {
	for _, tc := range []struct {
		id   ID
		want string
	}{
		{ID{N: 346223}, `346223`},
		{ID{N: 345940, Quoted: true}, `"345940"`},
		{ID{N: -17137}, `-17137`},
		{ID{N: -17137, Quoted: true}, `"-17137"`},
	} {
		if b, _ := json.Marshal(tc.id); string(b) != tc.want {
			t.Errorf("%+v marshals to %s, want %s", tc.id, b, tc.want)
		}
	}
}
