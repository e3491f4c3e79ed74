package sim

import "time"

var firstNames = [...]string{
	"Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Sarah", "Julie",
	"Laura", "Pauline", "Marie", "Anaïs", "Clara", "Lucie", "Océane",
	"Mathilde", "Élodie", "Amandine", "Céline", "Nadia", "Sophie", "Aurélie",
	"Fatou", "Yasmine", "Lucas", "Thomas", "Hugo", "Nicolas", "Julien",
	"Maxime", "Antoine", "Alexandre", "Romain", "Kevin", "Mehdi", "Karim",
	"Quentin", "Benoît", "Sébastien", "Olivier", "Mathieu", "Jérôme",
	"Florian", "Damien", "Baptiste", "Théo", "Louis", "Arthur", "Paul",
	"Victor", "Rémi", "Samir", "Yannick", "Cédric", "Gaëlle", "Noémie",
	"Margaux", "Solène", "Justine", "Héloïse",
}

const initials = "ABCDEFGHJLMNPRSTV"

// queue is a group of agents and its waiting line.
type queue struct {
	id       int64
	name     string
	rate     float64 // mean arrivals per second
	phase    float64 // of the slow wave that modulates the rate
	priority int
	vipRate  int
	hidden   bool     // missing from the directory
	members  []*agent // its agents, in the order of Traffic.agents
}

type trunk struct {
	id   int64
	name string
	rate float64 // mean arrivals per second
}

type pauseKind struct {
	id     int64
	label  string
	lo, hi time.Duration
	weight int
}

// build makes the directory: groups, trunks, pause types and agents.
func (t *Traffic) build() {
	if t.center != nil {
		t.buildCenter()
	} else {
		t.buildBuiltIn()
	}
	for _, a := range t.agents {
		for _, q := range a.queues {
			q.members = append(q.members, a)
		}
	}
}

// buildBuiltIn makes the 40-agent center.
func (t *Traffic) buildBuiltIn() {
	t.queues = []*queue{
		{id: 391, name: "Support", rate: 0.13, priority: 100, vipRate: 1},
		{id: 392, name: "Ventes", rate: 0.09, priority: 100, vipRate: 1},
		{id: 1023, name: "Facturation", rate: 0.06, priority: 100, vipRate: 1},
		{id: 1024, name: "VIP", rate: 0.03, priority: 200, vipRate: 3},
	}
	t.trunks = []*trunk{
		{id: 346223, name: "Standard Paris", rate: 0.04},
		{id: 345940, name: "Accueil Lyon", rate: 0.03},
		{id: 34, name: "Astreinte", rate: 0.015},
	}
	t.pauses = []pauseKind{
		{1, "Déjeuner", 3 * time.Minute, 6 * time.Minute, 1},
		{2, "Formation", 2 * time.Minute, 5 * time.Minute, 1},
		{3, "Back-office", 30 * time.Second, 2 * time.Minute, 3},
		{4, "Réunion", 2 * time.Minute, 4 * time.Minute, 1},
		{5, "Pause café", 45 * time.Second, 150 * time.Second, 4},
	}
	for _, q := range t.queues {
		q.phase = t.rng.Float64() * 6.283
		t.dir.Groupes = append(t.dir.Groupes, Named{ID: t.id(q.id), Nom: q.name})
	}
	for _, tr := range t.trunks {
		t.dir.Trunks = append(t.dir.Trunks, Named{ID: t.id(tr.id), Nom: tr.name})
	}
	for _, p := range t.pauses {
		t.dir.Pauses = append(t.dir.Pauses, Pause{ID: t.id(p.id), Value: p.label})
	}
	t.dir.Target = t.id(5000 + t.rng.Int64N(1000))

	support, ventes, facturation, vip := t.queues[0], t.queues[1], t.queues[2], t.queues[3]
	names := t.rng.Perm(len(firstNames))
	id := int64(100)
	for i := range 40 {
		id += 1 + t.rng.Int64N(3)
		var qs []*queue
		switch {
		case i < 4:
			qs = []*queue{support, vip}
		case i < 16:
			qs = []*queue{support}
		case i < 19:
			qs = []*queue{ventes, vip}
		case i < 28:
			qs = []*queue{ventes}
		case i < 30:
			qs = []*queue{facturation, support}
		case i < 36:
			qs = []*queue{facturation}
		default:
			qs = []*queue{vip}
		}
		name := firstNames[names[i]] + " " + string(initials[t.rng.IntN(len(initials))]) + "."
		t.agents = append(t.agents, &agent{id: id, name: name, queues: qs})
	}
	if t.surprises {
		t.agents[5].name = "\x1b[1;31m" + t.agents[5].name + "\x1b[0m\a"
		hiddenQ := &queue{id: 2048, name: "Rappels", rate: 0.02, priority: 100, vipRate: 1, hidden: true}
		t.queues = append(t.queues, hiddenQ)
		t.agents[0].queues = append(t.agents[0].queues, hiddenQ)
		t.agents[1].queues = append(t.agents[1].queues, hiddenQ)
		t.agents = append(t.agents,
			&agent{id: 901, name: "Intérim 1", queues: []*queue{support, hiddenQ}, hidden: true},
			&agent{id: 902, name: "Intérim 2", queues: []*queue{hiddenQ}, hidden: true})
	}
	for _, a := range t.agents {
		if a.hidden {
			continue
		}
		op := Op{ID: t.id(a.id), Nom: a.name}
		for _, q := range a.queues {
			if !q.hidden {
				op.Groupes = append(op.Groupes, t.id(q.id))
			}
		}
		t.dir.Ops = append(t.dir.Ops, op)
	}
}

// populate sets everyone's state at the start of the warm-up and starts the
// arrival processes.
func (t *Traffic) populate() {
	if t.center != nil && t.center.Staffing != nil {
		t.populateShifts()
		return
	}
	for _, a := range t.agents {
		a.loginAt = t.now - t.uniform(10*time.Minute, 3*time.Hour)
		a.since = a.loginAt
		switch r := t.rng.Float64(); {
		case r < 0.07:
			a.state = loggedOut
			a.loginAt = 0
			t.after(t.uniform(0, 4*time.Minute), func() { t.login(a, a.gen) })
		case r < 0.15:
			a.state = available
			t.startPause(a, t.pickPause())
		default:
			a.state = available
			a.idleSince = t.now
			t.idle(a)
		}
	}
	t.startArrivals()
}

func (t *Traffic) startArrivals() {
	for _, q := range t.queues {
		t.nextArrival(q)
	}
	for _, tr := range t.trunks {
		t.nextTrunkArrival(tr)
	}
}

// pickPause draws a pause type by weight.
func (t *Traffic) pickPause() *pauseKind {
	total := 0
	for _, p := range t.pauses {
		total += p.weight
	}
	n := t.rng.IntN(total)
	for i := range t.pauses {
		if n < t.pauses[i].weight {
			return &t.pauses[i]
		}
		n -= t.pauses[i].weight
	}
	return &t.pauses[len(t.pauses)-1]
}
