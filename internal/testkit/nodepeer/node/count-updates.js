// Counts `update` events with the official Node socket.io-client (4.x for
// a Socket.IO 3/4 server, 2.x for a 2.x one), logged in as callboard logs
// in: the peer callboard's own pipeline is measured against.
//   NODE_PATH=<node_modules> node count-updates.js URL LOGIN N
// (password in CALLBOARD_PASSWORD). Prints one JSON line:
// {"events": N, "wall_s": …, "cpu_s": …}.
const client = require("socket.io-client");
const io = client.io || client; // 4.x exports io, 2.x is the function itself

const [url, login, want] = [process.argv[2], process.argv[3], Number(process.argv[4])];
const header = JSON.stringify({
  requete: "init",
  header: { login, password: process.env.CALLBOARD_PASSWORD || "", account_type: "supervisor" },
  msg: {},
});

async function main() {
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const res = await fetch(url.replace(/\/$/, "") + "/ws/", { method: "POST", headers: { "X-JSON": header } });
  if (!res.ok) throw new Error("authentication refused: HTTP " + res.status);
  const dir = await res.json();
  const socket = io(url, { path: "/socket.io/", transports: ["websocket"], forceNew: true });
  let n = 0;
  socket.on("connect", () => socket.emit("init", "supervisor", dir.target, dir.id_session));
  socket.on("update", () => {
    n++;
    if (n === want) {
      const wall = Number(process.hrtime.bigint() - start) / 1e9;
      const cpu = process.cpuUsage(cpu0);
      console.log(JSON.stringify({ events: n, wall_s: wall, cpu_s: (cpu.user + cpu.system) / 1e6 }));
      socket.close();
      process.exit(0);
    }
  });
}
main().catch((e) => { console.error(e.message); process.exit(1); });
