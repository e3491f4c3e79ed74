package state

// scoped is a first cut of the derivation (the contract's): the queues and
// agents in scope, nothing else. Issue 26's state work replaces it whole.
func (v *View) scoped(a Audience) *View {
	out := *v
	queues := map[string]bool{}
	for _, q := range v.Queues {
		if slices_contains(a.Scope.Queues, q.ID) || slices_contains(a.Scope.Queues, q.Name) || slices_contains(a.Scope.Groups, q.ID) {
			queues[q.ID] = true
		}
	}
	out.Queues = nil
	for _, q := range v.Queues {
		if queues[q.ID] {
			out.Queues = append(out.Queues, q)
		}
	}
	out.Agents = nil
	for _, ag := range v.Agents {
		for _, g := range ag.Groups {
			if queues[g] || slices_contains(a.Scope.Groups, g) {
				out.Agents = append(out.Agents, ag)
				break
			}
		}
	}
	out.Trunks, out.Events, out.Report = nil, nil, nil
	out.Scope = &ScopeShown{Name: a.Scope.Name}
	return &out
}

func slices_contains(s []string, x string) bool {
	for _, e := range s {
		if e == x {
			return true
		}
	}
	return false
}
