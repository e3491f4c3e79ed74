package feedtest

import (
	"encoding/json"
	"time"

	"callboard/feed"
	"callboard/sim"
)

// Directory is the simulator's directory as the feed hands it over.
func Directory(d sim.Directory) feed.Directory {
	var out feed.Directory
	for _, op := range d.Ops {
		a := feed.Agent{ID: feed.Text(op.ID.String()), Name: op.Nom}
		for _, g := range op.Groupes {
			a.Groups = append(a.Groups, feed.Text(g.String()))
		}
		out.Agents = append(out.Agents, a)
	}
	for _, g := range d.Groupes {
		out.Groups = append(out.Groups, feed.Named{ID: feed.Text(g.ID.String()), Name: g.Nom})
	}
	for _, t := range d.Trunks {
		out.Trunks = append(out.Trunks, feed.Named{ID: feed.Text(t.ID.String()), Name: t.Nom})
	}
	for _, p := range d.Pauses {
		out.Pauses = append(out.Pauses, feed.Named{ID: feed.Text(p.ID.String()), Name: p.Value})
	}
	return out
}

// Outage is a stretch without a live feed: From it is disconnected, at To
// live again.
type Outage struct{ From, To time.Time }

// SimDay is the simulator's traffic (seed; with its surprises) from from
// to to, as the feed hands it over second by second: the directory and the
// feed going live at from, the burst after init, then the updates; during
// each outage nothing, then the feed live again and a burst that leaves
// some calls unmentioned (they turn stale).
func SimDay(seed int64, from, to time.Time, outages ...Outage) []feed.Message {
	tr := sim.NewTraffic(seed, from, sim.TrafficOptions{Surprises: true})
	var stamp sim.Stamper
	ms := []feed.Message{&feed.DirectoryMsg{Directory: Directory(tr.Directory()), At: from}, &feed.StatusMsg{State: feed.Live, At: from}}
	events := func(evs []sim.Event, now time.Time, keep func(i int) bool) {
		for i, ev := range evs {
			if !keep(i) {
				continue
			}
			raw, err := json.Marshal(stamp.Stamp(ev, now))
			if err != nil {
				panic(err) // the simulator's events are plain values
			}
			ms = append(ms, Event(now, string(raw)))
		}
	}
	events(tr.Snapshot(), from, func(int) bool { return true })
	for now := from.Add(time.Second); !now.After(to); now = now.Add(time.Second) {
		evs := tr.Advance(now)
		down := false
		for _, o := range outages {
			switch {
			case now.Equal(o.From):
				ms = append(ms, &feed.StatusMsg{State: feed.Disconnected, Reason: "outage", At: now})
				down = true
			case now.After(o.From) && now.Before(o.To):
				down = true
			case now.Equal(o.To):
				ms = append(ms, &feed.StatusMsg{State: feed.Live, At: now})
				events(tr.Snapshot(), now, func(i int) bool { return i%7 != 3 })
				down = true
			}
		}
		if !down {
			events(evs, now, func(int) bool { return true })
		}
	}
	return ms
}
