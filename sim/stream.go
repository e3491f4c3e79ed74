package sim

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	sio "github.com/zishang520/socket.io/v2/socket"
)

// attach listens to a new socket. It runs as a namespace middleware, before
// the server tells the client it is connected: listeners attached in the
// "connection" event would miss an init sent straight after connecting.
func (s *Server) attach(sock *sio.Socket, next func(*sio.ExtendedError)) {
	id := sock.Id()
	sock.On("init", func(args ...any) { s.onInit(sock, args) })
	sock.On("disconnect", func(...any) {
		s.smu.Lock()
		delete(s.sockets, id)
		delete(s.streams, id)
		s.smu.Unlock()
	})
	next(nil)
}

// onConnection counts a socket once Socket.IO has fully registered it.
// Socket.IO acknowledges the connection slightly before that, and drops the
// whole connection if an event arrives in between: tests that wait for
// Stats().Connected thus never send too early.
func (s *Server) onConnection(args ...any) {
	sock := args[0].(*sio.Socket)
	s.smu.Lock()
	if sock.Connected() { // else its disconnect has run already
		s.sockets[sock.Id()] = true
	}
	s.smu.Unlock()
}

// onInit handles init('supervisor', target, id_session). Socket.IO runs
// each event handler on a goroutine of its own.
func (s *Server) onInit(sock *sio.Socket, args []any) {
	host := hostOf(sock.Handshake().Address)
	switch reason, fresh := s.admit(sock, args, host); {
	case reason != "":
		s.logf("sim: init refused from %s: %s", host, reason)
		sock.Disconnect(false)
	case fresh:
		s.logf("sim: init accepted from %s", host)
	}
}

// admit checks an init and, if it is valid and the socket not streaming
// yet, sends it the state burst and joins it to the stream. It returns why
// it refused, or whether the socket is new to the stream.
func (s *Server) admit(sock *sio.Socket, args []any, host string) (reason string, fresh bool) {
	id := sock.Id()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.smu.Lock()
	reason = s.check(args, host)
	fresh = reason == "" && !s.streams[id]
	switch {
	case reason != "":
		s.stats.InitsRefused++
		delete(s.streams, id)
	case fresh:
		s.stats.InitsAccepted++
		s.streams[id] = true
	}
	s.smu.Unlock()
	if !fresh {
		return reason, false
	}

	if !s.opts.NoTraffic {
		now := s.opts.Now()
		for _, ev := range s.traffic.Snapshot() {
			raw, err := json.Marshal(s.stamp.Stamp(ev, now))
			if err == nil {
				sock.Emit("update", json.RawMessage(raw))
			}
		}
	}
	sock.Join(streamRoom)
	if !sock.Connected() {
		s.forget(id)
	}
	return "", true
}

func (s *Server) forget(id sio.SocketId) {
	s.smu.Lock()
	delete(s.streams, id)
	s.smu.Unlock()
}

// check validates the arguments of an init. Callers hold smu.
func (s *Server) check(args []any, host string) string {
	if len(args) < 3 {
		return "init needs 3 arguments: 'supervisor', target, id_session"
	}
	if role, _ := args[0].(string); role != "supervisor" {
		return "first argument is not 'supervisor'"
	}
	if target, ok := idArg(args[1]); !ok || target != s.dir.Target.N {
		return "wrong target"
	}
	token, _ := args[2].(string)
	g, ok := s.tokens[token]
	switch {
	case !ok:
		return "unknown token"
	case !s.opts.Now().Before(g.expire):
		return "expired token"
	case !sameHost(g.host, host):
		return "token issued to another address"
	}
	return ""
}

// idArg reads an id sent as a JSON number or as a string of digits.
func idArg(v any) (int64, bool) {
	switch v := v.(type) {
	case float64:
		if v != math.Trunc(v) || math.Abs(v) > 1<<53 {
			return 0, false
		}
		return int64(v), true
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		return n, err == nil
	}
	return 0, false
}
