package sim

// Snapshot describes the current state as events: for each logged-in agent
// a UI login, an operator status and, if paused, a UI pause; then for each
// live queue or trunk call an insert_call, and a connect_call if answered.
// Each event is dated from when its state began. Snapshot changes nothing in
// the model.
func (t *Traffic) Snapshot() []Event {
	defer func(n uint64) { t.ids = n }(t.ids)
	var out []Event
	for _, a := range t.agents {
		if a.state == loggedOut {
			continue
		}
		out = append(out,
			Event{At: t.start.Add(a.loginAt), Type: "UI", Name: "login", Msg: t.uiMsg(a, "")},
			t.statusEvent(a, nil))
		if a.pause != nil {
			supp := ID{N: a.pause.id}.String()
			out = append(out, Event{At: t.start.Add(a.pausedAt), Type: "UI", Name: "pause", Msg: t.uiMsg(a, supp)})
		}
	}
	for _, c := range t.calls {
		typ := "queue"
		if c.tr != nil {
			typ = "trunk"
		}
		out = append(out, Event{At: t.start.Add(c.arrived), Type: typ, Name: "insert_call", Msg: t.insertMsg(c)})
		if c.state == talking {
			out = append(out, Event{At: t.start.Add(c.answered), Type: typ, Name: "connect_call", Msg: t.connectMsg(c)})
		}
	}
	return out
}
