// The Node baseline: a minimal socket.io broadcast server with the Redis
// adapter, measured by bench/fanout.py exactly like bench/baseline_socketio.py.
//
// Every client joins one room on connect; POST /publish takes a seq from a
// Redis counter (standing in for Roundtable's commit) and broadcasts
// {seq, type, at, data} to the room. The Redis adapter carries it to the
// other processes. Run by bench/baseline_node.py with PORT, REDIS_URL and
// BENCH_PREFIX in the environment.
"use strict";

const http = require("node:http");
const { Server } = require("socket.io");
const { createAdapter } = require("@socket.io/redis-adapter");
const { createClient } = require("redis");

const ROOM = "bench";
const port = Number(process.env.PORT);
const redisUrl = process.env.REDIS_URL;
const prefix = process.env.BENCH_PREFIX || "bench-node";

async function main() {
  const pub = createClient({ url: redisUrl });
  const sub = pub.duplicate();
  const counter = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect(), counter.connect()]);

  const server = http.createServer((req, res) => {
    const reply = (status, body) => {
      const data = JSON.stringify(body);
      // An explicit length: the load generator's client reads Content-Length, not chunks.
      res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(data) });
      res.end(data);
    };
    if (req.method === "GET" && req.url === "/readyz") {
      counter.ping().then(() => reply(200, { status: "ok" }), (err) => reply(503, { error: String(err) }));
      return;
    }
    if (req.method === "POST" && req.url === "/gc") {
      // The benchmark reads RSS after a full collection (node runs with --expose-gc):
      // otherwise V8's heap may shrink or grow between the two readings whatever the connections cost.
      if (global.gc) global.gc();
      reply(200, { collected: Boolean(global.gc) });
      return;
    }
    if (req.method !== "POST" || req.url !== "/publish") {
      reply(404, { error: "not found" });
      return;
    }
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", async () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString());
        const seq = await counter.incr(`${prefix}:seq`);
        io.to(ROOM).emit("comment", { seq, type: "comment.created", at: new Date().toISOString(), data: body.data });
        reply(201, { event_seq: seq });
      } catch (err) {
        reply(500, { error: String(err) });
      }
    });
  });

  const io = new Server(server, {
    transports: ["websocket"],
    serveClient: false,
    adapter: createAdapter(pub, sub, { key: `${prefix}:adapter` }),
  });
  io.on("connection", (socket) => socket.join(ROOM));

  server.listen(port, "127.0.0.1");
  const stop = () => io.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
