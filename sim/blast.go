package sim

import (
	"context"
	"fmt"
	"time"
)

// Blast waits until a client has joined the stream, then pushes n updates
// to it as fast as it can: a realistic mix of queue, operator and UI events
// over the directory's agents and queues, ids written both ways. It is the
// load of callboard's end-to-end benchmark (`callboard simulate --blast N`).
func (s *Server) Blast(ctx context.Context, n int) error {
	for s.Stats().Streaming == 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
	dir := s.Directory()
	if len(dir.Ops) == 0 || len(dir.Groupes) == 0 {
		return fmt.Errorf("blast: empty directory")
	}
	for i := range n {
		if i%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		s.Push(blastEvent(i, dir))
	}
	return nil
}

func blastEvent(i int, dir Directory) Event {
	// five events per call: insert, ringing, connect, delete, and a login
	c := i / 5
	op := dir.Ops[c%len(dir.Ops)].ID
	queue := dir.Groupes[c%len(dir.Groupes)].ID
	call := ID{N: 26_900_000 + int64(c), Quoted: i%2 == 0}
	caller := fmt.Sprintf("3361%07d", i%10_000_000)
	switch i % 5 {
	case 0:
		return Event{Type: "queue", Name: "insert_call", Msg: map[string]any{
			"call_duration": 0, "caller_id_num": caller, "priority": 100, "id_queue": queue,
			"id_call": call, "vip_rate": 1, "duration_in_queue": 0, "id_client": "164645"}}
	case 1:
		return Event{Type: "operator", Name: "status", Msg: map[string]any{
			"status": "ringing", "rec": 1, "call_duration": 0, "caller_id_num": caller, "step": 1,
			"id_queue": queue, "id_call": call, "id_operator": op, "id_client": 164645}}
	case 2:
		return Event{Type: "queue", Name: "connect_call", Msg: map[string]any{
			"status": "connected", "call_duration": 0, "caller_id_num": caller, "step": 1,
			"id_queue": queue, "id_call": call, "id_operator": op, "id_client": 164645}}
	case 3:
		return Event{Type: "queue", Name: "delete_call", Msg: map[string]any{
			"id_call": call, "id_queue": queue, "id_client": "164645"}}
	}
	return Event{Type: "UI", Name: "login", Msg: map[string]any{"supp": "", "id_operator": op, "id_client": 1}}
}
