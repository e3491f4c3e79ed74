package state

// The acknowledgements of a checkpoint (ckBoard.Acks): the board's, by
// key, each with its times.

// ckAck is an acknowledgement in a checkpoint.
type ckAck struct {
	Rule, QueueID, AgentID string
	Since, At              ckTime
	By                     string
}

// ckAcks is the board's acknowledgements in its checkpoint.
func (b *Board) ckAcks() []ckAck {
	var out []ckAck
	for _, a := range b.Acks() {
		out = append(out, ckAck{Rule: a.Rule, QueueID: a.QueueID, AgentID: a.AgentID, Since: b.ckT(a.Since), At: b.ckT(a.At), By: a.By})
	}
	return out
}

// maxAcks is the most acknowledgements a board under opts keeps: one for
// each rule of each queue and agent it may hold.
func maxAcks(opts Options) int {
	return len(queueRules)*opts.MaxQueues + len(agentRules)*opts.MaxAgents
}

// loadAcks makes the board's acknowledgements of a checkpoint, once its
// queues and agents are made: one the board would refuse (Acknowledge)
// refuses the checkpoint. The alerts are loaded first.
func (l *loader) loadAcks(acks []ckAck) error {
	for _, a := range acks {
		ack := Acknowledgement{AlertKey: AlertKey{Rule: a.Rule, QueueID: a.QueueID, AgentID: a.AgentID}, Since: a.Since.in(l.loc), At: a.At.in(l.loc), By: a.By}
		if !l.b.acknowledge(ack) {
			return refused("acknowledgement of %s %q %q at %s: not one the board keeps", a.Rule, a.QueueID, a.AgentID, ack.Since)
		}
	}
	return nil
}
