#!/usr/bin/env node
// @ts-check
// The load generator's floor: an HTTP server that reads each request's body
// and answers with a fixed body of the size a model's answer would have, and
// does nothing else. The same load against it shows what the client, Node's
// HTTP stack and loopback cost on their own, to set beside trt-server's
// figures. Prints "listening PORT" once ready.
//
//   node sink-server.mjs RESPONSE_BYTES
import { Buffer } from "node:buffer";
import { createServer } from "node:http";

const size = Number(process.argv[2] ?? "0");
const answer = Buffer.alloc(size);
const server = createServer((req, res) => {
  req.on("data", () => {});
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(answer.length) });
    res.end(answer);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === "object" && address ? address.port : 0}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
