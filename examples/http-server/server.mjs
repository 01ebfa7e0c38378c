#!/usr/bin/env node
// @ts-check
// An inference server: loads an engine into a pool of modules, serves
// POST /infer and GET /healthz, and on SIGTERM (or SIGINT) drains: stops
// accepting connections, answers every request already received (also one
// whose body is still arriving), then releases the modules and exits 0.
//
//   node server.mjs --engine model.trtengine [--host 127.0.0.1] [--port 8080]
//                   [--pool-size 2] [--max-queue 64] [--drain-timeout 30000]
//
// Logs are JSON lines on stdout (fastify's pino logger; LOG_LEVEL=info by default).
import { clearTimeout, setTimeout } from "node:timers";
import { parseArgs } from "node:util";
import { buildApp } from "./app.mjs";
import { ModulePool } from "./pool.mjs";

const { values } = parseArgs({
  options: {
    engine: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "8080" },
    "pool-size": { type: "string", default: "2" },
    "max-queue": { type: "string", default: "64" },
    "drain-timeout": { type: "string", default: "30000" },
  },
});
if (!values.engine) {
  console.error("usage: node server.mjs --engine FILE [--host H] [--port P] [--pool-size N] [--max-queue N] [--drain-timeout MS]");
  process.exit(2);
}

const pool = await ModulePool.load(values.engine, { size: Number(values["pool-size"]), maxQueue: Number(values["max-queue"]) });
const { app, inFlight } = buildApp({ pool, logger: { level: process.env.LOG_LEVEL ?? "info" } });
await app.listen({ host: values.host, port: Number(values.port) });

let stopping = false;
/** @param {NodeJS.Signals} signal */
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal, inFlight: inFlight() }, "draining");
  // A request that never finishes must not keep the process from stopping.
  const timer = setTimeout(() => {
    app.log.error("drain timed out; exiting with requests unanswered");
    process.exit(1);
  }, Number(values["drain-timeout"]));
  // close() stops listening, answers requests already received, and closes idle keep-alive connections.
  await app.close();
  const released = await pool.close();
  clearTimeout(timer);
  app.log.info({ released }, "released every module; exiting");
  // The engine libraries may keep helper threads alive; the work is done, so leave explicitly.
  process.exit(0);
}
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
