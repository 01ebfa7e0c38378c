#!/usr/bin/env node
// @ts-check
// The load generator's floor: an HTTP server that reads each request's body
// and answers with a fixed body of the size a model's answer would have, and
// does nothing else. The same load against it shows what the client, Node's
// HTTP stack and loopback cost on their own, to set beside trt-server's
// figures. Prints "listening PORT" once every process listens.
//
//   node sink-server.mjs RESPONSE_BYTES [PROCESSES]
//
// PROCESSES (default 1) sink processes share the port (node:cluster hands each
// new connection to the next). One process is one event loop, which tops out
// long before a load generator on several threads does: with 600 KB bodies
// the floor at many clients measured that loop, not the client. Several
// processes measure the client and loopback.
import { Buffer } from "node:buffer";
import cluster from "node:cluster";
import { createServer } from "node:http";

const size = Number(process.argv[2] ?? "0");
const processes = Number(process.argv[3] ?? "1");
if (!Number.isInteger(size) || size < 0 || !Number.isInteger(processes) || processes < 1) {
  process.stderr.write("usage: sink-server.mjs RESPONSE_BYTES [PROCESSES]\n");
  process.exit(2);
}

if (cluster.isPrimary && processes > 1) {
  cluster.schedulingPolicy = cluster.SCHED_RR;
  let listening = 0;
  for (let i = 0; i < processes; i++) cluster.fork();
  cluster.on("listening", (_worker, address) => {
    if (++listening === processes) process.stdout.write(`listening ${address.port}\n`);
  });
  cluster.on("exit", (_worker, code) => {
    if (code !== 0) process.exitCode = code ?? 1;
  });
  process.on("SIGTERM", () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
  });
} else {
  const answer = Buffer.alloc(size);
  const server = createServer((req, res) => {
    req.on("data", () => {});
    req.on("end", () => {
      // The pid tells which process answered (the tests check that connections are spread).
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(answer.length), "x-sink-pid": String(process.pid) });
      res.end(answer);
    });
  });
  server.keepAliveTimeout = 60_000;
  // Port 0 in every process: the cluster's primary picks one port and shares it.
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    if (cluster.isPrimary) process.stdout.write(`listening ${typeof address === "object" && address ? address.port : 0}\n`);
  });
  process.on("SIGTERM", () => {
    server.close(() => process.exit(0));
    // Keep-alive connections would hold close() open until they time out.
    server.closeAllConnections();
  });
}
