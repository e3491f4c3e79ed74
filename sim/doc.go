// Package sim is a stand-in for the Axialys Voice Management notifications
// service: a real HTTP authentication endpoint (POST /ws/ with an X-JSON
// header) and a real Socket.IO server (path /socket.io/) that streams
// "update" events shaped like the vendor's examples. It backs the --demo
// mode, the tests of the other packages and the benchmarks.
//
// The traffic comes from [Traffic], a deterministic discrete-event model of a
// call center (agents, queues, trunks, pauses) that needs no goroutine and no
// network. [Server] runs it against the wall clock and streams what it emits.
//
// Guesses, since the vendor does not document them:
//   - After a valid "init", a socket first receives a burst describing the
//     current state (a UI login, an operator status and, for paused agents, a
//     UI pause per logged-in agent, then an insert_call, and a connect_call if
//     answered, per live call), then the live events. Whether the real service
//     sends such a burst is unknown. Burst events carry the time elapsed since
//     the state began in "elapse".
//   - "cpt" is one counter per server, shared by all sockets: a socket sees it
//     increase strictly but may see gaps (another socket's burst).
//   - Pause ids are numbers and a UI pause's supp is their decimal text; the
//     vendor's one example ("supp": "user1") hints that real ids may not be
//     numbers at all.
//   - A refused "init" (unknown or expired token, wrong target, token obtained
//     from another address) gets no answer: the server disconnects the socket
//     at the Socket.IO level, which clients treat as final (no auto-reconnect).
//   - Tokens are checked at "init" only; a stream outlives its token.
//   - The error answer of the authentication is a small JSON object
//     {"error": "..."} with a 4xx status.
//   - How a pause ends is unknown: the model sends either a UI pause with an
//     empty supp or a UI login. The PUSHCALL event's name and fields are
//     invented ("push_call", with id_operator and the number to call).
package sim
