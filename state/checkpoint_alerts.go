package state

import "time"

// The alerts in a checkpoint (ckBoard.Alerts): those active, the last
// changes and their count, so that a board loaded from it numbers its
// changes as the board that replayed the whole day does.
type (
	ckAlerts struct {
		At      ckTime // the last evaluation's
		Seq     uint64
		Active  []ckAlert // by key
		Changes []ckAlertChange
	}
	ckAlert struct {
		Rule, QueueID, AgentID, Subject string
		Value, Limit                    float64
		Since                           ckTime
	}
	ckAlertChange struct {
		Seq    uint64
		At     ckTime
		Raised bool
		Alert  ckAlert
		Ack    *ckAck // who acknowledged the alert a clear ends, nil when nobody had
	}
)

// ckAlertsShape is the shape of ckBoard.Alerts: the counts of its tables.
type ckAlertsShape struct {
	Active  []none[ckAlert]
	Changes []none[ckAlertChange]
}

func (b *Board) ckAlertOf(a *Alert) ckAlert {
	return ckAlert{Rule: a.Rule, QueueID: a.QueueID, AgentID: a.AgentID, Subject: a.Subject, Value: a.Value, Limit: a.Limit, Since: b.ckT(a.Since)}
}

func (a ckAlert) alert(loc *time.Location) Alert {
	return Alert{AlertKey: AlertKey{Rule: a.Rule, QueueID: a.QueueID, AgentID: a.AgentID}, Subject: a.Subject, Value: a.Value, Limit: a.Limit, Since: a.Since.in(loc)}
}

// ckAlertsOf is the board's alerts in its checkpoint.
func (b *Board) ckAlertsOf() ckAlerts {
	ck := ckAlerts{Seq: b.alerts.seq, At: b.ckT(b.alerts.at)}
	for _, a := range b.Alerts() {
		ck.Active = append(ck.Active, b.ckAlertOf(&a))
	}
	for _, c := range b.AlertChanges() {
		cc := ckAlertChange{Seq: c.Seq, At: b.ckT(c.At), Raised: c.Raised, Alert: b.ckAlertOf(&c.Alert)}
		if a := c.Alert.Acknowledged; a != nil {
			cc.Ack = &ckAck{Since: b.ckT(a.Since), At: b.ckT(a.At), By: a.By}
		}
		ck.Changes = append(ck.Changes, cc)
	}
	return ck
}

// loadAlerts gives b the alerts of its checkpoint, refusing what cannot
// be: more changes than a board keeps, changes not numbered in order up to
// Seq, an alert twice.
func (b *Board) loadAlerts(ck ckAlerts, loc *time.Location) error {
	if len(ck.Changes) > MaxAlertChanges {
		return refused("%d alert changes, beyond %d", len(ck.Changes), MaxAlertChanges)
	}
	for i, c := range ck.Changes {
		if c.Seq != ck.Seq-uint64(len(ck.Changes)-1-i) || c.Seq == 0 {
			return refused("alert change %d numbered %d of %d", i, c.Seq, ck.Seq)
		}
		ch := AlertChange{Seq: c.Seq, At: c.At.in(loc), Raised: c.Raised, Alert: c.Alert.alert(loc)}
		if a := c.Ack; a != nil {
			ch.Alert.Acknowledged = &Acknowledgement{AlertKey: ch.Alert.AlertKey, Since: a.Since.in(loc), At: a.At.in(loc), By: AckBy(a.By)}
		}
		b.alerts.changes = append(b.alerts.changes, ch)
	}
	b.alerts.seq, b.alerts.at = ck.Seq, ck.At.in(loc)
	for _, ca := range ck.Active {
		a := ca.alert(loc)
		if _, twice := b.alerts.active[a.AlertKey]; twice {
			return refused("alert %s of %q%q twice", a.Rule, a.QueueID, a.AgentID)
		}
		b.alerts.active[a.AlertKey] = &a
	}
	return nil
}
