#!/usr/bin/env node
// @ts-check
// An inference server: loads an engine once, as one module that runs up to
// --max-concurrency inferences at once (one copy of the weights, an execution
// context and a stream per concurrent run), serves POST /infer and
// GET /healthz, and on SIGTERM (or SIGINT) drains: stops accepting
// connections, answers every request already received (also one whose body
// is still arriving), then releases the module and exits 0.
//
//   node server.mjs --engine model.trtengine [--host 127.0.0.1] [--port 8080]
//                   [--max-concurrency 4] [--max-queue 64] [--drain-timeout 30000]
//
// Logs are JSON lines on stdout (fastify's pino logger; LOG_LEVEL=info by default).
import { clearTimeout, setTimeout } from "node:timers";
import { parseArgs } from "node:util";
import { TensorRTModule } from "@trt/sdk";
import { buildApp } from "./app.mjs";

const { values } = parseArgs({
  options: {
    engine: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "8080" },
    "max-concurrency": { type: "string", default: "4" },
    "max-queue": { type: "string", default: "64" },
    "drain-timeout": { type: "string", default: "30000" },
  },
});
if (!values.engine) {
  console.error("usage: node server.mjs --engine FILE [--host H] [--port P] [--max-concurrency N] [--max-queue N] [--drain-timeout MS]");
  process.exit(2);
}

const module = await TensorRTModule.load(values.engine, { maxConcurrency: Number(values["max-concurrency"]) });
const { app, inFlight } = buildApp({ module, maxQueue: Number(values["max-queue"]), logger: { level: process.env.LOG_LEVEL ?? "info" } });
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
  // close() stops listening, answers requests already received, closes idle keep-alive
  // connections, and resolves once no inference is running: the module is free to go.
  await app.close();
  const { runs, concurrency } = module.stats;
  module.release();
  clearTimeout(timer);
  app.log.info({ runs, concurrency }, "released the module; exiting");
  // The engine libraries may keep helper threads alive; the work is done, so leave explicitly,
  // once the logger has written everything out (process.exit does not wait for pending writes).
  await new Promise((resolve) => {
    setTimeout(resolve, 1000).unref();
    // fastify types its logger without pino's flush(); the pino instance behind it has it.
    const log = /** @type {{ flush?: (done: () => void) => void }} */ (/** @type {unknown} */ (app.log));
    if (log.flush) log.flush(() => resolve(undefined));
    else resolve(undefined);
  });
  process.exit(0);
}
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
