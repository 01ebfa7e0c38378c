// @ts-check
// The HTTP surface: POST /infer runs the engine on JSON inputs, GET /healthz
// reports the module's concurrency and the requests in progress. Every
// request shares one module: it runs up to its maxConcurrency inferences at
// once and queues the rest, and the admission gate bounds that queue. Errors
// map to status codes: bad inputs 400 (a body that is not JSON among them),
// fastify's other refusals their own 4xx (413 too large, 415 unsupported
// content type), a full queue 503 (with Retry-After), anything else 500.
// Shutting down is fastify's close(): requests already received are served,
// new ones on open connections get 503, new connections are refused, and
// close() resolves only once no inference is running.
import { STATUS_CODES } from "node:http";
import { performance } from "node:perf_hooks";
import Fastify from "fastify";
import { addDrainHooks, Admission } from "@trt/server";
import { inputsFromJson, outputsToJson } from "./tensors-json.mjs";

const tensorSchema = {
  type: "object",
  required: ["data", "shape"],
  properties: {
    data: { type: "array", items: { type: "number" } },
    shape: { type: "array", items: { type: "integer", minimum: 0 } },
  },
};

const inferSchema = {
  body: {
    type: "object",
    required: ["inputs"],
    properties: { inputs: { type: "object", additionalProperties: tensorSchema } },
  },
};

/**
 * A client error fastify raised itself (its errors carry a 4xx `statusCode`), as the status, an
 * `error` named after the status ("BAD_REQUEST", "PAYLOAD_TOO_LARGE", ...) and a message; or null.
 * @param {import("fastify").FastifyError} error
 * @returns {{ status: number, error: string, message: string } | null}
 */
function clientError(error) {
  const status = error.statusCode;
  if (typeof status !== "number" || status < 400 || status > 499) return null;
  const name = (STATUS_CODES[status] ?? "Client Error").toUpperCase().replace(/[^A-Z]+/g, "_");
  // fastify 5's JSON parser raises FST_ERR_CTP_INVALID_JSON_BODY; others (and older fastify) JSON.parse's SyntaxError.
  const notJson = error.code === "FST_ERR_CTP_INVALID_JSON_BODY" || error instanceof SyntaxError;
  return { status, error: name, message: notJson ? "the request body is not valid JSON" : error.message };
}

/**
 * @param {{ module: import("@trt/sdk").TensorRTModule, maxQueue: number, logger?: boolean | object }} options
 *   the module to serve (the caller loads it, and releases it after close()), and how many
 *   requests may wait for one of its execution contexts
 * @returns {{ app: import("fastify").FastifyInstance, inFlight: () => number }}
 */
export function buildApp({ module, maxQueue, logger = false }) {
  if (!Number.isInteger(maxQueue) || maxQueue < 0) throw new RangeError(`maxQueue must be an integer of at least 0; got ${maxQueue}`);
  // 16 MiB of JSON is about 1.5 M float values per request.
  const app = Fastify({ logger, bodyLimit: 16 * 1024 * 1024 });
  // As many requests as the module runs at once, plus those allowed to wait for it.
  const admission = new Admission(module.stats.concurrency.limit + maxQueue);
  // Counts requests for the shutdown, ends keep-alive connections once close() begins, and closes
  // the gate after the server has answered what it received (see @trt/server's addDrainHooks).
  const inFlight = addDrainHooks(app, () => admission.close());

  // `requests`: the others in progress (this one is counted too). `concurrency`: the module's
  // bound, the contexts (lanes) it made, the runs in flight now and at most, the runs waiting.
  app.get("/healthz", async () => ({
    status: "ok",
    requests: inFlight() - 1,
    admission: admission.stats,
    concurrency: module.stats.concurrency,
  }));

  app.post("/infer", { schema: inferSchema }, async (request) => {
    const { inputs } = /** @type {{ inputs: Record<string, import("./tensors-json.mjs").JsonTensor> }} */ (request.body);
    const started = performance.now();
    // Admitted before the inputs are converted: a request turned away allocates no tensors.
    const outputs = await admission.run(async () => {
      // Waits inside the module while all its contexts are busy.
      const result = await module.run(inputsFromJson(module, inputs));
      try {
        return await outputsToJson(result);
      } finally {
        result.dispose();
      }
    });
    return { outputs, ms: performance.now() - started };
  });

  app.setErrorHandler((/** @type {import("fastify").FastifyError} */ error, request, reply) => {
    const code = error.code;
    if (code === "QUEUE_FULL" || code === "SHUTTING_DOWN") {
      return reply.code(503).header("retry-after", "1").send({ error: code, message: error.message });
    }
    // The runtime's InputError (names, dtypes, shapes) and fastify's schema validation.
    if (code === "INVALID_INPUT" || error.validation) {
      return reply.code(400).send({ error: code === "INVALID_INPUT" ? code : "BAD_REQUEST", message: error.message });
    }
    // What fastify refused before the route ran: a body that is not JSON, too large, or of a type
    // no parser takes. Checked before RangeError: fastify's body-too-large error is one, with 413.
    const client = clientError(error);
    if (client) return reply.code(client.status).send({ error: client.error, message: client.message });
    // Values JSON cannot carry (tensors-json.mjs).
    if (error instanceof RangeError) return reply.code(400).send({ error: "BAD_REQUEST", message: error.message });
    request.log.error(error);
    return reply.code(500).send({ error: "INTERNAL", message: "inference failed; see the server log" });
  });

  return { app, inFlight };
}
