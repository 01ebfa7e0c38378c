/**
 * An intake thread: it accepts HTTP connections on its copy of the server's
 * listening socket, reads each request's body, and hands the request to the
 * main thread (http-intake.ts), which routes and answers it as it would one
 * of its own; the answer comes back here to be written to the socket.
 *
 * What this takes off the main thread is the socket work of a request: the
 * reads of a large body (about ten of 64 KiB for a 600 KB image), HTTP
 * parsing, joining the chunks, and writing the answer (the write on
 * loopback also delivers it to the client, in the writer's system call).
 */
import { createServer } from "node:http";
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";
import { BodyPool } from "../protocol/body-pool.js";
import { IntakeBodies } from "./intake-bodies.js";
import { ProtocolError } from "../protocol/errors.js";
import { readBody } from "../protocol/read-body.js";
import type { FromIntake, IntakeWorkerData, ToIntake } from "./messages.js";

const { fd, bodyLimit, arena } = workerData as IntakeWorkerData;
const main = parentPort!;
const tell = (message: FromIntake, transfer: ArrayBuffer[] = []) => main.postMessage(message, transfer);

/** Requests handed to the main thread and not yet answered. */
const waiting = new Map<number, { readonly res: ServerResponse; readonly head: boolean; readonly receiveMs: number }>();
let lastId = 0;
/** Bodies' memory, lent for a request and back with its answer: a steady stream of requests allocates nothing. */
const bodies = new IntakeBodies(arena, new BodyPool(32 * 1024 * 1024));
let stopping = false;

// Headers that describe this connection, not the answer: this thread sets its own.
const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding"];

const server = createServer((req, res) => {
  const start = performance.now();
  const declared = req.headers["content-length"] !== undefined;
  readBody(req, bodyLimit, bodies).then(
    (body) => {
      if (res.destroyed) return bodies.give(body);
      const id = ++lastId;
      waiting.set(id, { res, head: req.method === "HEAD", receiveMs: performance.now() - start });
      res.once("close", () => {
        if (waiting.delete(id)) tell({ kind: "gone", id });
      });
      const headers = { ...req.headers };
      delete headers["transfer-encoding"];
      if (body.length > 0 || declared) headers["content-length"] = String(body.length);
      // In the arena, the body goes as its place there. Otherwise it is transferred: with a Content-Length,
      // readBody's buffer is memory of its own; a chunked body may share its chunk's, so it is copied.
      const offset = body.length === 0 ? null : bodies.sharedOffset(body);
      const shared = offset === null ? null : { offset, length: body.length };
      const owned = body.length === 0 || shared ? null : declared ? body : new Uint8Array(body);
      tell(
        { kind: "request", id, method: req.method ?? "GET", url: req.url ?? "/", headers, body: owned, shared, remoteAddress: req.socket.remoteAddress },
        owned ? [owned.buffer as ArrayBuffer] : [],
      );
    },
    (error: unknown) => {
      if (res.destroyed) return;
      // The body's own faults (over the limit, a wrong length) are answered here as the main thread would; a broken connection needs no answer.
      if (!(error instanceof ProtocolError)) return void res.destroy();
      const body = Buffer.from(JSON.stringify({ error: error.message }));
      res.writeHead(error.status, { "content-type": "application/json; charset=utf-8", "content-length": body.length, ...(stopping ? { connection: "close" } : {}) });
      res.end(body);
    },
  );
});
// As fastify's defaults, which the main thread's own listener has: idle connections kept 72 s, no limit on a request's time.
server.keepAliveTimeout = 72_000;
server.requestTimeout = 0;

main.on("message", (message: ToIntake) => {
  if (message.kind === "stop") return stop();
  if (message.returned) bodies.adoptTransferred(message.returned);
  if (message.sharedOffset !== null) bodies.giveShared(message.sharedOffset);
  const entry = waiting.get(message.id);
  if (!entry) return; // its client left
  waiting.delete(message.id);
  const headers: OutgoingHttpHeaders = { ...message.headers };
  for (const name of HOP_BY_HOP) delete headers[name];
  // A HEAD answer keeps the length its GET would have; the others carry exactly their body.
  if (!entry.head) headers["content-length"] = message.body.byteLength;
  const timing = headers["server-timing"];
  if (typeof timing === "string") headers["server-timing"] = `${timing}, intake;dur=${entry.receiveMs.toFixed(3)}`;
  if (stopping) headers.connection = "close";
  entry.res.writeHead(message.status, headers);
  entry.res.end(Buffer.from(message.body.buffer, message.body.byteOffset, message.body.byteLength));
});

function stop(): void {
  if (stopping) return;
  stopping = true;
  // close() stops accepting and closes idle connections; the others close after their answer (Connection: close).
  server.close(() => tell({ kind: "stopped" }));
}

server.listen({ fd }, () => tell({ kind: "ready" }));
