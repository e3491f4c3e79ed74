package sim

import (
	"fmt"
	"math"
	"time"
)

var queueNames = [...]string{
	"Support", "Ventes", "Facturation", "Résiliation", "Livraison", "Retours",
	"Technique", "Comptes pros", "Fidélité", "Sinistres", "Recouvrement", "Accueil",
}

var cityNames = [...]string{
	"Paris", "Lyon", "Marseille", "Lille", "Nantes", "Bordeaux", "Toulouse", "Rennes",
}

// buildCenter makes the directory of a Center: queues whose rates fall
// off with their rank (a few busy queues, many quiet ones; every tenth a
// priority queue), agents spread over the queues in proportion to their
// rates (a third of them in a second queue too), trunks likewise.
func (t *Traffic) buildCenter() {
	c := t.center
	nq, na, nt := max(c.Queues, 1), max(c.Agents, 1), max(c.Trunks, 0)
	weights := make([]float64, nq)
	sum := 0.0
	for i := range weights {
		weights[i] = 1 / math.Pow(float64(i+1), 0.7)
		sum += weights[i]
	}
	for i := range nq {
		q := &queue{id: int64(1000 + i), rate: c.QueueRate * weights[i] / sum, priority: 100, vipRate: 1,
			phase: t.rng.Float64() * 6.283}
		q.name = queueNames[i%len(queueNames)]
		if i >= len(queueNames) {
			q.name = fmt.Sprintf("%s %d", q.name, i/len(queueNames)+1)
		}
		if i%10 == 9 {
			q.priority, q.vipRate, q.name = 200, 3, q.name+" VIP"
		}
		t.queues = append(t.queues, q)
		t.dir.Groupes = append(t.dir.Groupes, Named{ID: t.id(q.id), Nom: q.name})
	}
	for i := range nt {
		tr := &trunk{id: int64(340000 + 7*i), rate: c.TrunkRate / float64(nt),
			name: fmt.Sprintf("Standard %s %d", cityNames[i%len(cityNames)], i/len(cityNames)+1)}
		t.trunks = append(t.trunks, tr)
		t.dir.Trunks = append(t.dir.Trunks, Named{ID: t.id(tr.id), Nom: tr.name})
	}
	t.pauses = []pauseKind{
		{1, "Déjeuner", 30 * time.Minute, 60 * time.Minute, 1},
		{2, "Formation", 15 * time.Minute, 45 * time.Minute, 1},
		{3, "Back-office", 30 * time.Second, 4 * time.Minute, 4},
		{4, "Réunion", 10 * time.Minute, 30 * time.Minute, 1},
		{5, "Pause café", 3 * time.Minute, 12 * time.Minute, 4},
	}
	for _, p := range t.pauses {
		t.dir.Pauses = append(t.dir.Pauses, Pause{ID: t.id(p.id), Value: p.label})
	}
	t.dir.Target = t.id(int64(10_000_000 + t.rng.Int64N(1000)))
	id := int64(100)
	for i := range na {
		id += 1 + t.rng.Int64N(3)
		qs := []*queue{t.queues[t.pickWeighted(weights, sum)]}
		if t.chance(0.33) {
			if other := t.queues[t.pickWeighted(weights, sum)]; other != qs[0] {
				qs = append(qs, other)
			}
		}
		name := firstNames[t.rng.IntN(len(firstNames))] + " " + string(initials[t.rng.IntN(len(initials))]) + "."
		a := &agent{id: id, name: name, queues: qs, rank: (float64(i) + 0.5) / float64(na)}
		t.agents = append(t.agents, a)
		op := Op{ID: t.id(a.id), Nom: a.name}
		for _, q := range qs {
			op.Groupes = append(op.Groupes, t.id(q.id))
		}
		t.dir.Ops = append(t.dir.Ops, op)
	}
}

// pickWeighted draws an index by weight.
func (t *Traffic) pickWeighted(weights []float64, sum float64) int {
	x := t.rng.Float64() * sum
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// populateShifts sets everyone's state at the start of the warm-up by
// the staffing of that instant, and starts the shifts and the arrivals.
func (t *Traffic) populateShifts() {
	share := t.center.Staffing(t.Now())
	for _, a := range t.agents {
		if a.rank >= share {
			a.state, a.offShift = loggedOut, true
			continue
		}
		a.loginAt = t.now - t.uniform(10*time.Minute, 3*time.Hour)
		a.since, a.state, a.idleSince = a.loginAt, available, t.now
		t.idle(a)
	}
	t.after(time.Minute, t.shifts)
	t.startArrivals()
}
