// A small Axialys stand-in on the official Node Socket.IO server, for the
// tests (the feed's conformance, the root package's scenarios; Go side:
// internal/testkit/nodepeer). The same file runs on socket.io 2.x and 4.x:
//   NODE_PATH=<dir with node_modules> node standin.js
// Environment: LOGIN, PASSWORD, PORT (default: any free port). Prints
// "listening <port>" once ready.
// DIRECTORY=<json file>: the directory the login answers ({"ops", "groupes",
// "trunks", "pauses", "target"}; id_session and expire are added), instead
// of the built-in one; init must name its target.
// QUIET=1: no timed updates; only what the control endpoints send.
// PING=<interval>,<timeout> (milliseconds): the server's heartbeat; default
// 1000,1000, so that a dead client is noticed at once. A flood needs the
// official server's own (25000,20000): a client busy with it answers the
// ping late.
// BLAST=N (the ingest benchmark): no timed updates; every socket whose init
// is accepted gets N updates as fast as the server can send them, cpt from
// 1, a realistic mix of queue, operator and UI events over 40 agents and 8
// queues (as the Go simulator's --blast).
// Control endpoints for the tests (loopback only):
//   POST /control/disconnect  the server closes every socket
//   POST /control/expire      every token becomes invalid, then disconnect
//   POST /control/burst?n=N   N updates at once, back to back
//   POST /control/push        body: JSON lines, each an update's argument
//                             ({"elapse":…, "event":{…}}) or a bare event
//                             ({"type_notification":…}); each is sent as an
//                             update with the next cpt (ts now unless given)
//                             to every socket whose init was accepted.
//                             Answers {"cpt": <the last one sent>}.
//   POST /control/flood?n=N&from=K&pad=P
//                             N updates (a multiple of 5) of calls answered one
//                             after the other, calls K, K+1, …: each an insert,
//                             the agent connected, the call connected, deleted,
//                             the agent available; queue 391 or 1024 by the
//                             call's parity, agent 101 to 104 by the call
//                             modulo 4; each message with P characters the board
//                             does not read ("extra"). Sent as /control/push
//                             sends, a chunk per turn of the event loop (the
//                             server keeps answering pings); answers {"cpt": …}
//                             once all are sent.
//   GET  /control/stats       {"auths":…, "refused_auths":…, "inits":…, "refused_inits":…,
//                             "streaming": <sockets whose init was accepted, connected>,
//                             "lost_streams": <those that disconnected>, "last_loss": <why>}
const http = require("http");
const crypto = require("crypto");
const sio = require("socket.io");

const login = process.env.LOGIN || "demo";
const password = process.env.PASSWORD || "demo";
const blast = Number(process.env.BLAST) || 0;
const quiet = process.env.QUIET === "1";
const given = process.env.DIRECTORY ? JSON.parse(require("fs").readFileSync(process.env.DIRECTORY, "utf8")) : null;
const target = given ? String(given.target) : "5207";
const maxPush = 8 << 20; // characters of a /control/push body
const maxFlood = 10000000; // updates of a /control/flood
const maxPad = 64 << 10; // characters added to each of its messages
const tokens = new Set();
const streams = new Set(); // sockets whose init was accepted, while connected
const [pingInterval, pingTimeout] = (process.env.PING || "1000,1000").split(",").map(Number);
const stats = { auths: 0, refused_auths: 0, inits: 0, refused_inits: 0, lost_streams: 0, last_loss: "", version: require("socket.io/package.json").version };
let cpt = 0;

const blastOps = Array.from({ length: 40 }, (_, i) => ({ id: 100 + i, nom: "Agent " + (i + 1), groupes: [400 + (i % 8)] }));
const blastQueues = Array.from({ length: 8 }, (_, i) => ({ id: 400 + i, nom: "Queue " + (i + 1) }));

function directory(token) {
  const expire = new Date(Date.now() + 2 * 3600 * 1000).toISOString()
    .replace(/:/g, "-").replace(/\.\d+Z$/, ".000000+GMT");
  if (given) return Object.assign({}, given, { id_session: token, expire });
  return {
    ops: blast ? blastOps : [{ id: 1, nom: "Alice", groupes: [391] }, { id: "2", nom: "Bob", groupes: ["391"] }],
    groupes: blast ? blastQueues : [{ id: 391, nom: "Support" }],
    trunks: [{ id: "34", nom: "Standard" }],
    pauses: [{ id: 4, value: "Déjeuner" }],
    target: 5207,
    id_session: token,
    expire,
  };
}

const server = http.createServer((req, res) => {
  if (req.url === "/ws/" && req.method === "POST") {
    stats.auths++;
    let body;
    try { body = JSON.parse(req.headers["x-json"] || ""); } catch (e) { body = null; }
    const h = body && body.header;
    if (!h || h.login !== login || h.password !== password || h.account_type !== "supervisor") {
      stats.refused_auths++;
      res.writeHead(403, { "content-type": "application/json" });
      return res.end(JSON.stringify({ error: "identifiants invalides" }));
    }
    const token = crypto.randomBytes(16).toString("hex");
    tokens.add(token);
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(JSON.stringify(directory(token)));
  }
  if (req.url === "/control/disconnect" && req.method === "POST") {
    disconnectAll();
    return res.end("ok");
  }
  if (req.url === "/control/expire" && req.method === "POST") {
    tokens.clear();
    disconnectAll();
    return res.end("ok");
  }
  if (req.url.startsWith("/control/burst") && req.method === "POST") {
    const n = Number(new URL(req.url, "http://x").searchParams.get("n")) || 1000;
    for (let i = 0; i < n; i++) tick();
    return res.end("ok");
  }
  if (req.url.startsWith("/control/flood?") && req.method === "POST") {
    const q = new URL(req.url, "http://x").searchParams;
    const n = Number(q.get("n")), from = Number(q.get("from") || 0), pad = Number(q.get("pad") || 0);
    if (!Number.isSafeInteger(n) || n <= 0 || n % 5 !== 0 || n > maxFlood || !Number.isSafeInteger(from) || from < 0 ||
        !Number.isSafeInteger(pad) || pad < 0 || pad > maxPad) {
      res.writeHead(400);
      return res.end(`flood: n must be a multiple of 5 in 5..${maxFlood}, from a call number ≥ 0, pad in 0..${maxPad}`);
    }
    return flood(n, from, pad, () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ cpt }));
    });
  }
  if (req.url === "/control/push" && req.method === "POST") {
    let body = "";
    let tooLong = false;
    req.setEncoding("utf8");
    req.on("data", (chunk) => {
      if (body.length + chunk.length > maxPush) tooLong = true;
      else body += chunk;
    });
    req.on("end", () => {
      if (tooLong) {
        res.writeHead(413);
        return res.end("push: more than " + maxPush + " characters");
      }
      let payloads;
      try {
        payloads = body.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
        if (payloads.some((p) => typeof p !== "object" || p === null || Array.isArray(p))) throw new Error("a payload is not a JSON object");
      } catch (e) {
        res.writeHead(400);
        return res.end(String(e.message));
      }
      for (const p of payloads) push(p);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ cpt }));
    });
    return;
  }
  if (req.url === "/control/stats") {
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(JSON.stringify(Object.assign({ streaming: streams.size }, stats)));
  }
  if (!req.url.startsWith("/socket.io/")) {
    res.writeHead(404);
    res.end();
  }
});

const io = sio(server, { path: "/socket.io/", pingInterval, pingTimeout });

function disconnectAll() {
  const sockets = io.sockets.sockets;
  const list = sockets instanceof Map ? Array.from(sockets.values()) : Object.values(sockets);
  for (const s of list) s.disconnect(true);
}

io.on("connection", (socket) => {
  socket.on("disconnect", (reason) => {
    if (streams.delete(socket)) {
      stats.lost_streams++;
      stats.last_loss = String(reason);
    }
  });
  socket.on("init", (who, to, token) => {
    if (who !== "supervisor" || String(to) !== target || !tokens.has(String(token))) {
      stats.refused_inits++;
      socket.disconnect(true);
      return;
    }
    stats.inits++;
    if (blast) return blastTo(socket);
    streams.add(socket);
  });
});

// blastEvent is update i of a blast: five events per call (insert, ringing,
// connect, delete, a login), ids written both ways.
function blastEvent(i) {
  const c = Math.floor(i / 5);
  const op = blastOps[c % blastOps.length].id;
  const queue = blastQueues[c % blastQueues.length].id;
  const call = i % 2 ? 26900000 + c : String(26900000 + c);
  const caller = "3361" + String(i % 10000000).padStart(7, "0");
  switch (i % 5) {
    case 0: return { type_notification: "queue", event: "insert_call", msg: { call_duration: 0, caller_id_num: caller, priority: 100, id_queue: queue, id_call: call, vip_rate: 1, duration_in_queue: 0, id_client: "164645" } };
    case 1: return { type_notification: "operator", event: "status", msg: { status: "ringing", rec: 1, call_duration: 0, caller_id_num: caller, step: 1, id_queue: queue, id_call: call, id_operator: op, id_client: 164645 } };
    case 2: return { type_notification: "queue", event: "connect_call", msg: { status: "connected", call_duration: 0, caller_id_num: caller, step: 1, id_queue: queue, id_call: call, id_operator: op, id_client: 164645 } };
    case 3: return { type_notification: "queue", event: "delete_call", msg: { id_call: call, id_queue: queue, id_client: "164645" } };
  }
  return { type_notification: "UI", event: "login", msg: { supp: "", id_operator: op, id_client: 1 } };
}

// blastTo sends the blast to one socket, a chunk per turn of the event loop
// so that the server keeps answering pings and the control endpoints.
function blastTo(socket) {
  let i = 0;
  const ts = Math.floor(Date.now() / 1000);
  (function chunk() {
    for (const end = Math.min(i + 2000, blast); i < end; i++) {
      socket.emit("update", { ts, elapse: 0, cpt: i + 1, event: blastEvent(i) });
    }
    if (i < blast && socket.connected) setImmediate(chunk);
  })();
}

// send emits one update to every socket whose init was accepted.
function send(update) {
  for (const s of streams) s.emit("update", update);
}

function tick() {
  cpt++;
  const id = cpt % 2 ? 1 : "2";
  send({
    ts: Math.floor(Date.now() / 1000), elapse: 0, cpt,
    event: { type_notification: "UI", event: cpt % 3 ? "login" : "pause", msg: { supp: cpt % 3 ? "" : 4, id_operator: id, id_client: "164645" } },
  });
}
if (!blast && !quiet) setInterval(tick, 50);

// push sends payload p (an update's argument, or a bare event) with the
// next cpt.
function push(p) {
  cpt++;
  const given = p.type_notification !== undefined ? { event: p } : p;
  // in the server's order: ts, elapse, cpt, event
  send(Object.assign({ ts: Math.floor(Date.now() / 1000), elapse: 0, cpt }, given, { cpt }));
}

// floodEvent is update i of a flood from call `from` (see /control/flood).
function floodEvent(i, from, extra) {
  const call = from + Math.floor(i / 5);
  const queue = call % 2 ? 1024 : 391;
  const op = 101 + (call % 4);
  const ev = [
    ["queue", "insert_call", { id_call: call, id_queue: queue, caller_id_num: "33612345678", duration_in_queue: 0 }],
    ["operator", "status", { id_operator: op, status: "connected", id_call: call, id_queue: queue }],
    ["queue", "connect_call", { id_call: call, id_queue: queue, id_operator: op, status: "connected" }],
    ["queue", "delete_call", { id_call: call, id_queue: queue }],
    ["operator", "status", { id_operator: op, status: "available" }],
  ][i % 5];
  if (extra) ev[2].extra = extra;
  return { type_notification: ev[0], event: ev[1], msg: ev[2] };
}

// flood pushes the n updates of a flood from call `from`, a chunk per turn
// of the event loop, then calls done.
function flood(n, from, pad, done) {
  const extra = "x".repeat(pad);
  let i = 0;
  (function chunk() {
    for (const end = Math.min(i + 2000, n); i < end; i++) push(floodEvent(i, from, extra));
    if (i < n) setImmediate(chunk);
    else done();
  })();
}

server.listen(Number(process.env.PORT) || 0, "127.0.0.1", () => console.log("listening " + server.address().port));
